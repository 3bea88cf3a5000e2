"""Fail the build when a page's rendered HTML could run script or leave the site.

Last hook: it sees each page's content after every other hook. The rules are in
dlqa/html_safety.py (an HTML5 parser and an allow-list of elements and attributes).
Math and diagrams the build rendered (dlqa/prerender/) are accepted exactly as rendered.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from dlqa.html_safety import unsafe_html
from dlqa.prerender.cache import RENDERED


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    findings = unsafe_html(html, RENDERED)
    if findings:
        where = f"docs/{page.file.src_uri}"
        details = "\n".join(f"  {where}: {finding}" for finding in findings)
        raise PluginError(f"{where}: unsafe HTML in the rendered page ({len(findings)} problem(s)):\n{details}")
    return html
