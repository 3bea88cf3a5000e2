"""The question-index hook (JSON index, "All questions" page) and the print-page hook."""

import json
from types import SimpleNamespace

import markdown

from dlqa.coverage_table import in_nav_order
from dlqa.hooks import print_page, question_index
from dlqa.page import parse_page

HOSTILE = """---
title: Tricky *topic* `code` [x](javascript:alert(1))
tracks: [ml-engineer]
---

# Tricky

## Is `a < b` & $x$ [a link](javascript:alert(1)) <img src=x onerror=alert(1)> | *bold*? { #tricky }

<!-- question difficulty=advanced lists=000 tracks=research-scientist,llm-engineer -->

Answer.

## Plain? { #plain }

<!-- question difficulty=basic lists=000 -->

<!-- unanswered -->
"""


def topics(*pages):
    return [(SimpleNamespace(url=f"topics/{slug}/", src_uri=f"topics/{slug}.md"), parse_page(text, f"docs/topics/{slug}.md"))
            for slug, text in pages]


def test_the_index_lists_tracks_and_pages_in_order_with_ids_levels_titles_urls_and_tracks():
    index = question_index.build_index(topics(("t", HOSTILE)))
    tricky_title = "Is a < b & $x$ a link <img src=x onerror=alert(1)> | bold?"  # plain text: study.js sets textContent
    assert json.loads(json.dumps(index)) == {
        "version": 2,
        "tracks": [{"slug": "ml-engineer", "title": "ML engineer"}, {"slug": "llm-engineer", "title": "LLM engineer"},
                   {"slug": "research-scientist", "title": "Research scientist"},
                   {"slug": "ml-infrastructure", "title": "ML infrastructure"}],
        "pages": [{"url": "topics/t/", "title": "Tricky *topic* `code` [x](javascript:alert(1))",
                   "questions": [
                       {"id": "tricky", "level": "advanced", "title": tricky_title, "url": "topics/t/#tricky",
                        "tracks": ["llm-engineer", "research-scientist"]},
                       {"id": "plain", "level": "basic", "title": "Plain?", "url": "topics/t/#plain",
                        "tracks": ["ml-engineer"]}]}],
    }


def test_question_titles_are_written_as_plain_text_never_markup():
    html = markdown.markdown(question_index.render_page(topics(("t", HOSTILE))), extensions=["md_in_html", "attr_list", "meta"])
    html = html[html.index('<div class="q-index"'):]
    assert "<img" not in html and "<b>" not in html and "<code>" not in html and "<em>" not in html
    assert 'href="javascript' not in html
    # The text survives, escaped, inside the one link to the question.
    assert 'href="topics/t.md#tricky"' in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html.replace("&#60;", "&lt;").replace("&#62;", "&gt;")
    assert 'class="q-difficulty q-difficulty--advanced"' in html


def test_nav_order_puts_listed_pages_first_and_the_rest_by_name():
    mkdocs_yml = "nav:\n  - Home: index.md\n  - A:\n      - topics/b.md\n      - X: topics/a.md\n"
    pages = [parse_page(f"# {slug}\n", f"docs/topics/{slug}.md") for slug in ("c", "a", "b")]
    assert [page.slug for page in in_nav_order(pages, mkdocs_yml)] == ["b", "a", "c"]


def test_print_page_line_anchors_get_the_ids_their_links_use():
    html = '<a id="__codelineno-1-5" name="__codelineno-1-5" href="#topics-cnns-__codelineno-1-5"></a>'
    assert print_page.fix_line_anchors(html) == (
        '<a id="topics-cnns-__codelineno-1-5" name="topics-cnns-__codelineno-1-5" href="#topics-cnns-__codelineno-1-5"></a>'
    )


def test_print_page_theme_config_gets_a_relative_base():
    html = '<script id="__config" type="application/json">{"base": "/dl-interview-qa/", "search": "x"}</script>'
    out = print_page.relative_base(html, "..")
    data = json.loads(out.split(">", 1)[1].rsplit("<", 1)[0])
    assert data == {"base": "..", "search": "x"}


def test_print_page_drops_sections_left_without_pages_and_their_contents_entry():
    html = (
        '<li class="md-nav__item">\n  <a href="#section-7" class="md-nav__link">\n    <span class="md-ellipsis">\n Practice\n </span>\n  </a>\n<nav>…</nav></li>'
        '<li class="md-nav__item">\n  <a href="#section-8" class="md-nav__link">\n    <span class="md-ellipsis">\n      About\n    </span>\n  </a>\n  \n</li>'
        "<section class='print-page md-section' id='section-7' heading-number='7'>\n <h1>Practice<a class='headerlink' href='#section-7' title='Permanent link'></a>\n </h1>"
        '<section class="print-page" id="topics-x">x</section></section>'
        "<section class='print-page md-section' id='section-8' heading-number='8'>\n <h1>About<a class='headerlink' href='#section-8' title='Permanent link'></a>\n </h1>\n </section></div>"
    )
    out = print_page.drop_empty_sections(html)
    assert "section-8" not in out and "About" not in out
    assert out.count("section-7") == 3 and 'id="topics-x"' in out


def test_print_page_links_to_notebook_pages_lead_to_those_pages():
    html = '<a href="#notebooks-kv_cache">Open as a page</a> <a href="#topics-cnns-padding">x</a>'
    assert print_page.link_notebook_pages(html, "..") == (
        '<a href="../notebooks/kv_cache/">Open as a page</a> <a href="#topics-cnns-padding">x</a>'
    )


def test_the_built_follow_ups_match_the_pages_with_their_answers_rendered(built_site):
    from dlqa.page import inline_plain_text
    from dlqa.project import project_root

    followups = json.loads((built_site / "assets" / "question-followups.json").read_text(encoding="utf-8"))["questions"]
    expected = {}
    for path in sorted((project_root() / "docs" / "topics").glob("*.md")):
        for question in parse_page(path.read_text(encoding="utf-8"), str(path)).questions:
            if question.followups:
                expected[question.id] = [(inline_plain_text(f.question), bool(f.answer)) for f in question.followups]
    assert {qid: [(item["q"], bool(item["a"])) for item in items] for qid, items in followups.items()} == expected
    answers = [item["a"] for items in followups.values() for item in items]
    assert sum("katex" in answer for answer in answers) > 50  # math arrives rendered: the browser has no KaTeX
    assert not any("\\(" in answer or "\\[" in answer for answer in answers)  # no TeX delimiters left
