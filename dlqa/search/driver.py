"""Type a query into the site's real search box (Playwright) and read what it shows, when.

`RECORDER` must be added to the browser context (`context.add_init_script(RECORDER)`) before
a page loads: it notes the first keydown, every change of the result list and every answer of
the search worker, in epoch milliseconds of the wall clock (Date.now(), the clock the
benchmark's server notes downloads with: performance.timeOrigin + now() drifts from it on a
page open for minutes).

The site's worker (search-worker.js) names the query each answer is for and whether it is
complete, so a query is read once the complete answer to the whole query is on screen, however
slow the machine. Material's own lunr worker names nothing: for it the list counts as final once
it has not changed for `SETTLED_MS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

SEARCH_INPUT = "input.md-search__input"
SETTLED_MS = 400  # lunr only: the result list is final once it has not changed for this long

RECORDER = """
window.__search = { keydown: null, changes: [], answers: [] }
const PageWorker = window.Worker
window.Worker = class extends PageWorker {
  constructor(...args) {
    super(...args)
    this.addEventListener("message", ({ data }) => {
      if (data && data.type === 3 && data.data && "complete" in data.data)  // RESULT, from the site's worker
        window.__search.answers.push({
          at: Date.now(), query: data.data.query, complete: data.data.complete, items: data.data.items.length,
        })
    })
  }
}
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
    page.evaluate("window.__search.keydown = null; window.__search.changes = []; window.__search.answers = []")


def type_query(page, query: str, timeout_ms: float = 15_000) -> Answer:
    """Type `query` into a cleared search box and wait for its results: the worker's complete
    answer to the whole query, on screen (the site's worker), or a list unchanged for
    `SETTLED_MS` (lunr).

    A query that shows no result within `timeout_ms` is answered with no links.
    """
    page.keyboard.type(query)
    try:
        page.wait_for_function(
            """([query, settled]) => {
                const { changes, answers } = window.__search
                const shown = changes.filter(c => c.items > 0)
                if (answers.length === 0)  // lunr: wait for a quiet list
                  return shown.length > 0 && Date.now() - changes.at(-1).at > settled
                // Material trims the query (its search.transform) before the worker sees it.
                const words = text => text.toLowerCase().split(/[^\\p{L}\\p{N}_]+/u).filter(Boolean).join(" ")
                const done = answers.find(a => a.complete && words(a.query) === words(query))
                // Material renders an answer as it arrives: the change after it is its list.
                return done !== undefined && (done.items === 0 || shown.some(c => c.at >= done.at))
            }""",
            arg=[query, SETTLED_MS], timeout=timeout_ms, polling=50,
        )
    except PlaywrightTimeoutError:
        return Answer([], page.evaluate("window.__search.keydown"), None, None)
    record = page.evaluate("window.__search")
    first = next((change["at"] for change in record["changes"] if change["items"] > 0), None)
    if first is None:  # the complete answer had no hit
        return Answer([], record["keydown"], None, None)
    links = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.pathname + a.search + a.hash)")
    return Answer(links, record["keydown"], first - record["keydown"], record["changes"][-1]["at"] - record["keydown"])
