"""Render the question markup of topic pages.

- `<!-- question difficulty=basic lists=000,002 -->` becomes a small line with the
  difficulty badge, a badge per role track (the page's default tracks unless the
  metadata names others) and the lists the question came from (kept out of search
  previews, so a hit shows the answer's first sentence).
- The "Also asked as" list is set in a compact, muted block (still searchable).
- `<!-- unanswered -->` becomes the "Not answered yet" stub: an admonition with the
  CSS class `unanswered` and a link to edit the page.
- The short answer of each follow-up question (`??? question "Follow-up questions"`)
  is wrapped in `<span class="q-followup-answer">`, invisible on the page, so the
  question index can take it from the rendered page (math and links rendered).

The page model (dlqa/page.py) finds the markup; the pages hook has already checked it.
"""

from __future__ import annotations

from html import escape

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from dlqa import site_pages
from dlqa.page import ALSO_LABEL, TRACKS, Meta, resolve_tracks, rewrite_markup

FOLLOWUP_ANSWER_CLASS = "q-followup-answer"


def render_meta(difficulty: str, lists: list[str], tracks: list[str] = ()) -> str:
    """The metadata line as HTML; its values are escaped (the page model has already checked them)."""
    names = escape(", ".join(lists))
    asked = f' <span class="q-lists">asked in list{"s" if len(lists) > 1 else ""} {names}</span>' if lists else ""
    difficulty = escape(difficulty)
    badges = "".join(f' <span class="q-track q-track--{escape(track)}" title="Role track">'
                     f'{escape(TRACKS.get(track, track))}</span>' for track in tracks)
    return (
        f'<p class="q-meta" data-search-exclude>'
        f'<span class="q-difficulty q-difficulty--{difficulty}" title="Difficulty">{difficulty}</span>{badges}{asked}</p>'
    )


def render_followup_answer(answer: str) -> str:
    """A follow-up's short answer (Markdown, rendered inside the span) marked for the question index."""
    return f'<span class="{FOLLOWUP_ANSWER_CLASS}">{answer}</span>'


def render_stub(edit_url: str | None) -> str:
    edit = f"[Write the answer]({edit_url}) on GitHub" if edit_url else "Write the answer in this page's source"
    return (
        '!!! unanswered "Not answered yet"\n\n'
        f"    Nobody has answered this question yet. {edit}, following the\n"
        "    [answer style guide](../contributing/style-guide.md).\n"
    )


def render_also(lines: list[str]) -> list[str]:
    """The label, blank line and bullets of an "Also asked as" block, wrapped in a styled div."""
    return ['<div class="q-also" markdown>', "", ALSO_LABEL, "", *lines[2:], "", "</div>"]


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not site_pages.is_topic(page.file):
        return markdown
    model = site_pages.get(page.file)
    default = model.tracks if model else []

    def meta(fields: Meta) -> str:
        return render_meta(fields.difficulty, fields.lists, resolve_tracks(default, fields.tracks))

    return rewrite_markup(markdown, meta=meta, stub=lambda: render_stub(page.edit_url), also=render_also,
                          followup_answer=render_followup_answer)
