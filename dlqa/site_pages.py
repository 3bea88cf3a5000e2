"""The pages of one MkDocs build, each read and parsed once; every hook shares the models.

The `pages` hook (first in mkdocs.yml) calls `load` in on_files and hands each page's source
back to MkDocs in on_page_read_source, so a page is read from disk once per build. The other
hooks ask `get(file)` or `topic_pages()`.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.structure.files import File, Files

from dlqa.files import decode_utf8
from dlqa.page import Page, duplicate_ids, parse_page

TOPICS = "topics/"
_models: dict[str, Page] = {}  # src_uri -> model, for the current build


def is_topic(file: File) -> bool:
    return file.src_uri.startswith(TOPICS)


def load(files: Files, root: Path) -> None:
    """Read and parse every documentation page; raises ContentError on the first broken one, or at the
    later of two questions that share an id across topic pages (naming the first)."""
    _models.clear()
    for file in files.documentation_pages():
        path = Path(os.path.relpath(file.abs_src_path, root)).as_posix() if file.abs_src_path else file.src_uri
        _models[file.src_uri] = parse_page(decode_utf8(file.content_bytes, path), path, topic=is_topic(file))
    for error in duplicate_ids(topic_pages()):
        raise error


def get(file: File) -> Page | None:
    """The model of a page read by `load` (None for pages generated later, such as coverage.md)."""
    return _models.get(file.src_uri)


def pages() -> list[Page]:
    return list(_models.values())


def items() -> list[tuple[str, Page]]:
    """(src_uri, model) of every page, in source order."""
    return sorted(_models.items())


def topic_pages() -> list[Page]:
    return [page for src_uri, page in sorted(_models.items()) if src_uri.startswith(TOPICS)]
