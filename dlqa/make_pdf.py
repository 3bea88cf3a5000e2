"""Save the print page (every question and answer) of the built site as one PDF.

    qa pdf [--site site] [--out site/dl-interview-qa.pdf]

Run `make build` first (`make pdf` does both). Headless Chromium (/usr/bin/chromium,
driven by Playwright) opens site/print_page/ offline: the files are served to it from
the site directory through request routing, and any request to another host aborts the
run. It waits until KaTeX has typeset every formula and Mermaid has drawn every
diagram, then prints with the site's print stylesheet (A4, one topic per sheet).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import sync_playwright

from dlqa import chromium
from dlqa.project import project_root

READY = """() => document.querySelectorAll('pre.mermaid').length === 0
    && document.querySelectorAll('.arithmatex .katex').length === document.querySelectorAll('.arithmatex').length
    && [...document.images].every(image => image.complete)"""


def site_base(site: Path) -> str:
    """http://dlqa.local + site_url's path, read from the built sitemap."""
    first = re.search(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    return "http://dlqa.local" + (urlsplit(first[1]).path.rstrip("/") if first else "")


def make_pdf(site: Path, out: Path, timeout_ms: int = 600_000) -> None:
    site = site.resolve()
    if not (site / "print_page" / "index.html").exists():
        sys.exit(f"{site}/print_page/index.html is missing: run `make build` first")
    base = site_base(site)
    foreign: list[str] = []

    def serve(route):
        url = route.request.url
        if url.startswith("data:"):
            return route.continue_()
        if not url.startswith(base + "/"):
            foreign.append(url)
            return route.abort()
        path = site / unquote(urlsplit(url).path).removeprefix(urlsplit(base).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if path.is_file() and site in path.resolve().parents:
            return route.fulfill(path=str(path))
        return route.fulfill(status=404, body="not found")

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        context = browser.new_context(viewport={"width": 1000, "height": 1400})
        context.route("**/*", serve)
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        page.goto(f"{base}/print_page/", wait_until="domcontentloaded")
        page.wait_for_function(READY)
        page.emulate_media(media="print")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(out), format="A4", print_background=True,
                 margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
        browser.close()
    if foreign:
        out.unlink(missing_ok=True)
        sys.exit("the print page asked other hosts for: " + ", ".join(sorted(set(foreign))))
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, help="the built site (default: site/ in the project)")
    parser.add_argument("--out", type=Path, help="the PDF to write (default: site/dl-interview-qa.pdf)")


def run(args: argparse.Namespace) -> int:
    site = args.site or project_root() / "site"
    make_pdf(site, args.out or site / "dl-interview-qa.pdf")
    return 0
