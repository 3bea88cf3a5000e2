"""Moving and merging questions keeps every phrasing and every link working."""

import pytest

from dlqa.cli import main
from dlqa.page import parse_page

HEAD = "---\ntitle: {t}\n---\n\n# {t}\n\n"


def block(qid, title, lists="000", extra=""):
    return f"## {title} {{ #{qid} }}\n\n<!-- question difficulty=basic lists={lists} -->\n\n{extra}An answer. [Ref](https://example.org)\n"


@pytest.fixture
def docs(tmp_path):
    topics = tmp_path / "docs" / "topics"
    topics.mkdir(parents=True)
    (topics / "a.md").write_text(HEAD.format(t="A") + block("keep", "What is X?", "000", "*Also asked as:*\n\n- Define X.\n\n")
                                 + "\n" + block("dup", "Explain X.", "002", "See [keep](#keep) and [y](b.md#y).\n\n"))
    (topics / "b.md").write_text(HEAD.format(t="B") + block("y", "What is Y?", "001", "Compare [X](a.md#dup).\n\n"))
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[dup](topics/a.md#dup)\n")
    return tmp_path / "docs"


def read(docs, name):
    return (docs / "topics" / name).read_text()


def test_move_carries_the_block_and_rewrites_links(docs):
    assert main(["move", "dup", "--to", "b", "--docs", str(docs)]) == 0
    a, b = parse_page(read(docs, "a.md"), "a"), parse_page(read(docs, "b.md"), "b")
    assert [q.id for q in a.questions] == ["keep"] and [q.id for q in b.questions] == ["y", "dup"]
    moved = b.questions[1]
    assert moved.title == "Explain X." and moved.lists == ["002"]
    assert "See [keep](a.md#keep) and [y](#y)." in read(docs, "b.md")  # links inside the block follow it
    assert "Compare [X](#dup)." in read(docs, "b.md")
    assert "[dup](topics/b.md#dup)" in (docs / "index.md").read_text()


def test_merge_keeps_every_phrasing_and_list_and_rewrites_links(docs):
    assert main(["move", "dup", "--into", "keep", "--docs", str(docs)]) == 0
    (kept,) = parse_page(read(docs, "a.md"), "a").questions
    assert kept.phrasings == ["Define X.", "Explain X."] and kept.lists == ["000", "002"]
    assert kept.answer.startswith("An answer.")
    assert "Compare [X](a.md#keep)." in read(docs, "b.md")
    assert "[dup](topics/a.md#keep)" in (docs / "index.md").read_text()


def test_unknown_ids_and_pages_are_errors_that_write_nothing(docs, capsys):
    before = {p: p.read_text() for p in docs.rglob("*.md")}
    assert main(["move", "nope", "--to", "b", "--docs", str(docs)]) == 2
    assert main(["move", "dup", "--to", "zzz", "--docs", str(docs)]) == 2
    assert main(["move", "dup", "--into", "dup", "--docs", str(docs)]) == 2
    assert "no question #nope" in capsys.readouterr().err
    assert {p: p.read_text() for p in docs.rglob("*.md")} == before


def test_rename_changes_the_heading_id_and_every_link(docs):
    assert main(["move", "dup", "--rename", "explain-x", "--docs", str(docs)]) == 0
    assert [q.id for q in parse_page(read(docs, "a.md"), "a").questions] == ["keep", "explain-x"]
    assert "Compare [X](a.md#explain-x)." in read(docs, "b.md")
    assert "[dup](topics/a.md#explain-x)" in (docs / "index.md").read_text()
    assert main(["move", "keep", "--rename", "y", "--docs", str(docs)]) == 2  # taken


def test_a_page_edited_meanwhile_is_not_overwritten_and_nothing_is_written(docs, monkeypatch, capsys):
    from dlqa import move

    real_move = move.move

    def move_then_someone_edits(*args):
        texts = real_move(*args)
        (docs / "index.md").write_text("# Home\n\nEdited meanwhile: [dup](topics/a.md#dup)\n")
        return texts

    monkeypatch.setattr(move, "move", move_then_someone_edits)
    before = {p: p.read_text() for p in (docs / "topics").glob("*.md")}
    assert main(["move", "dup", "--to", "b", "--docs", str(docs)]) == 2
    assert f"{docs / 'index.md'}: changed on disk since this command read it" in capsys.readouterr().err
    assert {p: p.read_text() for p in (docs / "topics").glob("*.md")} == before
    assert "Edited meanwhile" in (docs / "index.md").read_text()


def test_rename_on_a_crlf_page_changes_only_the_heading_line(docs):
    page = docs / "topics" / "a.md"
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    before = page.read_bytes().split(b"\r\n")
    assert main(["move", "dup", "--rename", "explain-x", "--docs", str(docs)]) == 0
    after = page.read_bytes().split(b"\r\n")
    assert [(old, new) for old, new in zip(before, after) if old != new] == [(b"## Explain X. { #dup }", b"## Explain X. { #explain-x }")]
    assert len(after) == len(before)
