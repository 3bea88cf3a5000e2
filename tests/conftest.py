"""Shared fixtures: one strict build of the whole site per test session, shared by the xdist workers."""

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from dlqa import chromium

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built with `mkdocs build --strict` (notebooks executed, cache reused).

    Under pytest-xdist every worker asks for it: the first one builds into the session's
    shared temporary folder while holding a file lock, the others wait and reuse that site.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out, done = shared / "site", shared / "site.built"
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            result = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )
            assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
            assert "WARNING" not in result.stderr, result.stderr
            done.touch()
    return out


@pytest.fixture(scope="module")
def browser():
    """The system Chromium, headless (one per test module)."""
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


SLOW_FIXTURES = {"browser", "built_site", "snippet_failures"}


def pytest_collection_modifyitems(items):
    """Tests that build the whole site, start Chromium or run the pages' snippets are `slow`:
    `make test-fast` leaves them out (the inner loop), `make test` runs everything."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
