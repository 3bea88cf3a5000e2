"""Every notebook is also a page of its own, in the "Notebooks" navigation section.

The notebooks hook has prepared every notebook (executed or cached, outputs reduced to what a
page may show). on_files, which runs before mkdocs-jupyter's, writes each one to
`.cache/notebook-pages/notebooks/NAME.ipynb` and adds it as the page `notebooks/NAME.ipynb`;
mkdocs-jupyter (`execute: false`) renders it with the site's template
(dlqa/notebooks/templates/: no script, no style, no CDN). No notebook runs twice. The page
starts with its source and download links and the answers that embed it; each embedded
block in an answer links back to the page.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from dlqa.errors import ContentError
from dlqa.files import write_atomically
from dlqa.notebooks import pages as nb_pages
from dlqa.notebooks.build import current
from dlqa.notebooks.runner import source_text

JUPYTER_PLUGIN = "mkdocs-jupyter"
NAV_SECTION = "Notebooks"
TEMPLATES = Path(__file__).resolve().parent.parent / "notebooks" / "templates"
# mkdocs-jupyter must render the notebook pages this hook writes, and nothing else.
JUPYTER_REQUIRED = {"execute": False, "allow_errors": False, "include_source": True, "include_requirejs": False}
JUPYTER_INCLUDE = ["notebook-pages/notebooks/*.ipynb"]


def page_dir() -> Path:
    """The docs folder of the notebooks handed to mkdocs-jupyter (next to the execution cache):
    it holds notebooks/NAME.ipynb, a real file under a src_dir, as mkdocs-jupyter's file wrapper
    needs (it does not see the path of a File.generated)."""
    return current.settings.cache_dir.parent / "notebook-pages"


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
    if not current.pages_on:
        return
    configure_jupyter(config, Path(config.config_file_path).resolve().parent)
    if config.nav is not None:  # an explicit nav: add the section (an automatic nav finds the pages)
        s = current.settings
        try:
            entries = sorted(({nb_pages.title_from_source(source_text(s.source(n), s.display(s.source(n))), n):
                               nb_pages.page_uri(n)} for n in current.all_notebooks()), key=lambda entry: next(iter(entry)).lower())
        except ContentError as error:
            raise PluginError(str(error)) from None
        config.nav = [item for item in config.nav if not (isinstance(item, dict) and NAV_SECTION in item)]
        if entries:
            config.nav.append({NAV_SECTION: entries})


@event_priority(80)  # after the notebooks hook's on_files (90), before mkdocs-jupyter's (0)
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    if not current.pages_on:
        return files
    for name, safe in current.safe.items():
        content, page_uri = nb_pages.notebook_bytes(safe), nb_pages.page_uri(name)
        path = page_dir() / page_uri
        if not path.is_file() or path.read_bytes() != content:  # unchanged bytes: mkdocs-jupyter's cache hits
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, content.decode())
        if old := files.get_file_from_path(page_uri):
            files.remove(old)
        files.append(File(page_uri, src_dir=str(page_dir()), dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    return files


def notebook_name(page: Page) -> str | None:
    uri = page.file.src_uri
    name = posixpath.basename(uri).removesuffix(".ipynb")
    return name if current.pages_on and name in current.prepared and uri == nb_pages.page_uri(name) else None


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the source and download links, and the answers embedding it, above a notebook page."""
    name = notebook_name(page)
    if name is None:
        return html
    linked = []
    for where in current.embedded.get(name, []):
        target = files.get_file_from_path(where.src_uri)
        href = target.url_relative_to(page.file) + (f"#{where.question_id}" if where.question_id else "")
        linked.append((href, where))
    shown = current.settings.display(current.settings.source(name))
    download = files.get_file_from_path(nb_pages.download_uri(name)).url_relative_to(page.file)
    top = nb_pages.backlinks_html(name=name, embedded_in=linked, source_path=shown,
                                  source_url=current.source_base + shown if current.source_base else None,
                                  download_href=download, outputs_skipped=not current.prepared[name].has_outputs)
    return top + nb_pages.strip_appended_style(html)
