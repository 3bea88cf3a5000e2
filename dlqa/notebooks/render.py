"""Render a notebook as Markdown for a page. Pure functions: notebook in, Markdown and assets out.

Markdown cells are kept verbatim (so admonitions and math work), code cells become ```python
fences, text outputs ```text fences and PNG figures images. Links to the notebook's assets
(`ipynb_uri`, `image_uri`, site paths) go through `link`, which the caller resolves for the page.
"""

from __future__ import annotations

import base64
import re
from typing import Callable

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def image_uri(name: str, cell_index: int, output_index: int) -> str:
    return f"notebooks/{name}/cell{cell_index + 1}-{output_index + 1}.png"


def ipynb_uri(name: str) -> str:
    return f"notebooks/{name}.ipynb"


def notebook_images(nb, name: str) -> dict[str, bytes]:
    """Site path -> PNG bytes for every figure output."""
    return {
        image_uri(name, i, j): base64.b64decode(out["data"]["image/png"])
        for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
        for j, out in enumerate(cell.get("outputs", [])) if "image/png" in out.get("data", {})
    }


def source_base(edit_uri: str | None) -> str | None:
    """``https://github.com/org/repo/blob/BRANCH/`` from an absolute edit_uri
    (``https://github.com/org/repo/edit/main/docs/``; the site has no repo_url), or None."""
    match = re.match(r"(?P<repo>https?://.+?)/(?:edit|blob)/(?P<branch>[^/]+)/", edit_uri or "")
    return f"{match['repo']}/blob/{match['branch']}/" if match else None


def _fence(text: str, classes: str) -> list[str]:
    ticks = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", text)), default=0))
    return [f"{ticks} {{ {classes} }}", *text.splitlines(), ticks, ""]


def _text_output(text: str) -> list[str]:
    return _fence(strip_ansi(text).rstrip("\n"), ".text .notebook-output")


def _output_blocks(outputs, cell_index: int, name: str, link: Callable[[str], str]) -> list[str]:
    lines, stream = [], None  # consecutive stream outputs are shown as one block
    for j, out in enumerate(outputs):
        kind = out["output_type"]
        if kind == "stream":
            stream = (stream or "") + out["text"]
            continue
        if stream is not None:
            lines += _text_output(stream)
            stream = None
        data = out.get("data", {})
        if "image/png" in data:
            url = link(image_uri(name, cell_index, j))
            lines += [f"![Figure from cell {cell_index + 1}]({url}){{ .notebook-figure loading=lazy }}", ""]
        elif "text/plain" in data:
            lines += _text_output(data["text/plain"])
    if stream is not None:
        lines += _text_output(stream)
    return lines


def notebook_to_markdown(nb, *, name: str, link: Callable[[str], str], source_url: str | None, source_path: str,
                         outputs_skipped: bool) -> str:
    """Markdown for one embedded notebook; `link(site path)` is the page's link to an asset."""
    source = f"[`{source_path}`]({source_url})" if source_url else f"`{source_path}`"
    download = "Download the notebook" if outputs_skipped else "Download the executed notebook"
    lines = [
        '<div class="notebook" markdown>', "",
        f"Notebook source: {source} · [{download} (`.ipynb`)]({link(ipynb_uri(name))}){{ download=\"{name}.ipynb\" }}",
        "{: .notebook-links }", "",
    ]
    if outputs_skipped:
        lines += ['!!! warning "Outputs skipped"', "",
                  "    This preview was built with `NOTEBOOKS_EXECUTE=0`: the notebook was not run, "
                  "so its outputs and figures are not shown.", ""]
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            lines += [cell.source, ""]
        elif cell.cell_type == "code" and cell.source.strip():
            lines += _fence(cell.source, ".python")
            lines += _output_blocks(cell.get("outputs", []), i, name, link)
    lines += ["</div>", ""]
    return "\n".join(lines)
