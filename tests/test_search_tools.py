"""The search index hook's record grouping, its place among the hooks, and the benchmark's helpers."""

import re
from pathlib import Path

import gzip

from dlqa.hooks.search_index import recompress, search_records
from dlqa.search.queries import Query, found_in_top, load_queries, spread
from dlqa.search.synthetic_site import vary_page, write_synthetic_site

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


def test_a_synthetic_copy_asks_a_new_question_about_the_same_subject():
    page = (
        "## What is an LSTM cell, and what does it gate? { #lstm-cell }\n\n"
        "<!-- question difficulty=basic lists=x -->\n\n*Also asked as:*\n\n- Describe the LSTM cell.\n\n"
        "An LSTM cell gates its memory; see [GRUs](#gru) and $h_t$.\n\n"
        "```python\nnn.LSTM(8, 16)\n```\n"
    )
    copy = vary_page(page, 3, shared=frozenset({"lstm", "cell", "an", "its", "see"}), shared_in_questions=frozenset({"what", "is", "an", "and", "does", "it", "the"}))
    heading, phrasing = copy.splitlines()[0], copy.splitlines()[6]
    # The question's specific words are replaced (in the same case), its common words kept...
    assert heading.startswith("## What is an ") and "LSTM" not in heading and "gate" not in heading
    assert heading.endswith("{ #lstm-cell-copy3 }")
    assert "LSTM" not in phrasing and phrasing.startswith("- ")
    # ...while the answer keeps the shared vocabulary, code, math, metadata and links (to the copy's ids).
    assert "An LSTM cell " in copy and "its memory" not in copy
    assert "nn.LSTM(8, 16)" in copy and "$h_t$" in copy and "lists=x" in copy and "](#gru)" in copy
    assert vary_page(page, 3, frozenset(), frozenset()) == vary_page(page, 3, frozenset(), frozenset())
    assert vary_page(page, 4, frozenset(), frozenset()) != vary_page(page, 3, frozenset(), frozenset())


def test_recompressed_search_files_hold_the_same_bytes_and_a_damaged_cache_is_not_used(tmp_path):
    content = b"pagefind_dcd" + b"".join(f"word{i % 97} {i * 7919 % 1000}\n".encode() for i in range(5000))
    original = gzip.compress(content, 6)
    for damaged in (b"", b"not gzip", gzip.compress(b"other bytes")):
        search_file, cache = tmp_path / "wasm.en.pagefind", tmp_path / "cache"
        search_file.write_bytes(original)
        cache.mkdir(exist_ok=True)
        for old in cache.iterdir():
            old.write_bytes(damaged)
        recompress(search_file, cache)
        assert gzip.decompress(search_file.read_bytes()) == content
        assert len(search_file.read_bytes()) < len(original)
        assert [gzip.decompress(p.read_bytes()) for p in cache.iterdir()] == [content]

