"""The notebooks in notebooks/, their rendering and running (dlqa/notebooks/), and the hook that embeds them.

The site's notebooks all run in the strict build (tests/conftest.py), which fails on any failing
cell; here tiny throwaway MkDocs projects in tmp_path check the hook: each has its own notebooks/
and .cache/notebooks/, which the hook resolves relative to the project's mkdocs.yml.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import jupytext
import nbformat
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from dlqa import hooks
from dlqa.errors import ContentError
from dlqa.notebooks import runner
from dlqa.notebooks.render import notebook_images, notebook_to_markdown, source_base
from dlqa.page import parse_page

ROOT = Path(__file__).resolve().parents[1]
HOOKS_DIR = Path(hooks.__file__).parent

# ---------------------------------------------------------------------------
# The site's notebooks
# ---------------------------------------------------------------------------

REPO_NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.py"))


def test_there_are_at_least_13_notebooks():
    assert len(REPO_NOTEBOOKS) >= 13, [p.name for p in REPO_NOTEBOOKS]


@pytest.mark.parametrize("path", REPO_NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_starts_with_level_3_heading_and_checks_its_claims(path):
    nb = runner.read_source(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("### "), "the first line must be a level-3 heading"
    assert len(first.source.splitlines()) > 1, "the heading must be followed by what the notebook proves"
    code = "\n".join(runner.code_sources(nb))
    assert "assert " in code
    assert "default_rng(0)" in code or "rng" not in code  # seeded randomness only


def test_every_embedded_notebook_ran_and_prints_its_checks(built_site):
    """The strict build executed every notebook (a failing cell fails it); each one printed something."""
    for path in REPO_NOTEBOOKS:
        executed = nbformat.read(built_site / "notebooks" / f"{path.stem}.ipynb", as_version=4)
        outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
        assert outputs and not [o for o in outputs if o.output_type == "error"], path.stem
        assert any(o.output_type == "stream" for o in outputs), f"{path.stem} prints nothing"

# ---------------------------------------------------------------------------
# Markers (dlqa/page.py), rendering (dlqa/notebooks/render.py), running (dlqa/notebooks/runner.py)
# ---------------------------------------------------------------------------


def test_parse_markers_finds_markers_outside_code_fences():
    page = textwrap.dedent("""\
        # Title
        <!-- notebook: conv_arithmetic -->
        ```markdown
        <!-- notebook: shown_as_an_example -->
        ```
        ~~~~
        <!-- notebook: also an example, not parsed -->
        ~~~~
            <!--notebook:indented-->
        Text mentioning <!-- notebook: inline --> is not a marker.
        """)
    markers = parse_page(page, "docs/index.md", topic=False).markers
    assert [(m.line, m.name, m.indent) for m in markers] == [(2, "conv_arithmetic", ""), (9, "indented", "    ")]


@pytest.mark.parametrize("line", ["<!-- notebook: two words -->", "<!-- notebook: -->", "<!-- notebook: x",
                                  "<!-- notebooks: x -->", "<!-- Notebook x -->", "<!-- notebook: x --> trailing"])
def test_malformed_marker_is_an_error(line):
    with pytest.raises(ContentError, match=r"^docs/index.md:3: malformed notebook marker"):
        parse_page(f"# Title\n\n{line}\n", "docs/index.md", topic=False)


def _nb(*cells):
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src) for kind, src in cells])


def test_cache_key_depends_on_code_kernel_and_requirements_only():
    nb = _nb(("md", "### A"), ("code", "x = 1"))
    key = runner.cache_key(runner.code_sources(nb), "python3", "numpy==2")
    prose_edited = _nb(("md", "### A, reworded"), ("md", "more prose"), ("code", "x = 1"))
    assert runner.cache_key(runner.code_sources(prose_edited), "python3", "numpy==2") == key
    assert runner.cache_key(runner.code_sources(_nb(("code", "x = 2"))), "python3", "numpy==2") != key
    assert runner.cache_key(runner.code_sources(nb), "other-kernel", "numpy==2") != key
    assert runner.cache_key(runner.code_sources(nb), "python3", "numpy==3") != key
    assert runner.cache_key(["a", "b"], "python3", None) != runner.cache_key(["ab"], "python3", None)


def test_merge_outputs_keeps_new_prose_and_cached_outputs():
    executed = _nb(("md", "old prose"), ("code", "print(1)"))
    executed.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    fresh = _nb(("md", "new prose"), ("code", "print(1)"), ("md", "an added paragraph"))
    merged = runner.merge_outputs(fresh, executed)
    assert [c.source for c in merged.cells] == ["new prose", "print(1)", "an added paragraph"]
    assert merged.cells[1].outputs[0].text == "1\n"
    assert not fresh.cells[1].outputs  # inputs are not modified


def test_notebook_to_markdown():
    nb = _nb(("md", "### Notebook: demo\n\nProse with $x^2$."), ("code", "print('```')\nplot()"))
    nb.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="```\n"),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
    ]
    md = notebook_to_markdown(nb, name="demo", link=lambda uri: posixpath.relpath(uri, "topics"),
                              source_url="https://x/blob/main/notebooks/demo.py", source_path="notebooks/demo.py",
                              outputs_skipped=False)
    assert md.startswith('<div class="notebook" markdown>') and md.rstrip().endswith("</div>")
    assert "[`notebooks/demo.py`](https://x/blob/main/notebooks/demo.py)" in md
    assert "(../notebooks/demo.ipynb){ download=\"demo.ipynb\" }" in md
    assert "### Notebook: demo\n\nProse with $x^2$." in md
    assert "```` { .python }\nprint('```')\nplot()\n````" in md  # fence longer than any backtick run inside
    assert "```` { .text .notebook-output }\n```\n````" in md
    assert "![Figure from cell 2](../notebooks/demo/cell2-2.png)" in md
    assert "``` { .text .notebook-output }\n42\n```" in md
    assert "<Figure>" not in md
    assert notebook_images(nb, "demo") == {"notebooks/demo/cell2-2.png": b"\x89PNG\r\n\x1a\n"}


@pytest.mark.parametrize("edit_uri, expected", [
    ("https://github.com/o/r/edit/main/docs/", "https://github.com/o/r/blob/main/"),
    ("https://github.com/o/r/blob/dev/docs/", "https://github.com/o/r/blob/dev/"),
    ("edit/main/docs/", None),  # relative to a repo_url, which the site deliberately does not set
    (None, None),
])
def test_source_link_base(edit_uri, expected):
    assert source_base(edit_uri) == expected


def test_cell_start_lines_and_failure_message():
    source = "# %% [markdown]\n# ### T\n\n# %%\nx = 1\n\n# %%\ny = 2\nz = 1 / 0\n"
    nb = jupytext.reads(source, fmt="py:percent")
    assert runner.cell_start_lines(source, len(nb.cells)) == [1, 4, 7]
    from nbclient.exceptions import CellExecutionError

    exc = CellExecutionError("\x1b[31mCell In[2], line 2\x1b[0m\n----> 2 z = 1 / 0", "ZeroDivisionError",
                             "division by zero")
    assert str(runner.describe_failure(exc, nb, 2, source, "notebooks/t.py")) == (
        "notebooks/t.py:9: cell 3 raised ZeroDivisionError: division by zero\n    z = 1 / 0")

# ---------------------------------------------------------------------------
# Building tiny MkDocs projects with the hook
# ---------------------------------------------------------------------------

MKDOCS_YML = f"""\
site_name: Notebook hook test
site_url: https://example.org/qa/
edit_uri: https://github.com/dl-interview-qa/dl-interview-qa/edit/main/docs/
strict: true
theme:
  name: material
hooks:
  - {(HOOKS_DIR / "pages.py").as_posix()}
  - {(HOOKS_DIR / "notebooks.py").as_posix()}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.superfences
  - pymdownx.arithmatex:
      generic: true
  - toc:
      permalink: true
"""

DEMO = """\
# %% [markdown]
# ### Notebook: demo
#
# PROSE-V1 with math $a^2 + b^2$.

# %%
with open("runs.log", "a") as log:  # counts executions (the kernel runs in notebooks/)
    log.write("run\\n")
print("answer", 6 * 7)

# %%
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 1], [0, 1])
plt.show()
"""

PAGE = """\
# Topic

## Question? { #question }

<!-- notebook: demo -->

## Another question? { #another-question }
"""


def make_project(root: Path, notebooks: dict[str, str], page: str = PAGE) -> Path:
    (root / "docs" / "topics").mkdir(parents=True)
    (root / "notebooks").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "topics" / "page.md").write_text(page)
    for name, source in notebooks.items():
        (root / "notebooks" / f"{name}.py").write_text(source)
    return root


@pytest.fixture(autouse=True)
def _quiet_env(monkeypatch):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    for var in (runner.EXECUTE_ENV, runner.CACHE_DIR_ENV):
        monkeypatch.delenv(var, raising=False)


def mkdocs_build(root: Path) -> str:
    """Build in-process like `mkdocs build --strict`; return the topic page's HTML."""
    build(load_config(config_file=str(root / "mkdocs.yml")))
    return (root / "site" / "topics" / "page" / "index.html").read_text()


def runs(root: Path) -> int:
    log = root / "notebooks" / "runs.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_build_embeds_outputs_and_uses_the_cache(tmp_path):
    root = make_project(tmp_path, {"demo": DEMO})
    html = mkdocs_build(root)
    assert runs(root) == 1
    # prose, heading in the table of contents, code, text output and figure
    assert "PROSE-V1" in html and "\\(a^2 + b^2\\)" in html
    assert 'id="notebook-demo"' in html and 'href="#notebook-demo"' in html.split('md-nav--secondary')[1]
    assert "answer 42" in html
    image = re.search(r'<img alt="Figure from cell 3"[^>]* src="([^"]+\.png)"', html)
    assert image, "figure missing from the page"
    assert (root / "site" / "topics" / "page" / image[1]).resolve().read_bytes().startswith(b"\x89PNG")
    # links: source on the repository and the executed notebook in the site
    assert 'href="https://github.com/dl-interview-qa/dl-interview-qa/blob/main/notebooks/demo.py"' in html
    assert 'href="../../notebooks/demo.ipynb"' in html
    downloaded = nbformat.read(root / "site" / "notebooks" / "demo.ipynb", as_version=4)
    assert any(o.get("text") == "answer 42\n" for c in downloaded.cells for o in c.get("outputs", []))
    # the surrounding page is intact
    assert html.index("Question?") < html.index("Notebook: demo") < html.index("Another question?")

    mkdocs_build(root)
    assert runs(root) == 1, "second build must use the cache"

    source = root / "notebooks" / "demo.py"
    source.write_text(DEMO.replace("PROSE-V1", "PROSE-V2"))
    html = mkdocs_build(root)
    assert runs(root) == 1, "a prose-only edit must not re-execute"
    assert "PROSE-V2" in html and "PROSE-V1" not in html and "answer 42" in html

    source.write_text(DEMO.replace("PROSE-V1", "PROSE-V2").replace("6 * 7", "6 * 8"))
    html = mkdocs_build(root)
    assert runs(root) == 2, "a code edit must re-execute"
    assert "answer 48" in html and "answer 42" not in html

    (root / "requirements.txt").write_text("numpy==2.4.6\n")
    mkdocs_build(root)
    assert runs(root) == 3, "a requirements.txt change must re-execute"
    cached = sorted(p.name for p in (root / ".cache" / "notebooks").glob("*.ipynb"))
    assert len(cached) == 1 and cached[0].startswith("demo-"), cached


def test_unknown_notebook_fails_the_build(tmp_path, caplog):
    root = make_project(tmp_path, {"demo": DEMO}, page="# Topic\n\nText.\n\n<!-- notebook: conv_arithmatic -->\n")
    with pytest.raises(Abort):
        mkdocs_build(root)
    assert "docs/topics/page.md:5: unknown notebook 'conv_arithmatic' (no notebooks/conv_arithmatic.py)" in caplog.text
    assert not (root / "site" / "topics").exists()


def test_malformed_marker_fails_the_build(tmp_path, caplog):
    root = make_project(tmp_path, {"demo": DEMO}, page="# Topic\n\n<!-- notebook: demo notebook -->\n")
    with pytest.raises(Abort):
        mkdocs_build(root)
    assert "docs/topics/page.md:3: malformed notebook marker '<!-- notebook: demo notebook -->'" in caplog.text
    assert runs(root) == 0


def test_failing_cell_fails_the_build_naming_notebook_and_cell(tmp_path):
    broken = DEMO.replace('print("answer", 6 * 7)', 'print("answer", 6 * 7)\nratio = 1 / 0')
    root = make_project(tmp_path, {"demo": broken})
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "notebooks/demo.py:10: cell 2 raised ZeroDivisionError: division by zero\n    ratio = 1 / 0" in result.stderr
    assert not (root / "site" / "topics").exists(), "no page may be published"
    assert not list((root / ".cache" / "notebooks").glob("*.ipynb")), "a failed run must not be cached"


def test_notebooks_execute_0_renders_without_running(tmp_path, monkeypatch):
    root = make_project(tmp_path, {"demo": DEMO})
    monkeypatch.setenv("NOTEBOOKS_EXECUTE", "0")
    html = mkdocs_build(root)
    assert runs(root) == 0
    assert "PROSE-V1" in html and "Outputs skipped" in html and "answer" in html and "answer 42" not in html
    assert (root / "site" / "notebooks" / "demo.ipynb").exists()

    monkeypatch.delenv("NOTEBOOKS_EXECUTE")
    mkdocs_build(root)
    monkeypatch.setenv("NOTEBOOKS_EXECUTE", "0")
    html = mkdocs_build(root)  # cached outputs are shown even when execution is off
    assert runs(root) == 1 and "answer 42" in html and "Outputs skipped" not in html


def test_cold_cache_executes_notebooks_in_parallel(tmp_path, monkeypatch):
    """Each execution waits at a barrier for the other: run one after the other, they would time out."""
    stamp = "# %% [markdown]\n# ### Notebook: {name}\n\n# %%\nprint({name!r})\n"
    root = make_project(tmp_path, {n: stamp.format(name=n) for n in ("one", "two")})
    barrier = threading.Barrier(2, timeout=30)

    def execute(settings, name, nb):
        barrier.wait()  # raises BrokenBarrierError unless both notebooks run at once
        return nb

    monkeypatch.setattr(runner, "execute", execute)
    settings = runner.Settings(root=root, cache_dir=tmp_path / "cache", execute=True, jobs=2, requirements=None)
    prepared = runner.prepare_all(settings, ["one", "two"])
    assert sorted(prepared) == ["one", "two"] and all(p.has_outputs for p in prepared.values())
