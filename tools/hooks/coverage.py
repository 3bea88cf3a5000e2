"""Generate the Coverage page (coverage.md) from the topic pages at build time."""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.coverage import coverage_rows, in_nav_order, render_table  # noqa: E402
from tools.pages import PageError, parse_page  # noqa: E402

INTRO = """# Coverage

Every question on the site, counted per topic: how many are answered and how
many are still stubs marked *Not answered yet*. This page is generated at build
time from the topic pages; `python tools/coverage.py` prints the same table.
Pick a stub and [answer it](contributing.md).

"""


def on_files(files, config):
    topic_files = sorted((f for f in files.documentation_pages() if f.src_uri.startswith("topics/")), key=lambda f: f.src_uri)
    try:
        pages = [parse_page(Path(f.abs_src_path).read_text(encoding="utf-8"), f"docs/{f.src_uri}") for f in topic_files]
    except PageError as error:
        raise PluginError(str(error)) from None
    pages = in_nav_order(pages, Path(config.config_file_path).read_text(encoding="utf-8"))
    content = INTRO + render_table(coverage_rows(pages), link_prefix="topics/")
    files.append(File.generated(config, "coverage.md", content=content))
    return files
