"""Finish the print page (print_page/, written by mkdocs-print-site-plugin).

The plugin merges every topic page into one and prefixes each page's heading ids and
the links to them with the page's key ("topics-cnns-..."), so ids stay unique. It
rewrites the links of the code blocks' line-number anchors (pymdownx.highlight's
`anchor_linenums`) but not the anchors themselves, which leaves hundreds of links to
ids that do not exist. This hook, running after the plugin (hooks run after
plugins), gives those anchors the prefixed ids their links already use.

The plugin renders the page with the context of the 404 page, whose theme config
(`<script id="__config">`) holds an absolute `base` ("/dl-interview-qa/"), right for a
404 served anywhere but wrong for a copy of the site served elsewhere (`make serve`,
the tests, a download): search and the sitemap are then asked for at that path. The
hook sets `base` to the print page's relative path to the site root.

Notebook pages are not printed (each notebook is printed inside the answer that embeds
it), but the plugin turns the answers' "Open as a page" links into anchors of the print
page; the hook points them back at the notebook pages.

A navigation section whose pages are all excluded from the print page (About) would
stay as an empty chapter with an entry in the contents: the hook drops both.

A missing print page fails the build: the plugin must stay enabled and last. So does a print
page holding anything outside the allow-list (dlqa/html_safety.py, as for every other page):
the plugin renders titles and tables of contents with its own templates, after the page checks.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from dlqa.hooks.html_allowlist import failure, theme_markup
from dlqa.html_safety import unsafe_document
from dlqa.prerender.cache import RENDERED

LINE_ANCHOR = re.compile(r'<a id="(?P<id>__codelineno-[0-9-]+)" name="(?P=id)" href="#(?P<key>[a-z0-9-]+?)-(?P=id)">')


def fix_line_anchors(html: str) -> str:
    """Line-number anchors get the page-prefixed id their own link points to."""
    return LINE_ANCHOR.sub(lambda m: f'<a id="{m["key"]}-{m["id"]}" name="{m["key"]}-{m["id"]}" href="#{m["key"]}-{m["id"]}">', html)


CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def relative_base(html: str, base: str) -> str:
    """The theme config with `base` set to `base` (a relative path such as "..")."""

    def replace(match: re.Match) -> str:
        data = json.loads(match[2])
        data["base"] = base
        return match[1] + json.dumps(data).replace("</", "<\\/") + match[3]

    return CONFIG_SCRIPT.sub(replace, html, count=1)


EMPTY_SECTION = re.compile(
    r"<section class='print-page md-section' id='(?P<id>section-[0-9-]+)' heading-number='[^']*'>\s*"
    r"<h1>[^<]*<a class='headerlink' href='#(?P=id)' title='Permanent link'></a>\s*</h1>\s*</section>"
)


def drop_empty_sections(html: str) -> str:
    """Remove sections left without pages, and their contents entries."""
    for match in list(EMPTY_SECTION.finditer(html)):
        html = html.replace(match[0], "", 1)
        entry = re.compile(
            rf'<li class="md-nav__item">\s*<a href="#{re.escape(match["id"])}" class="md-nav__link">\s*'
            r'<span class="md-ellipsis">[^<]*</span>\s*</a>\s*</li>'
        )
        html = entry.sub("", html)
    return html


NOTEBOOK_PAGE_LINK = re.compile(r'href="#notebooks-(?P<name>[A-Za-z0-9_-]+)"')


def link_notebook_pages(html: str, base: str) -> str:
    """Links to (unprinted) notebook pages lead to those pages, relative to the print page."""
    return NOTEBOOK_PAGE_LINK.sub(lambda m: f'href="{base}/notebooks/{m["name"]}/"', html)


def print_page_path(config: MkDocsConfig) -> Path | None:
    """Where the print-site plugin writes the print page, or None if it is disabled."""
    plugin = config.plugins.get("print-site")
    if plugin is None or not plugin.config.get("enabled"):
        return None
    basename = plugin.config.get("print_page_basename", "print_page")
    site = Path(config.site_dir)
    return site / basename / "index.html" if config.use_directory_urls else site / f"{basename}.html"


def on_post_build(*, config: MkDocsConfig) -> None:
    path = print_page_path(config)
    if path is None:
        return
    site = Path(config.site_dir)
    if not path.exists():
        raise PluginError(f"print_page: {path} was not written; keep print-site the last plugin in mkdocs.yml")
    html = path.read_text(encoding="utf-8")
    base = posixpath.relpath(".", path.parent.relative_to(site).as_posix())
    html = relative_base(link_notebook_pages(drop_empty_sections(fix_line_anchors(html)), base), base)
    shown = path.relative_to(site).as_posix()
    findings = unsafe_document(html, shown.removesuffix("index.html"), theme_markup(config), RENDERED)
    if findings:
        path.unlink()
        raise failure(shown, "the print page (print-site)", findings)
    path.write_text(html, encoding="utf-8")
