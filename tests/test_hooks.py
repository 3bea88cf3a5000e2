"""The question-markup hook, the coverage table and the vendored-asset hook."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from mkdocs.exceptions import PluginError

from tools.coverage import Row, render_table

ROOT = Path(__file__).resolve().parent.parent


def load_hook(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def render(tmp_path, text, edit_url="https://example.org/edit/docs/topics/t.md"):
    source = tmp_path / "t.md"
    source.write_text(text)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="topics/t.md", abs_src_path=str(source)), edit_url=edit_url)
    body = text.split("---\n", 2)[2]
    out = load_hook("questions").on_page_markdown(body, page, None, None)
    return markdown.markdown(out, extensions=["admonition", "md_in_html", "attr_list"])


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


def test_also_asked_phrasings_stay_visible_in_their_own_block(tmp_path):
    html = render(tmp_path, PAGE)
    assert '<div class="q-also">' in html and "<li>Where can I dropout of CNN?</li>" in html


def test_a_malformed_question_page_fails_the_build_with_file_and_line(tmp_path):
    with pytest.raises(PluginError, match=r"docs/topics/t.md:7: a level-2 heading must be a question"):
        render(tmp_path, PAGE.replace("{ #dropout }", ""))


def test_coverage_table_counts_and_totals():
    table = render_table([Row("a", "A", 4, 3, 1), Row("b", "B", 2, 2, 0)], link_prefix="topics/")
    assert "| [A](topics/a.md) | 4 | 3 | 1 | 75% |" in table
    assert "| **Total** | **6** | **5** | **1** | **83%** |" in table


def test_missing_front_end_packages_name_the_fix(tmp_path):
    with pytest.raises(PluginError, match=r"katex.min.js is missing\. Run `make install`"):
        load_hook("vendor_assets").vendored_files(tmp_path / "node_modules")


def test_coverage_follows_the_navigation_order():
    from tools.coverage import nav_order

    yml = "nav:\n  - Home: index.md\n  - Vision:\n      - topics/cnns.md\n      - Intro: topics/a-b.md\n  - About:\n      - coverage.md\n"
    assert nav_order(yml) == ["cnns", "a-b"]
