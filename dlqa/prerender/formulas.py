"""Find the formulas of a rendered page and put KaTeX's HTML in their place. Pure functions.

pymdownx.arithmatex (generic mode) leaves each formula as `<span class="arithmatex">\\(TeX\\)</span>`
or `<div class="arithmatex">\\[TeX\\]</div>`, the TeX HTML-escaped. Notebook pages (mkdocs-jupyter)
keep Jupyter's delimiters, `$...$` and `$$...$$`, in the text of their Markdown cells
(`.nb-markdown`); those are wrapped the same way first, so both kinds render alike.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

ARITHMATEX = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.S)
DELIMITED = re.compile(r"^\s*\\(?:\((?P<inline>.*)\\\)|\[(?P<display>.*)\\\])\s*$", re.S)
# A Markdown cell of a notebook page: its content up to the cell's end (no nested div in between).
NB_MARKDOWN = re.compile(r'(<div class="[^"]*\bnb-markdown\b[^"]*">)(.*?)(</div>)', re.S)
# Jupyter's math: $$...$$ (display) or $...$ (inline, not touching a digit on the outside:
# "costs $5 and $6" is money); never inside code.
JUPYTER_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$\w])\$(?=\S)(?P<inline>[^$<]+?)(?<=\S)\$(?![\w$])", re.S)
CODE = re.compile(r"(<(pre|code)\b.*?</\2>)", re.S)


@dataclass(frozen=True)
class Formula:
    tex: str
    display: bool


def formula_of(element_body: str) -> Formula:
    """The formula in an arithmatex element's body (`\\(...\\)` or `\\[...\\]`, HTML-escaped)."""
    text = html.unescape(element_body)
    match = DELIMITED.match(text)
    if not match:
        raise ValueError(f"not an arithmatex formula: {text[:80]!r}")
    inline = match["inline"]
    return Formula((inline if inline is not None else match["display"]).strip(), inline is None)


def formulas(page_html: str) -> list[Formula]:
    return [formula_of(m["body"]) for m in ARITHMATEX.finditer(page_html)]


def replace_formulas(page_html: str, rendered: Callable[[Formula], str]) -> str:
    """Each arithmatex element with `rendered(formula)` inside it (the wrapper stays)."""
    return ARITHMATEX.sub(lambda m: f'<{m["tag"]} class="arithmatex">{rendered(formula_of(m["body"]))}</{m["tag"]}>', page_html)


def _wrap_jupyter_text(text: str) -> str:
    def wrap(match: re.Match) -> str:
        if match["display"] is not None:
            return f'<div class="arithmatex">\\[{match["display"]}\\]</div>'
        return f'<span class="arithmatex">\\({match["inline"]}\\)</span>'

    return "".join(part if CODE.fullmatch(part) else JUPYTER_MATH.sub(wrap, part) for part in _split_code(text))


def _split_code(text: str) -> list[str]:
    """`text` cut into code elements and the text between them."""
    parts, last = [], 0
    for match in CODE.finditer(text):
        parts += [text[last:match.start()], match[0]]
        last = match.end()
    return parts + [text[last:]]


def wrap_jupyter_math(page_html: str) -> str:
    """Jupyter-delimited math in notebook Markdown cells as arithmatex elements."""
    return NB_MARKDOWN.sub(lambda m: m[1] + _wrap_jupyter_text(m[2]) + m[3], page_html)
