"""Embed executed notebooks in pages.

A line ``<!-- notebook: NAME -->`` (found by the page model) is replaced by
``notebooks/NAME.py`` executed and rendered as Markdown (dlqa/notebooks/render.py); the
executed ``.ipynb`` and its figures are added to the site under ``notebooks/``. Notebooks
run, and are cached, in dlqa/notebooks/runner.py: all of them before any page is rendered
(every notebook when they also get pages, see the notebook_pages hook). What the site shows
of a notebook, on a page, in an answer or as the download, is one safe copy: outputs reduced
to text, PNG and streams (dlqa/notebooks/pages.py). An unknown notebook or a failing cell
fails the build with the file and line.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from dlqa import site_pages
from dlqa.errors import ContentError
from dlqa.notebooks import pages as nb_pages
from dlqa.notebooks.build import current
from dlqa.notebooks.render import notebook_images, notebook_to_markdown, source_base
from dlqa.notebooks.runner import prepare_all, settings_for

REQUIRED_EXTENSIONS = ("md_in_html", "attr_list", "admonition")
JUPYTER_PLUGIN = "mkdocs-jupyter"


def on_config(config: MkDocsConfig) -> None:
    missing = [e for e in REQUIRED_EXTENSIONS if e not in config.markdown_extensions]
    if not any(e in config.markdown_extensions for e in ("pymdownx.superfences", "fenced_code")):
        missing.append("pymdownx.superfences")
    if missing:
        raise PluginError(f"the notebooks hook needs these markdown_extensions: {', '.join(missing)}")
    current.settings = settings_for(Path(config.config_file_path).resolve().parent)
    current.source_base = source_base(config.edit_uri)
    current.pages_on = JUPYTER_PLUGIN in config.plugins


def on_serve(server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
    server.watch(str(current.settings.notebook_dir))
    return server


def replace_file(files: Files, new: File) -> None:
    if old := files.get_file_from_path(new.src_uri):
        files.remove(old)
    files.append(new)


@event_priority(90)  # after the pages hook's on_files (100), before the notebook pages' (80)
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    s = current.settings
    names = set(current.all_notebooks()) if current.pages_on else set()
    current.embedded.clear()
    for page in site_pages.pages():
        for marker in page.markers:
            if not s.source(marker.name).is_file():
                raise PluginError(str(ContentError(page.path, marker.line, f"unknown notebook '{marker.name}' "
                                                   f"(no {s.display(s.source(marker.name))})")))
            names.add(marker.name)
    for src_uri, model in site_pages.items():
        for name, where in nb_pages.embeddings(model, src_uri).items():
            current.embedded.setdefault(name, []).extend(where)
    current.prepared.clear()
    current.safe.clear()
    try:
        current.prepared.update(prepare_all(s, names))
    except ContentError as error:
        raise PluginError(str(error)) from None
    except ExceptionGroup as failures:
        raise PluginError("notebook execution failed:\n" + "\n".join(map(str, failures.exceptions))) from None
    for name, prepared in current.prepared.items():
        safe = current.safe[name] = nb_pages.safe_notebook(prepared.nb)
        replace_file(files, File.generated(config, nb_pages.download_uri(name), content=nb_pages.notebook_bytes(safe)))
        for uri, image in notebook_images(safe, name).items():
            replace_file(files, File.generated(config, uri, content=image))
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
        shown = current.settings.display(current.settings.source(marker.name))
        block = notebook_to_markdown(current.safe[marker.name], name=marker.name, link=link, source_path=shown,
                                     source_url=current.source_base + shown if current.source_base else None,
                                     outputs_skipped=not current.prepared[marker.name].has_outputs,
                                     page_link=link(nb_pages.page_uri(marker.name)) if current.pages_on else None)
        indented = [marker.indent + line if line else line for line in block.splitlines()]
        index = marker.line - 1 - front
        lines[index:index + 1] = ["", *indented, ""]
    return "\n".join(lines) + ("" if markdown.endswith("\n") else "\n")
