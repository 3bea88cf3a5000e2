"""Read and parse every page once per build (first hook: the others use dlqa.site_pages).

A topic page whose question headings or metadata break the rules, or any page with a
malformed notebook marker, fails the build with the file and line (dlqa/page.py has the rules).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from dlqa import site_pages
from dlqa.errors import ContentError


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    try:
        site_pages.load(files, Path(config.config_file_path).parent)
    except ContentError as error:
        raise PluginError(str(error)) from None
    return files


def on_page_read_source(*, page: Page, config: MkDocsConfig) -> str | None:
    """The source already read by on_files (None for generated pages: MkDocs reads those)."""
    model = site_pages.get(page.file)
    return model.text if model else None
