"""Find what in a page's rendered HTML could run script or leave the site. Pure functions.

Every page arrives by pull request, so its Markdown is untrusted. Regexes over the
source miss what a browser still runs (`<svg/onload=…>`, `jav&#x61;script:`, an
attr_list `{: onclick=… }`), so this hook judges the HTML the build emits: each
page's content is parsed with an HTML5 parser (selectolax/Lexbor, the same rules
a browser follows; entities decoded) and every element and attribute is checked
against what Markdown, pymdown-extensions, Material and the site's own hooks
produce. The `html_allowlist` hook fails the build on any finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

# Elements that the Markdown extensions, the theme's content markup and the site's hooks emit.
ALLOWED_ELEMENTS = frozenset(
    """a abbr b blockquote br caption code col colgroup dd del details div dl dt em figcaption figure
    h1 h2 h3 h4 h5 h6 hr i img input ins kbd label li mark ol p pre s small span strong sub summary
    sup table tbody td tfoot th thead tr u ul""".split()
)
# The parser wraps a fragment in these; any attribute on them came from the page.
DOCUMENT_ELEMENTS = frozenset({"html", "head", "body"})
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role", "tabindex", "hidden"})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "name", "rel", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"type", "name", "checked", "disabled"},
    "label": {"for"},
    "ol": {"start", "reversed"},
    "details": {"open"},
    "td": {"style", "colspan", "rowspan", "align"},
    "th": {"style", "colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "abbr": {"title"},
    "div": {"data-tabs", "data-page"},  # content tabs; the All questions page (study tools)
    "p": {"data-search-exclude"},
    "span": {"data-search-exclude"},
}
INPUT_TYPES = {"checkbox", "radio"}  # task lists and content tabs
# Markdown tables align columns with an inline style; nothing else may carry one.
ALLOWED_STYLE = re.compile(r"\s*text-align:\s*(left|right|center)\s*;?\s*")
URL_ATTRIBUTES = {"href", "src"}
SAFE_SCHEMES = {"http", "https", "mailto"}
SAFE_IMAGE_DATA = re.compile(r"data:image/(png|gif|jpeg|webp);", re.IGNORECASE)
# Browsers drop ASCII tab and newline anywhere in a URL, and strip leading C0 controls and spaces.
URL_IGNORED = re.compile(r"[\t\n\r]")
URL_LEADING = re.compile(r"^[\x00-\x20]+")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class Finding:
    element: str  # e.g. '<svg onload="alert(1)">'
    rule: str

    def __str__(self) -> str:
        return f"{self.element}: {self.rule}"


def url_scheme(url: str) -> str | None:
    """The scheme a browser would use for `url` (lower case), or None for a relative URL."""
    match = SCHEME.match(URL_LEADING.sub("", URL_IGNORED.sub("", url)))
    return match[1].lower() if match else None


def _describe(tag: str, attributes: dict[str, str | None]) -> str:
    shown = " ".join(f'{name}="{value}"' if value is not None else name for name, value in attributes.items())
    text = f"<{tag}{' ' + shown if shown else ''}>"
    return text if len(text) <= 120 else text[:117] + "…>"


def check_attribute(tag: str, name: str, value: str | None) -> str | None:
    """Why this attribute is not allowed, or None."""
    if name.startswith("on"):
        return f"event-handler attribute {name!r} runs script"
    if name not in GLOBAL_ATTRIBUTES and name not in ALLOWED_ATTRIBUTES.get(tag, ()) and not name.startswith("aria-"):
        return f"attribute {name!r} is not allowed on <{tag}>"
    value = value or ""
    if name in URL_ATTRIBUTES:
        scheme = url_scheme(value)
        if scheme == "data" and tag == "img" and name == "src" and SAFE_IMAGE_DATA.match(value.strip()):
            return None
        if tag == "img" and (scheme is not None or URL_LEADING.sub("", value).startswith(("//", "\\\\"))):
            return "an image must come from the site itself (a relative URL), not another host"
        if scheme is not None and scheme not in SAFE_SCHEMES:
            return f"{scheme}: URL in {name!r} is not allowed (only http, https, mailto and relative links)"
    if name == "style" and not ALLOWED_STYLE.fullmatch(value):
        return "inline style other than a table's text-align is not allowed"
    if tag == "input" and name == "type" and value.lower() not in INPUT_TYPES:
        return f"<input type={value!r}> is not allowed (only task-list checkboxes and tab radios)"
    return None


# Math and diagrams rendered at build time (dlqa/prerender/) sit in these wrappers.
RENDERED_WRAPPERS = ".arithmatex, .mermaid-diagram"


def unsafe_html(html: str, rendered: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    """Every element or attribute of `html` outside the allow-list, in document order.

    `rendered` holds the fragments the build's renderers produced (KaTeX's HTML, MathML and
    SVG; Mermaid's SVG), as the parser serialises them: a wrapper whose whole markup is one of
    them is the project's own and is not checked. Anything else, e.g. SVG a contributor wrote
    or a renderer's wrapper edited by hand, is checked as usual.
    """
    findings = []
    root = LexborHTMLParser(html).root
    if rendered:
        for node in root.css(RENDERED_WRAPPERS):
            if node.html in rendered:
                node.decompose()
    for node in root.traverse(include_text=False):
        tag = node.tag
        if tag.startswith("-"):  # comments, doctype
            continue
        attributes = dict(node.attributes)
        if tag in DOCUMENT_ELEMENTS:
            if attributes:
                findings.append(Finding(_describe(tag, attributes), f"attributes on <{tag}> are not allowed"))
            continue
        if tag not in ALLOWED_ELEMENTS:
            findings.append(Finding(_describe(tag, attributes), f"element <{tag}> is not allowed"))
            continue
        if tag == "input" and "type" not in attributes:
            findings.append(Finding(_describe(tag, attributes), "<input> must be a checkbox or a radio"))
        for name, value in attributes.items():
            reason = check_attribute(tag, name.lower(), value)
            if reason:
                findings.append(Finding(_describe(tag, attributes), reason))
    return findings

