"""Generate the Coverage page (coverage.md) from the topic pages at build time."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from dlqa import site_pages
from dlqa.coverage_table import coverage_rows, in_nav_order, render_table

INTRO = """# Coverage

Every question on the site, counted per topic: how many are answered and how
many are still stubs marked *Not answered yet*. This page is generated at build
time from the topic pages; `qa coverage` prints the same table.
Pick a stub and [answer it](contributing.md).

"""


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    pages = in_nav_order(site_pages.topic_pages(), Path(config.config_file_path).read_text(encoding="utf-8"))
    files.append(File.generated(config, "coverage.md", content=INTRO + render_table(coverage_rows(pages), link_prefix="topics/")))
    return files
