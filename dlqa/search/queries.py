"""The public search query set (tests/search_queries.yml) and how a result list is scored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from dlqa.project import project_root

QUERY_FILE = Path("tests") / "search_queries.yml"  # in the project root


@dataclass(frozen=True)
class Query:
    query: str
    expect: str          # "topics/cnns/#padding": page path and question id
    kind: str
    pending: bool = False


def load_queries(path: Path | None = None) -> list[Query]:
    path = path or project_root() / QUERY_FILE
    return [Query(**entry) for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]]


def target_exists(site_dir: Path, expect: str) -> bool:
    page, _, anchor = expect.partition("#")
    html_file = site_dir / page / "index.html"
    return html_file.exists() and re.search(rf'\bid="{re.escape(anchor)}"', html_file.read_text(encoding="utf-8")) is not None


def live_queries(queries: list[Query], site_dir: Path) -> list[Query]:
    """The queries whose target exists in the built site; a missing target that is not pending raises."""
    live = []
    for query in queries:
        if target_exists(site_dir, query.expect):
            live.append(query)
        elif not query.pending:
            raise ValueError(f"search query {query.query!r}: no {query.expect} in the built site")
    return live


def question_hits(links: list[str]) -> list[str]:
    """Result links as "page#id", questions only (a page's own entry has no #), in the order shown."""
    hits = []
    for link in links:
        path, _, anchor = re.sub(r"\?[^#]*", "", link).partition("#")
        if anchor:
            hits.append(f"{path.lstrip('/')}#{anchor}")
    return hits


def found_in_top(query: Query, links: list[str], k: int = 5) -> bool:
    return query.expect in question_hits(links)[:k]


def spread(items: list, count: int) -> list:
    """`count` of `items`, evenly spaced (all of them when count is 0 or more than there are)."""
    if not count or count >= len(items):
        return items
    return [items[i * len(items) // count] for i in range(count)]
