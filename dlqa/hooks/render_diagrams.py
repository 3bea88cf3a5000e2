"""Diagrams rendered at build time: Mermaid's SVG inline in the page, no Mermaid script.

Every ```mermaid fence is drawn by Mermaid itself (the project's npm package) in headless
Chromium (/usr/bin/chromium, one browser per build: dlqa/prerender/mermaid_worker.py), and
cached by diagram source in `.cache/prerender/`, so a warm build or `make serve` starts no
browser. A diagram Mermaid cannot parse fails the build naming the source file and line.
Without Chromium, a build uses the cache and fails, saying what to install, only if a diagram
is not in it (a new or edited diagram): a page must never ship a diagram as source text.

Diagrams are drawn in on_page_context, as formulas are (see render_math): search indexes the
diagram's source, as before; the print page gets its SVG after print-site wrote it.

The SVG follows the light and dark scheme through Material's colour variables; it is an
image with a title for assistive technology (see the worker).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from dlqa import chromium
from dlqa.prerender import mermaid_worker
from dlqa.prerender.cache import CACHE_DIR, RENDERED, RenderCache, Renderer, cache_name, render_into
from dlqa.prerender.diagrams import diagram_id, diagrams, replace_diagrams, with_id
from dlqa.hooks.print_page import print_page_path
from dlqa.prerender.locate import where


class State:
    cache: RenderCache | None = None
    renderer: Renderer | None = None
    drawn: dict[str, int] = {}  # diagram id -> times drawn in this build


def mermaid_version(root: Path) -> str:
    manifest = root / "node_modules" / "mermaid" / "package.json"
    if not manifest.is_file():
        raise PluginError(f"render_diagrams: {manifest} is missing. Run `make install` (it runs `npm ci`; Node.js 18+ is required).")
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def on_config(config: MkDocsConfig) -> None:
    root = Path(config.config_file_path).resolve().parent
    name = cache_name("mermaid", mermaid_version(root), Path(mermaid_worker.__file__))
    State.cache = RenderCache(root / CACHE_DIR / name)
    State.renderer = Renderer([sys.executable, "-m", "dlqa.prerender.mermaid_worker", str(root / "node_modules")],
                              cwd=root, what="Mermaid")
    State.drawn = {}
    RENDERED.clear()


def location(page: Page | None, source: str) -> str:
    if page is None:
        return "the print page"
    text = Path(page.file.abs_src_path).read_text(encoding="utf-8") if page.file.abs_src_path else ""
    return where(source, [(f"docs/{page.file.src_uri}", text)])


def render_missing(sources: list[str], page: Page | None) -> None:
    missing = [s for s in dict.fromkeys(sources) if State.cache.get(s) is None]
    if not missing:
        return
    if not Path(chromium.PATH).exists():
        places = ", ".join(location(page, s) for s in missing)
        raise PluginError(
            f"render_diagrams: {len(missing)} diagram(s) not in the cache ({places}) and no Chromium at "
            f"{chromium.PATH} to draw them. Install it (`make test` does: apt-get install chromium), or "
            "build once on a machine that has it and copy .cache/prerender/."
        )
    try:
        failed = render_into(State.cache, State.renderer, {s: [diagram_id(s), s] for s in missing}, "svg")
    except (OSError, RuntimeError) as error:
        raise PluginError(f"render_diagrams: {error}") from None
    errors = [f"  {location(page, source)}: (the diagram's first line) {message}" for source, message in failed.items()]
    if errors:
        raise PluginError(f"render_diagrams: Mermaid cannot draw {len(errors)} diagram(s):\n" + "\n".join(errors))


def rendered_diagrams(html: str, page: Page | None) -> str:
    """`html` with every diagram drawn (from the cache, or by Mermaid now)."""
    found = diagrams(html)
    if not found:
        return html
    render_missing(found, page)

    def rendered(source: str) -> str:
        svg, first_id = State.cache.get(source), diagram_id(source)
        count = State.drawn[first_id] = State.drawn.get(first_id, 0) + 1
        if count > 1:
            svg = with_id(svg, first_id, f"{first_id}-{count}")
        RENDERED.add(f'<div class="mermaid-diagram">{svg}</div>')
        return svg

    return replace_diagrams(html, rendered)


def on_page_context(context: dict, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    page.content = rendered_diagrams(page.content, page)
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    path = print_page_path(config)
    if path is not None and path.exists():
        path.write_text(rendered_diagrams(path.read_text(encoding="utf-8"), None), encoding="utf-8")
    State.renderer.close()
    State.cache.save()


def on_build_error(*, error: Exception) -> None:
    if State.renderer:
        State.renderer.close()
        State.cache.save()  # what was drawn is right: the next build need not draw it again
