"""Math rendered at build time with KaTeX: pages carry KaTeX's HTML and MathML, no KaTeX script.

Every formula of a page (pymdownx.arithmatex's elements; on notebook pages, the `$` math of
Markdown cells) is rendered by one Node process per build (dlqa/prerender/katex.mjs, the
project's `katex` npm package, `throwOnError`), and cached by formula and mode in
`.cache/prerender/`, so a warm build or `make serve` starts no Node at all. A formula KaTeX
cannot render fails the build naming the source file and line.

A page's formulas are rendered in on_page_context, the last step before its template: every
on_page_content (the allow-list's, print-site's copy for the print page) and Material's search
(which reads pages in its own on_page_context, before hooks) see the TeX, so search indexes
the TeX, not KaTeX's glyphs. The print page is rendered after print-site has written it
(on_post_build), from the cache: print-site's id rewriting would take minutes on KaTeX's
long lines.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from dlqa.prerender.cache import CACHE_DIR, RENDERED, RenderCache, Renderer, cache_name, render_into
from dlqa.prerender.formulas import Formula, formulas, replace_formulas, wrap_jupyter_math
from dlqa.hooks.print_page import print_page_path
from dlqa.prerender.locate import where

SCRIPT = Path(__file__).resolve().parents[1] / "prerender" / "katex.mjs"


class State:
    cache: RenderCache | None = None
    renderer: Renderer | None = None
    root: Path = Path(".")


def katex_version(root: Path) -> str:
    manifest = root / "node_modules" / "katex" / "package.json"
    if not manifest.is_file():
        raise PluginError(f"render_math: {manifest} is missing. Run `make install` (it runs `npm ci`; Node.js 18+ is required).")
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def key(formula: Formula) -> str:
    return f"{'display' if formula.display else 'inline'}:{formula.tex}"


def on_config(config: MkDocsConfig) -> None:
    State.root = Path(config.config_file_path).resolve().parent
    State.cache = RenderCache(State.root / CACHE_DIR / cache_name("katex", katex_version(State.root), SCRIPT))
    State.renderer = Renderer(["node", str(SCRIPT)], cwd=State.root, what="KaTeX")
    RENDERED.clear()


def page_sources(page: Page | None) -> list[tuple[str, str]]:
    """The page's Markdown, then the notebooks it may embed (display path, text)."""
    sources = []
    if page and page.file.abs_src_path and Path(page.file.abs_src_path).is_file():
        sources.append((f"docs/{page.file.src_uri}", Path(page.file.abs_src_path).read_text(encoding="utf-8")))
    for notebook in sorted((State.root / "notebooks").glob("*.py")):
        sources.append((notebook.relative_to(State.root).as_posix(), notebook.read_text(encoding="utf-8")))
    return sources


def render_missing(found: list[Formula], page: Page | None) -> None:
    missing = list(dict.fromkeys(f for f in found if State.cache.get(key(f)) is None))
    if not missing:
        return
    by_key = {key(f): f for f in missing}
    try:
        failed = render_into(State.cache, State.renderer, {k: [f.tex, f.display] for k, f in by_key.items()}, "html")
    except (OSError, RuntimeError) as error:
        raise PluginError(f"render_math: {error}. Is Node.js 18+ installed? (`make install`)") from None
    errors = [f"  {where(by_key[k].tex, page_sources(page))}: {message}" for k, message in failed.items()]
    if errors:
        raise PluginError(f"render_math: KaTeX cannot render {len(errors)} formula(s):\n" + "\n".join(errors))


def rendered_math(html: str, page: Page | None) -> str:
    """`html` with every formula rendered (from the cache, or by KaTeX now)."""
    html = wrap_jupyter_math(html)
    render_missing(formulas(html), page)

    def rendered(formula: Formula) -> str:
        markup = State.cache.get(key(formula))
        tag = "div" if formula.display else "span"
        RENDERED.add(f'<{tag} class="arithmatex">{markup}</{tag}>')
        return markup

    return replace_formulas(html, rendered)


def on_page_context(context: dict, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    page.content = rendered_math(page.content, page)
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    State.renderer.close()
    path = print_page_path(config)
    if path is not None and path.exists():
        path.write_text(rendered_math(path.read_text(encoding="utf-8"), None), encoding="utf-8")
    State.cache.save()


def on_build_error(*, error: Exception) -> None:
    if State.renderer:
        State.renderer.close()
        State.cache.save()  # what was rendered is right: the next build need not render it again
