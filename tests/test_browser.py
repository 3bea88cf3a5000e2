"""The built site in headless Chromium: search, math, diagrams, dark mode, and no foreign requests."""

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dlqa.search.driver import RECORDER, clear_search, type_query
from dlqa.search.queries import found_in_top, live_queries, load_queries, spread
from dlqa.topic_pages import load_topic_pages

ROOT = Path(__file__).resolve().parent.parent


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(built_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=built_site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def page(browser, base_url):
    """A fresh tab; on teardown, fails the test on any JavaScript error or request to another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    own_host = urlsplit(base_url).netloc
    foreign_requests = []

    def guard(route):
        if urlsplit(route.request.url).netloc == own_host or route.request.url.startswith("data:"):
            route.continue_()
        else:
            foreign_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert foreign_requests == [], f"requests to other hosts: {foreign_requests}"


def search(page, base_url, query):
    page.goto(f"{base_url}/")
    page.click("input.md-search__input")
    # The whole query in one input event: results shown while typing answer its prefixes.
    page.fill("input.md-search__input", query)
    page.wait_for_selector(".md-search-result__item")
    links = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    return [f"{urlsplit(link).path}#{urlsplit(link).fragment}" for link in links]  # drop ?h= highlighting


def test_search_finds_a_question_by_its_own_heading(page, base_url):
    links = search(page, base_url, "dying relu")
    assert "/topics/activation-functions/#dying-relu" in links, links
    # Titles and teasers come from pages (untrusted): the only markup in them is the highlight.
    tags = page.eval_on_selector_all(".md-search-result__article *", "els => [...new Set(els.map(e => e.tagName))]")
    assert set(tags) <= {"H1", "H2", "MARK", "DIV", "P", "DEL", "DETAILS", "SUMMARY"}, tags
    assert page.inner_text(".md-search-result__article h2 mark") .lower() in ("dying", "relu")


def test_a_search_hit_highlights_the_query_on_its_page(page, base_url):
    search(page, base_url, "dying relu")
    page.click(".md-search-result__item a[href*='#dying-relu']")
    page.wait_for_url("**/topics/activation-functions/**#dying-relu")
    page.wait_for_selector("article mark[data-md-highlight]")
    assert "relu" in page.inner_text("article mark[data-md-highlight]").lower()


def test_the_keyboard_shortcut_opens_search_and_enter_goes_to_the_best_hit(page, base_url):
    page.goto(f"{base_url}/topics/cnns/")
    page.keyboard.press("/")
    page.keyboard.type("mode collapse")
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("Enter")
    page.wait_for_url("**/topics/generative-models/**#mode-collapse")


def test_the_public_query_set_finds_its_questions_in_the_first_five_hits(page, base_url, built_site):
    """60 queries spread over tests/search_queries.yml (every kind), typed into the search box:
    recall@5 of at least 0.95. `qa bench --only search` types all of them."""
    queries = spread(live_queries(load_queries(), built_site), 60)
    assert len(queries) == 60
    page.context.add_init_script(RECORDER)
    page.goto(f"{base_url}/")
    misses = []
    for query in queries:
        clear_search(page)
        answer = type_query(page, query.query)
        if not found_in_top(query, answer.links):
            misses.append(f"{query.query!r} ({query.kind}) -> {query.expect}; shown: {answer.links[:5]}")
    recall = 1 - len(misses) / len(queries)
    assert recall >= 0.95, f"recall@5 {recall:.3f}; missed:\n" + "\n".join(misses)


def test_search_finds_a_question_by_an_also_asked_phrasing(page, base_url):
    pages = {p.slug: p for p in load_topic_pages(ROOT / "docs" / "topics")}
    slug, question = next((slug, q) for slug, pg in sorted(pages.items()) for q in pg.questions if q.phrasings)
    links = search(page, base_url, question.phrasings[0].rstrip("?."))
    assert f"/topics/{slug}/#{question.id}" in links, (question.phrasings[0], links)


# Every math element arrives typeset by KaTeX (at build time; no script on the page): no raw `\(` is left.
TYPESET = """() => [...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex, .katex-error'))"""


def math_pages():
    return sorted(p.stem for p in (ROOT / "docs" / "topics").glob("*.md") if "$" in p.read_text())


@pytest.mark.parametrize("slug", math_pages() or ["none"])
def test_all_math_on_a_page_is_typeset_without_errors(page, base_url, slug):
    if slug == "none":
        pytest.fail("no page has math")
    page.goto(f"{base_url}/topics/{slug}/")
    page.wait_for_function(TYPESET)
    counts = page.evaluate(
        """() => ({
            math: document.querySelectorAll('.arithmatex').length,
            typeset: document.querySelectorAll('.arithmatex .katex').length,
            errors: [...document.querySelectorAll('.katex-error')].map(e => e.title || e.textContent).slice(0, 5),
        })"""
    )
    assert counts["math"] > 0 and counts["typeset"] == counts["math"] and not counts["errors"], counts


def diagram_pages():
    return sorted(p.stem for p in (ROOT / "docs" / "topics").glob("*.md") if "```mermaid" in p.read_text())


def test_diagrams_arrive_drawn_and_follow_the_colour_scheme(page, base_url):
    """Diagrams are SVG in the page (no Mermaid script): drawn at their size, in light and dark colours."""
    assert diagram_pages(), "no page has a diagram"
    for slug in diagram_pages():
        page.goto(f"{base_url}/topics/{slug}/")
        heights = page.eval_on_selector_all(".mermaid-diagram svg", "svgs => svgs.map(s => s.getBoundingClientRect().height)")
        fences = (ROOT / "docs" / "topics" / f"{slug}.md").read_text().count("```mermaid")
        assert len(heights) == fences and min(heights) > 24, (slug, heights)  # a one-row flowchart is ~37 px
        assert page.locator("pre.mermaid, div.mermaid").count() == 0, slug
    node_fill = "() => getComputedStyle(document.querySelector('.mermaid-diagram .node rect')).fill"
    label_colour = "() => getComputedStyle(document.querySelector('.mermaid-diagram .nodeLabel')).color"
    light = page.evaluate(node_fill), page.evaluate(label_colour)
    page.click("form[data-md-component=palette] label:visible")
    dark = page.evaluate(node_fill), page.evaluate(label_colour)
    page.click("form[data-md-component=palette] label:visible")
    # Labels change colour; node fills change too, or are translucent (Material's indigo accent
    # is the same in both schemes, and its transparent variant lets the page background through).
    translucent = light[0].startswith("rgba(") and not light[0].endswith(", 1)")
    assert light[1] != dark[1] and (light[0] != dark[0] or translucent), (light, dark)


def test_dark_mode_toggle_switches_the_colour_scheme(page, base_url):
    page.goto(f"{base_url}/")
    before = page.get_attribute("body", "data-md-color-scheme")
    page.click("form[data-md-component=palette] label:visible")
    after = page.get_attribute("body", "data-md-color-scheme")
    assert {before, after} == {"default", "slate"}


def test_practice_mode_hides_answers_until_revealed(page, base_url):
    page.goto(f"{base_url}/topics/regularisation/")
    first_answer = page.locator(".q-answer").first
    assert first_answer.is_visible()
    page.click(".q-practice-toggle")
    assert not first_answer.is_visible()
    page.locator(".q-reveal").first.click()
    assert first_answer.is_visible() and not page.locator(".q-answer").nth(1).is_visible()
    page.reload()  # the choice is remembered
    assert page.locator(".q-practice-toggle").get_attribute("aria-pressed") == "true"
    assert not page.locator(".q-answer").first.is_visible()
    inner = page.locator(".q-answer h3[id]").first  # a notebook heading inside a hidden answer
    inner_id = inner.get_attribute("id")
    assert not inner.is_visible()
    page.goto(f"{base_url}/topics/regularisation/#{inner_id}")  # a deep link reveals its answer
    assert page.locator(f"[id='{inner_id}']").is_visible()
    page.click(".q-practice-toggle")  # back to reading mode for the other tests


# --- Notebook pages (mkdocs-jupyter, dlqa/hooks/notebook_pages.py) -----------------------------

NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.py"))
# Every figure of the page decoded (lazy images are made eager first), as natural widths.
FIGURE_WIDTHS = """async () => {
    const images = [...document.querySelectorAll('.nb-notebook img')]
    for (const image of images) { image.loading = 'eager'; try { await image.decode() } catch (e) {} }
    return images.map(image => image.naturalWidth)
}"""
# The text of the Markdown cells with typeset math and code removed: no $ may be left.
UNTYPESET = """() => [...document.querySelectorAll('.nb-markdown')].map(cell => {
    const copy = cell.cloneNode(true)
    copy.querySelectorAll('.katex, code, pre').forEach(e => e.remove())
    return copy.textContent
}).join(' ')"""


def _has_math(name):
    from dlqa.notebooks.runner import read_source

    return any(c.cell_type == "markdown" and "$" in c.source for c in read_source(ROOT / "notebooks" / f"{name}.py").cells)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_renders_offline_with_its_figures_math_and_answer_links(page, base_url, built_site, name):
    import nbformat

    executed = nbformat.read(built_site / "notebooks" / name / f"{name}.ipynb", as_version=4)
    pngs = sum("image/png" in o.get("data", {}) for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    page.goto(f"{base_url}/notebooks/{name}/")
    page.wait_for_selector(".nb-notebook .nb-code")
    widths = page.evaluate(FIGURE_WIDTHS)
    assert len(widths) == pngs and all(w > 0 for w in widths), (pngs, widths)
    if _has_math(name):
        page.wait_for_function("() => document.querySelector('.nb-markdown .katex')")
        assert page.locator(".nb-markdown .katex-error").count() == 0
        assert "$" not in page.evaluate(UNTYPESET)
    answers = page.eval_on_selector_all(".notebook-answer-link", "links => links.map(a => a.href)")
    assert answers and all("/topics/" in href and "#" in href for href in answers), answers
    download = page.locator(f'a[download="{name}.ipynb"]')
    assert page.request.get(download.evaluate("a => a.href")).ok


def test_answer_and_notebook_page_link_to_each_other(page, base_url):
    page.goto(f"{base_url}/topics/cnns/")
    page.locator('a.notebook-page-link[href$="notebooks/conv_arithmetic/"]').click()
    page.wait_for_url("**/notebooks/conv_arithmetic/")
    page.wait_for_selector(".nb-notebook")
    page.locator('a.notebook-answer-link[href$="topics/cnns/#conv-output-size"]').click()
    page.wait_for_url("**/topics/cnns/#conv-output-size")
    assert page.locator("[id='conv-output-size']").is_visible()
