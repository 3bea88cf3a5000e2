"""Every question and answer as an Anki deck and a CSV, written into the site at every build:
`downloads/dl-interview-qa.apkg` and `downloads/dl-interview-qa.csv` (dlqa/flashcards.py says
what is in them). The home page links both.

The two files are declared in on_files, so that links to them are checked like any other; each
topic page's answers are taken as rendered (on_page_content: math still TeX between `\\(..\\)`,
as Anki's MathJax wants it), and the files' contents are made in on_env, once every page is
rendered and before MkDocs copies the files into the site.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from dlqa import site_pages
from dlqa.coverage_table import in_nav_order
from dlqa.flashcards import Card, anki_package, card_html, csv_text, question_sections

APKG_PATH = "downloads/dl-interview-qa.apkg"
CSV_PATH = "downloads/dl-interview-qa.csv"
log = logging.getLogger("mkdocs.hooks.flashcards")


class State:
    sections: dict[str, dict[str, tuple[str, str]]] = {}  # page src_uri -> question_sections


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    State.sections = {}
    for path in (APKG_PATH, CSV_PATH):
        files.append(File.generated(config, path, content=b""))  # filled in on_env
    return files


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if site_pages.is_topic(page.file):
        State.sections[page.file.src_uri] = question_sections(html)
    return html


def cards(config: MkDocsConfig) -> list[Card]:
    """One card per question of every topic page, pages in navigation order."""
    pages = in_nav_order(site_pages.topic_pages(), Path(config.config_file_path).read_text(encoding="utf-8"))
    found = []
    for page in pages:
        src_uri = f"{site_pages.TOPICS}{page.slug}.md"
        page_url = urljoin(config.site_url or "", f"{site_pages.TOPICS}{page.slug}/")
        sections = State.sections.get(src_uri, {})
        for question in page.questions:
            if question.id not in sections:
                raise PluginError(f"flashcards: #{question.id} ({page.path}) is missing from the rendered page")
            heading, answer = sections[question.id]
            url = f"{page_url}#{question.id}"
            found.append(Card(question.id, card_html(heading, page_url), card_html(answer, page_url),
                              page.title, page.slug, question.difficulty, tuple(question.tracks), url))
    return found


def on_env(env, /, *, config: MkDocsConfig, files: Files):
    start = time.process_time()
    deck = cards(config)
    apkg, table = anki_package(deck), csv_text(deck).encode("utf-8")
    files.get_file_from_path(APKG_PATH).content_bytes = apkg
    files.get_file_from_path(CSV_PATH).content_bytes = table
    log.info(f"flashcards: {len(deck)} notes, Anki deck {len(apkg) // 1024} KB and CSV {len(table) // 1024} KB "
             f"in {time.process_time() - start:.2f} s of CPU time")
    return env
