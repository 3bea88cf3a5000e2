"""The page-model hook, the question-markup hook, the coverage table and the vendored-asset hook."""

from types import SimpleNamespace

import markdown
import pytest
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from dlqa.coverage_table import Row, nav_order, render_table
from dlqa import site_pages
from dlqa.hooks import pages, question_index, questions, vendor_assets

PAGE = """---
title: T
---

# T

## What is dropout? { #dropout }

<!-- question difficulty=basic lists=000,002 -->

*Also asked as:*

- Where can I dropout of CNN?

<!-- unanswered -->
"""


def render(tmp_path, text, edit_url="https://example.org/edit/docs/topics/t.md", extensions=()):
    (tmp_path / "docs" / "topics").mkdir(parents=True, exist_ok=True)
    (tmp_path / "docs" / "topics" / "t.md").write_text(text)
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    file = File("topics/t.md", str(tmp_path / "docs"), str(tmp_path / "site"), use_directory_urls=True)
    pages.on_files(Files([file]), config=config)  # reads and parses the page once, for every hook
    page = SimpleNamespace(file=file, edit_url=edit_url)
    body = pages.on_page_read_source(page=page, config=config).split("---\n", 2)[2]
    out = questions.on_page_markdown(body, page=page, config=config, files=None)
    return markdown.markdown(out, extensions=["admonition", "md_in_html", "attr_list", "fenced_code", *extensions])


def test_a_stub_renders_as_an_unanswered_admonition_with_an_edit_link(tmp_path):
    html = render(tmp_path, PAGE)
    assert '<div class="admonition unanswered">' in html
    assert '<p class="admonition-title">Not answered yet</p>' in html
    assert 'href="https://example.org/edit/docs/topics/t.md"' in html


def test_metadata_renders_a_difficulty_badge_kept_out_of_search_previews(tmp_path):
    html = render(tmp_path, PAGE)
    assert '<p class="q-meta" data-search-exclude>' in html
    assert 'class="q-difficulty q-difficulty--basic"' in html and "asked in lists 000, 002" in html
    assert "<!-- question" not in html


def test_metadata_values_are_escaped_in_the_html():
    html = questions.render_meta("basic", ["000", '<img src=x onerror="alert(1)">'])
    assert "<img" not in html and "asked in lists 000, &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_each_track_is_a_badge_after_the_level_the_page_default_or_the_question_own():
    html = questions.render_meta("basic", [], ["ml-engineer", "llm-engineer"])
    assert ('<span class="q-difficulty q-difficulty--basic" title="Difficulty">basic</span>'
            ' <span class="q-track q-track--ml-engineer" title="Role track">ML engineer</span>'
            ' <span class="q-track q-track--llm-engineer" title="Role track">LLM engineer</span></p>') in html


def test_a_page_renders_its_default_tracks_and_a_question_its_override(tmp_path):
    page = PAGE.replace("title: T\n", "title: T\ntracks: [research-scientist]\n")
    assert "Research scientist</span>" in render(tmp_path, page)
    html = render(tmp_path, page.replace("lists=000,002", "lists=000,002 tracks=+ml-infrastructure"))
    assert html.index(">Research scientist<") < html.index(">ML infrastructure<")


def test_follow_up_answers_reach_the_question_index_as_rendered_html_with_site_root_links(tmp_path):
    page = PAGE.replace("<!-- unanswered -->", """Answer [r](https://example.org).

??? question "Follow-up questions"
    - *Why $n^2$?* Because of the **Hessian**; see [schedules](../optimisation/#schedules) (as MkDocs writes it) and [above](#dropout).
    - Which would you pick? (It depends.)
    - What would you monitor?""")
    html = render(tmp_path, page, extensions=["pymdownx.details", "pymdownx.arithmatex"])
    assert html.count('<span class="q-followup-answer">') == 2
    rendered = question_index.followup_answers(html, "topics/t/")
    followups = question_index.page_followups(site_pages.topic_pages()[0], rendered)
    assert followups == {"dropout": [
        {"q": "Why $n^2$?", "a": 'Because of the <strong>Hessian</strong>; see <a href="topics/optimisation/#schedules">'
                                 'schedules</a> (as MkDocs writes it) and <a href="topics/t/#dropout">above</a>.'},
        {"q": "Which would you pick?", "a": "It depends."},
        {"q": "What would you monitor?", "a": ""},
    ]}
    with pytest.raises(PluginError, match=r"#dropout \(docs/topics/t.md\) has 2 follow-up answer\(s\) in its source but 1"):
        question_index.page_followups(site_pages.topic_pages()[0], {"dropout": ["only one"]})


def test_a_list_label_that_could_carry_markup_fails_the_build_with_file_and_line(tmp_path):
    with pytest.raises(PluginError, match=r"docs/topics/t.md:9: #dropout: list label '<b>' may hold only"):
        render(tmp_path, PAGE.replace("lists=000,002", "lists=000,<b>"))


def test_also_asked_phrasings_stay_visible_in_their_own_block(tmp_path):
    html = render(tmp_path, PAGE)
    assert '<div class="q-also">' in html and "<li>Where can I dropout of CNN?</li>" in html


def test_markup_shown_in_a_code_block_is_left_alone(tmp_path):
    html = render(tmp_path, PAGE.replace("<!-- unanswered -->", "Text [r](https://example.org).\n\n```\n<!-- unanswered -->\n```"))
    assert "admonition unanswered" not in html and "<code>&lt;!-- unanswered --&gt;" in html


def test_a_malformed_question_page_fails_the_build_with_file_and_line(tmp_path):
    with pytest.raises(PluginError, match=r"docs/topics/t.md:7: a level-2 heading must be a question"):
        render(tmp_path, PAGE.replace("{ #dropout }", ""))


def test_an_id_used_on_two_pages_fails_the_build_at_the_later_one_naming_the_first(tmp_path):
    (tmp_path / "docs" / "topics").mkdir(parents=True)
    (tmp_path / "docs" / "topics" / "a.md").write_text(PAGE)
    (tmp_path / "docs" / "topics" / "b.md").write_text(PAGE.replace("# T\n", "# T\n\nIntro.\n"))  # heading on line 9
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    files = Files([File(f"topics/{n}.md", str(tmp_path / "docs"), str(tmp_path / "site"), use_directory_urls=True) for n in "ab"])
    with pytest.raises(PluginError, match=r"^docs/topics/b.md:9: id #dropout is already used at docs/topics/a.md:7; choose another id$"):
        pages.on_files(files, config=config)


def test_coverage_table_counts_and_totals():
    table = render_table([Row("a", "A", 4, 3, 1), Row("b", "B", 2, 2, 0)], link_prefix="topics/")
    assert "| [A](topics/a.md) | 4 | 3 | 1 | 75% |" in table
    assert "| **Total** | **6** | **5** | **1** | **83%** |" in table


def test_missing_front_end_packages_name_the_fix(tmp_path):
    with pytest.raises(PluginError, match=r"katex.min.css is missing\. Run `make install`"):
        vendor_assets.vendored_files(tmp_path / "node_modules")


def test_coverage_follows_the_navigation_order():
    yml = "nav:\n  - Home: index.md\n  - Vision:\n      - topics/cnns.md\n      - Intro: topics/a-b.md\n  - About:\n      - coverage.md\n"
    assert nav_order(yml) == ["cnns", "a-b"]
