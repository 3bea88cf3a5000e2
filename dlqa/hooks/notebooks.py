"""Embed executed notebooks in pages.

A line ``<!-- notebook: NAME -->`` (found by the page model) is replaced by
``notebooks/NAME.py`` executed and rendered as Markdown (dlqa/notebooks/render.py); the
executed ``.ipynb`` and its figures are added to the site under ``notebooks/``. Notebooks
run, and are cached, in dlqa/notebooks/runner.py: all of them before any page is rendered.
An unknown notebook or a failing cell fails the build with the file and line.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Callable

import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from dlqa import site_pages
from dlqa.errors import ContentError
from dlqa.notebooks.render import ipynb_uri, notebook_images, notebook_to_markdown, source_base
from dlqa.notebooks.runner import Prepared, Settings, prepare_all, settings_for

REQUIRED_EXTENSIONS = ("md_in_html", "attr_list", "admonition")

_settings: Settings | None = None
_prepared: dict[str, Prepared] = {}
_source_base: str | None = None


def on_config(config: MkDocsConfig) -> None:
    global _settings, _source_base
    missing = [e for e in REQUIRED_EXTENSIONS if e not in config.markdown_extensions]
    if not any(e in config.markdown_extensions for e in ("pymdownx.superfences", "fenced_code")):
        missing.append("pymdownx.superfences")
    if missing:
        raise PluginError(f"the notebooks hook needs these markdown_extensions: {', '.join(missing)}")
    _settings = settings_for(Path(config.config_file_path).resolve().parent)
    _source_base = source_base(config.edit_uri)


def on_serve(server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
    server.watch(str(_settings.notebook_dir))
    return server


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    names = set()
    for page in site_pages.pages():
        for marker in page.markers:
            if not _settings.source(marker.name).is_file():
                raise PluginError(str(ContentError(page.path, marker.line, f"unknown notebook '{marker.name}' "
                                                   f"(no {_settings.display(_settings.source(marker.name))})")))
            names.add(marker.name)
    _prepared.clear()
    try:
        _prepared.update(prepare_all(_settings, names))
    except ExceptionGroup as failures:
        raise PluginError("notebook execution failed:\n" + "\n".join(map(str, failures.exceptions))) from None
    for prepared in _prepared.values():
        assets = {ipynb_uri(prepared.name): nbformat.writes(prepared.nb).encode(),
                  **notebook_images(prepared.nb, prepared.name)}
        for uri, content in assets.items():
            if old := files.get_file_from_path(uri):
                files.remove(old)
            files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    model = site_pages.get(page.file)
    if model is None or not model.markers:
        return markdown
    if not model.text.endswith(markdown):
        raise PluginError(f"{model.path}: the notebooks hook must run before any hook that edits the Markdown")
    front = model.text[: len(model.text) - len(markdown)].count("\n")  # lines MkDocs cut (front matter)

    def link(uri: str) -> str:
        """A link from this page to a site file, as a path MkDocs resolves and checks."""
        return posixpath.relpath(files.get_file_from_path(uri).src_uri, posixpath.dirname(page.file.src_uri) or ".")

    lines = markdown.split("\n")
    for marker in reversed(model.markers):
        prepared, path = _prepared[marker.name], _settings.source(marker.name)
        shown = _settings.display(path)
        block = notebook_to_markdown(prepared.nb, name=marker.name, link=link, source_path=shown,
                                     source_url=_source_base + shown if _source_base else None,
                                     outputs_skipped=not prepared.has_outputs)
        indented = [marker.indent + line if line else line for line in block.splitlines()]
        index = marker.line - 1 - front
        lines[index:index + 1] = ["", *indented, ""]
    return "\n".join(lines) + ("" if markdown.endswith("\n") else "\n")
