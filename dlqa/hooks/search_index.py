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

import gzip
import hashlib
import html
import json
import logging
import math
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
from zopfli.gzip import compress as zopfli_gzip

from dlqa.files import write_atomically

log = logging.getLogger("mkdocs.hooks.search_index")
# Next to this package's modules (dlqa/search/), wherever the package is installed.
WRITER = Path(__file__).resolve().parents[1] / "search" / "write_pagefind_index.mjs"

WORKER = "assets/javascripts/search-worker.js"
MATERIAL_WORKER = re.compile(r'("search":\s*"[^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"')
QUESTION_HEADING = re.compile(r'<h[12] id="([^"]+)"')
# Pagefind splits its word index into chunks, listed in a meta file: the first query downloads
# the meta file, then one chunk per word (more for a short prefix). More, smaller chunks mean a
# bigger meta file; the sum is least when the number of chunks grows with the square root of the
# index. At today's ~400 records this setting (Pagefind's default is 20000) gives ~2 KB chunks.
CHUNK_SIZE_PER_SQRT_RECORD = 35
# Code and notebook output still match, with little weight: prose about a term ranks first.
CODE_WEIGHT = "0.2"

# Files every first query downloads, whatever it asks (the WebAssembly, 60 KB, and the meta
# file): recompressed with Zopfli, whose gzip streams are ~5-7 % smaller than Pagefind's. The
# WebAssembly only changes with Pagefind's version: its recompression (~1 s) is cached.
RECOMPRESSED = {"wasm.en.pagefind": True, "pagefind.en_*.pf_meta": False}  # pattern: cached?
RECOMPRESS_CACHE = Path(".cache") / "pagefind"  # in the project root

_record_anchors: dict[str, set[str]] = {}


def lunr_requested() -> bool:
    engine = os.environ.get("SEARCH_ENGINE", "pagefind")
    if engine not in ("pagefind", "lunr"):
        raise PluginError(f"search_index: SEARCH_ENGINE must be pagefind or lunr, not {engine!r}")
    return engine == "lunr"


def index_chunk_size(record_count: int) -> int:
    return round(CHUNK_SIZE_PER_SQRT_RECORD * math.sqrt(record_count))


def gunzipped(data: bytes) -> bytes | None:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError):
        return None


def recompress(path: Path, cache_dir: Path | None) -> None:
    """Rewrite the gzip file at `path` as Zopfli's gzip stream of the same bytes, if smaller.

    A cached stream is used only if it holds the same bytes (a damaged one is made again).
    """
    packed = path.read_bytes()
    content = gzip.decompress(packed)
    cached = cache_dir / f"{hashlib.sha256(packed).hexdigest()[:32]}.gz" if cache_dir else None
    smaller = cached.read_bytes() if cached and cached.exists() else b""
    if gunzipped(smaller) != content:
        smaller = min(zopfli_gzip(content, numiterations=1), packed, key=len)
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(cached, smaller)
    path.write_bytes(smaller)


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
                                env={"PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(index_chunk_size(len(records))), **os.environ})
    if result.returncode != 0:
        raise PluginError(
            f"search_index: writing the Pagefind index failed:\n{result.stderr}\n"
            "Run `make install` (it runs `npm ci`, which installs Pagefind; Node.js 18+ is required)."
        )
    for pattern, cached in RECOMPRESSED.items():
        for path in (site / "pagefind").glob(pattern):
            recompress(path, root / RECOMPRESS_CACHE if cached else None)
    index_file.write_text(json.dumps({"config": index["config"], "docs": []}), encoding="utf-8")
    log.info("search_index: %d search records indexed by Pagefind in %.1f s", len(records), time.perf_counter() - start)
