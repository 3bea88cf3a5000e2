"""The system Chromium (Debian's package; Playwright downloads no browser here), started
headless with no background traffic, as every browser run of the project starts it."""

from __future__ import annotations

PATH = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch(playwright, extra_args: tuple[str, ...] = ()):
    """A Chromium browser from a Playwright instance (`with sync_playwright() as playwright`)."""
    return playwright.chromium.launch(executable_path=PATH, args=[*ARGS, *extra_args])
