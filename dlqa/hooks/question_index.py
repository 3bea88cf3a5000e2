"""The question index: one JSON file for the study tools and the "All questions" page.

- `assets/question-index.json` lists every topic page (its URL and title) with its
  questions' ids and levels, in navigation order. The study tools
  (assets/javascripts/study.js) read it to show per-topic progress in the navigation
  and on the home page without fetching every page. Same origin, built with the site.
- `questions.md` (generated, in the navigation) lists every question by topic with
  its level and a link to it; study.js marks the ones the reader knows.

Question titles come from the pages: they are written into the generated Markdown
as escaped plain text, never as markup. Any topic page in docs/topics/ is included;
pages missing from the navigation come last, by file name (the same order as the coverage page).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from dlqa import site_pages
from dlqa.coverage_table import in_nav_order
from dlqa.page import Page

INDEX_PATH = "assets/question-index.json"
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


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    topics = topics_in_nav_order(files, config)
    content = json.dumps(build_index(topics), ensure_ascii=False, separators=(",", ":"))
    files.append(File.generated(config, INDEX_PATH, content=content))
    files.append(File.generated(config, PAGE_PATH, content=render_page(topics)))
    return files
