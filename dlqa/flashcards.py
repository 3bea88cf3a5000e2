"""Every question and answer as flashcards: an Anki deck (.apkg, written with genanki) and a CSV.

Pure functions: `card_html` turns an answer as MkDocs rendered it into HTML fit for a card, and
`anki_package` / `csv_text` turn cards into file contents. The flashcards hook collects the
rendered answers and writes the files into the site.

- One note per question, in one subdeck per topic ("Deep Learning Interview Q&A::Optimisation"),
  tagged `level::basic` and `track::ml-engineer`. Note GUIDs come from the question's id (ids
  never change and are unique across pages, so a question keeps its note when it moves to another
  page), the deck ids from the page's file name and the note type's id is fixed: importing a newer
  deck updates the cards a reader already has instead of adding copies.
- Math stays TeX between Anki's MathJax delimiters, `\\(..\\)` and `\\[..\\]` (what
  pymdownx.arithmatex writes before the math hook renders it).
- The HTML is sanitised by nh3 (Rust's ammonia) against a short allow-list: no script, style,
  form or embedded content. Images, notebook plots and diagrams become links to the answer on the
  site; so do relative links, made absolute with the site's URL.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import itertools
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
import genanki
import nh3
from selectolax.lexbor import LexborHTMLParser

from dlqa.page import TRACKS

DECK_NAME = "Deep Learning Interview Q&A"
CSV_COLUMNS = ("question", "answer", "topic", "level", "tracks", "url")
# Tags and attributes a card keeps (nh3 drops every other tag but keeps its text, and drops
# script, style and the like with their content). No span: code loses its highlighting, math
# its wrapper; the text stays.
CARD_TAGS = {
    "a", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h3", "h4", "h5",
    "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}
CARD_ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
CARD_SCHEMES = {"http", "https", "mailto"}
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

MODEL_FIELDS = ("Question", "Answer", "Topic", "Level", "Tracks", "Link")
FRONT = '<div class="dlqa-meta">{{Topic}} · {{Level}}</div>\n<div class="dlqa-question">{{Question}}</div>'
BACK = '{{FrontSide}}\n<hr id="answer">\n{{Answer}}\n<p class="dlqa-link"><a href="{{Link}}">Read this answer on the site</a></p>'
CSS = """.card { font-family: system-ui, sans-serif; font-size: 17px; line-height: 1.45; text-align: left;
  color: black; background: white; max-width: 46em; margin: 0 auto; }
.nightMode.card, .night_mode .card { color: #eee; background: #222; }
.dlqa-meta { font-size: 0.8em; opacity: 0.7; }
.dlqa-question { font-size: 1.15em; font-weight: 600; margin: 0.4em 0; }
pre { overflow-x: auto; padding: 0.5em; background: rgba(127, 127, 127, 0.12); }
table { border-collapse: collapse; } td, th { border: 1px solid rgba(127, 127, 127, 0.5); padding: 0.2em 0.4em; }
.dlqa-link { font-size: 0.85em; }
"""


@dataclass(frozen=True)
class Card:
    id: str  # the question's id
    question: str  # HTML (sanitised)
    answer: str  # HTML (sanitised)
    topic: str  # the page's title
    topic_slug: str  # the page's file name
    level: str
    tracks: tuple[str, ...]
    url: str  # absolute URL of the question on the site


def stable_id(*parts: str) -> int:
    """A positive id that fits Anki's 63-bit ids, derived from `parts` only (same parts, same id)."""
    digest = hashlib.sha256("\x1f".join(("dl-interview-qa", *parts)).encode()).digest()
    return int.from_bytes(digest[:6], "big") + (1 << 40)


MODEL_ID = stable_id("model", "question-answer-v1")


def question_sections(content: str) -> dict[str, tuple[str, str]]:
    """Per question id (each <h2 id> of a rendered page, in order), the heading's inner HTML and the
    HTML from it to the next heading, made fit for a card (sanitise them with card_html):
    the site's question markup (level badge, "Also asked as") and permalinks dropped, admonition
    titles in bold, content tabs one after the other under their labels, and diagrams, images and
    notebook plots replaced by a link to the question on the site. One parse per page."""
    body = LexborHTMLParser(f"<div>{content}</div>").css_first("div")
    for node in body.css("p.q-meta, div.q-also, a.headerlink"):
        node.decompose()
    sections, current, heading, parts = {}, None, "", []
    for node in body.iter(include_text=True):
        if node.tag == "h2" and node.attributes.get("id"):
            if current:
                sections[current] = (heading, "".join(parts))
            current, heading, parts = node.attributes["id"], node.inner_html.strip(), []
        elif current:
            parts.append(_for_card(node, current) if node.tag != "-text" else html.escape(node.text(deep=False)))
    if current:
        sections[current] = (heading, "".join(parts))
    return sections


SURGERY_MARKERS = ("admonition-title", "tabbed-set", "<img", "mermaid", "<svg")


def _for_card(node, question_id: str) -> str:
    """The HTML of a top-level node of a question's section, rewritten for a card."""
    markup = node.html
    if not any(marker in markup for marker in SURGERY_MARKERS):
        return markup
    root = LexborHTMLParser(f"<div>{markup}</div>").css_first("div")

    def replace(old, new: str) -> None:
        old.replace_with(LexborHTMLParser(f"<div>{new}</div>").css_first("div > *"))

    for title in root.css("p.admonition-title"):
        replace(title, f"<p><strong>{html.escape(title.text())}</strong></p>")
    for tabs in root.css("div.tabbed-set"):
        labels = [label.text(strip=True) for label in tabs.css(".tabbed-labels > label")]
        blocks = tabs.css(".tabbed-content > .tabbed-block")
        replace(tabs, "<div>" + "".join(f"<p><strong>{html.escape(label)}</strong></p>{block.html}"
                                        for label, block in zip(labels, blocks)) + "</div>")
    for figure in root.css("pre.mermaid, img, svg"):
        link = f'<a href="#{question_id}">{"Figure" if figure.tag == "img" else "Diagram"}: see it on the site</a>'
        replace(figure, link if figure.tag == "img" else f"<p>{link}</p>")
    return root.inner_html


def card_html(fragment: str, page_url: str) -> str:
    """`fragment` (from question_sections) sanitised for a card: only CARD_TAGS (code loses its
    highlighting spans, math keeps its TeX), links absolute against `page_url`."""
    return nh3.clean(fragment, tags=CARD_TAGS, attributes=CARD_ATTRIBUTES, url_schemes=CARD_SCHEMES,
                     clean_content_tags={"script", "style", "template", "textarea", "math", "select"},
                     url_relative=("rewrite_with_base", page_url), link_rel="noopener noreferrer").strip()


def deck_name(topic: str) -> str:
    return f"{DECK_NAME}::{topic.replace('::', ':')}"


def tags(card: Card) -> list[str]:
    return [f"level::{card.level}", *(f"track::{track}" for track in card.tracks)]


def anki_package(cards: list[Card], timestamp: float | None = None) -> bytes:
    """The .apkg file of `cards`: one subdeck per topic (in the cards' order), one note per card.
    `timestamp` (default: now) is the notes' modification time; Anki updates a note on import
    when the file's is newer."""
    model = genanki.Model(
        MODEL_ID, f"{DECK_NAME} (question and answer)",
        fields=[{"name": name} for name in MODEL_FIELDS],
        templates=[{"name": "Question → answer", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        deck = decks.setdefault(card.topic_slug, genanki.Deck(stable_id("deck", card.topic_slug), deck_name(card.topic)))
        fields = [card.question, card.answer, html.escape(card.topic), html.escape(card.level),
                  ", ".join(html.escape(TRACKS[track]) for track in card.tracks), html.escape(card.url)]
        deck.add_note(genanki.Note(model, fields, tags=tags(card), guid=genanki.guid_for("dl-interview-qa", card.id)))
    timestamp = timestamp or time.time()
    # As genanki's Package.write_to_file, but its SQLite file in a folder that is removed afterwards.
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        genanki.Package(list(decks.values())).write_to_db(connection.cursor(), timestamp,
                                                          itertools.count(int(timestamp * 1000)))
        connection.commit()
        connection.close()
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.write(database, "collection.anki2")
            archive.writestr("media", "{}")
    return output.getvalue()


def spreadsheet_safe(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_text(cards: list[Card]) -> str:
    """The CSV of `cards`: a header row (CSV_COLUMNS), then question (plain text), answer (HTML, math
    between MathJax delimiters, as in the deck), topic, level, tracks (space-separated slugs), url."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for card in cards:
        question = " ".join(LexborHTMLParser(f"<div>{card.question}</div>").css_first("div").text().split())
        writer.writerow([spreadsheet_safe(value) for value in
                         (question, card.answer, card.topic, card.level, " ".join(card.tracks), card.url)])
    return output.getvalue()
