"""The question index: one JSON file for the study tools and the "All questions" page.

- `assets/question-index.json` lists the role tracks (slug and title, from dlqa.page.TRACKS)
  and every topic page (its URL and title) with its questions, in navigation order: per
  question its id, level, plain-text title, URL and tracks. The study tools
  (assets/javascripts/study.js) read it on every page to show per-topic progress in the
  navigation and on the home page without fetching every page. Same origin, built with the site.
- `assets/question-followups.json` holds, per question id, its follow-up questions in order
  (`q`: plain text; `a`: the short answer's HTML as the page renders it, math included, ""
  when the item gives none). A file of its own because rendered math makes it ~6 times the
  size of the index (about 85 KB gzip against 15 KB), and only review and the mock interview
  need it, not every page.

  Every URL in both files (`url`, links inside a follow-up's answer) is relative to the site
  root, like "topics/optimisation/#learning-rate": resolve it against the root, not the page.
  The follow-ups' answers are taken from the rendered pages (on_page_context, after the math
  hook), so both files are written after the build (on_post_build).
- `questions.md` (generated, in the navigation) lists every question by topic with
  its level and a link to it; study.js marks the ones the reader knows.

Question titles come from the pages: they are written into the generated Markdown
as escaped plain text, never as markup. Any topic page in docs/topics/ is included;
pages missing from the navigation come last, by file name (the same order as the coverage page).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from selectolax.lexbor import LexborHTMLParser

from dlqa import site_pages
from dlqa.coverage_table import in_nav_order
from dlqa.hooks.questions import FOLLOWUP_ANSWER_CLASS
from dlqa.page import TRACKS, Page, inline_plain_text

INDEX_PATH = "assets/question-index.json"
FOLLOWUPS_PATH = "assets/question-followups.json"
PAGE_PATH = "questions.md"
LEVELS = ("basic", "intermediate", "advanced")

INTRO = """---
title: All questions
description: Every question on the site by topic, with its level; the ones you marked as known are ticked.
search:
  exclude: true  # every title here is a search hit on its own page already
---

# All questions

Every question on the site, by topic, with its level. Questions you marked
*I know this* on a topic page are ticked here; your progress is kept in this
browser only. This page is generated at build time from the topic pages.

"""

# Characters that Markdown, its extensions (arithmatex's `$`, tables' `|`) or HTML would read
# as markup. Each becomes a numeric character reference, which every stage passes through
# as a literal character.
_MARKUP = re.compile(r"[\\`*_\[\]{}<>&$|#!~^]")


def plain(text: str) -> str:
    """`text` as Markdown that renders literally: no emphasis, code, links, math or HTML."""
    return _MARKUP.sub(lambda m: f"&#{ord(m[0])};", " ".join(text.split()))


def topics_in_nav_order(files: Files, config: MkDocsConfig) -> list[tuple[File, Page]]:
    """(file, parsed page) for every topic page, in navigation order (parsed once by the pages hook)."""
    pages = in_nav_order(site_pages.topic_pages(), Path(config.config_file_path).read_text(encoding="utf-8"))
    return [(files.get_file_from_path(f"{site_pages.TOPICS}{page.slug}.md"), page) for page in pages]


def root_relative(href: str, page_url: str) -> str:
    """A link of the page at `page_url` ("topics/x/") made relative to the site root; links with a
    scheme or to another host are kept."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return href
    path = posixpath.normpath(posixpath.join(page_url, parts.path)) if parts.path else page_url.rstrip("/")
    path = "" if path == "." else path + ("/" if (parts.path or page_url).endswith("/") else "")
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def followup_answers(content: str, page_url: str) -> dict[str, list[str]]:
    """Per question id (its <h2>), the inner HTML of each follow-up answer the questions hook marked,
    in page order, with links made relative to the site root."""
    body = LexborHTMLParser(f"<div>{content}</div>").css_first("div")
    found, current = {}, None
    for node in body.iter(include_text=False):
        if node.tag == "h2" and node.attributes.get("id"):
            current = node.attributes["id"]
            found[current] = []
            continue
        for span in node.css(f"span.{FOLLOWUP_ANSWER_CLASS}"):
            if current is None:
                continue
            for link in span.css("a[href]"):
                link.attrs["href"] = root_relative(link.attributes["href"], page_url)
            found[current].append(span.inner_html)
    return found


def build_index(topics) -> dict:
    """The JSON document study.js reads on every page: the tracks, and per page its URL, title and
    questions (id, level, title, URL, tracks)."""
    return {
        "version": 2,
        "tracks": [{"slug": slug, "title": title} for slug, title in TRACKS.items()],
        "pages": [
            {
                "url": file.url,
                "title": page.title,
                "questions": [
                    {"id": q.id, "level": q.difficulty, "title": inline_plain_text(q.title),
                     "url": f"{file.url}#{q.id}", "tracks": q.tracks}
                    for q in page.questions
                ],
            }
            for file, page in topics
        ],
    }


def page_followups(page: Page, rendered: dict[str, list[str]]) -> dict[str, list[dict]]:
    """Per question of `page` that has follow-ups: [{"q": plain text, "a": answer HTML}], the HTML
    taken in order from `rendered` (followup_answers). Raises PluginError when the source and the
    rendered page disagree on how many answers a question's follow-ups give."""
    found = {}
    for question in page.questions:
        given = [item for item in question.followups if item.answer]
        answers = rendered.get(question.id, [])
        if len(answers) != len(given):
            raise PluginError(f"question_index: #{question.id} ({page.path}) has {len(given)} follow-up answer(s) "
                              f"in its source but {len(answers)} in the rendered page")
        answers = iter(answers)
        if question.followups:
            found[question.id] = [{"q": inline_plain_text(item.question), "a": next(answers) if item.answer else ""}
                                  for item in question.followups]
    return found


def build_followups(topics, followups: dict[str, dict[str, list[dict]]]) -> dict:
    """The follow-ups document: per question id (pages in navigation order), its follow-ups.
    `followups`: per page URL, page_followups of that page."""
    return {"version": 1, "questions": {qid: items for file, _ in topics for qid, items in followups.get(file.url, {}).items()}}


def render_page(topics) -> str:
    """The "All questions" page: per topic a heading and a list of linked questions."""
    parts = [INTRO]
    total = sum(len(page.questions) for _, page in topics)
    parts.append(f"{total} questions on {len(topics)} topics.\n\n")
    for file, page in topics:
        parts.append(f"## {plain(page.title)}\n\n")
        parts.append(f'<div class="q-index" data-page="{html.escape(file.url)}" markdown>\n\n')
        parts.append(f"[Open the page]({file.src_uri}) · {len(page.questions)} questions\n\n")
        for question in page.questions:
            level = question.difficulty if question.difficulty in LEVELS else "basic"
            parts.append(
                f"- [{plain(question.title)}]({file.src_uri}#{question.id})"
                f' <span class="q-difficulty q-difficulty--{level}">{level}</span>\n'
            )
        parts.append("\n</div>\n\n")
    return "".join(parts)


class State:
    topics: list[tuple[File, Page]] = []
    followups: dict[str, dict[str, list[dict]]] = {}  # page URL -> page_followups


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    State.topics = topics_in_nav_order(files, config)
    State.followups = {}
    files.append(File.generated(config, PAGE_PATH, content=render_page(State.topics)))
    return files


def on_page_context(context: dict, /, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation) -> dict:
    """Keep the follow-ups' answers as rendered (this hook comes after render_math in mkdocs.yml)."""
    model = site_pages.get(page.file)
    if site_pages.is_topic(page.file) and model:
        State.followups[page.file.url] = page_followups(model, followup_answers(page.content, page.file.url))
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    documents = {INDEX_PATH: build_index(State.topics), FOLLOWUPS_PATH: build_followups(State.topics, State.followups)}
    for path, document in documents.items():
        target = Path(config.site_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
