"""The notebooks in notebooks/, their rendering and running (dlqa/notebooks/), and the hook that embeds them.

The site's notebooks all run in the strict build (tests/conftest.py), which fails on any failing
cell; here tiny throwaway MkDocs projects in tmp_path check the hook: each has its own notebooks/
and .cache/notebooks/, which the hook resolves relative to the project's mkdocs.yml.
"""

from __future__ import annotations

import os
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
from dlqa.notebooks import pages as nb_pages
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
        executed = nbformat.read(built_site / "notebooks" / path.stem / f"{path.stem}.ipynb", as_version=4)
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
    assert "(../notebooks/demo/demo.ipynb){ download=\"demo.ipynb\" }" in md
    assert "Open as a page" not in md  # no page_link: no notebook page
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
  font: false  # no Google Fonts (the site's setting): the whole-page check allows no other host's stylesheet
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
with open("RUNS_DIR/runs.log", "a") as log:  # counts executions (make_project names a folder outside the watched ones)
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


def notebook_source(root: Path, source: str) -> str:
    """The source with RUNS_DIR naming the project's .cache/ folder: the kernel runs in a scratch
    folder, and a notebook may not write to the project's own files (docs/, notebooks/, ...)."""
    return source.replace("RUNS_DIR", (root / ".cache").as_posix())


def make_project(root: Path, notebooks: dict[str, str], page: str = PAGE) -> Path:
    (root / "docs" / "topics").mkdir(parents=True)
    (root / "notebooks").mkdir()
    (root / ".cache").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "topics" / "page.md").write_text(page)
    for name, source in notebooks.items():
        (root / "notebooks" / f"{name}.py").write_text(notebook_source(root, source))
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
    log = root / ".cache" / "runs.log"
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
    assert 'href="../../notebooks/demo/demo.ipynb"' in html
    downloaded = nbformat.read(root / "site" / "notebooks" / "demo" / "demo.ipynb", as_version=4)
    assert any(o.get("text") == "answer 42\n" for c in downloaded.cells for o in c.get("outputs", []))
    # the surrounding page is intact
    assert html.index("Question?") < html.index("Notebook: demo") < html.index("Another question?")

    mkdocs_build(root)
    assert runs(root) == 1, "second build must use the cache"

    source = root / "notebooks" / "demo.py"
    source.write_text(notebook_source(root, DEMO.replace("PROSE-V1", "PROSE-V2")))
    html = mkdocs_build(root)
    assert runs(root) == 1, "a prose-only edit must not re-execute"
    assert "PROSE-V2" in html and "PROSE-V1" not in html and "answer 42" in html

    source.write_text(notebook_source(root, DEMO.replace("PROSE-V1", "PROSE-V2").replace("6 * 7", "6 * 8")))
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
    assert (root / "site" / "notebooks" / "demo" / "demo.ipynb").exists()

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


def test_two_builds_at_once_share_the_cache_without_breaking_each_other(tmp_path):
    tiny = "# %% [markdown]\n# ### Notebook: demo\n\n# %%\nprint('answer', 6 * 7)\n"
    root = make_project(tmp_path, {"demo": tiny})
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    builds = [subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", f"site{n}"], cwd=root,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for n in (1, 2)]
    outputs = [(build.wait(timeout=300), build.stdout.read()) for build in builds]
    assert [code for code, _ in outputs] == [0, 0], outputs
    for n in (1, 2):
        assert "answer 42" in (root / f"site{n}" / "topics" / "page" / "index.html").read_text()
    assert len(list((root / ".cache" / "notebooks").glob("demo-*.ipynb"))) == 1  # one entry, no temporary file left
    assert not list((root / ".cache" / "notebooks").glob(".*"))


# ---------------------------------------------------------------------------
# A corrupt cache file (issue 12) and byte-identical downloads (issue 12)
# ---------------------------------------------------------------------------


def test_corrupt_cache_file_is_discarded_with_a_warning_and_rerun(tmp_path):
    root = make_project(tmp_path, {"demo": DEMO})
    mkdocs_build(root)
    assert runs(root) == 1
    [cached] = (root / ".cache" / "notebooks").glob("demo-*.ipynb")
    cached.write_bytes(b"\x00garbage{not json")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert runs(root) == 2, "the notebook must run again"
    warning = [line for line in result.stderr.splitlines() if "discarded the corrupt cache file" in line]
    assert warning and warning[0].startswith("WARNING") and f".cache/notebooks/{cached.name}" in warning[0], result.stderr
    assert nbformat.read(cached, as_version=4).cells, "the cache entry is written again"
    assert "answer 42" in (root / "site" / "topics" / "page" / "index.html").read_text()


def test_cached_notebook_not_matching_its_source_is_discarded(tmp_path, caplog):
    root = make_project(tmp_path, {"demo": DEMO})
    mkdocs_build(root)
    [cached] = (root / ".cache" / "notebooks").glob("demo-*.ipynb")
    nb = nbformat.read(cached, as_version=4)
    nb.cells = nb.cells[:1]  # valid JSON, valid notebook, but not the executed source
    nbformat.write(nb, cached)
    mkdocs_build(root)
    assert runs(root) == 2
    assert f"discarded the corrupt cache file .cache/notebooks/{cached.name}" in caplog.text


def test_read_source_gives_deterministic_cell_ids(tmp_path):
    path = tmp_path / "demo.py"
    path.write_text(DEMO)
    first, second = runner.read_source(path), runner.read_source(path)
    assert [c.id for c in first.cells] == [c.id for c in second.cells] == ["cell-1", "cell-2", "cell-3"]
    nbformat.validate(first)


def test_downloaded_notebook_is_byte_identical_between_builds(tmp_path):
    root = make_project(tmp_path, {"demo": DEMO})
    download = root / "site" / "notebooks" / "demo" / "demo.ipynb"
    mkdocs_build(root)
    first = download.read_bytes()
    mkdocs_build(root)
    assert runs(root) == 1
    assert download.read_bytes() == first
    assert b'"id": "cell-1"' in first

# ---------------------------------------------------------------------------
# Notebooks as pages of their own (mkdocs-jupyter; dlqa/notebooks/pages.py)
# ---------------------------------------------------------------------------


def _output(kind, **data):
    return nbformat.v4.new_output(kind, data=data) if kind != "stream" else nbformat.v4.new_output(kind, **data)


def test_safe_notebook_keeps_only_text_png_and_streams():
    nb = _nb(("md", "### T"), ("code", "x"))
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells[0]["attachments"] = {"a.svg": {"image/svg+xml": "<svg onload=alert(1)>"}}
    nb.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="hello\n"),
        nbformat.v4.new_output("display_data", data={"text/html": "<script>alert(1)</script>", "text/plain": "<HTML>"}),
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(1)"}),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "image/svg+xml": "<svg/>"},
                               metadata={"image/png": {"width": 100}, "text/html": {"isolated": True}}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "42", "text/latex": "$42$"}, execution_count=1),
        nbformat.v4.new_output("error", ename="E", evalue="v", traceback=["t"]),
    ]
    safe = nb_pages.safe_notebook(nb)
    nbformat.validate(safe)
    outputs = safe.cells[1].outputs
    assert [o.output_type for o in outputs] == ["stream", "display_data", "display_data", "execute_result"]
    assert [sorted(o.get("data", {})) for o in outputs] == [[], ["text/plain"], ["image/png"], ["text/plain"]]
    assert outputs[2].metadata == {"image/png": {"width": 100}}
    assert set(safe.metadata) == {"kernelspec"} and "attachments" not in safe.cells[0]
    assert len(nb.cells[1].outputs) == 6, "the input is not modified"


def test_strip_appended_style_removes_only_the_trailing_stylesheet():
    page = '<div class="nb-notebook"><p>x</p></div>\n        <style>\n        .highlight-ipynb .k { color: red }\n        </style>\n        '
    assert nb_pages.strip_appended_style(page) == '<div class="nb-notebook"><p>x</p></div>'
    inside = '<div class="nb-notebook"><style>p { }</style></div>'  # a notebook's own <style> stays
    assert nb_pages.strip_appended_style(inside) == inside
    markup = '<div class="nb-notebook"></div><style><b>x</b></style>'  # a style holding markup stays
    assert nb_pages.strip_appended_style(markup) == markup


@pytest.mark.parametrize("source, title", [
    ("# %% [markdown]\n# ### Notebook: convolution arithmetic\n#\n# text\n", "Convolution arithmetic"),
    ("# %% [markdown]\n# ## KV cache sizes\n", "KV cache sizes"),
    ("# %%\nx = 1\n", "My notebook"),
])
def test_title_from_source(source, title):
    assert nb_pages.title_from_source(source, "my_notebook") == title


def test_embeddings_name_the_question_before_each_marker():
    model = parse_page(PAGE.replace("# Topic", "# Topic\n\n<!-- notebook: intro -->"), "docs/topics/page.md")
    found = nb_pages.embeddings(model, "topics/page.md")
    assert [(e.question_id, e.question_title) for e in found["demo"]] == [("question", "Question?")]
    assert [(e.question_id, e.src_uri) for e in found["intro"]] == [(None, "topics/page.md")]


JUPYTER_PLUGIN = """\
plugins:
  - mkdocs-jupyter:
      include: ["notebook-pages/notebooks/*.ipynb"]
      ignore: ["*.md", "*.py"]
      execute: false
      allow_errors: false
      include_source: true
      include_requirejs: false
      cache_dir: .cache/mkdocs-jupyter
"""

DEMO_WITH_HTML = DEMO + """
# %%
from IPython.display import HTML, Javascript, display

display(HTML("<b>HTML-OUTPUT</b><script>alert(1)</script>"))
display(Javascript("alert('JS-OUTPUT')"))
"""


def make_pages_project(root: Path, notebooks: dict[str, str], page: str = PAGE) -> Path:
    make_project(root, notebooks, page)
    config = (root / "mkdocs.yml").read_text().replace("hooks:\n", JUPYTER_PLUGIN + "hooks:\n")
    config = config.replace(f"  - {(HOOKS_DIR / 'notebooks.py').as_posix()}\n",
                            f"  - {(HOOKS_DIR / 'notebooks.py').as_posix()}\n"
                            f"  - {(HOOKS_DIR / 'notebook_pages.py').as_posix()}\n"
                            f"  - {(HOOKS_DIR / 'html_allowlist.py').as_posix()}\n")
    (root / "mkdocs.yml").write_text(config + "nav:\n  - index.md\n  - topics/page.md\n")
    return root


def test_notebook_page_shows_the_executed_notebook_and_links_both_ways(tmp_path):
    root = make_pages_project(tmp_path, {"demo": DEMO_WITH_HTML, "unused": DEMO.replace("runs.log", "other.log")})
    answer = mkdocs_build(root)
    assert runs(root) == 1, "each notebook runs once: the page reuses the executed notebook"
    site = root / "site"
    html = (site / "notebooks" / "demo" / "index.html").read_text()
    content = html[html.index('<article'):html.index('</article>')]
    # the executed notebook: prose, math left for KaTeX, code, text output, figure from the site
    assert "PROSE-V1" in content and "$a^2 + b^2$" in content and "answer 42" in content
    figure = re.search(r'<img alt="Figure from cell 3"[^>]* src="(cell3-1\.png)"', content)
    assert figure and (site / "notebooks" / "demo" / figure[1]).read_bytes().startswith(b"\x89PNG")
    # no script, style or foreign asset; the HTML and JavaScript outputs are gone, from the download too
    assert not re.search(r"<(script|style|link)\b", content), content
    outputs = "".join(re.findall(r'<div class="nb-output[^"]*">.*?</div>', content, re.S))
    assert "answer 42" in outputs and "<IPython.core.display.HTML object>" in outputs.replace("&lt;", "<").replace("&gt;", ">")
    assert "HTML-OUTPUT" not in outputs and "JS-OUTPUT" not in outputs and "HTML-OUTPUT</b>" not in content
    downloaded = (site / "notebooks" / "demo" / "demo.ipynb").read_text()
    assert "text/html" not in downloaded and "application/javascript" not in downloaded
    assert "answer 42" in downloaded
    assert not re.search(r'(?:src|href)="(?:https?:)?//(?!github\.com/dl-interview-qa/)', content), "foreign URL"
    # links: the page to the answer that embeds it, the answer to the page, the download
    assert 'href="../../topics/page/#question"' in content
    assert 'href="demo.ipynb" download="demo.ipynb"' in content
    assert 'href="../../notebooks/demo/"' in answer
    # the nav: a Notebooks section with a page per notebook, titled from its heading
    nav = html[html.index('md-nav--primary'):]
    assert "Notebooks" in nav and re.search(r'href="\./"[^>]*>\s*<span class="md-ellipsis">\s*Demo\s*</span>', nav), nav[:3000]
    assert 'href="../unused/"' in nav and (site / "notebooks" / "unused" / "index.html").exists()
    assert runs(root) == 1 and (root / ".cache" / "other.log").exists(), "a notebook no answer embeds still runs"


def test_notebook_page_with_unsafe_markdown_fails_the_allow_list(tmp_path, caplog):
    evil = DEMO.replace("# PROSE-V1", "# <img src=x onerror=alert(1)> PROSE-V1")
    root = make_pages_project(tmp_path, {"demo": evil}, page="# Topic\n\nNo marker.\n")
    with pytest.raises(Abort):
        mkdocs_build(root)
    assert "docs/notebooks/demo.ipynb: unsafe HTML" in caplog.text and "onerror" in caplog.text


def test_wrong_mkdocs_jupyter_options_fail_the_build(tmp_path, caplog):
    root = make_pages_project(tmp_path, {"demo": DEMO})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("allow_errors: false", "allow_errors: true"))
    with pytest.raises(Abort):
        mkdocs_build(root)
    assert "the notebooks hook needs these mkdocs-jupyter options: allow_errors: false" in caplog.text
