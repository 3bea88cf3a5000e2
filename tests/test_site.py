"""The built site: every question is a search hit, links and anchors resolve, nothing external."""

import gzip
from collections import Counter
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from dlqa import stubs
from dlqa.coverage_table import coverage_rows
from dlqa.matching import exact_key
from dlqa.prerender.formulas import ARITHMATEX
from dlqa.topic_pages import load_topic_pages

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "questions").glob("*.txt"))
SITE_PATH = urlsplit(re.search(r'^site_url: .*"(https?://[^"]+)"', (ROOT / "mkdocs.yml").read_text(), re.M)[1]).path


class PageScan(HTMLParser):
    """Ids, links and external asset references of one HTML page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.assets, self.classes = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source") and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("canonical", None):
            self.assets.append(attrs["href"])
        self.classes.append(attrs.get("class") or "")


@pytest.fixture(scope="module")
def scans(built_site):
    result = {}
    for path in built_site.rglob("*.html"):
        scan = PageScan()
        scan.feed(path.read_text(encoding="utf-8"))
        result[path] = scan
    return result


@pytest.fixture(scope="module")
def search_records(built_site):
    """The Pagefind index's records by URL: what a search hit shows (title, text) and links to."""
    records = {}
    for path in (built_site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        record = json.loads(data[len(b"pagefind_dcd"):])
        records[record["url"].lstrip("/")] = record
    return records


def test_every_question_is_one_search_record_titled_by_its_question(search_records):
    """One record per question (its sub-headings and notebook folded in), none for other anchors."""
    pages = stubs.pages_by_slug(ROOT / "docs" / "topics")
    expected = {f"topics/{slug}/": page.title for slug, page in pages.items()}
    expected |= {f"topics/{slug}/#{q.id}": q.title for slug, page in pages.items() for q in page.questions}
    on_topic_pages = {url: record["meta"]["title"] for url, record in search_records.items() if url.startswith("topics/")}
    assert on_topic_pages.keys() == expected.keys(), sorted(on_topic_pages.keys() ^ expected.keys())[:10]
    wrong = [url for url, title in expected.items() if exact_key(on_topic_pages[url]) != exact_key(title)]
    assert not wrong, wrong[:10]


def test_code_and_notebooks_stay_inside_their_question(search_records):
    record = search_records["topics/cnns/#conv-output-size"]
    assert "Notebook: convolution arithmetic" in record["content"]  # the notebook is searchable...
    assert not any("#notebook-" in url for url in search_records)   # ...but is not a hit of its own


def test_pages_download_no_whole_search_index(built_site):
    """Material's bundle fetches search/search_index.json on every page: it keeps only its settings."""
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    assert index["docs"] == [] and "separator" in index["config"]
    assert "(?=[A-Z][a-z])" not in index["config"]["separator"]  # Word2Vec and PyTorch stay one word
    html = (built_site / "topics" / "cnns" / "index.html").read_text()
    assert '"search": "../../assets/javascripts/search-worker.js"' in html


def test_every_seed_question_is_its_own_search_hit(search_records):
    """Each question of the four lists is found by search, under its question heading."""
    hits = {url: {"title": r["meta"]["title"], "text": r["content"]} for url, r in search_records.items()}
    by_key = {}
    for slug, page in stubs.pages_by_slug(ROOT / "docs" / "topics").items():
        for question in page.questions:
            for phrasing in [question.title, *question.phrasings]:
                by_key[exact_key(phrasing)] = (slug, question)
    missing = []
    for path in SEEDS:
        for listed in stubs.read_list(path).questions:
            slug, question = by_key.get(exact_key(listed.text), (None, None))
            entry = hits.get(f"topics/{slug}/#{question.id}") if question else None
            searchable = entry and exact_key(listed.text) in exact_key(entry["title"] + " " + entry["text"])
            if not searchable:
                missing.append(f"{path.name}:{listed.line}: {listed.text}")
    assert not missing, "questions without their own search hit:\n" + "\n".join(missing)


def test_stubs_in_the_html_match_the_coverage_counts(built_site, scans):
    for row in coverage_rows(load_topic_pages(ROOT / "docs" / "topics")):
        scan = scans[built_site / "topics" / row.slug / "index.html"]
        rendered = sum(1 for classes in scan.classes if "admonition" in classes.split() and "unanswered" in classes.split())
        assert rendered == row.stubs, row.slug


def test_coverage_page_lists_every_topic(built_site):
    html = (built_site / "coverage" / "index.html").read_text()
    for row in coverage_rows(load_topic_pages(ROOT / "docs" / "topics")):
        assert f'href="../topics/{row.slug}/"' in html


def test_every_internal_link_and_anchor_resolves(built_site, scans):
    broken = []
    for path, scan in scans.items():
        for href in scan.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            if parts.path.startswith("/"):  # absolute under site_url's path (the 404 page uses these)
                target = built_site / unquote(parts.path).removeprefix(SITE_PATH)
            else:
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(built_site)}: {href} (no {target.name})")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in scans[target].ids:
                broken.append(f"{path.relative_to(built_site)}: {href} (no #{parts.fragment})")
    assert not broken, "\n".join(broken)


def test_no_asset_comes_from_another_host(built_site, scans):
    external = [
        f"{path.relative_to(built_site)}: {src}"
        for path, scan in scans.items()
        for src in scan.assets
        if urlsplit(src).scheme or src.startswith("//")
    ]
    assert not external, "\n".join(external)


def test_every_question_heading_has_a_permalink(built_site):
    html = (built_site / "topics" / "cnns" / "index.html").read_text()
    headings = re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', html, re.S)
    assert headings
    for heading_id, inner in headings:
        assert f'href="#{heading_id}"' in inner and "headerlink" in inner


# --- Math and diagrams rendered at build time (dlqa/hooks/render_math.py, render_diagrams.py) ----

def rendered_pages(built_site):
    """Every page with math or diagrams: topic pages, notebook pages, the print page."""
    return [*sorted((built_site / "topics").glob("*/index.html")), *sorted((built_site / "notebooks").glob("*/index.html")),
            built_site / "print_page" / "index.html"]


def test_no_page_loads_katex_or_mermaid_in_the_browser(built_site, scans):
    scripts = [f"{path.relative_to(built_site)}: {src}" for path, scan in scans.items() for src in scan.assets
               if src.endswith((".js", ".mjs")) and re.search(r"katex|mermaid|auto-render|math\.js", src)]
    assert not scripts, "\n".join(scripts[:10])
    shipped = [p.name for p in built_site.rglob("*.js") if re.search(r"katex|mermaid|auto-render", p.name)]
    assert not shipped, shipped


def test_every_formula_and_diagram_arrives_rendered(built_site):
    problems = []
    for path in rendered_pages(built_site):
        html = path.read_text(encoding="utf-8")
        where = path.relative_to(built_site)
        sources = [m["body"][:60] for m in ARITHMATEX.finditer(html) if not m["body"].startswith('<span class="katex')]
        if sources or html.count('class="arithmatex"') != html.count('<span class="katex">'):
            problems.append(f"{where}: formulas left as TeX: {sources[:3]}")
        if '<pre class="mermaid"' in html:
            problems.append(f"{where}: a diagram left as Mermaid source")
        if path.parent.parent.name == "topics":
            fences = (ROOT / "docs" / "topics" / f"{path.parent.name}.md").read_text().count("```mermaid")
            if html.count('<div class="mermaid-diagram"><svg') != fences:
                problems.append(f"{where}: {fences} diagrams in the source, {html.count('mermaid-diagram')} drawn")
    assert not problems, "\n".join(problems)


def test_diagrams_are_labelled_images_with_ids_unique_on_their_page(built_site):
    problems = []
    for path in rendered_pages(built_site):
        html = path.read_text(encoding="utf-8")
        for svg in re.findall(r'<div class="mermaid-diagram">(<svg[^>]*>)', html):
            label = re.search(r'aria-labelledby="([^"]+)"', svg)
            title = label and re.search(rf'<title id="{re.escape(label[1])}">([^<]+)</title>', html)
            if 'role="img"' not in svg or not title or len(title[1]) < 10:
                problems.append(f"{path.relative_to(built_site)}: {svg[:100]}")
        repeated = {i for i, n in Counter(re.findall(r'\bid="(mermaid-[^"]+)"', html)).items() if n > 1}
        if repeated:
            problems.append(f"{path.relative_to(built_site)}: ids used twice: {sorted(repeated)[:5]}")
    assert not problems, "\n".join(problems[:10])


def test_search_indexes_the_tex_and_the_diagram_source_not_rendered_glyphs(search_records):
    adam = search_records["topics/optimisation/#adam"]["content"]
    assert "\\beta_1" in adam and "β1" not in adam
    graph = search_records["topics/loss-and-backpropagation/#computational-graph"]["content"]
    assert "flowchart LR" in graph
