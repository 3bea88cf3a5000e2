"""Benchmark search as a reader meets it: type the public query set into the real search box.

    qa bench --only search [--scales 1,3,10] [--engines pagefind,lunr] [--cold 10]

For each scale (1 = the site as it is; N = synthetic_site.py's N times the questions) and
each search engine (SEARCH_ENGINE=pagefind, the site's search, or lunr, Material's own), it
builds the site, serves it on 127.0.0.1, and types every query of tests/search_queries.yml into
headless Chromium (/usr/bin/chromium, every other host unreachable). It prints:

- build time and peak memory;
- warm: queries typed one after another on one page; cold: `--cold` queries of the set, each
  typed right after loading a page in a fresh browser context (empty cache);
- first: first keydown -> first result on screen; final: first keydown -> the result list as
  it settled for the whole query (median and 95th percentile, ms);
- search bytes downloaded before the first result (worker, index, records; raw and gzip-9, as a
  compressing server would send them), and per question; counted by the bench's own HTTP server
  (what was sent, finished before the first result showed), so browser-cache hits count nothing;
- recall@5: the share of queries whose question is among the first five question hits.

Not a test: it prints figures and asserts nothing. Timings are noisy on a shared machine.
"""

from __future__ import annotations

import gzip
import re
import http.server
import statistics
import tempfile
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import sync_playwright

from dlqa import chromium
from dlqa.bench import build
from dlqa.search.driver import RECORDER, clear_search, type_query
from dlqa.search.queries import found_in_top, live_queries, load_queries, spread
from dlqa.search.synthetic_site import write_synthetic_site

# Other hosts do not resolve: no request interception (it would slow every request down).
OFFLINE = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",)
COPY = re.compile(r"-copy\d+(?=/|$)")  # topics/cnns-copy3/#padding-copy3 is a synthetic copy of topics/cnns/#padding
SEARCH_PATHS = ("/search/", "/pagefind/", "/assets/javascripts/workers/", "/assets/javascripts/lunr/",
                "/assets/javascripts/search-worker.js")


class RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; notes every search file it sent: (epoch ms when sent, raw bytes, gzip bytes)."""

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        outputfile.flush()
        if any(part in unquote(urlsplit(self.path).path) for part in SEARCH_PATHS):
            self.server.sent.append((time.time() * 1000, len(data), gzipped_size(data)))


_gzip_sizes: dict[int, int] = {}


def gzipped_size(data: bytes) -> int:
    key = hash(data)
    if key not in _gzip_sizes:
        _gzip_sizes[key] = len(gzip.compress(data, 9))
    return _gzip_sizes[key]


@dataclass
class Downloads:
    """Search files the server sent since `reset`, and requests the browser made to other hosts."""
    server: http.server.ThreadingHTTPServer
    foreign: list = field(default_factory=list)

    def watch(self, context, origin: str) -> None:
        context.on("request", lambda request: None if request.url.startswith((origin, "data:")) else self.foreign.append(request.url))

    def reset(self) -> None:
        self.server.sent.clear()

    def bytes_before(self, epoch_ms: float) -> tuple[int, int]:
        sent = [(raw, compressed) for at, raw, compressed in list(self.server.sent) if at <= epoch_ms]
        return sum(raw for raw, _ in sent), sum(compressed for _, compressed in sent)


@dataclass
class Sample:
    first_ms: list[float] = field(default_factory=list)
    final_ms: list[float] = field(default_factory=list)
    raw: list[int] = field(default_factory=list)
    compressed: list[int] = field(default_factory=list)


def serve(site_dir: Path):
    handler = type("Handler", (RecordingHandler,), {})
    handler.__init__ = lambda self, *args, **kwargs: RecordingHandler.__init__(self, *args, directory=str(site_dir), **kwargs)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.sent = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def question_count(site_dir: Path) -> int:
    return sum((page / "index.html").read_text(encoding="utf-8").count('<h2 id="') for page in (site_dir / "topics").iterdir())


def new_page(browser, origin: str, downloads: Downloads):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORDER)
    downloads.watch(context, origin)
    return context, context.new_page()


def note(sample: Sample, answer, downloads: Downloads) -> None:
    if answer.first_result_ms is None:
        return
    sample.first_ms.append(answer.first_result_ms)
    sample.final_ms.append(answer.final_result_ms)
    raw, compressed = downloads.bytes_before(answer.keydown_at + answer.first_result_ms)
    sample.raw.append(raw)
    sample.compressed.append(compressed)


def measure(browser, origin: str, server, queries, cold_count: int) -> tuple[Sample, Sample, Sample, float, list[str]]:
    """(warm, cold, on_load, recall@5, misses).

    Warm: every query on one page, one after another. Cold: `cold_count` queries spread over the set,
    each in a fresh browser context (empty cache): the page loads, the search box is clicked,
    then the query typed. On load: search bytes a page load costs a reader who never searches.
    """
    warm, cold, on_load, found, misses = Sample(), Sample(), Sample(), 0, []
    downloads = Downloads(server)
    context, page = new_page(browser, origin, downloads)
    page.goto(f"{origin}/", wait_until="load")
    type_query(page, "neural network", timeout_ms=60_000)  # the index is loaded: what follows is warm
    for query in queries:
        clear_search(page)
        downloads.reset()
        answer = type_query(page, query.query)
        # A synthetic copy keeps its original's question (half its words changed): a hit on
        # the copy of the expected question counts as that question.
        if found_in_top(query, [COPY.sub("", link) for link in answer.links]):
            found += 1
        else:
            misses.append(f"{query.query!r} -> {query.expect} (shown: {answer.links[:3]})")
        note(warm, answer, downloads)
    context.close()
    for query in spread(queries, cold_count) if cold_count else []:
        downloads.reset()
        context, page = new_page(browser, origin, downloads)
        page.goto(f"{origin}/", wait_until="networkidle")
        raw, compressed = downloads.bytes_before(time.time() * 1000)
        on_load.raw.append(raw)
        on_load.compressed.append(compressed)
        clear_search(page)
        answer = type_query(page, query.query, timeout_ms=60_000)
        note(cold, answer, downloads)
        context.close()
    if downloads.foreign:
        misses.append(f"requests to other hosts: {sorted(set(downloads.foreign))[:5]}")
    return warm, cold, on_load, found / len(queries), misses


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def row(label: str, sample: Sample, questions: int) -> str:
    if not sample.compressed:
        return f"  {label:7} no result"
    compressed = statistics.median(sample.compressed)
    times = (f"first {statistics.median(sample.first_ms):6.0f} / {p95(sample.first_ms):6.0f} ms"
             f"   final {statistics.median(sample.final_ms):6.0f} / {p95(sample.final_ms):6.0f} ms   "
             if sample.first_ms else "")
    return (f"  {label:7} {times}search bytes {statistics.median(sample.raw) / 1024:7.1f} KB raw,"
            f" {compressed / 1024:6.1f} KB gzip ({compressed / questions:5.0f} B/question)")


def folder_size(paths: list[Path]) -> tuple[int, int]:
    """(raw, gzip-9) bytes of the files."""
    raw = compressed = 0
    for path in paths:
        data = path.read_bytes()
        raw += len(data)
        compressed += gzipped_size(data)
    return raw, compressed


def site_figures(site_dir: Path, engine: str) -> str:
    """The whole search index (what lunr downloads) and the weight of the topic pages' HTML."""
    if engine == "pagefind":
        index = [p for p in (site_dir / "pagefind").rglob("*") if p.is_file()]
    else:
        index = [site_dir / "search" / "search_index.json"]
    index_raw, index_gz = folder_size(index)
    pages = sorted((site_dir / "topics").glob("*/index.html"))
    html_raw, html_gz = folder_size(pages)
    return (f"  search files {index_raw / 1024:.0f} KB raw, {index_gz / 1024:.0f} KB gzip ({len(index)} files);"
            f" topic pages {html_gz / len(pages) / 1024:.1f} KB gzip each on average")


def run_search(config_file: Path, scales: list[int], engines: list[str], cold_count: int, query_count: int = 0) -> None:
    root = config_file.parent
    queries_all = load_queries(root / "tests" / "search_queries.yml")
    print("\nsearch: medians / 95th percentiles; first = first keydown -> first result on screen,"
          " final = -> the list as it settled;\nwarm = index loaded, cold = page loaded in an empty cache,"
          " search box clicked, query typed; on load = a page load without searching", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp, sync_playwright() as playwright:
        tmp = Path(tmp)
        browser = chromium.launch(playwright, OFFLINE)
        for scale in scales:
            config = config_file if scale == 1 else write_synthetic_site(scale, tmp / f"src-{scale}x", root)
            for engine in engines:
                site_dir = tmp / f"site-{scale}x-{engine}"
                built = build(config, site_dir, root / ".cache" / "notebooks", {"SEARCH_ENGINE": engine})
                questions = question_count(site_dir)
                queries = spread(live_queries(queries_all, site_dir), query_count)
                server = serve(site_dir)
                origin = f"http://127.0.0.1:{server.server_port}"
                warm, cold, on_load, recall, misses = measure(browser, origin, server, queries, cold_count)
                server.shutdown()
                print(f"\n{scale}x ({questions} questions), {engine}: build {built.seconds:.1f} s,"
                      f" peak memory {built.peak_mb:.0f} MB, recall@5 {recall:.3f} ({len(queries)} queries)")
                print(site_figures(site_dir, engine))
                print(row("warm", warm, questions))
                print(row("cold", cold, questions))
                print(row("on load", on_load, questions))
                for miss in misses:
                    print(f"  missed {miss}")
                print(flush=True)
                shutil.rmtree(site_dir)
        browser.close()
