"""Benchmark search as a reader meets it: type the public query set into the real search box.

    python tools/bench_search.py [--scales 1,3,10] [--engines pagefind,lunr] [--cold 12]

For each scale (1 = the site as it is; N = tools/synthetic_site.py's N times the questions) and
each search engine (SEARCH_ENGINE=pagefind, the site's search, or lunr, Material's own), it
builds the site, serves it on 127.0.0.1, and types every query of tests/search_queries.yml into
headless Chromium (/usr/bin/chromium, every other host unreachable). It prints:

- build time and peak memory;
- warm: queries typed one after another on one page; cold: the first `--cold` queries, each
  typed right after loading a page in a fresh browser context (empty cache);
- first: first keydown -> first result on screen; final: first keydown -> the result list as
  it settled for the whole query (median and 95th percentile, ms);
- search bytes downloaded before the first result (worker, index, records; raw and gzip-9, as a
  compressing server would send them), and per question;
- recall@5: the share of queries whose question is among the first five question hits.

Not a test: it prints figures and asserts nothing. Timings are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.bench_build import build  # noqa: E402
from tools.search_driver import RECORDER, clear_search, type_query  # noqa: E402
from tools.search_queries import found_in_top, live_queries, load_queries  # noqa: E402
from tools.synthetic_site import write_synthetic_site  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Other hosts do not resolve: no request interception (it would slow every request down).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
SEARCH_PATHS = ("/search/", "/pagefind/", "/assets/javascripts/workers/", "/assets/javascripts/lunr/",
                "/assets/javascripts/search-worker.js")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@dataclass
class Downloads:
    """Search files fetched by a page (its worker included), with when each finished."""
    responses: list = field(default_factory=list)
    foreign: list = field(default_factory=list)

    def watch(self, context, origin: str) -> None:
        context.on("request", lambda request: None if request.url.startswith((origin, "data:")) else self.foreign.append(request.url))
        context.on("response", lambda response: self.responses.append(response) if response.url.startswith(origin) else None)

    def bytes_before(self, epoch_ms: float) -> tuple[int, int]:
        raw = compressed = 0
        for response in self.responses:
            timing = response.request.timing
            if not any(path in response.url for path in SEARCH_PATHS) or timing["startTime"] + timing["responseEnd"] > epoch_ms:
                continue
            body = response.body()
            raw += len(body)
            compressed += len(gzip.compress(body, 9))
        return raw, compressed


@dataclass
class Sample:
    first_ms: list[float] = field(default_factory=list)
    final_ms: list[float] = field(default_factory=list)
    raw: list[int] = field(default_factory=list)
    compressed: list[int] = field(default_factory=list)


def serve(site_dir: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=site_dir))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def question_count(site_dir: Path) -> int:
    return sum((page / "index.html").read_text(encoding="utf-8").count('<h2 id="') for page in (site_dir / "topics").iterdir())


def measure(browser, origin: str, queries, cold_count: int) -> tuple[Sample, Sample, float, list[str]]:
    """(warm, cold, recall@5, misses); warm runs every query on one page, cold the first few."""
    warm, cold, found, misses, foreign = Sample(), Sample(), 0, [], []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORDER)
    downloads = Downloads()
    downloads.watch(context, origin)
    page = context.new_page()
    page.goto(f"{origin}/", wait_until="load")
    type_query(page, "neural network", timeout_ms=60_000)  # the index is loaded: what follows is warm
    for query in queries:
        clear_search(page)
        downloads.responses.clear()
        answer = type_query(page, query.query)
        if found_in_top(query, answer.links):
            found += 1
        else:
            misses.append(f"{query.query!r} -> {query.expect} (shown: {answer.links[:3]})")
        if answer.first_result_ms is not None:
            warm.first_ms.append(answer.first_result_ms)
            warm.final_ms.append(answer.final_result_ms)
            raw, compressed = downloads.bytes_before(answer.keydown_at + answer.first_result_ms)
            warm.raw.append(raw)
            warm.compressed.append(compressed)
    foreign += downloads.foreign
    context.close()
    for query in queries[:cold_count]:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORDER)
        downloads = Downloads()
        downloads.watch(context, origin)
        page = context.new_page()
        page.goto(f"{origin}/", wait_until="load")
        clear_search(page)
        answer = type_query(page, query.query, timeout_ms=60_000)
        if answer.first_result_ms is not None:
            cold.first_ms.append(answer.first_result_ms)
            cold.final_ms.append(answer.final_result_ms)
            raw, compressed = downloads.bytes_before(answer.keydown_at + answer.first_result_ms)
            cold.raw.append(raw)
            cold.compressed.append(compressed)
        foreign += downloads.foreign
        context.close()
    if foreign:
        misses.append(f"requests to other hosts: {sorted(set(foreign))[:5]}")
    return warm, cold, found / len(queries), misses


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def row(label: str, sample: Sample, questions: int) -> str:
    if not sample.first_ms:
        return f"  {label:5} no result"
    compressed = statistics.median(sample.compressed)
    return (f"  {label:5} first {statistics.median(sample.first_ms):6.0f} / {p95(sample.first_ms):6.0f} ms"
            f"   final {statistics.median(sample.final_ms):6.0f} / {p95(sample.final_ms):6.0f} ms"
            f"   bytes before first result {statistics.median(sample.raw) / 1024:7.1f} KB raw,"
            f" {compressed / 1024:7.1f} KB gzip ({compressed / questions:5.0f} B/question)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10", help="comma-separated multiples of today's questions")
    parser.add_argument("--engines", default="pagefind,lunr", help="comma-separated: pagefind, lunr")
    parser.add_argument("--cold", type=int, default=10, help="queries typed right after a fresh page load")
    args = parser.parse_args()
    queries_all = load_queries()
    print("medians / 95th percentiles; warm = index loaded, cold = right after a page load (empty cache)")
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp, sync_playwright() as playwright:
        tmp = Path(tmp)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for scale in [int(s) for s in args.scales.split(",")]:
            config = ROOT / "mkdocs.yml" if scale == 1 else write_synthetic_site(scale, tmp / f"src-{scale}x")
            for engine in args.engines.split(","):
                site_dir = tmp / f"site-{scale}x-{engine}"
                built = build(config, site_dir, ROOT / ".cache" / "notebooks", {"SEARCH_ENGINE": engine})
                questions = question_count(site_dir)
                queries = live_queries(queries_all, site_dir)
                server = serve(site_dir)
                origin = f"http://127.0.0.1:{server.server_port}"
                warm, cold, recall, misses = measure(browser, origin, queries, args.cold)
                server.shutdown()
                print(f"\n{scale}x ({questions} questions), {engine}: build {built.seconds:.1f} s,"
                      f" peak memory {built.peak_mb:.0f} MB, recall@5 {recall:.3f} ({len(queries)} queries)")
                print(row("warm", warm, questions))
                print(row("cold", cold, questions))
                for miss in misses:
                    print(f"  missed {miss}")
        browser.close()


if __name__ == "__main__":
    main()
