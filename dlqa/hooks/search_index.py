"""Search answered from a Pagefind index, in Material's own search box.

Material's search plugin still renders the search box and extracts each page's
sections (headings, text, `data-search-exclude`), but its lunr index is replaced:

- after the build, the sections become one search record per question (a question's
  sub-headings and notebook are folded into it) or per page introduction, and
  `dlqa/search/write_pagefind_index.mjs` writes them as a Pagefind index to `pagefind/`;
- `search/search_index.json`, which Material's bundle fetches on every page load, keeps
  only its `config` (the on-page highlighter needs the separator), not the documents;
- every page names `assets/javascripts/search-worker.js` as Material's search worker: it
  speaks Material's worker protocol and asks Pagefind, loading only the index chunks and
  records a query needs.

`SEARCH_ENGINE=lunr` keeps Material's lunr search instead (the benchmark compares both).
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.search_index")
# Next to this package's modules (dlqa/search/), wherever the package is installed.
WRITER = Path(__file__).resolve().parents[1] / "search" / "write_pagefind_index.mjs"

WORKER = "assets/javascripts/search-worker.js"
MATERIAL_WORKER = re.compile(r'("search":\s*"[^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"')
QUESTION_HEADING = re.compile(r'<h[12] id="([^"]+)"')
# Words per index chunk (Pagefind's default makes ~30 KB chunks; a query loads one per word):
# smaller chunks cut what the first query downloads, at a few more bytes in the index's meta file.
INDEX_CHUNK_SIZE = "5000"
# Code and notebook output still match, with little weight: prose about a term ranks first.
CODE_WEIGHT = "0.2"

_record_anchors: dict[str, set[str]] = {}


def lunr_requested() -> bool:
    engine = os.environ.get("SEARCH_ENGINE", "pagefind")
    if engine not in ("pagefind", "lunr"):
        raise PluginError(f"search_index: SEARCH_ENGINE must be pagefind or lunr, not {engine!r}")
    return engine == "lunr"


def search_records(docs: list[dict], record_anchors: dict[str, set[str]]) -> list[dict]:
    """Material's search sections grouped into records: {url, title, page_title, parts}.

    A page's first section (no anchor) starts a record for its introduction; a section whose
    heading is an h1 or h2 (in `record_anchors[page url]`) starts a record of its own; any
    deeper section is appended to the record before it.
    """
    records, page_titles = [], {}
    for doc in docs:
        page_url, _, anchor = doc["location"].partition("#")
        if not anchor:
            page_titles[page_url] = doc["title"]
        if not anchor or anchor in record_anchors.get(page_url, set()) or not records:
            records.append({"url": doc["location"], "title": doc["title"],
                            "page_title": page_titles.get(page_url, doc["title"]), "parts": [doc["text"]]})
        else:
            records[-1]["parts"].append(f"<h3>{doc['title']}</h3>{doc['text']}")
    return records


def record_html(record: dict) -> str:
    """A small HTML document for Pagefind: the title as h1 (Pagefind weights it), then the text.

    Titles and texts come from Material's search plugin, which emits escaped HTML.
    """
    page_title = html.escape(html.unescape(record["page_title"]), quote=True)
    body = "".join(record["parts"]).replace("<pre>", f'<pre data-pagefind-weight="{CODE_WEIGHT}">')
    return (
        '<!DOCTYPE html><html lang="en"><head>'
        f'<meta data-pagefind-meta="page_title[content]" content="{page_title}"></head>'
        f"<body><h1>{record['title']}</h1>{body}</body></html>"
    )


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if "material/search" not in config.plugins:
        raise PluginError("search_index: Material's `search` plugin must be enabled (it renders the search box)")
    _record_anchors.clear()
    return config


def on_page_content(content: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    _record_anchors[page.url] = set(QUESTION_HEADING.findall(content))
    return content


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    if lunr_requested():
        return output
    output, count = MATERIAL_WORKER.subn(rf'\1{WORKER}"', output, count=1)
    if count != 1:
        raise PluginError(f"search_index: no search worker setting in {page.file.src_uri}'s page config")
    return output


def on_post_build(*, config: MkDocsConfig) -> None:
    if lunr_requested():
        return
    site = Path(config.site_dir)
    index_file = site / "search" / "search_index.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))
    records = [{"url": r["url"], "html": record_html(r)} for r in search_records(index["docs"], _record_anchors)]
    root = Path(config.config_file_path).parent
    start = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as records_file:
        json.dump(records, records_file)
        records_file.flush()
        result = subprocess.run(["node", str(WRITER), records_file.name, str(site / "pagefind")],
                                cwd=root, capture_output=True, text=True,
                                env={"PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": INDEX_CHUNK_SIZE, **os.environ})
    if result.returncode != 0:
        raise PluginError(
            f"search_index: writing the Pagefind index failed:\n{result.stderr}\n"
            "Run `make install` (it runs `npm ci`, which installs Pagefind; Node.js 18+ is required)."
        )
    index_file.write_text(json.dumps({"config": index["config"], "docs": []}), encoding="utf-8")
    log.info("search_index: %d search records indexed by Pagefind in %.1f s", len(records), time.perf_counter() - start)
