"""Notebooks as pages of their own (rendered by mkdocs-jupyter). Pure functions.

Each notebook the build executed is also a page, `notebooks/NAME.ipynb` in the site's files,
read by mkdocs-jupyter from a copy written by dlqa/hooks/notebook_pages.py. That copy is
`safe_notebook(...)`: only outputs the site knows how to show (text/plain, image/png and
streams) survive, because notebooks are contributed code and a text/html or JavaScript output
must never reach a page. The page lists the answers that embed the notebook (`backlinks_html`),
and the embedded block in each answer links to the page.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import nbformat

from dlqa.errors import ContentError
from dlqa.notebooks.render import ipynb_uri
from dlqa.page import markup_in_text

SAFE_MIME_TYPES = ("text/plain", "image/png")
SAFE_NOTEBOOK_METADATA = ("kernelspec", "language_info")
PAGE_DIR = "notebooks"
TITLE_LINE = re.compile(r"^#\s*#{1,6}\s+(?:Notebook:\s*)?(?P<title>.+?)\s*$")
MARKDOWN_HEADING = re.compile(r"^# {0,4}#{1,6}\s+(?P<title>.*?)\s*$")


def check_headings(py_source: str, path: str) -> None:
    """Raise ContentError (path, line) unless every heading of the notebook's Markdown cells is plain
    text: the first one titles its page in the navigation and in <title>, which print it raw."""
    in_markdown = True  # jupytext reads comment lines before the first `# %%` as a Markdown cell
    for number, line in enumerate(py_source.splitlines(), 1):
        if line.startswith("# %%"):
            in_markdown = "[markdown]" in line or "[md]" in line
        elif in_markdown and (match := MARKDOWN_HEADING.match(line)):
            if (reason := markup_in_text(match["title"])):
                raise ContentError(path, number, f"the heading {match['title']!r} must be plain text: {reason}")


def page_uri(name: str) -> str:
    """The notebook page's file in the site (mkdocs-jupyter turns it into notebooks/NAME/)."""
    return f"{PAGE_DIR}/{name}.ipynb"


def download_uri(name: str) -> str:
    """The downloadable executed notebook, next to the page (where mkdocs-jupyter's include_source copies it)."""
    return ipynb_uri(name)


def title_from_source(py_source: str, name: str) -> str:
    """The nav title: the notebook's first heading without 'Notebook:', capitalised (else NAME)."""
    for line in py_source.splitlines():
        if line.startswith("# %%") or not line.strip():
            continue
        match = TITLE_LINE.match(line)
        if match:
            title = match["title"]
            return title[:1].upper() + title[1:]
        break
    return name.replace("_", " ").capitalize()


def safe_notebook(nb):
    """A deep copy of `nb` holding only what a page may show.

    Outputs: streams, and execute_result/display_data reduced to text/plain and image/png
    (an output left with neither is dropped); errors and every other MIME type go. Cell
    attachments and notebook metadata other than the kernel's are dropped too (widget state
    would be rendered as a script).
    """
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.metadata = nbformat.from_dict({k: v for k, v in nb.metadata.items() if k in SAFE_NOTEBOOK_METADATA})
    for cell in nb.cells:
        cell.pop("attachments", None)
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                kept.append(nbformat.from_dict({"output_type": "stream", "name": out.get("name", "stdout"),
                                                 "text": out.get("text", "")}))
            elif out.get("output_type") in ("execute_result", "display_data"):
                data = {k: v for k, v in out.get("data", {}).items() if k in SAFE_MIME_TYPES}
                if not data:
                    continue
                metadata = {k: v for k, v in out.get("metadata", {}).items() if k in SAFE_MIME_TYPES}
                new = {"output_type": out["output_type"], "data": data, "metadata": metadata}
                if out["output_type"] == "execute_result":
                    new["execution_count"] = out.get("execution_count")
                kept.append(nbformat.from_dict(new))
        cell.outputs = kept
    return nb


# mkdocs-jupyter appends nbconvert's Pygments stylesheet to an .ipynb page's content, after the
# template's output, which ends with the closing tag of the template's wrapper.
APPENDED_STYLE = re.compile(r'(?<=</div>)\s*<style type="text/css">[^<]*</style>\s*$|(?<=</div>)\s*<style>[^<]*</style>\s*$')


def strip_appended_style(content: str) -> str:
    """The page content without the one <style> mkdocs-jupyter appends (the site styles code
    blocks itself). Only a style element after the template's last tag, holding no markup, goes:
    anything a notebook writes is inside the template's wrapper and reaches the allow-list."""
    return APPENDED_STYLE.sub("", content, count=1)


def notebook_bytes(nb) -> bytes:
    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode()


@dataclass(frozen=True)
class Embedding:
    """Where an answer embeds a notebook: the page's source path and the question heading before the marker."""
    src_uri: str  # e.g. topics/cnns.md
    page_title: str
    question_id: str | None
    question_title: str | None


def embeddings(model, src_uri: str) -> dict[str, list[Embedding]]:
    """Notebook name -> where this page model embeds it."""
    found: dict[str, list[Embedding]] = {}
    for marker in model.markers:
        question = None
        for q in model.questions:
            if q.line < marker.line:
                question = q
        found.setdefault(marker.name, []).append(Embedding(
            src_uri, model.title, question.id if question else None, question.title if question else None))
    return found


def backlinks_html(*, name: str, embedded_in: list[tuple[str, Embedding]], source_url: str | None,
                   source_path: str, download_href: str, outputs_skipped: bool) -> str:
    """The links above a notebook page: source, download, and the answers it proves (href, where)."""
    esc = html.escape
    source = (f'<a href="{esc(source_url)}"><code>{esc(source_path)}</code></a>' if source_url
              else f"<code>{esc(source_path)}</code>")
    download = "Download the notebook" if outputs_skipped else "Download the executed notebook"
    parts = [
        '<div class="notebook-page-links">',
        f'<p class="notebook-links">Notebook source: {source} · '
        f'<a href="{esc(download_href)}" download="{esc(name)}.ipynb">{download} (<code>.ipynb</code>)</a></p>',
    ]
    if embedded_in:
        items = []
        for href, where in embedded_in:
            label = esc(where.question_title or where.page_title)
            page = f" <small>({esc(where.page_title)})</small>" if where.question_title else ""
            items.append(f'<li><a class="notebook-answer-link" href="{esc(href)}">{label}</a>{page}</li>')
        parts += ["<p>This notebook is embedded in the answer to:</p>", "<ul>", *items, "</ul>"]
    if outputs_skipped:
        parts.append('<p class="notebook-outputs-skipped">Built with <code>NOTEBOOKS_EXECUTE=0</code>: '
                     "the notebook was not run, so its outputs and figures are not shown.</p>")
    parts.append("</div>")
    return "\n".join(parts) + "\n"
