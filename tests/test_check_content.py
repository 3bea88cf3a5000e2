"""Content checks: each rule fails a bad contribution with a message a newcomer understands."""

from pathlib import Path

import pytest

from dlqa.cli import main
from dlqa.content_checks import run_checks

HEAD = "---\ntitle: T\ntracks: [ml-engineer]\n---\n\n# T\n\n"
ANSWERED = (
    "## What is dropout? {{ #{id} }}\n\n<!-- question difficulty=basic lists=000 -->\n\n"
    "Dropout zeroes random activations during training. {extra}\n\n"
    "**References:** [Srivastava et al., 2014](https://jmlr.org/papers/v15/srivastava14a.html)\n"
)


def make_site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (tmp_path / ".codespell-words").write_text("")
    return tmp_path


def messages(root: Path, spelling: bool = False) -> list[str]:
    return [str(problem) for problem in run_checks(root, spelling=spelling)]


def test_a_clean_page_passes(tmp_path):
    assert messages(make_site(tmp_path, {"topics/a.md": HEAD + ANSWERED.format(id="dropout", extra="")})) == []


@pytest.mark.parametrize(
    "extra, fragment",
    [
        ("<script>alert(1)</script>", "docs/topics/a.md:12: unsafe-html: raw <script> tags are not allowed"),
        ('<iframe src="https://example.com"></iframe>', "unsafe-html: raw <iframe> tags are not allowed"),
        ('<img src="x.png" onerror="steal()">', "unsafe-html: inline event handlers (on...=) are not allowed"),
        ("[click](javascript:alert(1))", "unsafe-html: javascript: URLs are not allowed"),
    ],
)
def test_unsafe_html_in_an_answer_fails_with_file_line_and_rule(tmp_path, extra, fragment):
    root = make_site(tmp_path, {"topics/a.md": HEAD + ANSWERED.format(id="dropout", extra=extra)})
    assert any(fragment in message for message in messages(root)), messages(root)


def test_html_shown_as_code_is_allowed(tmp_path):
    root = make_site(tmp_path, {"topics/a.md": HEAD + ANSWERED.format(id="dropout", extra="Never write `<script>`.")})
    assert messages(root) == []


def test_dollar_amounts_that_pair_as_math_fail_and_escaped_ones_and_formulas_pass(tmp_path):
    money = "It costs $2 per million tokens, with two GPUs reserved all month plus a share ($12,380 a month)."
    root = make_site(tmp_path, {"topics/a.md": HEAD + ANSWERED.format(id="dropout", extra=money)})
    assert [m for m in messages(root) if "math-prose" in m] == [
        "docs/topics/a.md:12: math-prose: the text between two `$` signs reads as prose "
        "('$2 per million tokens, with two GPUs reserved all month plus'): write `\\$` for a dollar amount"]
    fine = ("It costs \\$2 per million tokens (\\$12,380 a month); $2NT$ FLOPs; "
            "$\\text{price per GPU per hour} \\times n$; `$a b c d e$` in code.")
    root = make_site(tmp_path, {"topics/a.md": HEAD + ANSWERED.format(id="dropout", extra=fine)})
    assert messages(root) == []


def test_a_duplicated_id_fails_naming_both_places(tmp_path):
    root = make_site(tmp_path, {
        "topics/a.md": HEAD + ANSWERED.format(id="dropout", extra=""),
        "topics/b.md": HEAD + ANSWERED.format(id="dropout", extra=""),
    })
    assert messages(root) == [
        "docs/topics/b.md:8: duplicate-id: id #dropout is already used at docs/topics/a.md:8; choose another id"
    ]


def test_an_answer_without_a_reference_fails(tmp_path):
    page = HEAD + ANSWERED.format(id="dropout", extra="").split("**References:**")[0]
    assert messages(make_site(tmp_path, {"topics/a.md": page})) == [
        "docs/topics/a.md:8: reference: #dropout (What is dropout?) cites no source; "
        "add a link to a paper, book chapter or official docs"
    ]


def test_a_question_with_neither_answer_nor_stub_fails(tmp_path):
    page = HEAD + "## What is dropout? { #dropout }\n\n<!-- question difficulty=basic lists=000 -->\n"
    assert "unanswered: #dropout (What is dropout?) has no answer" in messages(make_site(tmp_path, {"topics/a.md": page}))[0]


def test_a_marked_stub_passes(tmp_path):
    page = HEAD + "## What is dropout? { #dropout }\n\n<!-- question difficulty=basic lists=000 -->\n\n<!-- unanswered -->\n"
    assert messages(make_site(tmp_path, {"topics/a.md": page})) == []


def test_a_heading_without_id_fails_with_the_format_rule(tmp_path):
    page = HEAD + "## What is dropout?\n\nText.\n"
    assert messages(make_site(tmp_path, {"topics/a.md": page}))[0].startswith(
        "docs/topics/a.md:8: question-format: a level-2 heading must be a question with an explicit id"
    )


def test_broken_links_and_anchors_fail(tmp_path):
    extra = "See [b](b.md#nothing) and [c](c.md)."
    root = make_site(tmp_path, {
        "topics/a.md": HEAD + ANSWERED.format(id="dropout", extra=extra),
        "topics/b.md": HEAD + ANSWERED.format(id="other", extra=""),
    })
    assert messages(root) == [
        "docs/topics/a.md:12: link: b.md#nothing: no #nothing in docs/topics/b.md",
        "docs/topics/a.md:12: link: c.md: no page docs/topics/c.md",
    ]


def test_committed_notebook_outputs_fail(tmp_path):
    root = make_site(tmp_path, {"topics/a.md": HEAD + ANSWERED.format(id="dropout", extra="")})
    (root / "notebooks").mkdir()
    (root / "notebooks" / "x.ipynb").write_text('{"cells": [{"cell_type": "code", "outputs": [{"text": "1"}], "execution_count": 1}]}')
    assert messages(root) == [
        "notebooks/x.ipynb:1: notebook-outputs: cell 1 has outputs; clear them (jupyter nbconvert --clear-output --inplace)"
    ]


def test_misspellings_fail_with_a_suggestion(tmp_path):
    root = make_site(tmp_path, {"topics/a.md": HEAD + ANSWERED.format(id="dropout", extra="It is recieved.")})
    assert any("docs/topics/a.md:12: spelling: recieved ==> received" in m for m in messages(root, spelling=True))


def test_the_repository_content_passes(capsys):
    assert main(["check"]) == 0, capsys.readouterr().out


def test_a_python_block_with_a_syntax_error_fails(tmp_path):
    code = '=== "PyTorch"\n\n    ```python\n    model = nn.Linear(10, 2\n    ```\n\n'
    root = make_site(tmp_path, {"topics/a.md": HEAD + ANSWERED.format(id="dropout", extra="\n\n" + code)})
    assert messages(root) == ["docs/topics/a.md:17: code-syntax: Python syntax error: '(' was never closed"]


def test_links_and_headings_after_indented_code_blocks_are_still_checked(tmp_path):
    code = '=== "Keras"\n\n    ```python\n    x = 1\n    ```\n\n'
    page_a = HEAD + ANSWERED.format(id="dropout", extra="\n\n" + code) + "\nSee [b](b.md#other) and [c](b.md#nothing).\n"
    page_b = HEAD + ANSWERED.format(id="first", extra="\n\n" + code) + "\n" + ANSWERED.format(id="other", extra="")
    root = make_site(tmp_path, {"topics/a.md": page_a, "topics/b.md": page_b})
    assert [m.split(": ", 2)[1:] for m in messages(root)] == [["link", "b.md#nothing: no #nothing in docs/topics/b.md"]]


def test_links_to_pages_embedding_notebooks_are_checked_against_the_notebooks_headings_too(tmp_path):
    page_b = HEAD + ANSWERED.format(id="other", extra="") + "\n<!-- notebook: demo -->\n"
    extra = "See [nb](b.md#notebook-demo), [q](b.md#other) and [gone](b.md#nothing)."
    root = make_site(tmp_path, {"topics/a.md": HEAD + ANSWERED.format(id="dropout", extra=extra), "topics/b.md": page_b})
    (root / "notebooks").mkdir()
    (root / "notebooks" / "demo.py").write_text("# %% [markdown]\n# ### Notebook: demo\n#\n# Prose.\n\n# %%\nprint(1)\n")
    assert messages(root) == ["docs/topics/a.md:12: link: b.md#nothing: no #nothing in docs/topics/b.md"]


def test_a_question_without_a_track_fails_naming_the_known_tracks(tmp_path):
    page = "---\ntitle: T\n---\n\n# T\n\n" + ANSWERED.format(id="dropout", extra="")
    assert messages(make_site(tmp_path, {"topics/a.md": page})) == [
        "docs/topics/a.md:7: track: #dropout (What is dropout?) has no role track; give the page a default in its "
        "front matter (tracks: [ml-engineer]) or the question its own (tracks=...); known tracks: ml-engineer, "
        "llm-engineer, research-scientist, ml-infrastructure"
    ]


def test_a_question_may_give_its_own_track_on_a_page_without_one(tmp_path):
    page = "---\ntitle: T\n---\n\n# T\n\n" + ANSWERED.format(id="dropout", extra="").replace(
        "lists=000", "lists=000 tracks=llm-engineer")
    assert messages(make_site(tmp_path, {"topics/a.md": page})) == []


@pytest.mark.parametrize("front, meta, line, fragment", [
    ("tracks: [ml-engineer, data-wizard]", "", 3, "front matter 'tracks': unknown track 'data-wizard'"),
    ("tracks: ml-engineer", "", 3, "front matter 'tracks': must be a list of one or more tracks"),
    ("tracks: [ml-engineer]", " tracks=+prompt-artist", 10, "#dropout: unknown track 'prompt-artist'"),
])
def test_an_unknown_track_fails_at_its_line_naming_the_known_ones(tmp_path, front, meta, line, fragment):
    page = f"---\ntitle: T\n{front}\n---\n\n# T\n\n" + ANSWERED.format(id="dropout", extra="").replace(
        "lists=000", f"lists=000{meta}")
    [message] = messages(make_site(tmp_path, {"topics/a.md": page}))
    assert message.startswith(f"docs/topics/a.md:{line}: question-format: {fragment}")
    assert "ml-engineer, llm-engineer, research-scientist, ml-infrastructure" in message
