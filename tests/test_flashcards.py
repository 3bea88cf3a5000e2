"""The flashcards (dlqa/flashcards.py, hook dlqa/hooks/flashcards.py): an Anki deck and a CSV of every
question, read back the way Anki reads an .apkg (a zip holding an SQLite collection)."""

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from dlqa.docs_files import refused_file
from dlqa.flashcards import Card, anki_package, card_html, csv_text, question_sections

PAGE_URL = "https://site.example/dl/topics/t/"
# A topic page's content as MkDocs renders it (on_page_content: math still TeX, diagrams still source).
RENDERED = r"""<h1 id="t">T</h1>
<h2 id="q1">What is <em>x</em> <span class="arithmatex">\(x^2\)</span>?<a class="headerlink" href="#q1" title="Link">¶</a></h2>
<p class="q-meta" data-search-exclude><span class="q-difficulty q-difficulty--basic">basic</span></p>
<div class="q-also"><p><em>Also asked as:</em></p><ul><li>Another phrasing</li></ul></div>
<p>Answer with <span class="arithmatex">\(a &lt; b\)</span>, <a href="../other/#y">a link</a> and <a href="#q2">the next one</a>.</p>
<div class="arithmatex">\[ E = mc^2 \]</div>
<div class="highlight"><pre><span></span><code><span class="n">x</span> <span class="o">=</span> <span class="mi">1</span>
</code></pre></div>
<p><img alt="plot" src="../../notebooks/n/cell1-1.png" /></p>
<pre class="mermaid"><code>graph LR; A--&gt;B</code></pre>
<div class="admonition warning"><p class="admonition-title">Pitfalls</p><p>Careful <script>alert(1)</script><b onclick="steal()">here</b> <a href="javascript:alert(1)">x</a></p></div>
<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio" /><input id="__tabbed_1_2" name="__tabbed_1" type="radio" /><div class="tabbed-labels"><label for="__tabbed_1_1">PyTorch</label><label for="__tabbed_1_2">Keras</label></div><div class="tabbed-content"><div class="tabbed-block"><p>torch code</p></div><div class="tabbed-block"><p>keras code</p></div></div></div>
<h2 id="q2">Second?<a class="headerlink" href="#q2">¶</a></h2>
<p>Two.</p>
"""


def cards_of(content: str, **overrides) -> list[Card]:
    return [Card(qid, card_html(heading, PAGE_URL), card_html(answer, PAGE_URL), overrides.get("topic", "Topic T"),
                 overrides.get("slug", "t"), "basic", ("ml-engineer", "llm-engineer"), f"{PAGE_URL}#{qid}")
            for qid, (heading, answer) in question_sections(content).items()]


def test_a_card_keeps_the_answer_with_tex_for_anki_and_drops_the_site_furniture():
    first, second = cards_of(RENDERED)
    assert first.question == r"What is <em>x</em> \(x^2\)?"  # no permalink sign
    answer = first.answer
    assert r"\(a &lt; b\)" in answer and r"\[ E = mc^2 \]" in answer  # Anki's MathJax delimiters
    assert "basic" not in answer and "Another phrasing" not in answer  # badge line and "Also asked as" dropped
    assert "<pre><code>x = 1\n</code></pre>" in answer  # code as text, without highlighting spans
    assert second.question == "Second?" and second.answer == "<p>Two.</p>"


def test_links_become_absolute_and_figures_diagrams_link_to_the_answer_on_the_site():
    answer = cards_of(RENDERED)[0].answer
    assert '<a href="https://site.example/dl/topics/other/#y"' in answer
    assert '<a href="https://site.example/dl/topics/t/#q2"' in answer
    assert "<img" not in answer and "graph LR" not in answer
    assert answer.count('<a href="https://site.example/dl/topics/t/#q1" rel="noopener noreferrer">') == 2
    assert "Figure: see it on the site" in answer and "Diagram: see it on the site" in answer


def test_card_html_is_sanitised():
    answer = cards_of(RENDERED)[0].answer
    for hazard in ("<script", "alert(1)", "onclick", "javascript:", "<input", "class="):
        assert hazard not in answer
    assert "<p><strong>Pitfalls</strong></p>" in answer  # the admonition keeps its title


def test_content_tabs_follow_one_another_under_their_labels():
    answer = cards_of(RENDERED)[0].answer
    order = [answer.index(text) for text in ("<strong>PyTorch</strong>", "torch code", "<strong>Keras</strong>", "keras code")]
    assert order == sorted(order)


def read_deck(data: bytes, tmp_path: Path) -> dict:
    """What Anki imports from an .apkg: its notes, cards, decks and note types."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert set(archive.namelist()) == {"collection.anki2", "media"}
    path = tmp_path / f"collection-{len(list(tmp_path.iterdir()))}.anki2"
    path.write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(path)
    try:
        decks = {int(k): v["name"] for k, v in json.loads(db.execute("SELECT decks FROM col").fetchone()[0]).items()}
        models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
        notes = {guid: (fields.split("\x1f"), tags.split(), did, mid) for guid, fields, tags, did, mid in db.execute(
            "SELECT n.guid, n.flds, n.tags, c.did, n.mid FROM notes n JOIN cards c ON c.nid = n.id")}
        assert db.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == len(notes)  # one card per note
    finally:
        db.close()
    return {"decks": decks, "models": models, "notes": notes}


def test_the_deck_has_one_note_per_question_in_a_subdeck_per_topic_tagged_by_level_and_track(tmp_path):
    cards = cards_of(RENDERED) + cards_of(RENDERED.replace('id="q1"', 'id="q3"').replace('id="q2"', 'id="q4"'),
                                          topic="Other topic", slug="other")
    deck = read_deck(anki_package(cards), tmp_path)
    assert len(deck["notes"]) == 4
    by_question = {fields[5].rsplit("#", 1)[1]: (fields, tags, deck["decks"][did]) for fields, tags, did, _ in deck["notes"].values()}
    assert {q: name for q, (_, _, name) in by_question.items()} == {
        "q1": "Deep Learning Interview Q&A::Topic T", "q2": "Deep Learning Interview Q&A::Topic T",
        "q3": "Deep Learning Interview Q&A::Other topic", "q4": "Deep Learning Interview Q&A::Other topic",
    }
    fields, tags, _ = by_question["q1"]
    assert tags == ["level::basic", "track::ml-engineer", "track::llm-engineer"]
    assert fields[0] == r"What is <em>x</em> \(x^2\)?" and fields[2:5] == ["Topic T", "basic", "ML engineer, LLM engineer"]
    [model] = deck["models"].values()
    assert [field["name"] for field in model["flds"]] == ["Question", "Answer", "Topic", "Level", "Tracks", "Link"]


def test_ids_are_stable_across_builds_and_unchanged_when_a_question_is_added(tmp_path):
    cards = cards_of(RENDERED)
    first = read_deck(anki_package(cards, timestamp=1_700_000_000), tmp_path)
    again = read_deck(anki_package(cards, timestamp=1_800_000_000), tmp_path)
    new = cards_of(RENDERED.replace('<h2 id="q2">', '<h2 id="q0">New?</h2><p>New.</p>\n<h2 id="q2">'))
    grown = read_deck(anki_package(new, timestamp=1_900_000_000), tmp_path)

    def ids(deck):
        return {fields[5]: (guid, did, mid) for guid, (fields, _, did, mid) in deck["notes"].items()}

    assert ids(first) == ids(again)  # same GUIDs, deck ids and note type: a re-import updates
    assert len(grown["notes"]) == 3
    assert {url: value for url, value in ids(grown).items() if not url.endswith("#q0")} == ids(first)


def test_the_csv_has_a_header_and_one_row_per_question_with_the_documented_columns():
    cards = cards_of(RENDERED)
    rows = list(csv.reader(io.StringIO(csv_text(cards), newline="")))
    assert rows[0] == ["question", "answer", "topic", "level", "tracks", "url"]
    assert len(rows) == 1 + len(cards)
    question, answer, topic, level, tracks, url = rows[1]
    assert question == r"What is x \(x^2\)?"  # plain text
    assert answer == cards[0].answer and "\n" in answer  # multi-line HTML survives quoting
    assert (topic, level, tracks, url) == ("Topic T", "basic", "ml-engineer llm-engineer", f"{PAGE_URL}#q1")


@pytest.mark.parametrize("title", ["=HYPERLINK(\"https://evil.example\")", "+1", "-1", "@SUM(A1)"])
def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_defused(title):
    card = Card("q", title, "<p>a</p>", "T", "t", "basic", ("ml-engineer",), f"{PAGE_URL}#q")
    assert list(csv.reader(io.StringIO(csv_text([card]))))[1][0] == "'" + title


@pytest.mark.parametrize("path", ["downloads/dl-interview-qa.apkg", "downloads/dl-interview-qa.csv", "downloads/other.md"])
def test_no_contributed_file_may_take_the_place_of_the_downloads(path):
    assert "the build writes this path itself" in refused_file(path, b"", frozenset())


# --- The built site ----------------------------------------------------------------------


def test_the_built_deck_and_csv_hold_every_question_of_the_site_and_the_home_page_links_them(built_site, tmp_path):
    index = json.loads((built_site / "assets" / "question-index.json").read_text(encoding="utf-8"))
    questions = {q["id"]: (page["title"], q) for page in index["pages"] for q in page["questions"]}
    deck = read_deck((built_site / "downloads" / "dl-interview-qa.apkg").read_bytes(), tmp_path)
    assert len(deck["notes"]) == len(questions)
    by_id = {fields[5].rsplit("#", 1)[1]: (tags, deck["decks"][did]) for fields, tags, did, _ in deck["notes"].values()}
    for question_id, (topic, question) in questions.items():
        tags, name = by_id[question_id]
        assert name == f"Deep Learning Interview Q&A::{topic}"
        assert tags == [f"level::{question['level']}", *(f"track::{track}" for track in question["tracks"])]
    assert len(set(deck["decks"][did] for _, _, did, _ in deck["notes"].values())) == len(index["pages"])
    rows = list(csv.reader(io.StringIO((built_site / "downloads" / "dl-interview-qa.csv").read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 1 + len(questions) and all(len(row) == 6 for row in rows)
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="downloads/dl-interview-qa.apkg"' in home and 'href="downloads/dl-interview-qa.csv"' in home
