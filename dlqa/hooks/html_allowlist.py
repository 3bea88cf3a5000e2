"""Fail the build when a page's rendered HTML could run script or leave the site.

Last hook: it sees each page's content after every other hook (on_page_content), then the
whole page after the theme (on_post_page): the theme prints front matter, titles, navigation
and tables of contents without escaping, so a leak through a template fails the build too.
The print page, written after the build by print-site, is checked by the print_page hook.
The rules are in dlqa/html_safety.py (an HTML5 parser and an allow-list of elements and attributes).
Math and diagrams the build rendered (dlqa/prerender/) are accepted exactly as rendered.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from dlqa.html_safety import Finding, ThemeMarkup, theme_inline_scripts, unsafe_document, unsafe_html
from dlqa.prerender.cache import RENDERED

_theme: list[ThemeMarkup] = []  # the current build's, set in on_config


def theme_markup(config: MkDocsConfig) -> ThemeMarkup:
    """The scripts, stylesheets and inline scripts the theme and the site's configuration emit."""
    dirs = [Path(folder) for folder in config.theme.dirs]

    def theme_files(pattern: str) -> set[str]:
        return {path.relative_to(folder).as_posix() for folder in dirs for path in folder.glob(pattern)}

    extra = {str(getattr(item, "path", item)) for item in config.extra_javascript}
    return ThemeMarkup(
        scripts=frozenset(theme_files("assets/javascripts/bundle.*.min.js") | extra),
        stylesheets=frozenset(theme_files("assets/stylesheets/*.min.css") | set(map(str, config.extra_css))),
        inline_scripts=tuple(theme_inline_scripts(dirs)),
        base_path=urlparse(config.site_url or "/").path or "/",
    )


def current_theme(config: MkDocsConfig) -> ThemeMarkup:
    if not _theme:
        _theme.append(theme_markup(config))
    return _theme[0]


def on_config(config: MkDocsConfig) -> None:
    _theme.clear()


def failure(where: str, what: str, findings: list[Finding]) -> PluginError:
    details = "\n".join(f"  {where}: {finding}" for finding in findings)
    return PluginError(f"{where}: unsafe HTML in {what} ({len(findings)} problem(s)):\n{details}")


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    findings = unsafe_html(html, RENDERED)
    if findings:
        raise failure(f"docs/{page.file.src_uri}", "the rendered page", findings)
    return html


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    findings = unsafe_document(output, page.url, current_theme(config), RENDERED)
    if findings:
        raise failure(f"docs/{page.file.src_uri}", "the page as the theme rendered it (front matter, title, "
                      "navigation or table of contents)", findings)
    return output
