"""Find the Mermaid diagrams of a rendered page and put their SVG in place. Pure functions.

pymdownx.superfences (the `mermaid` custom fence) leaves each diagram as
`<pre class="mermaid"><code>SOURCE</code></pre>`, the source HTML-escaped. Each becomes
`<div class="mermaid-diagram">SVG</div>`. The SVG's ids all start with the diagram's id
(`mermaid-` and a hash of its source); a diagram drawn again (on the same page, or on the print
page, which holds every page) gets its ids suffixed, so ids stay unique.
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import Callable

FENCE = re.compile(r'<pre class="mermaid"><code>(?P<source>.*?)</code></pre>', re.S)


def diagram_id(source: str) -> str:
    return "mermaid-" + hashlib.sha256(source.encode()).hexdigest()[:10]


def diagrams(page_html: str) -> list[str]:
    """The source of every diagram, in page order."""
    return [html.unescape(m["source"]) for m in FENCE.finditer(page_html)]


def with_id(svg: str, old: str, new: str) -> str:
    """`svg` with every id starting `old` (and every reference to one) renamed to start `new`."""
    return re.sub(rf"\b{re.escape(old)}(?=[-_\"'#).\s{{,:]|$)", new, svg)


def replace_diagrams(page_html: str, rendered: Callable[[str], str]) -> str:
    return FENCE.sub(lambda m: f'<div class="mermaid-diagram">{rendered(html.unescape(m["source"]))}</div>', page_html)
