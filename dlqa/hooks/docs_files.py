"""Fail the build on any file under docs/ outside the allow-list (dlqa/docs_files.py): only
Markdown pages, raster images and the project's own assets by name are published, and nothing
may take the path of a theme file or of what the build generates.

Runs first in on_files, when the files are those of docs/ and the theme only.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from dlqa.docs_files import read_head, refused_file, theme_files


@event_priority(110)  # before the pages hook (100) and everything that adds generated files
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    docs = Path(config.docs_dir).resolve()
    theme = theme_files([Path(folder) for folder in config.theme.dirs if Path(folder).resolve() != docs])
    problems = []
    for file in files:
        if not file.abs_src_path or file.inclusion.is_excluded():
            continue
        source = Path(file.abs_src_path).resolve()
        if not source.is_relative_to(docs):
            continue
        reason = refused_file(file.src_uri, read_head(source), theme)
        if reason:
            problems.append(f"  docs/{file.src_uri}: {reason}")
    if problems:
        raise PluginError(f"files under docs/ that may not be published ({len(problems)}):\n" + "\n".join(problems))
    return files
