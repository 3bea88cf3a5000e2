"""Math and diagrams rendered at build time: parsing (pure), the hooks' errors, the allow-list."""

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from dlqa.html_safety import unsafe_html
from dlqa.prerender.cache import RenderCache, normalised
from dlqa.prerender.diagrams import diagram_id, diagrams, replace_diagrams, with_id
from dlqa.prerender.formulas import Formula, formulas, replace_formulas, wrap_jupyter_math
from dlqa.prerender.locate import line_of, where

ROOT = Path(__file__).resolve().parent.parent
HOOKS = [str(ROOT / "dlqa" / "hooks" / name) for name in ("render_math.py", "render_diagrams.py", "html_allowlist.py")]


def test_arithmatex_elements_give_their_formulas_unescaped():
    html = ('<p>Let <span class="arithmatex">\\(a &lt; b\\)</span>.</p>'
            '<div class="arithmatex">\\[\n\\sum_i x_i\n\\]</div>')
    assert formulas(html) == [Formula("a < b", False), Formula("\\sum_i x_i", True)]
    out = replace_formulas(html, lambda f: f"[{f.tex}|{f.display}]")
    assert out == '<p>Let <span class="arithmatex">[a < b|False]</span>.</p><div class="arithmatex">[\\sum_i x_i|True]</div>'


def test_notebook_cells_jupyter_math_is_wrapped_but_not_money_or_code():
    cell = ('<div class="nb-cell nb-markdown"><p>Scale by $1/\\sqrt{d_k}$; it costs $5 and $6 today; '
            '<code>$x$</code> stays.</p><p>$$E = mc^2$$</p></div>')
    out = wrap_jupyter_math(cell)
    assert formulas(out) == [Formula("1/\\sqrt{d_k}", False), Formula("E = mc^2", True)]
    assert "$5 and $6" in out and "<code>$x$</code>" in out
    assert wrap_jupyter_math("<p>$x$ outside a notebook cell</p>") == "<p>$x$ outside a notebook cell</p>"


def test_diagram_fences_give_their_source_and_ids_can_be_renamed():
    html = '<pre class="mermaid"><code>flowchart LR\n  A --&gt; B</code></pre>'
    assert diagrams(html) == ["flowchart LR\n  A --> B"]
    assert replace_diagrams(html, lambda s: "<svg></svg>") == '<div class="mermaid-diagram"><svg></svg></div>'
    first = diagram_id("flowchart LR")
    svg = f'<svg id="{first}"><style>#{first} .node{{fill:red}}</style><path marker-end="url(#{first}_arrow)"/><title id="{first}-title"/></svg>'
    renamed = with_id(svg, first, f"{first}-2")
    assert first + '"' not in renamed and renamed.count(f"{first}-2") == 4


def test_source_lines_are_found_for_error_messages():
    text = "# T\n\nSome $x$ here.\n\n$$\n\\frac{a}{\n$$\n\n!!! note\n\n    ```mermaid\n    flowchart LR\n      A --> B\n    ```\n"
    assert line_of(text, "\\frac{a}{") == 6
    assert line_of(text, "flowchart LR\n  A --> B\n") == 12  # indented in an admonition
    assert where("\\frac{a}{", [("docs/a.md", "nothing"), ("notebooks/n.py", text)]) == "notebooks/n.py:6"
    assert where("missing", [("docs/a.md", "nothing")]) == "docs/a.md"


def test_a_corrupt_cache_is_discarded(tmp_path):
    path = tmp_path / "katex.json"
    path.write_text("{not json")
    cache = RenderCache(path)
    assert cache.get("x") is None
    cache.put("inline:x", "<span>x</span>")
    cache.save()
    assert RenderCache(path).get("inline:x") == "<span>x</span>"


# --- The allow-list: the renderers' markup is the project's, a contributor's SVG is not ---------

KATEX_FRAGMENT = normalised(
    '<span class="arithmatex"><span class="katex"><span class="katex-html" aria-hidden="true">'
    '<span class="strut" style="height:1em;"></span><svg width="400em" height="1em" viewBox="0 0 400000 1000">'
    '<path d="M0 0h400000"></path></svg></span></span></span>'
)
DIAGRAM_FRAGMENT = normalised(
    '<div class="mermaid-diagram"><svg id="mermaid-1" role="img" aria-labelledby="mermaid-1-title" viewBox="0 0 10 10">'
    '<title id="mermaid-1-title">Diagram: A; B</title><style>#mermaid-1 .node{fill:red}</style><g class="node"></g></svg></div>'
)


def test_rendered_math_and_diagrams_are_allowed_exactly_as_rendered():
    rendered = {KATEX_FRAGMENT, DIAGRAM_FRAGMENT}
    assert unsafe_html(f"<p>See {KATEX_FRAGMENT}</p>{DIAGRAM_FRAGMENT}", rendered) == []
    # Without the renderers' word, the same markup is refused: style, svg, path, title...
    assert unsafe_html(KATEX_FRAGMENT) and unsafe_html(DIAGRAM_FRAGMENT)


@pytest.mark.parametrize("html", [
    # A contributor's SVG in a wrapper that looks like the renderer's.
    '<div class="mermaid-diagram"><svg onload="alert(1)"></svg></div>',
    # A rendered diagram with something added by hand.
    DIAGRAM_FRAGMENT.replace("<g ", '<a href="javascript:alert(1)"></a><g '),
    KATEX_FRAGMENT.replace('aria-hidden="true"', 'aria-hidden="true" onclick="alert(1)"'),
])
def test_markup_that_the_renderers_did_not_produce_is_checked(html):
    assert unsafe_html(html, {KATEX_FRAGMENT, DIAGRAM_FRAGMENT})


# --- Builds with the hooks: rendered markup in, errors name the file and line -------------------

def build_page(tmp_path: Path, markdown: str) -> str:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n" + markdown + "\n")
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path / "docs"),
                         site_dir=str(tmp_path / "site"), hooks=HOOKS, plugins=[], nav=[{"Home": "index.md"}])
    build(config)
    return (tmp_path / "site" / "index.html").read_text()


def test_math_and_diagrams_reach_the_page_rendered(tmp_path):
    html = build_page(tmp_path, "Inline $a^2 + b^2$ and\n\n$$\n\\frac{1}{n}\n$$\n\n"
                                "```mermaid\nflowchart LR\n  A[Input] --> B[Output]\n```\n")
    assert html.count('class="katex"') == 2 and "<math" in html and "katex-display" in html
    assert "\\(" not in html and '<pre class="mermaid"' not in html
    assert '<div class="mermaid-diagram"><svg' in html and 'role="img"' in html
    assert '<title id="mermaid-' in html and "Diagram: Input; Output</title>" in html


def test_a_formula_katex_cannot_render_fails_the_build_naming_file_and_line(tmp_path, caplog):
    with pytest.raises(Abort):
        build_page(tmp_path, "Fine $x$.\n\nBroken $\\frac{1}{$ here.\n")
    assert "docs/index.md:5: KaTeX parse error" in caplog.text, caplog.text


def test_a_diagram_mermaid_cannot_parse_fails_the_build_naming_file_and_line(tmp_path, caplog):
    with pytest.raises(Abort):
        build_page(tmp_path, "```mermaid\nflowchart LR\n  A -->\n```\n")
    assert "docs/index.md:4: (the diagram's first line) Parse error on line" in caplog.text, caplog.text


def test_svg_written_by_a_contributor_is_still_refused(tmp_path, caplog):
    with pytest.raises(Abort):
        build_page(tmp_path, '<div class="mermaid-diagram" markdown><svg><circle r="5"/></svg></div>\n')
    assert "element <svg> is not allowed" in caplog.text, caplog.text
