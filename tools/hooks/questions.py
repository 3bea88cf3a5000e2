"""Render the question markup of topic pages.

- `<!-- question difficulty=basic lists=000,002 -->` becomes a small line with the
  difficulty badge and the lists the question came from (kept out of search
  previews, so a hit shows the answer's first sentence).
- The "Also asked as" list is set in a compact, muted block (still searchable).
- `<!-- unanswered -->` becomes the "Not answered yet" stub: an admonition with the
  CSS class `unanswered` and a link to edit the page.

A topic page whose question headings or metadata cannot be parsed fails the
build with the file and line (tools/pages.py has the rules).
"""

import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.pages import ALSO_LABEL, META, META_FIELD, STUB_MARKER, PageError, parse_page  # noqa: E402

ALSO_BLOCK = re.compile(rf"^{re.escape(ALSO_LABEL)}\n\n((?:- .*\n)+)", re.M)


def render_meta(match: re.Match) -> str:
    fields = dict(META_FIELD.findall(match["body"]))
    difficulty = fields.get("difficulty", "")
    lists = [name for name in fields.get("lists", "").split(",") if name]
    asked = f' <span class="q-lists">asked in list{"s" if len(lists) > 1 else ""} {", ".join(lists)}</span>' if lists else ""
    return (
        f'<p class="q-meta" data-search-exclude>'
        f'<span class="q-difficulty q-difficulty--{difficulty}" title="Difficulty">{difficulty}</span>{asked}</p>'
    )


def render_stub(edit_url: str | None) -> str:
    edit = f"[Write the answer]({edit_url}) on GitHub" if edit_url else "Write the answer in this page's source"
    return (
        '!!! unanswered "Not answered yet"\n\n'
        f"    Nobody has answered this question yet. {edit}, following the\n"
        "    [answer style guide](../contributing/style-guide.md).\n"
    )


def on_page_markdown(markdown, page, config, files):
    if not page.file.src_uri.startswith("topics/"):
        return markdown
    try:
        parse_page(Path(page.file.abs_src_path).read_text(encoding="utf-8"), f"docs/{page.file.src_uri}")
    except PageError as error:
        raise PluginError(str(error)) from None
    lines = []
    for line in markdown.split("\n"):
        meta = META.match(line.strip())
        if meta:
            lines.append(render_meta(meta))
        elif line.strip() == STUB_MARKER:
            lines.append(render_stub(page.edit_url))
        else:
            lines.append(line)
    return ALSO_BLOCK.sub(lambda m: f'<div class="q-also" markdown>\n\n{ALSO_LABEL}\n\n{m[1]}\n</div>\n', "\n".join(lines))
