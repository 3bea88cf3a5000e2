"""The render cache and the renderer process, shared by the math and diagram hooks.

A cache is one JSON file of source key -> rendered HTML under `.cache/prerender/`, named by
the renderer's version and a hash of its script, so an upgrade starts a fresh file. A build
reads it once and writes it once, at the end, only if something new was rendered. A corrupt
file is discarded with a warning naming it.

A renderer is a child process that reads one JSON line (a batch of sources) and answers one
JSON line (the results, in order). It is started on the first cache miss, so a warm build
starts none, and stopped at the end of the build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from dlqa.files import write_atomically

log = logging.getLogger("mkdocs.plugins.prerender")
CACHE_DIR = Path(".cache") / "prerender"  # in the project root


def cache_name(kind: str, version: str, *scripts: Path) -> str:
    """`kind-VERSION-HASH.json`: the hash covers the renderer's scripts and settings."""
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in scripts)).hexdigest()[:12]
    return f"{kind}-{version}-{digest}.json"


def normalised(fragment: str) -> str:
    """`fragment` (one element) as an HTML5 parser serialises it: the form the allow-list sees."""
    return LexborHTMLParser(fragment).body.child.html


class RenderCache:
    def __init__(self, path: Path):
        self.path, self.entries, self.changed = path, {}, False
        if path.exists():
            try:
                self.entries = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(self.entries, dict):
                    raise ValueError("not a JSON object")
            except ValueError as error:
                log.info("prerender: discarding the corrupt cache %s (%s)", path, error)
                self.entries = {}

    def get(self, key: str) -> str | None:
        return self.entries.get(key)

    def put(self, key: str, html: str) -> None:
        self.entries[key], self.changed = html, True

    def save(self) -> None:
        if self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(self.entries, ensure_ascii=False, sort_keys=True))
            self.changed = False


class Renderer:
    """A child process answering JSON-line batches; started on first use."""

    def __init__(self, command: list[str], cwd: Path, what: str):
        self.command, self.cwd, self.what, self.process = command, cwd, what, None

    def render(self, batch: list) -> list[dict]:
        if self.process is None:
            self.process = subprocess.Popen(self.command, cwd=self.cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            text=True, encoding="utf-8")
        self.process.stdin.write(json.dumps(batch) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            self.process = None
            raise RuntimeError(f"the {self.what} renderer ({' '.join(self.command)}) stopped (exit status {code}); its error is above")
        return json.loads(line)

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=60)
            self.process = None


def render_into(cache: RenderCache, renderer: Renderer, requests: dict[str, object], field: str) -> dict[str, str]:
    """Render every request (cache key -> the renderer's input) in one batch and cache each
    result's `field`, as the allow-list will see it; return the renderer's error per failed key."""
    errors = {}
    for key, result in zip(requests, renderer.render(list(requests.values()))):
        if "error" in result:
            errors[key] = result["error"]
        else:
            cache.put(key, normalised(result[field]))
    return errors


# Every fragment a renderer put into a page during this build, as the HTML parser serialises
# it: the allow-list (dlqa/html_safety.py) accepts these as the project's own markup.
RENDERED: set[str] = set()
