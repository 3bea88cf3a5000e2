"""The search index hook's record grouping, its place among the hooks, and the benchmark's helpers."""

import re
from pathlib import Path

from dlqa.hooks.search_index import search_records
from dlqa.search.bench import spread
from dlqa.search.queries import Query, found_in_top, load_queries
from dlqa.search.synthetic_site import write_synthetic_site

ROOT = Path(__file__).resolve().parent.parent


def hook_names() -> list[str]:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    section = re.search(r"^hooks:\n((?:  - .*\n)+)", text, re.M)[1]
    return [Path(line.split()[1]).name for line in section.splitlines()]


def test_the_allowlist_stays_last_and_sees_what_the_search_index_hook_saw():
    names = hook_names()
    assert names[-1] == "html_allowlist.py"
    assert names.index("search_index.py") < names.index("html_allowlist.py")


def test_sections_are_grouped_into_one_record_per_question():
    docs = [
        {"location": "topics/cnns/", "title": "CNNs", "text": "<p>intro</p>"},
        {"location": "topics/cnns/#padding", "title": "What is padding?", "text": "<p>zeros</p>"},
        {"location": "topics/cnns/#worked-example", "title": "Worked example", "text": "<p>5x5</p>"},
        {"location": "topics/cnns/#pooling", "title": "What is pooling?", "text": "<p>max</p>"},
    ]
    records = search_records(docs, {"topics/cnns/": {"padding", "pooling"}})
    assert [r["url"] for r in records] == ["topics/cnns/", "topics/cnns/#padding", "topics/cnns/#pooling"]
    assert records[1]["parts"] == ["<p>zeros</p>", "<h3>Worked example</h3><p>5x5</p>"]
    assert {r["page_title"] for r in records} == {"CNNs"}


def test_the_query_set_is_large_and_varied():
    queries = load_queries(ROOT / "tests" / "search_queries.yml")
    assert len(queries) >= 60
    assert {"abbreviation", "expansion", "spelling", "plural", "versus", "typo", "camel-case"} <= {q.kind for q in queries}
    assert len({q.query.lower() for q in queries}) == len(queries)


def test_a_hit_counts_only_among_the_first_five_questions():
    query = Query("pooling", "topics/cnns/#pooling", "keyword")
    shown = ["/topics/cnns/?h=pooling", *[f"/topics/cnns/?h=pooling#q{i}" for i in range(5)], "/topics/cnns/?h=pooling#pooling"]
    assert not found_in_top(query, shown)
    assert found_in_top(query, shown[:3] + shown[-1:])


def test_spread_picks_evenly():
    assert spread(list(range(10)), 5) == [0, 2, 4, 6, 8]
    assert spread([1, 2], 0) == [1, 2] == spread([1, 2], 5)


def test_the_synthetic_site_multiplies_the_topic_pages_with_distinct_prose(tmp_path):
    config = write_synthetic_site(2, tmp_path / "site", ROOT)
    topics = tmp_path / "site" / "docs" / "topics"
    originals = sorted(p for p in topics.glob("*.md") if "-copy" not in p.stem)
    copies = sorted(topics.glob("*-copy1.md"))
    assert len(copies) == len(originals) > 0
    original, copy = (topics / "cnns.md").read_text(), (topics / "cnns-copy1.md").read_text()
    assert copy != original
    original_id = [line for line in original.splitlines() if line.startswith("## ")][0].rsplit("#", 1)[1].rstrip(" }")
    # Ids are unique site-wide (the build fails on a duplicate): a copy's ids get its suffix.
    assert [line for line in copy.splitlines() if line.startswith("## ")][0].endswith(f"{{ #{original_id}-copy1 }}")
    assert "topics/cnns-copy1.md" in config.read_text()
