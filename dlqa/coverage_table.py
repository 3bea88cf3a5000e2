"""How many questions each topic page has, and how many are answered or still stubs.

The site's generated Coverage page (dlqa/hooks/coverage_page.py) and `qa coverage` print this table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dlqa.page import Page


@dataclass(frozen=True)
class Row:
    slug: str
    title: str
    questions: int
    answered: int
    stubs: int


def coverage_rows(pages: list[Page]) -> list[Row]:
    return [
        Row(
            page.slug,
            page.title,
            len(page.questions),
            sum(1 for q in page.questions if not q.stub and q.answer),
            sum(1 for q in page.questions if q.stub),
        )
        for page in pages
    ]


def render_table(rows: list[Row], link_prefix: str = "") -> str:
    """A Markdown table, one row per topic and a total; links point at the topic pages."""
    lines = ["| Topic | Questions | Answered | Not answered yet | Done |", "|---|--:|--:|--:|--:|"]
    for row in rows:
        done = f"{100 * row.answered / row.questions:.0f}%" if row.questions else "–"
        lines.append(f"| [{row.title}]({link_prefix}{row.slug}.md) | {row.questions} | {row.answered} | {row.stubs} | {done} |")
    total = Row("", "", sum(r.questions for r in rows), sum(r.answered for r in rows), sum(r.stubs for r in rows))
    done = f"{100 * total.answered / total.questions:.0f}%" if total.questions else "–"
    lines.append(f"| **Total** | **{total.questions}** | **{total.answered}** | **{total.stubs}** | **{done}** |")
    return "\n".join(lines) + "\n"


def nav_order(mkdocs_yml: str) -> list[str]:
    """Topic slugs in the order the site's navigation lists them."""
    return re.findall(r"^\s*-\s+(?:[^:\n]+:\s+)?topics/([\w-]+)\.md\s*$", mkdocs_yml, re.M)


def in_nav_order(pages: list[Page], mkdocs_yml: str) -> list[Page]:
    order = {slug: index for index, slug in enumerate(nav_order(mkdocs_yml))}
    return sorted(pages, key=lambda page: (order.get(page.slug, len(order)), page.slug))
