"""Find what in a page's rendered HTML could run script or leave the site. Pure functions.

Every page arrives by pull request, so its Markdown is untrusted. Regexes over the
source miss what a browser still runs (`<svg/onload=…>`, `jav&#x61;script:`, an
attr_list `{: onclick=… }`), so this hook judges the HTML the build emits: each
page's content is parsed with an HTML5 parser (selectolax/Lexbor, the same rules
a browser follows; entities decoded) and every element and attribute is checked
against what Markdown, pymdown-extensions, Material and the site's own hooks
produce. The `html_allowlist` hook fails the build on any finding.

The theme prints front matter, titles, navigation and tables of contents without escaping
(MkDocs' Jinja does not autoescape), so the whole document is checked too, after the theme
(`unsafe_document`): the same parser, the content allow-list widened by the elements and
attributes the theme itself emits, scripts only from the theme's and the site's own files, and
inline scripts only the theme's own (their text matched against the theme's templates).
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

SAFE_ID = re.compile(r"[A-Za-z0-9_-]+")  # heading ids: the tables of contents print them raw
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

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
    if tag in HEADINGS and name == "id" and not SAFE_ID.fullmatch(value):
        return "a heading id may hold only letters, digits, '_' and '-' (the tables of contents print it raw)"
    return None


# Math and diagrams rendered at build time (dlqa/prerender/) sit in these wrappers.
RENDERED_WRAPPERS = ".arithmatex, .mermaid-diagram"


def _without_rendered(html: str, rendered: frozenset[str] | set[str]):
    """The parsed document of `html` without the wrappers whose whole markup the build rendered."""
    root = LexborHTMLParser(html).root
    if rendered:
        for node in root.css(RENDERED_WRAPPERS):
            if node.html in rendered:
                node.decompose()
    return root


def unsafe_html(html: str, rendered: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    """Every element or attribute of `html` outside the allow-list, in document order.

    `rendered` holds the fragments the build's renderers produced (KaTeX's HTML, MathML and
    SVG; Mermaid's SVG), as the parser serialises them: a wrapper whose whole markup is one of
    them is the project's own and is not checked. Anything else, e.g. SVG a contributor wrote
    or a renderer's wrapper edited by hand, is checked as usual.
    """
    findings = []
    for node in _without_rendered(html, rendered).traverse(include_text=False):
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


# --- The whole document, after the theme ------------------------------------------------------

# What Material and print-site emit around the content, beyond the content allow-list.
THEME_ELEMENTS = frozenset(
    "html head body meta title link script style header footer main nav article section form button svg path".split()
)
THEME_ATTRIBUTES = {
    "html": {"lang"},
    "meta": {"charset", "name", "content"},
    "link": {"rel", "href"},
    "script": {"src", "id", "type"},
    "a": {"target"},
    "input": {"autocomplete", "placeholder", "autocapitalize", "autocorrect", "spellcheck", "required"},
    "button": {"type"},
    "form": {"name"},
    "svg": {"xmlns", "viewbox"},
    "path": {"d"},
    "section": {"heading-number"},  # print-site's chapters
}
THEME_INPUT_TYPES = INPUT_TYPES | {"text"}  # the search box
META_NAMES = {"viewport", "description", "generator"}
THEME_URLS = {"javascript:void(0)"}  # Material's search share button: a link that does nothing
LINK_RELS = {"icon", "stylesheet", "canonical", "prev", "next"}
# print-site's script, after its own template (mkdocs_print_site_plugin/plugin.py): calls of its functions.
PRINT_SITE_SCRIPT = re.compile(r"document\.addEventListener\('DOMContentLoaded', function \(\) \{\s*(?:[a-z_]+\(\);)*\s*\}\)")
# print-site's <style>: one numbering rule per chapter (mkdocs_print_site_plugin/renderer.py).
PRINT_SITE_STYLE = re.compile(r"(?:\s*\.print-site-enumerate-headings #[A-Za-z0-9_-]+ > h1:before \{ content: '[0-9.]+ ' \}\s*)*")
TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
TEMPLATE_VALUE = re.compile(r"\{\{.*?\}\}", re.S)
# A template value inside a theme script (a base URL, a property): text that cannot end its string.
SCRIPT_VALUE = r"[^\"'\\<>\n]*"


def theme_inline_scripts(template_dirs: list[Path]) -> list[re.Pattern]:
    """Every inline script of the theme's templates as a pattern: its text, with each `{{ value }}`
    matching only text that cannot leave the string it stands in. Scripts with `{% %}` logic are
    left out (a page holding one fails the check, and the list is extended on purpose)."""
    patterns = [PRINT_SITE_SCRIPT]
    for folder in template_dirs:
        for path in sorted([*Path(folder).glob("partials/javascripts/*.html"), Path(folder) / "base.html"]):
            if not path.is_file():
                continue
            for body in TEMPLATE_SCRIPT.findall(path.read_text(encoding="utf-8")):
                if "{%" not in body:
                    parts = TEMPLATE_VALUE.split(body.strip())
                    patterns.append(re.compile(SCRIPT_VALUE.join(map(re.escape, parts))))
    return patterns


@dataclass(frozen=True)
class ThemeMarkup:
    """What a page may load and run beyond its content: site paths (from the site root) of the
    scripts and stylesheets, the theme's inline scripts, and the site's URL path ("/dl-interview-qa/")."""

    scripts: frozenset[str]
    stylesheets: frozenset[str]
    inline_scripts: tuple[re.Pattern, ...] = field(default=())
    base_path: str = "/"

    def site_path(self, url: str, page_url: str) -> str | None:
        """The site path `url` (as written in the page at `page_url`) names, or None if it leaves the site."""
        if url_scheme(url) is not None or URL_LEADING.sub("", url).startswith(("//", "\\\\")):
            return None
        url = url.split("#")[0].split("?")[0]
        if url.startswith("/"):
            return url[len(self.base_path):] if url.startswith(self.base_path) else None
        return posixpath.normpath(posixpath.join(posixpath.dirname(page_url), url))


def _theme_check(tag: str, attributes: dict[str, str | None], text: str, page_url: str, theme: ThemeMarkup) -> str | None:
    """Why an element the theme could emit (head elements, scripts) is not what the theme emits."""
    if tag == "meta" and attributes.get("name") is not None and attributes["name"] not in META_NAMES:
        return f"<meta name={attributes['name']!r}> is not one the theme emits"
    if tag == "meta" and "content" in attributes and "name" not in attributes:
        return "<meta content> without a name is not allowed"
    if tag == "link":
        rel = (attributes.get("rel") or "").lower()
        if rel not in LINK_RELS:
            return f"<link rel={rel!r}> is not one the theme emits"
        if rel == "stylesheet" and theme.site_path(attributes.get("href") or "", page_url) not in theme.stylesheets:
            return "a stylesheet other than the theme's and the site's own (extra_css)"
    if tag == "script":
        if "src" in attributes:
            if theme.site_path(attributes["src"] or "", page_url) not in theme.scripts:
                return "a script other than the theme's and the site's own (extra_javascript)"
        elif (attributes.get("type") or "").lower() == "application/json":
            try:
                json.loads(text)
            except ValueError:
                return "a JSON script block that is not JSON"
        elif not any(pattern.fullmatch(text.strip()) for pattern in theme.inline_scripts):
            return "an inline script that is not one of the theme's own"
    if tag == "style" and not PRINT_SITE_STYLE.fullmatch(text):
        return "a <style> other than print-site's chapter numbering"
    if tag == "input" and (attributes.get("type") or "").lower() not in THEME_INPUT_TYPES:
        return f"<input type={attributes.get('type')!r}> is not allowed"
    return None


def _document_attribute(tag: str, name: str, value: str | None) -> str | None:
    """Why an attribute is not allowed anywhere in a page the theme rendered, or None."""
    if (name in GLOBAL_ATTRIBUTES and not (name == "id" and tag in HEADINGS)) or name.startswith(("data-", "aria-")) \
            or (name == "href" and value in THEME_URLS):
        return None  # plain values (class, title ...): the common case, answered first
    if name in THEME_ATTRIBUTES.get(tag, ()):  # none of them is an event handler
        return check_attribute("a", "href", value) if name == "href" else None  # a <link>'s URL: a link's rules
    if tag == "input" and name == "type":
        return None  # the theme's input types: _theme_check
    return check_attribute(tag, name, value)


def unsafe_document(html: str, page_url: str, theme: ThemeMarkup,
                    rendered: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    """Every element or attribute of a whole page as the theme rendered it (`page_url`: its URL from
    the site root) outside what the content allow-list and the theme allow, in document order
    (`rendered`: the build's rendered math and diagrams, as for unsafe_html)."""
    findings = []
    for node in _without_rendered(html, rendered).traverse(include_text=False):
        tag = node.tag
        if tag.startswith("-"):
            continue
        attributes = dict(node.attributes)
        if tag not in ALLOWED_ELEMENTS and tag not in THEME_ELEMENTS:
            findings.append(Finding(_describe(tag, attributes), f"element <{tag}> is not allowed"))
            continue
        reasons = [_document_attribute(tag, name.lower(), value) for name, value in attributes.items()]
        reasons.append(_theme_check(tag, attributes, node.text(deep=True) if tag in ("script", "style") else "", page_url, theme))
        findings += [Finding(_describe(tag, attributes), reason) for reason in reasons if reason]
    return findings
