"""Reading the topic pages (docs/topics/*.md): the one loader of every command."""

from __future__ import annotations

from pathlib import Path

from dlqa.errors import ContentError
from dlqa.page import Page, duplicate_ids, parse_page


def load_topic_pages(topics_dir: Path) -> list[Page]:
    """Every topic page, parsed, in file-name order.

    Raises ContentError for the first page that breaks the page rules, for an id used on two
    pages, or when there is no page at all.
    """
    pages = [parse_page(path.read_text(encoding="utf-8"), str(path)) for path in sorted(Path(topics_dir).glob("*.md"))]
    if not pages:
        raise ContentError(str(topics_dir), 0, "no topic pages (*.md) found")
    for error in duplicate_ids(pages):
        raise error
    return pages
