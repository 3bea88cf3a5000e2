"""Type a query into the site's real search box (Playwright) and read what it shows, when.

`RECORDER` must be added to the browser context (`context.add_init_script(RECORDER)`) before
a page loads: it notes the first keydown and every change of the result list, in epoch
milliseconds of the wall clock (Date.now(), the clock the benchmark's server notes downloads
with: performance.timeOrigin + now() drifts from it on a page open for minutes).
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

SEARCH_INPUT = "input.md-search__input"
SETTLED_MS = 400  # the result list is final once it has not changed for this long

RECORDER = """
window.__search = { keydown: null, changes: [] }
addEventListener("keydown", () => {
  if (window.__search.keydown === null) window.__search.keydown = Date.now()
}, true)
addEventListener("DOMContentLoaded", () => {
  const list = document.querySelector(".md-search-result__list")
  new MutationObserver(() => window.__search.changes.push({
    at: Date.now(),
    items: list.querySelectorAll(".md-search-result__item").length,
  })).observe(list, { childList: true, subtree: true })
})
"""


@dataclass
class Answer:
    links: list[str]          # result links (path, query and #id) in the order shown
    keydown_at: float         # epoch ms of the first keydown
    first_result_ms: float | None  # first keydown -> first result item on screen (None: no result)
    final_result_ms: float | None  # first keydown -> the result list as it settled


def clear_search(page) -> None:
    page.click(SEARCH_INPUT)
    page.fill(SEARCH_INPUT, "")
    page.wait_for_timeout(SETTLED_MS / 2)
    page.evaluate("window.__search.keydown = null; window.__search.changes = []")


def type_query(page, query: str, timeout_ms: float = 15_000) -> Answer:
    """Type `query` into a cleared search box and wait until its results have settled.

    A query that shows no result within `timeout_ms` is answered with no links.
    """
    page.keyboard.type(query)
    try:
        page.wait_for_function(
            """settled => {
                const shown = window.__search.changes.filter(c => c.items > 0)
                const last = window.__search.changes.at(-1)
                return shown.length > 0 && Date.now() - last.at > settled
            }""",
            arg=SETTLED_MS, timeout=timeout_ms, polling=50,
        )
    except PlaywrightTimeoutError:
        return Answer([], page.evaluate("window.__search.keydown"), None, None)
    record = page.evaluate("window.__search")
    first = next(change["at"] for change in record["changes"] if change["items"] > 0)
    links = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.pathname + a.search + a.hash)")
    return Answer(links, record["keydown"], first - record["keydown"], record["changes"][-1]["at"] - record["keydown"])
