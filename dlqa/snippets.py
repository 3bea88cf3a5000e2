"""The Python snippets of a page: which fences they are, and which ones the tests do not run.

Every ```python fence of a topic page runs in the test suite (tests/test_snippets.py, through
dlqa.run_snippets). A snippet that cannot run on a CPU-only machine without network says so
to the reader in its title, and is then only compiled:

    ```python title="Not run in the tests: needs 8 GPUs and torchrun"

Fences are found by the page model (dlqa.page.fences: CommonMark's rules, indented fences in
content tabs and admonitions included), so the tests see exactly the blocks the site shows.
Pure functions only.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from dlqa.page import fences, lf_text

LANGUAGES = ("python", "py")
TITLE = re.compile(r'\btitle="(?P<title>[^"]*)"')
NOT_RUN = "Not run in the tests"
MAX_NOT_RUN = 0.05  # at most 5 % of the snippets may be marked as not run


@dataclass(frozen=True)
class Snippet:
    path: str
    line: int  # 1-based line of the opening fence; the code starts on the next line
    code: str  # the body, dedented out of its tab or admonition
    title: str = ""

    @property
    def not_run(self) -> bool:
        return self.title.startswith(NOT_RUN)

    @property
    def reason(self) -> str:
        """Why a marked snippet is not run ("" when the title gives none)."""
        return self.title[len(NOT_RUN):].lstrip(":").strip() if self.not_run else ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def padded(self) -> str:
        """The code preceded by blank lines, so that line numbers in tracebacks are page lines."""
        return "\n" * self.line + self.code


def language(info: str) -> str:
    """The language of a fence's info string: `python title="x"` -> python, `{ .py }` -> py."""
    words = info.replace("{", " ").replace("}", " ").split()
    return words[0].lstrip(".").lower() if words else ""


def page_snippets(text: str, path: str) -> list[Snippet]:
    """Every closed Python fence of the page, in order."""
    lines = lf_text(text).split("\n")
    found = []
    for block in fences(lines):
        if block.closed and language(block.info) in LANGUAGES:
            body = "\n".join(line[len(block.indent):] if line.startswith(block.indent) else line
                             for line in lines[block.start + 1:block.end])
            title = TITLE.search(block.info)
            found.append(Snippet(path, block.start + 1, textwrap.dedent(body) + "\n", title["title"] if title else ""))
    return found
