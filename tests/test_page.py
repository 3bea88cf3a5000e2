"""The page model (dlqa/page.py): one grammar for fences, questions, metadata and markers."""

import os
import stat

import pytest

from dlqa.content_checks import check_unsafe_html
from dlqa.errors import ContentError
from dlqa.files import write_atomically
from dlqa.page import fences, merge_into, parse_page, without_code

HEAD = "---\ntitle: T\n---\n\n# T\n\n"
# A four-backtick fence showing a three-backtick line and a heading: all of it is code.
FENCE_CASE = HEAD + (
    "## What is a fence? { #fence }\n\n<!-- question difficulty=basic lists=000 -->\n\n"
    "````markdown\n```\n## What is dropout?\n<!-- notebook: not a marker --> <script>\n```\n````\n\n"
    "<!-- notebook: demo -->\n\n<!-- unanswered -->\n"
)


def test_a_fence_closes_only_with_the_same_character_at_least_as_long_and_nothing_else():
    lines = ["````markdown", "```", "``` still inside", "~~~~", "`````", "after", "~~~", "x", "~~~ not closed"]
    assert [(f.start, f.end, f.closed) for f in fences(lines)] == [(0, 4, True), (6, 8, False)]


def test_the_fence_case_is_read_the_same_by_the_model_the_checks_and_the_marker_scan():
    page = parse_page(FENCE_CASE, "docs/topics/t.md")  # the heading inside the fence is no question
    assert [q.id for q in page.questions] == ["fence"] and page.questions[0].stub
    assert [(m.line, m.name) for m in page.markers] == [(18, "demo")]  # the marker scan skips the fence
    masked = without_code(FENCE_CASE).split("\n")  # the content checks' masking blanks all of it
    assert masked[10:16] == [" " * len(line) for line in FENCE_CASE.split("\n")[10:16]]
    assert "What is dropout" not in without_code(FENCE_CASE)
    assert check_unsafe_html(FENCE_CASE, "docs/topics/t.md") == []


def test_a_malformed_marker_is_a_content_error_with_path_and_line():
    with pytest.raises(ContentError) as caught:
        parse_page("# T\n\n<!-- notebook: two words -->\n", "docs/index.md", topic=False)
    assert (caught.value.path, caught.value.line) == ("docs/index.md", 3)
    assert str(caught.value).startswith("docs/index.md:3: malformed notebook marker")


def test_merge_adds_missing_phrasings_and_the_list_label():
    text = HEAD + "## What is X? { #x }\n\n<!-- question difficulty=basic lists=000 -->\n\nAn answer.\n"
    merged = merge_into(parse_page(text, "t.md"), "x", ["What is X?", "Define X.", "Define X."], ["002", "000"])
    (question,) = parse_page(merged, "t.md").questions
    assert question.phrasings == ["Define X."] and question.lists == ["000", "002"] and question.answer == "An answer."


def test_write_atomically_keeps_the_mode_and_the_text_as_given(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("old")
    os.chmod(path, 0o664)
    write_atomically(path, "a\r\nb\n")
    assert path.read_bytes() == b"a\r\nb\n" and stat.S_IMODE(path.stat().st_mode) == 0o664
    new = tmp_path / "new.md"
    write_atomically(new, "x\n")
    assert stat.S_IMODE(new.stat().st_mode) == 0o644


def test_write_atomically_leaves_no_temporary_file_on_failure(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "\udcff")  # a lone surrogate cannot be encoded
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["page.md"]
