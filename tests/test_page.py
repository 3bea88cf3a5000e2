"""The page model (dlqa/page.py): one grammar for fences, questions, metadata and markers."""

import os
import stat

import pytest

from dlqa.content_checks import check_unsafe_html
from dlqa.errors import ContentError
from dlqa.files import keep_line_endings, write_atomically
from dlqa.page import (escape_text, fences, inline_plain_text, merge_into, parse_page, plain_text, rewrite_markup,
                       without_code)

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


def test_a_crlf_page_parses_like_its_lf_copy():
    text = FENCE_CASE + "\n## What is X? { #x }\n\n<!-- question difficulty=basic lists=000 -->\n\n*Also asked as:*\n\n- Define X.\n\nAn answer.\n"
    lf, crlf = parse_page(text, "t.md"), parse_page(text.replace("\n", "\r\n"), "t.md")
    assert (crlf.questions, crlf.markers, crlf.text) == (lf.questions, lf.markers, lf.text)
    assert crlf.source == text.replace("\n", "\r\n")


@pytest.mark.parametrize("label", ["0<b>", 'x"onmouseover=alert(1)', "a&b"])
def test_a_list_label_outside_the_safe_characters_is_a_content_error(label):
    text = HEAD + f"## What is X? {{ #x }}\n\n<!-- question difficulty=basic lists=000,{label} -->\n\n<!-- unanswered -->\n"
    with pytest.raises(ContentError) as caught:
        parse_page(text, "docs/topics/t.md")
    assert str(caught.value).startswith(f"docs/topics/t.md:9: #x: list label {label!r} may hold only letters, digits")


def test_escaped_text_shows_as_written_and_round_trips():
    hostile = "What is <b>x</b> { #id } {: onclick=y } <!-- c --> &amp; Q&A?"
    escaped = escape_text(hostile)
    assert escaped == "What is &lt;b&gt;x&lt;/b&gt; &#123; #id &#125; &#123;: onclick=y &#125; &lt;!-- c --&gt; &amp;amp; Q&A?"
    assert plain_text(escaped) == hostile and escape_text("What is dropout?") == "What is dropout?"


@pytest.mark.parametrize("original, edited, expected", [
    ("a\r\nb\r\n", "a\nnew\nb\n", "a\r\nnew\r\nb\r\n"),  # a new line takes the page's ending
    ("a\r\nb", "a\nb\n\nc\n", "a\r\nb\r\n\r\nc\r\n"),  # the last line had no ending: it gets the page's
    ("a\nb\r\nc\r\n", "a\nb\nc\nd\n", "a\nb\r\nc\r\nd\r\n"),  # mixed endings: kept line by line
    ("a\nb\n", "a\nb\nc\n", "a\nb\nc\n"),
])
def test_keep_line_endings_keeps_each_kept_line_byte_for_byte(original, edited, expected):
    assert keep_line_endings(original, edited) == expected


TRACKED = """---
title: T
tracks: [research-scientist, ml-engineer]
---

# T

## Page default? { #default }

<!-- question difficulty=basic lists=000 -->

<!-- unanswered -->

## Replaced? { #replaced }

<!-- question difficulty=basic lists=000 tracks=llm-engineer -->

<!-- unanswered -->

## Extended? { #extended }

<!-- question difficulty=basic lists=000 tracks=+ml-infrastructure,llm-engineer -->

<!-- unanswered -->
"""


def test_a_question_takes_the_page_tracks_unless_its_metadata_replaces_or_extends_them():
    page = parse_page(TRACKED, "docs/topics/t.md")
    assert page.tracks == ["research-scientist", "ml-engineer"]
    assert {q.id: q.tracks for q in page.questions} == {  # always in the order of TRACKS
        "default": ["ml-engineer", "research-scientist"],
        "replaced": ["llm-engineer"],
        "extended": ["ml-engineer", "llm-engineer", "research-scientist", "ml-infrastructure"],
    }


def test_merging_into_a_question_keeps_its_own_tracks():
    merged = merge_into(parse_page(TRACKED, "t.md"), "replaced", ["Other?"], ["007"])
    question = parse_page(merged, "t.md").question("replaced")
    assert question.lists == ["000", "007"] and question.tracks == ["llm-engineer"]


FOLLOWUPS = HEAD + """## Q? { #q }

<!-- question difficulty=basic lists=000 -->

An answer.

??? question "Follow-up questions"
    - *Why not Newton's method?* It needs the Hessian: $n^2$ entries.
    - What is IoU? (Intersection over union; see [IoU](#iou).)
    - Why squash it? (To keep it in $[0, 1)$ as a probability.)
    - Labels arrive late: what do you do? See [monitoring](production.md#monitoring).
    - Which open problem would you work on?
    - Write the AdamW update.
    - See also [attention](attention.md#attention).

```markdown
??? question "Follow-up questions"
    - *Inside a fence?* Not a follow-up.
```

**References:** [A book](https://example.com)
"""


def test_follow_ups_are_read_in_each_form_contributors_write_them():
    (question,) = parse_page(FOLLOWUPS, "docs/topics/t.md").questions
    assert [(f.question, f.answer) for f in question.followups] == [
        ("Why not Newton's method?", "It needs the Hessian: $n^2$ entries."),
        ("What is IoU?", "Intersection over union; see [IoU](#iou)."),
        ("Why squash it?", "To keep it in $[0, 1)$ as a probability."),  # the bracket in math is no parenthesis
        ("Labels arrive late: what do you do?", "See [monitoring](production.md#monitoring)."),
        ("Which open problem would you work on?", ""),  # no short answer given
        ("Write the AdamW update.", ""),  # a task is a follow-up too
    ]  # "See also" is a pointer, not a question; the fenced example is code
    assert [f.line for f in question.followups] == [14, 15, 16, 17, 18, 19]


def test_rewriting_marks_each_follow_up_answer_and_leaves_the_rest_of_the_item_as_written():
    rewritten = rewrite_markup(FOLLOWUPS, meta=lambda m: "", stub=lambda: "", also=lambda lines: lines,
                               followup_answer=lambda answer: f"[[{answer}]]").split("\n")
    assert rewritten[13:19] == [
        "    - *Why not Newton's method?* [[It needs the Hessian: $n^2$ entries.]]",
        "    - What is IoU? ([[Intersection over union; see [IoU](#iou).]])",
        "    - Why squash it? ([[To keep it in $[0, 1)$ as a probability.]])",
        "    - Labels arrive late: what do you do? [[See [monitoring](production.md#monitoring).]]",
        "    - Which open problem would you work on?",
        "    - Write the AdamW update.",
    ]
    assert "    - *Inside a fence?* Not a follow-up." in rewritten


def test_plain_text_of_inline_markdown_drops_markup_but_keeps_math():
    assert inline_plain_text("Why *not* `include_top=False` or [a link](x.md#y) for $x_i$ &amp; **bold**?") == \
        "Why not include_top=False or a link for $x_i$ & bold?"
