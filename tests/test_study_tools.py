"""Study tools in headless Chromium: progress, level filters, report links, print, phone width.

Every test runs against the strictly built site with a network guard: a request to any
other host fails the test that made it.
"""

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from dlqa.page import parse_page

ROOT = Path(__file__).resolve().parent.parent
PRINT_TIMEOUT = 300_000  # ms: the print page holds every formula and diagram of the site (a large page)


def topic_pages():
    """{slug: parsed page} for every topic page in docs/topics/."""
    return {p.stem: parse_page(p.read_text(encoding="utf-8"), str(p)) for p in sorted((ROOT / "docs" / "topics").glob("*.md"))}


@pytest.fixture(scope="module")
def base_url(built_site):
    """The site's URL as the browser sees it: http://dlqa.test + the path of site_url.

    Material's instant navigation only follows links listed in sitemap.xml, after swapping
    in the page's protocol and host name (not its port or path): the site must be served at
    site_url's path on the default port for instant navigation to happen. The test browser
    gets it from the built files through request routing; no server, no other host.
    """
    first = re.search(r"<loc>([^<]+)</loc>", (built_site / "sitemap.xml").read_text())[1]
    return "http://dlqa.test" + urlsplit(first).path.rstrip("/")


def serve_built_site(built_site, base_url):
    """A route handler: files of the built site under base_url; anything else is foreign."""
    prefix = base_url + "/"

    def handler(route, foreign):
        url = route.request.url
        if url.startswith("data:"):
            return route.continue_()
        if not url.startswith(prefix):
            foreign.append(url)
            return route.abort()
        path = built_site / unquote(urlsplit(url).path).removeprefix(urlsplit(prefix).path)
        if path.is_dir():
            path = path / "index.html"
        if path.is_file() and built_site.resolve() in path.resolve().parents:
            return route.fulfill(path=str(path))
        return route.fulfill(status=404, path=str(built_site / "404.html"))

    return handler


@pytest.fixture
def open_page(browser, built_site, base_url):
    """open_page(**context options) -> a page whose every request to another host fails the test."""
    contexts, foreign, errors = [], [], []
    serve = serve_built_site(built_site, base_url)

    def guard(route):
        serve(route, foreign)

    def make(**options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        context.route("**/*", guard)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not errors, f"JavaScript errors: {errors}"


def known_buttons_pressed(page):
    return page.eval_on_selector_all(".q-known[aria-pressed=true]", "bs => bs.map(b => b.dataset.questionId)")


def nav_count(page, slug):
    return page.locator(f".md-nav--primary a.md-nav__link[href$='topics/{slug}/'] .q-count [aria-hidden]").first.inner_text()


def test_known_questions_persist_across_instant_navigation_reload_and_pages(open_page, base_url):
    pages = topic_pages()
    slug, other = "regularisation", "cnns"
    questions = pages[slug].questions
    total = len(questions)
    page = open_page()
    page.goto(f"{base_url}/topics/{slug}/")
    assert page.inner_text(".q-progress-count") == f"0 / {total}"
    buttons = page.locator(".q-known")
    assert buttons.count() == total
    # A real, labelled toggle button, usable from the keyboard.
    first = buttons.nth(0)
    assert first.evaluate("b => b.tagName") == "BUTTON"
    assert first.get_attribute("aria-pressed") == "false"
    assert questions[0].title.rstrip("?") in first.get_attribute("aria-label")
    first.click()
    buttons.nth(2).focus()
    page.keyboard.press("Enter")
    marked = [questions[0].id, questions[2].id]
    assert known_buttons_pressed(page) == marked
    assert page.inner_text(".q-progress-count") == f"2 / {total}"
    assert nav_count(page, slug) == f"2/{total}"

    # Instant navigation away and back: no full reload (a window marker survives).
    page.evaluate("window.__stillTheSameDocument = true")
    page.click(f".md-nav--primary a.md-nav__link[href$='topics/{other}/']")
    page.wait_for_url(f"**/topics/{other}/")
    expect(page.locator("article h2[id]").first).to_have_id(pages[other].questions[0].id)  # the new page is in
    assert page.locator(".q-known[aria-pressed=true]").count() == 0
    assert page.inner_text(".q-progress-count") == f"0 / {len(pages[other].questions)}"
    page.click(f".md-nav--primary a.md-nav__link[href$='topics/{slug}/']")
    page.wait_for_url(f"**/topics/{slug}/")
    expect(page.locator("article h2[id]").first).to_have_id(questions[0].id)
    assert page.evaluate("window.__stillTheSameDocument === true"), "navigation was not instant"
    assert known_buttons_pressed(page) == marked
    assert page.inner_text(".q-progress-count") == f"2 / {total}"

    page.reload()
    assert known_buttons_pressed(page) == marked
    assert nav_count(page, slug) == f"2/{total}"

    # Stored by page and stable id only.
    stored = json.loads(page.evaluate("localStorage.getItem('dlqa.known')"))
    assert stored == {f"topics/{slug}/": {marked[0]: 1, marked[1]: 1}}

    # Home page: per-topic count in the topics table and the overall count.
    grand_total = sum(len(p.questions) for p in pages.values())
    page.goto(f"{base_url}/")
    page.wait_for_selector(".q-overall")
    home_badge = page.locator(f"article table a[href$='topics/{slug}/'] .q-count [aria-hidden]")
    assert home_badge.inner_text() == f"2/{total}"
    assert page.inner_text(".q-overall-count") == f"2 / {grand_total}"

    # "All questions" page: every question listed, the known ones ticked.
    page.goto(f"{base_url}/questions/")
    page.wait_for_selector(".q-known-mark")
    listed = page.eval_on_selector_all(".q-index li > a", "as => as.map(a => a.hash.slice(1))")
    assert len(listed) == grand_total
    ticked = page.eval_on_selector_all(".q-index--known > a", "as => as.map(a => a.hash.slice(1))")
    assert ticked == marked

    # Reset this page.
    page.goto(f"{base_url}/topics/{slug}/")
    page.click(".q-reset-page")
    assert known_buttons_pressed(page) == []
    assert page.inner_text(".q-progress-count") == f"0 / {total}"
    assert nav_count(page, slug) == f"0/{total}"


def test_reset_all_forgets_every_page(open_page, base_url):
    page = open_page()
    for slug in ("cnns", "rnns"):
        page.goto(f"{base_url}/topics/{slug}/")
        page.locator(".q-known").first.click()
    page.goto(f"{base_url}/questions/")
    page.wait_for_selector(".q-overall")
    assert page.inner_text(".q-overall-count").startswith("2 / ")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".q-reset-all")
    assert page.inner_text(".q-overall-count").startswith("0 / ")
    assert page.locator(".q-known-mark").count() == 0
    assert page.evaluate("localStorage.getItem('dlqa.known')") is None


def mixed_level_page():
    """The topic page with the most questions among those that have all three levels."""
    candidates = [(len(p.questions), slug, p) for slug, p in topic_pages().items()
                  if {q.difficulty for q in p.questions} == {"basic", "intermediate", "advanced"}]
    assert candidates, "no topic page has questions of all three levels"
    return max(candidates)[1:]


def visible_questions(page):
    return page.eval_on_selector_all("article h2[id]", "hs => hs.filter(h => h.offsetParent !== null).map(h => h.id)")


def visible_toc(page):
    return page.eval_on_selector_all(
        ".md-sidebar--secondary .md-nav--secondary > ul > li > a.md-nav__link",
        "as => as.filter(a => a.offsetParent !== null).map(a => decodeURIComponent(a.hash.slice(1)))",
    )


def test_level_and_not_known_filters_hide_questions_and_their_toc_entries(open_page, base_url):
    slug, parsed = mixed_level_page()
    ids = [q.id for q in parsed.questions]
    page = open_page()
    page.goto(f"{base_url}/topics/{slug}/")
    assert visible_questions(page) == ids and visible_toc(page) == ids
    for level in ("basic", "intermediate", "advanced"):
        page.select_option(".q-study select", level)
        expected = [q.id for q in parsed.questions if q.difficulty == level]
        assert visible_questions(page) == expected, level
        assert visible_toc(page) == expected, level
        assert page.inner_text(".q-shown") == f"{len(expected)} of {len(ids)} questions shown"

    # Only the ones not known yet: marking one known hides it and its TOC entry.
    advanced = [q.id for q in parsed.questions if q.difficulty == "advanced"]
    page.check(".q-study input[type=checkbox]")
    page.locator(f"h2[id='{advanced[0]}'] + .q-meta .q-known").click()
    assert visible_questions(page) == advanced[1:]
    assert visible_toc(page) == advanced[1:]
    hidden_answer = page.locator(f"h2[id='{advanced[0]}'] ~ .q-meta").first
    assert not hidden_answer.is_visible()

    # Remembered across reloads (and pages).
    page.reload()
    assert page.input_value(".q-study select") == "advanced"
    assert page.is_checked(".q-study input[type=checkbox]")
    assert visible_questions(page) == advanced[1:]

    # A link to a filtered-out question still shows it.
    page.goto(f"{base_url}/topics/{slug}/#{ids[0]}" if ids[0] not in advanced else f"{base_url}/topics/{slug}/#{advanced[0]}")
    page.reload()
    target = ids[0] if ids[0] not in advanced else advanced[0]
    assert target in visible_questions(page)

    page.select_option(".q-study select", "all")
    page.uncheck(".q-study input[type=checkbox]")
    page.goto(f"{base_url}/topics/{slug}/")
    assert visible_questions(page) == ids and visible_toc(page) == ids


def test_report_link_opens_the_wrong_answer_form_prefilled(open_page, base_url):
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "wrong-answer.yml").read_text())
    field_ids = {item["id"] for item in form["body"] if "id" in item}
    # The question whose title has the most characters a query string must encode.
    special = set(" ?&#+=%/(),'")
    slug, question = max(((slug, q) for slug, p in topic_pages().items() for q in p.questions),
                         key=lambda pair: sum(ch in special for ch in pair[1].title))
    page = open_page()
    page.goto(f"{base_url}/topics/{slug}/")
    link = page.locator(f"h2[id='{question.id}'] + .q-meta a.q-report")
    assert link.is_visible()
    href = link.get_attribute("href")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com", "/dl-interview-qa/dl-interview-qa/issues/new")
    query = parse_qs(parts.query, strict_parsing=True)
    assert query["template"] == ["wrong-answer.yml"]
    assert set(query) - {"template", "title"} <= field_ids
    assert query["question-id"] == [question.id]
    assert query["page"] == [f"topics/{slug}/"]
    heading_text = page.locator(f"h2[id='{question.id}']").evaluate(
        "h => { const c = h.cloneNode(true); c.querySelector('.headerlink')?.remove(); return c.textContent.trim() }")
    assert heading_text in query["title"][0]
    assert heading_text in query["wrong"][0]
    assert f"/topics/{slug}/#{question.id}" in query["wrong"][0]
    assert link.get_attribute("rel") == "noopener" and question.title.rstrip("?") in link.get_attribute("aria-label")
    # The edit link stays.
    assert page.locator("a.md-content__button[href*='/edit/']").count() == 1


def diagram_count():
    return sum(p.read_text().count("```mermaid") for p in (ROOT / "docs" / "topics").glob("*.md"))


def test_print_page_holds_every_question_with_answers_math_diagrams_and_figures(open_page, base_url):
    pages = topic_pages()
    expected = [f"topics-{slug}-{q.id}" for slug, p in pages.items() for q in p.questions]
    page = open_page()
    page.set_default_timeout(PRINT_TIMEOUT)
    page.goto(f"{base_url}/")  # practice mode on, as a reader who practised would have it
    page.evaluate("localStorage.setItem('dlqa.practice', '1')")
    page.goto(f"{base_url}/print_page/", wait_until="domcontentloaded")
    page.wait_for_function(
        """() => document.querySelectorAll('pre.mermaid').length === 0
                 && document.querySelectorAll('.arithmatex').length > 0
                 && document.querySelectorAll('.arithmatex .katex').length === document.querySelectorAll('.arithmatex').length"""
    )
    headings = page.eval_on_selector_all("#print-site-page h2[id]", "hs => hs.map(h => h.id)")
    assert sorted(headings) == sorted(expected)
    page.emulate_media(media="print")
    state = page.evaluate(
        """() => {
            const shown = el => el.offsetParent !== null || getComputedStyle(el).position === 'fixed'
            const metas = [...document.querySelectorAll('#print-site-page .q-meta')]
            return {
                answersHidden: metas.filter(m => { let n = m.nextElementSibling
                    while (n && n.classList.contains('q-also')) n = n.nextElementSibling
                    return n && n.tagName !== 'H2' && !shown(n) }).length,
                revealButtons: [...document.querySelectorAll('.q-reveal, .q-practice-toggle')].filter(shown).length,
                katexErrors: document.querySelectorAll('.katex-error').length,
                diagrams: [...document.querySelectorAll('#print-site-page .mermaid-diagram')].map(d => d.getBoundingClientRect().height),
                images: [...document.querySelectorAll('#print-site-page img')].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]),
                sidebar: shown(document.querySelector('.md-sidebar--primary')),
                header: shown(document.querySelector('.md-header')),
            }
        }"""
    )
    assert state["answersHidden"] == 0 and state["revealButtons"] == 0
    assert state["katexErrors"] == 0
    assert len(state["diagrams"]) == diagram_count() and min(state["diagrams"]) > 40
    notebook_figures = [src for src, _ in state["images"] if "notebooks/" in src]
    assert notebook_figures, "no notebook figure on the print page"
    assert all(loaded for _, loaded in state["images"]), [src for src, ok in state["images"] if not ok]
    assert not state["sidebar"] and not state["header"]


def test_printing_a_topic_page_in_practice_mode_shows_every_answer(open_page, base_url):
    page = open_page()
    page.goto(f"{base_url}/topics/regularisation/")
    page.click(".q-practice-toggle")
    answers = page.locator(".q-answer")
    assert answers.count() > 0 and not answers.first.is_visible()
    page.emulate_media(media="print")
    hidden = page.eval_on_selector_all(".q-answer", "as => as.filter(a => a.offsetParent === null).length")
    assert hidden == 0
    for selector in (".q-reveal", ".q-practice-toggle", ".q-study", ".q-actions", ".md-sidebar--primary"):
        assert page.locator(selector).first.is_hidden(), selector
    page.emulate_media(media="screen")
    page.click(".q-practice-toggle")


PHONE_WIDTH = 390


def test_phone_width_never_scrolls_the_page_sideways(open_page, base_url):
    """Every topic page at 390 px, math and diagrams as served (rendered at build time).

    On a phone, content wider than the screen widens the layout viewport, so `innerWidth`
    grows with it: the page is compared with the screen's width, not with `innerWidth`."""
    page = open_page(viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(f"{base_url}/")
    page.evaluate("localStorage.setItem('dlqa.practice', '0')")
    wide = []
    paths = ["", "questions/", *(f"topics/{slug}/" for slug in topic_pages())]
    for path in paths:
        # Practice mode adds "Show answer" buttons: checked on one page, the rest read normally.
        for practice in ("0", "1") if path == "topics/regularisation/" else ("0",):
            page.evaluate(f"localStorage.setItem('dlqa.practice', '{practice}')")
            page.goto(f"{base_url}/{path}")
            page.wait_for_load_state("load")
            metrics = page.evaluate(
                """() => ({
                    scroll: document.documentElement.scrollWidth,
                    controls: [...document.querySelectorAll('.q-study, .q-known, .q-report, .q-practice-toggle, .q-reveal')]
                        .filter(e => e.offsetParent !== null)
                        .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5).length,
                    wide: [...document.querySelectorAll('.katex')]
                        .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && !e.closest('div.arithmatex, .md-typeset__scrollwrap'))
                        .map(e => e.querySelector('annotation').textContent.slice(0, 60)),
                })""".replace("innerWidth", str(PHONE_WIDTH))
            )
            if metrics["scroll"] > PHONE_WIDTH or metrics["controls"]:
                wide.append((path, practice, metrics))
    assert not wide, wide
