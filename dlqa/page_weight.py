"""Page weight on a phone: bytes and time to the load event on slow 4G, first visit (`qa bench`).

The built site is served on 127.0.0.1 the way a static host serves it (text files gzipped,
fonts and images as they are). Headless Chromium (/usr/bin/chromium) opens each page in a
fresh browser context (an empty cache: a first visit) with Chrome DevTools' network emulation
(150 ms latency, 1.6 Mbit/s down, 750 kbit/s up) and notes the bytes that crossed the network
before the load event (every response's encoded length, headers included) and the time from
navigation start to the load event (also shown: when the last response had arrived; the rest
is the browser's work, which a busy machine slows down). Measured: the home page and three topic pages; the
median of each figure is compared with its target, and a median over target makes `qa bench`
exit non-zero after printing everything.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from dlqa import chromium

PAGES = ("", "topics/large-language-models/", "topics/cnns/", "topics/optimisation/")
TARGET_KB, TARGET_S = 300, 2.5
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text types gzipped (level 6, as common static hosts do) when the client accepts it."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if not path.is_file() or not kind.startswith(COMPRESSED_TYPES) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return _Body(data)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@dataclass
class Visit:
    path: str
    kilobytes: float
    seconds: float  # navigation start -> load event
    network_seconds: float  # navigation start -> the last response before the load event had arrived
    requests: int


def visit(browser, origin: str, path: str) -> Visit:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    started: list[float] = []
    finished: list[tuple[float, float]] = []  # (monotonic seconds, bytes)
    cdp.on("Network.requestWillBeSent", lambda event: started.append(event["timestamp"]))
    cdp.on("Network.loadingFinished", lambda event: finished.append((event["timestamp"], event["encodedDataLength"])))
    page.goto(f"{origin}/{path}", wait_until="load", timeout=120_000)
    load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart")
    context.close()
    network = max(at for at, _ in finished) - min(started)
    return Visit(path or "(home)", sum(size for _, size in finished) / 1024, load_ms / 1000, network, len(finished))


def measure(site_dir: Path) -> list[Visit]:
    missing = [p for p in PAGES if not (site_dir / p / "index.html").is_file()]
    if missing:
        raise SystemExit(f"error: {site_dir} has no {', '.join(p or 'home page' for p in missing)}: build the site first")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright, ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",))
            visits = [visit(browser, f"http://127.0.0.1:{server.server_port}", path) for path in PAGES]
            browser.close()
    finally:
        server.shutdown()
    return visits


def report(visits: list[Visit]) -> bool:
    """Print the figures; True if both medians are within their targets."""
    print("page weight, slow 4G (1.6 Mbit/s down, 750 kbit/s up, 150 ms), first visit, gzip:", flush=True)
    for v in visits:
        print(f"  {v.path:34} {v.kilobytes:7.0f} KB  {v.seconds:5.2f} s to load, network done at {v.network_seconds:5.2f} s"
              f"  ({v.requests} requests)")
    kilobytes = statistics.median(v.kilobytes for v in visits)
    seconds = statistics.median(v.seconds for v in visits)
    within = kilobytes <= TARGET_KB and seconds <= TARGET_S
    print(f"  median {kilobytes:.0f} KB (target <= {TARGET_KB}), {seconds:.2f} s (target <= {TARGET_S}):"
          f" {'within budget' if within else 'OVER BUDGET'}", flush=True)
    return within
