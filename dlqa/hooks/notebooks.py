"""Embed executed notebooks in pages.

A line ``<!-- notebook: NAME -->`` (found by the page model) is replaced by
``notebooks/NAME.py`` executed and rendered as Markdown (dlqa/notebooks/render.py); the
executed ``.ipynb`` and its figures are added to the site under ``notebooks/``. Notebooks
run, and are cached, in dlqa/notebooks/runner.py: all of them before any page is rendered.
An unknown notebook or a failing cell fails the build with the file and line.

Every notebook in notebooks/ is also a page of its own in the "Notebooks" nav section, when
the mkdocs-jupyter plugin is configured: on_files (which runs before mkdocs-jupyter's) writes
each prepared notebook, outputs reduced to what a page may show (dlqa/notebooks/pages.py), to
`.cache/notebook-pages/notebooks/NAME.ipynb` and adds it as `notebooks/NAME.ipynb`; mkdocs-jupyter
(`execute: false`) renders it with the site's template (dlqa/notebooks/templates/). No notebook
runs twice. The executed notebook to download is `notebooks/NAME/NAME.ipynb`, next to the page.
The page lists the answers that embed the notebook; each embedded block links to the page.
"""

from __future__ import annotations

import hashlib
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
from dlqa.files import write_atomically
from dlqa.notebooks import pages as nb_pages
from dlqa.notebooks.render import notebook_images, notebook_to_markdown, source_base
from dlqa.notebooks.runner import Prepared, Settings, prepare_all, settings_for

REQUIRED_EXTENSIONS = ("md_in_html", "attr_list", "admonition")
JUPYTER_PLUGIN = "mkdocs-jupyter"
NAV_SECTION = "Notebooks"
TEMPLATES = Path(__file__).resolve().parent.parent / "notebooks" / "templates"
# mkdocs-jupyter must render the notebook pages the hook writes, and nothing else.
JUPYTER_REQUIRED = {"execute": False, "allow_errors": False, "include_source": True, "include_requirejs": False}
JUPYTER_INCLUDE = ["notebook-pages/notebooks/*.ipynb"]

_settings: Settings | None = None
_prepared: dict[str, Prepared] = {}
_source_base: str | None = None
_pages_on = False  # mkdocs-jupyter is configured: notebooks get pages of their own
_embedded: dict[str, list[nb_pages.Embedding]] = {}
_safe: dict[str, object] = {}  # name -> the notebook as the site shows it (page, answers, download)


def page_dir(s: Settings) -> Path:
    """The docs folder of the notebooks handed to mkdocs-jupyter (next to the execution cache):
    it holds notebooks/NAME.ipynb, a real file under a src_dir, as mkdocs-jupyter's file wrapper
    needs (it does not see the path of a File.generated)."""
    return s.cache_dir.parent / "notebook-pages"


def all_notebooks(s: Settings) -> list[str]:
    return sorted(p.stem for p in s.notebook_dir.glob("*.py")) if s.notebook_dir.is_dir() else []


def template_key() -> str:
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(TEMPLATES).as_posix().encode() + b"\0" + path.read_bytes())
    return "template-" + digest.hexdigest()[:16]


def configure_jupyter(config: MkDocsConfig, root: Path) -> None:
    """Check mkdocs-jupyter's options, point it at the site's template, anchor its cache in the project."""
    plugin = config.plugins[JUPYTER_PLUGIN]
    wrong = [f"{k}: {str(v).lower()}" for k, v in JUPYTER_REQUIRED.items() if plugin.config[k] != v]
    if plugin.config["include"] != JUPYTER_INCLUDE:
        wrong.append(f"include: {JUPYTER_INCLUDE}")
    if wrong:
        raise PluginError(f"the notebooks hook needs these {JUPYTER_PLUGIN} options: {'; '.join(wrong)}")
    # Relative to the project, not the cwd; one folder per version of the site's template, since
    # mkdocs-jupyter's cache keys on the notebook and its options only.
    cache_dir = Path(plugin.config["cache_dir"])
    plugin.config["cache_dir"] = str((cache_dir if cache_dir.is_absolute() else root / cache_dir) / template_key())
    import mkdocs_jupyter.config  # the plugin reads its templates from this folder at render time

    mkdocs_jupyter.config.settings.templates_dir = str(TEMPLATES)


def on_config(config: MkDocsConfig) -> None:
    global _settings, _source_base, _pages_on
    missing = [e for e in REQUIRED_EXTENSIONS if e not in config.markdown_extensions]
    if not any(e in config.markdown_extensions for e in ("pymdownx.superfences", "fenced_code")):
        missing.append("pymdownx.superfences")
    if missing:
        raise PluginError(f"the notebooks hook needs these markdown_extensions: {', '.join(missing)}")
    root = Path(config.config_file_path).resolve().parent
    _settings = settings_for(root)
    _source_base = source_base(config.edit_uri)
    _pages_on = JUPYTER_PLUGIN in config.plugins
    if _pages_on:
        configure_jupyter(config, root)
        if config.nav is not None:  # an explicit nav: add the section (an automatic nav finds the pages)
            entries = sorted(({nb_pages.title_from_source(_settings.source(n).read_text(encoding="utf-8"), n):
                               nb_pages.page_uri(n)} for n in all_notebooks(_settings)),
                             key=lambda entry: next(iter(entry)).lower())
            config.nav = [item for item in config.nav if not (isinstance(item, dict) and NAV_SECTION in item)]
            if entries:
                config.nav.append({NAV_SECTION: entries})


def on_serve(server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
    server.watch(str(_settings.notebook_dir))
    return server


def _replace(files: Files, new: File) -> None:
    if old := files.get_file_from_path(new.src_uri):
        files.remove(old)
    files.append(new)


@event_priority(90)  # before mkdocs-jupyter's on_files (priority 0), after the pages hook's (100)
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    names = set(all_notebooks(_settings)) if _pages_on else set()
    _embedded.clear()
    for page in site_pages.pages():
        for marker in page.markers:
            if not _settings.source(marker.name).is_file():
                raise PluginError(str(ContentError(page.path, marker.line, f"unknown notebook '{marker.name}' "
                                                   f"(no {_settings.display(_settings.source(marker.name))})")))
            names.add(marker.name)
    for src_uri, model in site_pages.items():
        for name, where in nb_pages.embeddings(model, src_uri).items():
            _embedded.setdefault(name, []).extend(where)
    _prepared.clear()
    _safe.clear()
    try:
        _prepared.update(prepare_all(_settings, names))
    except ExceptionGroup as failures:
        raise PluginError("notebook execution failed:\n" + "\n".join(map(str, failures.exceptions))) from None
    for prepared in _prepared.values():
        # What the site serves of a notebook: the download and the page show the same safe copy.
        safe = _safe[prepared.name] = nb_pages.safe_notebook(prepared.nb)
        content = nb_pages.notebook_bytes(safe)
        page_uri = nb_pages.page_uri(prepared.name)
        path = page_dir(_settings) / page_uri
        if not path.is_file() or path.read_bytes() != content:  # unchanged bytes: mkdocs-jupyter's cache hits
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, content.decode())
        # In memory: a file backed by `path` would match mkdocs-jupyter's include and become a page.
        _replace(files, File.generated(config, nb_pages.download_uri(prepared.name), content=content))
        if _pages_on:
            _replace(files, File(page_uri, src_dir=str(page_dir(_settings)), dest_dir=config.site_dir,
                                 use_directory_urls=config.use_directory_urls))
        for uri, image in notebook_images(safe, prepared.name).items():
            _replace(files, File.generated(config, uri, content=image))
    return files


def _notebook_name(page: Page) -> str | None:
    uri = page.file.src_uri
    name = posixpath.basename(uri).removesuffix(".ipynb")
    return name if _pages_on and name in _prepared and uri == nb_pages.page_uri(name) else None


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the source and download links, and the answers embedding it, above a notebook page."""
    name = _notebook_name(page)
    if name is None:
        return html
    linked = []
    for where in _embedded.get(name, []):
        target = files.get_file_from_path(where.src_uri)
        href = target.url_relative_to(page.file) + (f"#{where.question_id}" if where.question_id else "")
        linked.append((href, where))
    shown = _settings.display(_settings.source(name))
    download = files.get_file_from_path(nb_pages.download_uri(name)).url_relative_to(page.file)
    top = nb_pages.backlinks_html(name=name, embedded_in=linked, source_path=shown,
                                  source_url=_source_base + shown if _source_base else None,
                                  download_href=download, outputs_skipped=not _prepared[name].has_outputs)
    return top + nb_pages.strip_appended_style(html)


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
        block = notebook_to_markdown(_safe[marker.name], name=marker.name, link=link, source_path=shown,
                                     source_url=_source_base + shown if _source_base else None,
                                     outputs_skipped=not prepared.has_outputs,
                                     page_link=link(nb_pages.page_uri(marker.name)) if _pages_on else None)
        indented = [marker.indent + line if line else line for line in block.splitlines()]
        index = marker.line - 1 - front
        lines[index:index + 1] = ["", *indented, ""]
    return "\n".join(lines) + ("" if markdown.endswith("\n") else "\n")
