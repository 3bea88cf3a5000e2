"""A pull request is untrusted everywhere, not only in page bodies (issue 20).

Each way below once put script on the built site while `mkdocs build --strict`, the test suite
and `qa check` all passed. Each test builds a tiny project with the site's own configuration
(theme, Markdown extensions, hooks) and asserts the build fails naming the file (and line), and
that `qa check` gives the same verdict where it can (it does not run notebooks).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from dlqa.cli import main
from dlqa.content_checks import run_checks
from dlqa.errors import ContentError
from dlqa.hooks import print_page
from dlqa.notebooks import runner
from dlqa.topic_pages import load_topic_pages

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / "dlqa" / "hooks"
SITE_HOOKS = ["docs_files.py", "pages.py", "html_allowlist.py"]
PAYLOAD = "<img src=x onerror=alert(1)>"
BREAKOUT = 'x" autofocus onfocus="alert(1)'


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def build_site(tmp_path: Path, files: dict[str, str | bytes], hooks: list[str] = SITE_HOOKS, plugins: list = ()) -> Path:
    """Build `files` (paths under tmp_path, docs/... among them) with the site's mkdocs.yml and `hooks`."""
    write(tmp_path, {"docs/index.md": "# Home\n", **files})
    pages = sorted(p.relative_to(tmp_path / "docs").as_posix() for p in (tmp_path / "docs").rglob("*.md"))
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path / "docs"),
                         site_dir=str(tmp_path / "site"), hooks=[str(HOOKS / name) for name in hooks],
                         plugins=list(plugins), nav=pages)
    build(config)
    return tmp_path / "site"


def build_fails(tmp_path: Path, caplog, files: dict[str, str | bytes], hooks: list[str] = SITE_HOOKS, plugins: list = ()) -> str:
    """What the failed build said (its log, and the error of an extension, which MkDocs re-raises)."""
    with pytest.raises(Exception) as raised:
        build_site(tmp_path, files, hooks, plugins)
    return caplog.text + str(raised.value)


def build_project_fails(root: Path, caplog, files: dict[str, str | bytes], hooks=("pages.py", "notebooks.py")) -> str:
    """Build a project of its own (mkdocs.yml at `root`, so notebooks/ and .cache/ are its own) with `hooks`."""
    write(root, {"docs/index.md": "# Home\n", "mkdocs.yml": (ROOT / "mkdocs.yml").read_text(), **files})
    pages = sorted(p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*.md"))
    config = load_config(config_file=str(root / "mkdocs.yml"), plugins=[], hooks=[str(HOOKS / n) for n in hooks], nav=pages)
    with pytest.raises(Abort):
        build(config)
    return caplog.text


def check(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    """`qa check` (no spelling) on a project of `files` with the site's mkdocs.yml and CONTRIBUTING.md."""
    write(tmp_path, {"mkdocs.yml": (ROOT / "mkdocs.yml").read_text(), "CONTRIBUTING.md": "# Contributing\n",
                     ".codespell-words": "", **files})
    return [str(problem) for problem in run_checks(tmp_path, spelling=False)]


def without_rule(problem: str) -> str:
    """`qa check`'s "path:line: rule: message" as the build's "path:line: message"."""
    return re.sub(r"^([^:]+:\d+): [a-z-]+: ", r"\1: ", problem)


# --- 1. Front matter the theme prints: title, subtitle, status, description, author, tags ---------

FRONT_MATTER = [
    (f"title: '{PAYLOAD}'", r"docs/index\.md:2: front matter 'title': .* must be plain text"),
    (f"subtitle: '{PAYLOAD}'", r"docs/index\.md:2: front matter 'subtitle': unknown key"),
    (f"status: '{BREAKOUT}'", r"docs/index\.md:2: front matter 'status': unknown key"),
    (f"description: '{BREAKOUT}'", r"docs/index\.md:2: front matter 'description': .* must be plain text"),
    (f"author: '{BREAKOUT}'", r"docs/index\.md:2: front matter 'author': unknown key"),
    (f"tags: ['{PAYLOAD}']", r"docs/index\.md:2: front matter 'tags': unknown key"),
    ("title: Fine\ndescription: 'Text &lt;/title&gt;'", r"docs/index\.md:3: front matter 'description': .* character reference"),
    ("topic_keywords: [fine, '\"><script>']", r"docs/index\.md:2: front matter 'topic_keywords'"),
    ("template: main.html", r"docs/index\.md:2: front matter 'template': unknown key"),
]


@pytest.mark.parametrize("front, error", FRONT_MATTER)
def test_front_matter_outside_the_allow_list_fails_the_build_and_qa_check(tmp_path, caplog, front, error):
    page = f"---\n{front}\n---\n\n# Home\n"
    assert re.search(error, build_fails(tmp_path / "build", caplog, {"docs/index.md": page})), caplog.text
    assert any(re.search(error, without_rule(line)) for line in check(tmp_path / "check", {"docs/index.md": page}))


def test_metadata_without_dashes_which_mkdocs_also_reads_is_refused(tmp_path, caplog):
    page = f"title: {PAYLOAD}\n\n# Home\n"
    assert "docs/index.md:1: MkDocs reads" in build_fails(tmp_path, caplog, {"docs/index.md": page})


@pytest.mark.parametrize("front", [f"subtitle: '{PAYLOAD}'", f"status: '{BREAKOUT}'", f"description: '{BREAKOUT}'"])
def test_the_whole_page_check_stops_a_theme_leak_even_without_the_page_model(tmp_path, caplog, front):
    """Second line of defence: the page after the theme is parsed and checked (on_post_page)."""
    text = build_fails(tmp_path, caplog, {"docs/index.md": f"---\n{front}\n---\n\n# Home\n",
                                          "docs/other.md": "# Other\n"}, hooks=["html_allowlist.py"])
    assert "unsafe HTML in the page as the theme rendered it" in text and "event-handler attribute" in text, text


def test_the_site_s_own_front_matter_still_builds(tmp_path):
    page = ("---\ntitle: Q&A basics\ndescription: What it's about, with 'quotes'.\ntopic_keywords: [a, b c]\n"
            "search:\n  exclude: true\n---\n\n# Q&A basics\n")
    assert "Q&amp;A basics" in (build_site(tmp_path, {"docs/index.md": page}) / "index.html").read_text()


# --- 2. An H1 written with entities, which <title>'s striptags turns back into markup ------------

ENTITY_TITLE = "# Title &lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;\n\nText.\n"


def test_a_page_title_with_character_references_fails_the_build_and_qa_check(tmp_path, caplog):
    files = {"docs/index.md": ENTITY_TITLE}
    assert "docs/index.md:1: the page title" in build_fails(tmp_path / "build", caplog, files)
    assert any("docs/index.md:1: page-format: the page title" in p for p in check(tmp_path / "check", files))


def test_a_title_leaking_through_striptags_is_caught_after_the_theme(tmp_path, caplog):
    text = build_fails(tmp_path, caplog, {"docs/index.md": "# Home\n", "docs/other.md": ENTITY_TITLE},
                       hooks=["html_allowlist.py"])
    assert "docs/other.md: unsafe HTML in the page as the theme rendered it" in text
    assert "event-handler attribute 'onerror'" in text


# --- 3. An attr_list id on a heading, copied raw into the tables of contents --------------------

ID_PAGE = f"# Home\n\n### A heading {{ id='{BREAKOUT}' }}\n\nText.\n"


@pytest.mark.parametrize("page", [ID_PAGE, "# Home\n\n### A heading { #x\"onfocus=alert(1) }\n"])
def test_a_heading_id_outside_letters_digits_dash_underscore_fails_the_build_and_qa_check(tmp_path, caplog, page):
    files = {"docs/index.md": page}
    assert re.search(r"docs/index\.md:3: id .* may hold only letters", build_fails(tmp_path / "build", caplog, files))
    assert any(re.search(r"docs/index\.md:3: page-format: id", p) for p in check(tmp_path / "check", files))


def test_a_heading_id_is_checked_in_the_rendered_html_too(tmp_path, caplog):
    text = build_fails(tmp_path, caplog, {"docs/index.md": ID_PAGE}, hooks=["html_allowlist.py"])
    assert "docs/index.md: unsafe HTML in the rendered page" in text and "a heading id may hold only" in text, text


# --- 4. Notebook titles: the `### Notebook:` line and a `#` cell --------------------------------

NOTEBOOK_PAGE = "# Topic\n\n## Question? { #question }\n\n<!-- notebook: evil -->\n"


@pytest.mark.parametrize("source, line", [
    (f"# %% [markdown]\n# ### Notebook: {PAYLOAD}\n\n# %%\nprint(1)\n", 2),
    ("# %% [markdown]\n# ### Notebook: fine\n\n# %% [markdown]\n# # Title &lt;/title&gt;\n\n# %%\nprint(1)\n", 5),
])
def test_a_notebook_heading_that_is_not_plain_text_fails_the_build_and_qa_check(tmp_path, caplog, monkeypatch, source, line):
    monkeypatch.setenv("NOTEBOOKS_EXECUTE", "0")
    files = {"notebooks/evil.py": source, "docs/topics/t.md": NOTEBOOK_PAGE}
    assert f"notebooks/evil.py:{line}: the heading" in build_project_fails(tmp_path / "build", caplog, files)
    assert any(f"notebooks/evil.py:{line}: notebook-format: the heading" in p for p in check(tmp_path / "check", files))


# --- 5. Files under docs/: SVG, HTML, scripts, and files shadowing the theme's -----------------

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(localStorage)</script></svg>'


@pytest.mark.parametrize("name, content, reason", [
    ("docs/evil.svg", SVG, "only Markdown pages and PNG, JPEG, GIF or WebP images"),
    ("docs/topics/page.html", b"<script>alert(1)</script>", "only Markdown pages"),
    ("docs/assets/javascripts/extra.js", b"alert(1)", "only Markdown pages"),
    ("docs/assets/javascripts/bundle.deadbeef.min.js", b"alert(1)", "only Markdown pages"),
    ("docs/assets/images/favicon.png", b"\x89PNG\r\n\x1a\n....", "it would replace the theme's own file"),
    ("docs/assets/vendor/katex/katex.min.js", b"alert(1)", "the build writes this path itself"),
    ("docs/figure.png", b"<svg onload=alert(1)>", "it is not a PNG image"),
])
def test_a_file_outside_the_docs_allow_list_fails_the_build_and_qa_check(tmp_path, caplog, name, content, reason):
    shown = name.removeprefix("docs/")
    text = build_fails(tmp_path / "build", caplog, {name: content})
    assert f"docs/{shown}: {reason}" in text, text
    assert any(f"{name}:1: docs-file: {reason}" in p for p in check(tmp_path / "check", {name: content}))


def test_a_theme_asset_shadowed_with_a_matching_name_is_refused_by_the_real_bundle_name(tmp_path, caplog):
    bundle = next((Path(__import__("material").__file__).parent / "templates").glob("assets/javascripts/bundle.*.min.js"))
    name = f"docs/assets/javascripts/{bundle.name}"
    assert f"{name}: it would replace the theme's own file" in build_fails(tmp_path, caplog, {name: b"alert(1)"})


def test_images_pages_and_the_site_s_own_assets_are_published(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    site = build_site(tmp_path, {"docs/img/figure.png": png, "docs/assets/javascripts/study.js": "// site script\n"})
    assert (site / "img" / "figure.png").read_bytes() == png and (site / "assets" / "javascripts" / "study.js").exists()


# --- 6. Notebook code cannot write the site; CI gives contributed code no write token ----------

def notebook_settings(root: Path) -> runner.Settings:
    return runner.Settings(root=root, cache_dir=root / ".cache" / "notebooks", execute=True, jobs=1, requirements=None)


def test_a_notebook_that_writes_under_docs_fails_the_build_naming_the_file_and_the_notebook(tmp_path, caplog):
    target = tmp_path / "docs" / "assets" / "javascripts" / "practice.js"
    source = f"# %% [markdown]\n# ### Notebook: evil\n\n# %%\nopen({str(target)!r}, 'a').write('alert(1)')\n"
    files = {"notebooks/evil.py": source, "docs/topics/t.md": NOTEBOOK_PAGE, "docs/assets/javascripts/practice.js": "// ok\n"}
    text = build_project_fails(tmp_path, caplog, files)
    assert "docs/assets/javascripts/practice.js: changed while these notebooks ran: notebooks/evil.py" in text, text
    assert not list((tmp_path / ".cache" / "notebooks").glob("evil-*.ipynb")), "not cached: the next build runs it again"


def test_a_notebook_runs_in_a_scratch_folder_without_the_build_s_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "secret-token")
    source = ("# %% [markdown]\n# ### Notebook: env\n\n# %%\nimport os\nopen('scratch.txt', 'w').write('x')\n"
              "print(sorted(k for k in os.environ if 'TOKEN' in k), os.getcwd())\n")
    write(tmp_path, {"notebooks/env.py": source})
    prepared = runner.prepare_all(notebook_settings(tmp_path), ["env"])["env"]
    printed = prepared.nb.cells[1].outputs[0]["text"]
    assert printed.startswith("[] ") and str(tmp_path) not in printed
    assert not (tmp_path / "notebooks" / "scratch.txt").exists()


# --- 7. Snippet includes: only the files meant for them ---------------------------------------

def test_a_snippet_include_of_a_repository_file_fails_the_build_and_qa_check(tmp_path, caplog, monkeypatch):
    monkeypatch.chdir(ROOT)  # pymdownx.snippets resolves base_path from the working folder
    files = {"docs/index.md": '# Home\n\n--8<-- "mkdocs.yml"\n'}
    assert "Snippet at path 'mkdocs.yml' could not be found" in build_fails(tmp_path / "build", caplog, files)
    assert any("docs/index.md:3: snippet: 'mkdocs.yml' cannot be included" in p for p in check(tmp_path / "check", files))
    block = {"docs/index.md": "# Home\n\n--8<--\n.git/config\n--8<--\n"}
    assert any("docs/index.md:4: snippet: '.git/config'" in p for p in check(tmp_path / "check2", block))


def test_the_contributing_guide_is_still_included(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    site = build_site(tmp_path, {"docs/index.md": '---\ntitle: How to contribute\n---\n\n--8<-- "CONTRIBUTING.md"\n'})
    assert "Answer a question" in (site / "index.html").read_text()
    assert check(tmp_path / "check", {"docs/index.md": '--8<-- "CONTRIBUTING.md"\n'}) == []


# --- The print page, written after the pages by print-site, is checked as a whole too ----------

def test_a_leak_into_the_print_page_fails_the_build_and_removes_the_page(tmp_path):
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path), plugins=["print-site"], hooks=[])
    page = tmp_path / "print_page" / "index.html"
    write(tmp_path, {"print_page/index.html": f'<html><head></head><body><nav class="md-tags"><span class="md-tag">'
                                              f"{PAYLOAD}</span></nav></body></html>"})
    with pytest.raises(PluginError, match=r"(?s)print_page/index.html: unsafe HTML in the print page.*'onerror'"):
        print_page.on_post_build(config=config)
    assert not page.exists()


# --- Reliability: bad bytes, notebook time and output size --------------------------------------

def test_invalid_utf8_in_a_page_names_file_and_line_in_the_build_qa_check_and_qa_stubs(tmp_path, caplog, capsys, monkeypatch):
    page = b"---\ntitle: T\n---\n\n# T\n\nCaf\xe9 au lait.\n"
    files = {"docs/topics/t.md": page}
    assert "docs/topics/t.md:7: not valid UTF-8 (byte 26" in build_fails(tmp_path / "build", caplog, files)
    assert any("docs/topics/t.md:7: encoding: not valid UTF-8" in p for p in check(tmp_path / "check", files))
    with pytest.raises(ContentError, match=r"t\.md:7: not valid UTF-8"):
        load_topic_pages(tmp_path / "check" / "docs" / "topics")
    write(tmp_path / "check", {"list.txt": "- What is dropout?\n"})
    monkeypatch.chdir(tmp_path / "check")
    assert main(["stubs", "--dry-run", "list.txt"]) == 2
    assert "docs/topics/t.md:7: not valid UTF-8" in capsys.readouterr().err


def test_invalid_utf8_in_a_notebook_names_file_and_line(tmp_path):
    write(tmp_path, {"notebooks/bad.py": b"# %% [markdown]\n# ### Notebook: bad\n\n# %%\nprint('\xff')\n"})
    with pytest.raises(ContentError, match=r"^notebooks/bad\.py:5: not valid UTF-8"):
        runner.prepare_all(notebook_settings(tmp_path), ["bad"])
    assert any("notebooks/bad.py:5: encoding" in p for p in check(tmp_path, {}))


def test_a_notebook_over_its_total_time_limit_fails_naming_it_and_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "TOTAL_TIMEOUT", 8)
    cells = "".join("\n# %%\nimport time\ntime.sleep(3)\n" for _ in range(4))  # each cell well under its 120 s
    write(tmp_path, {"notebooks/slow.py": "# %% [markdown]\n# ### Notebook: slow\n" + cells})
    with pytest.raises(ExceptionGroup) as failures:
        runner.prepare_all(notebook_settings(tmp_path), ["slow"])
    assert [str(e) for e in failures.value.exceptions] == [
        "notebooks/slow.py: ran longer than the limit of 8 s per notebook (keep notebooks to a few seconds)"]


def test_a_notebook_over_its_output_size_limit_fails_naming_it_and_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "MAX_OUTPUT_BYTES", 100_000)
    write(tmp_path, {"notebooks/loud.py": "# %% [markdown]\n# ### Notebook: loud\n\n# %%\nprint('x' * 200_000)\n"})
    with pytest.raises(ExceptionGroup) as failures:
        runner.prepare_all(notebook_settings(tmp_path), ["loud"])
    [error] = failures.value.exceptions
    assert re.fullmatch(r"notebooks/loud\.py: its outputs take 200,\d+ bytes, more than the limit of 100,000 bytes "
                        r"per notebook .*", str(error))
    assert not list((tmp_path / ".cache" / "notebooks").glob("loud-*.ipynb"))
