"""The question index: one JSON file for the study tools and the "All questions" page.

- `assets/question-index.json` lists every topic page (its URL and title) with its
  questions' ids and levels, in navigation order. The study tools
  (assets/javascripts/study.js) read it to show per-topic progress in the navigation
  and on the home page without fetching every page. Same origin, built with the site.
- `questions.md` (generated, in the navigation) lists every question by topic with
  its level and a link to it; study.js marks the ones the reader knows.

Question titles come from the pages: they are written into the generated Markdown
as escaped plain text, never as markup. Any topic page in docs/topics/ is included;
pages missing from the navigation come last, by file name.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.pages import PageError, parse_page  # noqa: E402

INDEX_PATH = "assets/question-index.json"
PAGE_PATH = "questions.md"
LEVELS = ("basic", "intermediate", "advanced")

INTRO = """---
title: All questions
description: Every question on the site by topic, with its level; the ones you marked as known are ticked.
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


def nav_order(config) -> list[str]:
    """Source paths of the navigation's pages, in order (nested sections flattened)."""
    order: list[str] = []

    def walk(item):
        if isinstance(item, str):
            order.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(config.get("nav") or [])
    return order


def read_topics(files, config) -> list[tuple[File, object]]:
    """(file, parsed page) for every topic page, in navigation order."""
    topic_files = [f for f in files.documentation_pages() if f.src_uri.startswith("topics/")]
    order = {path: index for index, path in enumerate(nav_order(config))}
    topic_files.sort(key=lambda f: (order.get(f.src_uri, len(order)), f.src_uri))
    try:
        return [(f, parse_page(Path(f.abs_src_path).read_text(encoding="utf-8"), f"docs/{f.src_uri}")) for f in topic_files]
    except PageError as error:
        raise PluginError(str(error)) from None


def build_index(topics) -> dict:
    """The JSON document study.js reads: per page its URL, title and questions."""
    return {
        "version": 1,
        "pages": [
            {
                "url": file.url,
                "title": page.title,
                "questions": [{"id": q.id, "level": q.difficulty} for q in page.questions],
            }
            for file, page in topics
        ],
    }


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


def on_files(files, config):
    topics = read_topics(files, config)
    content = json.dumps(build_index(topics), ensure_ascii=False, separators=(",", ":"))
    files.append(File.generated(config, INDEX_PATH, content=content))
    files.append(File.generated(config, PAGE_PATH, content=render_page(topics)))
    return files
