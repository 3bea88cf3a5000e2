// Study tools on every page: "I know this" and recall grades per question, level and track
// filters, report-an-error links, known and due counts in the navigation and on the home page.
//
// Progress is the review state of cards.js (one FSRS card per graded question, in this browser's
// localStorage only), keyed by page URL and the question's stable id, so it survives edits and
// reordering. Nothing is sent anywhere. Per-topic totals for the navigation and the home page come
// from assets/question-index.json, written at build time by dlqa/hooks/question_index.py.
//
// Every string taken from a page goes into the DOM with textContent or setAttribute.
import {
  CARDS_KEY, FILTER_KEY, PROGRESS_EVENT, LEVELS, GRADES, SITE_ROOT, allCards, dueQuestions, element, endOfDay, forget, forgetAll,
  forgetPage, grade, hasTrack, interval, knownIds, loadIndex, pageKeyOf, readFilter, trackSelect, writeFilter,
} from "./cards.js"

const REPO_FALLBACK = "https://github.com/dl-interview-qa/dl-interview-qa"
const EASY = 4
const REVIEW_PAGE = "review/"

function countKnown(page) {
  const known = knownIds(page.url)
  return page.questions.filter(q => known.has(q.id)).length
}

// A count "3/12" for the eye and "3 of 12 questions known" for screen readers.
function countBadge(className, known, total) {
  const badge = element("span", className)
  const visible = element("span", "", `${known}/${total}`)
  visible.setAttribute("aria-hidden", "true")
  badge.append(visible, element("span", "q-sr-only", ` (${known} of ${total} questions known)`))
  badge.classList.toggle("q-count--done", total > 0 && known === total)
  badge.title = `${known} of ${total} questions marked as known`
  return badge
}

// "3 due" with a screen-reader wording; null when nothing is due.
function dueBadge(count) {
  if (!count) return null
  const badge = element("span", "q-due-count")
  const visible = element("span", "", `${count} due`)
  visible.setAttribute("aria-hidden", "true")
  badge.append(visible, element("span", "q-sr-only", ` (${count} due for review today)`))
  badge.title = `${count} question${count === 1 ? "" : "s"} due for review today`
  return badge
}

function dueTodayByPage(index) {
  const counts = new Map()
  for (const { page } of dueQuestions(index, endOfDay(new Date()))) counts.set(page.url, (counts.get(page.url) || 0) + 1)
  return counts
}

// --- Topic pages -------------------------------------------------------------------

function questionText(heading) {
  const copy = heading.cloneNode(true)
  for (const link of copy.querySelectorAll(".headerlink")) link.remove()
  return copy.textContent.replace(/\s+/g, " ").trim()
}

function repoBase() {
  // The page's edit link (from edit_uri in mkdocs.yml) names the repository.
  const edit = document.querySelector("a.md-content__button[href*='/edit/']")
  const match = edit && /^(https:\/\/github\.com\/[^/]+\/[^/]+)\/edit\//.exec(edit.href)
  return match ? match[1] : REPO_FALLBACK
}

function permalink(id) {
  const canonical = document.querySelector("link[rel=canonical]")
  const url = new URL(canonical ? canonical.href : location.href)
  url.hash = id
  return url.href
}

// The "wrong answer" issue form (.github/ISSUE_TEMPLATE/wrong-answer.yml), pre-filled.
function reportUrl(pageKey, id, text) {
  const url = new URL(`${repoBase()}/issues/new`)
  url.searchParams.set("template", "wrong-answer.yml")
  url.searchParams.set("title", `Wrong answer: ${text}`)
  url.searchParams.set("page", pageKey)
  url.searchParams.set("question-id", id)
  url.searchParams.set("wrong", `Question: ${text}\nPermalink: ${permalink(id)}\n\nWhat the answer says, and what is true instead:\n`)
  return url.href
}

// Each question: its heading, level, and every element up to the next question.
function collectQuestions(article) {
  const questions = []
  for (const heading of article.querySelectorAll(":scope > h2[id]")) {
    const meta = heading.nextElementSibling
    if (!meta || !meta.classList.contains("q-meta")) continue
    const badge = meta.querySelector(".q-difficulty")
    const level = LEVELS.find(name => badge && badge.classList.contains(`q-difficulty--${name}`)) || "basic"
    const parts = [heading]
    for (let node = heading.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
      parts.push(node)
    }
    questions.push({ id: heading.id, heading, meta, level, parts, text: questionText(heading) })
  }
  return questions
}

function tocEntries(id) {
  return [...document.querySelectorAll(".md-nav--secondary a.md-nav__link")]
    .filter(link => link.hash && decodeURIComponent(link.hash.slice(1)) === id)
    .map(link => link.closest("li") || link)
}

// Practice mode: after "Show answer", the reader grades recall; FSRS schedules the next review.
function gradeBar(pageKey, question) {
  const bar = element("div", "q-grades q-grades--page")
  bar.setAttribute("role", "group")
  bar.setAttribute("aria-label", `How well did you recall it? ${question.text}`)
  const status = element("span", "q-grades-status")
  status.setAttribute("role", "status")
  bar.append(element("span", "q-grades-prompt", "How well did you recall it?"))
  for (const [name, value, label] of GRADES) {
    const button = element("button", `md-button q-grade q-grade--${name}`, label)
    button.type = "button"
    button.dataset.grade = name
    button.addEventListener("click", async () => {
      const now = new Date()
      const card = await grade(pageKey, question.id, value, now)
      status.textContent = `${label}: back for review in ${interval(now, new Date(card.due))}.`
    })
    bar.append(button)
  }
  bar.append(status)
  return bar
}

function setupTopicPage(article, pageKey, index) {
  const questions = collectQuestions(article)
  if (!questions.length) return null
  const indexed = new Map((index.pages.find(page => page.url === pageKey) || { questions: [] }).questions.map(q => [q.id, q]))

  // Per question: "I know this" and "Report an error" in the metadata line; grades under the answer.
  for (const question of questions) {
    const actions = element("span", "q-actions")
    const button = element("button", "q-known")
    button.type = "button"
    button.dataset.questionId = question.id
    button.setAttribute("aria-label", `I know this: ${question.text}`)
    button.addEventListener("click", async () => {
      const known = button.getAttribute("aria-pressed") !== "true"
      if (known) await grade(pageKey, question.id, EASY)
      else forget(pageKey, question.id)
      if (known && readFilter().unknownOnly) moveFocusFrom(button, questions)
    })
    const report = element("a", "q-report", "Report an error")
    report.href = reportUrl(pageKey, question.id, question.text)
    report.target = "_blank"
    report.rel = "noopener"
    report.setAttribute("aria-label", `Report an error in the answer to: ${question.text} (opens GitHub)`)
    actions.append(button, report)
    question.meta.append(actions)
    question.parts.find(part => part.classList.contains("q-answer"))?.append(gradeBar(pageKey, question))
  }

  // Under the title (and the practice toggle): progress, reset, filters.
  const bar = element("div", "q-study")
  bar.setAttribute("role", "group")
  bar.setAttribute("aria-label", "Study tools")
  const progress = element("p", "q-progress")
  progress.setAttribute("aria-live", "polite")
  const reset = element("button", "q-reset-page", "Reset this page")
  reset.type = "button"
  reset.addEventListener("click", () => {
    forgetPage(pageKey)
  })

  const filters = element("p", "q-filters")
  const levelLabel = element("label", "q-filter-level", "Show ")
  const select = element("select")
  select.name = "q-level"
  for (const [value, label] of [["all", "all levels"], ...LEVELS.map(l => [l, `${l} only`])]) {
    const option = element("option", "", label)
    option.value = value
    select.append(option)
  }
  levelLabel.append(select)
  const tracks = index.tracks.length ? trackSelect(index, readFilter().track) : null
  const trackLabel = element("label", "q-filter-track", "for ")
  if (tracks) trackLabel.append(tracks)
  const unknownLabel = element("label", "q-filter-unknown")
  const unknown = element("input")
  unknown.type = "checkbox"
  unknown.name = "q-unknown-only"
  unknownLabel.append(unknown, document.createTextNode(" only questions I don't know yet"))
  const shown = element("span", "q-shown")
  shown.setAttribute("aria-live", "polite")
  const onFilter = () => {
    writeFilter({ level: select.value, unknownOnly: unknown.checked, ...(tracks ? { track: tracks.value } : {}) })
    refresh()
  }
  for (const control of [select, tracks, unknown]) control?.addEventListener("change", onFilter)
  filters.append(levelLabel, ...(tracks ? [" ", trackLabel] : []), unknownLabel, shown)
  const empty = element("p", "q-empty", "No question on this page matches the filter.")
  empty.hidden = true
  bar.append(progress, filters)

  const anchor = article.querySelector(":scope > .q-practice-toggle") || article.querySelector(":scope > h1")
  if (anchor) anchor.after(bar)
  else article.prepend(bar)
  questions[0].heading.before(empty)

  const render = () => {
    const known = knownIds(pageKey)
    const filter = readFilter()
    select.value = filter.level
    if (tracks) tracks.value = index.tracks.some(track => track.slug === filter.track) ? filter.track : ""
    const track = tracks ? tracks.value : ""
    unknown.checked = filter.unknownOnly
    const target = decodeURIComponent(location.hash.slice(1))
    let count = 0
    let visible = 0
    for (const question of questions) {
      const isKnown = known.has(question.id)
      count += isKnown ? 1 : 0
      const button = question.meta.querySelector(".q-known")
      button.setAttribute("aria-pressed", String(isKnown))
      button.textContent = isKnown ? "✓ Known" : "I know this"
      const targeted = target && (target === question.id || question.parts.some(p => p.id === target || p.querySelector(`[id="${CSS.escape(target)}"]`)))
      const matches = (filter.level === "all" || filter.level === question.level) && !(filter.unknownOnly && isKnown)
        && hasTrack(indexed.get(question.id) || {}, track)
      const show = targeted || matches
      visible += show ? 1 : 0
      for (const part of question.parts) part.classList.toggle("q-filtered", !show)
      for (const entry of tocEntries(question.id)) entry.classList.toggle("q-filtered", !show)
    }
    progress.replaceChildren(
      element("strong", "q-progress-count", `${count} / ${questions.length}`),
      document.createTextNode(" known "),
      reset,
    )
    reset.hidden = count === 0
    shown.textContent = visible === questions.length ? "" : `${visible} of ${questions.length} questions shown`
    empty.hidden = visible > 0
  }
  return render
}

// After "I know this" hides its own question (filter: not known yet), keep keyboard focus nearby.
function moveFocusFrom(button, questions) {
  if (button.offsetParent !== null) return
  const start = questions.findIndex(q => q.id === button.dataset.questionId)
  const next = questions.slice(start + 1).concat(questions.slice(0, start))
    .map(q => q.meta.querySelector(".q-known"))
    .find(b => b.offsetParent !== null)
  ;(next || document.querySelector(".q-study select"))?.focus()
}

// --- Navigation, home page, "All questions" page -------------------------------------

function decorateLinks(index, links, className) {
  const pages = new Map(index.pages.map(page => [page.url, page]))
  const due = dueTodayByPage(index)
  const totalDue = [...due.values()].reduce((sum, count) => sum + count, 0)
  for (const link of links) {
    if (link.hash) continue
    const key = pageKeyOf(link.href)
    link.querySelector(`:scope > .${className}`)?.remove()
    link.querySelector(":scope > .q-due-count")?.remove()
    if (key === REVIEW_PAGE) {
      const badge = dueBadge(totalDue)
      if (badge) link.append(badge)
      continue
    }
    const page = pages.get(key)
    if (!page || !page.questions.length) continue
    link.append(countBadge(`q-count ${className}`, countKnown(page), page.questions.length))
    const badge = dueBadge(due.get(page.url))
    if (badge) link.append(badge)
  }
}

function overallLine(index) {
  const total = index.pages.reduce((sum, page) => sum + page.questions.length, 0)
  const known = index.pages.reduce((sum, page) => sum + countKnown(page), 0)
  const due = dueQuestions(index, endOfDay(new Date())).length
  const line = element("p", "q-overall")
  line.setAttribute("aria-live", "polite")
  const reset = element("button", "q-reset-all", "Reset all progress")
  reset.type = "button"
  reset.hidden = known === 0 && !Object.keys(allCards()).length
  reset.addEventListener("click", () => {
    if (window.confirm("Forget every question you marked as known or graded, on every page?")) {
      forgetAll()
    }
  })
  const review = element("a", "q-overall-due", `${due} due for review today`)
  review.href = new URL(REVIEW_PAGE, SITE_ROOT).href
  line.append(
    document.createTextNode("Your progress: "),
    element("strong", "q-overall-count", `${known} / ${total}`),
    document.createTextNode(" questions known, "),
    review,
    document.createTextNode(", kept in this browser only. "),
    reset,
  )
  return line
}

function decorateIndexPage(index, article) {
  for (const block of article.querySelectorAll(".q-index[data-page]")) {
    const page = index.pages.find(p => p.url === block.dataset.page)
    if (!page) continue
    const known = knownIds(page.url)
    const intro = block.querySelector(":scope > p")
    intro?.querySelector(".q-count")?.remove()
    intro?.append(" · ", countBadge("q-count q-count--page", countKnown(page), page.questions.length))
    for (const link of block.querySelectorAll("li > a[href*='#']")) {
      const item = link.parentElement
      const id = decodeURIComponent(link.hash.slice(1))
      item.querySelector(":scope > .q-known-mark")?.remove()
      item.classList.toggle("q-index--known", known.has(id))
      if (known.has(id)) {
        const mark = element("span", "q-known-mark", "✓ known")
        item.append(" ", mark)
      }
    }
  }
}

// --- Wiring --------------------------------------------------------------------------

let renderTopic = null

function refresh() {
  if (renderTopic) renderTopic()
  loadIndex().then(index => {
    decorateLinks(index, document.querySelectorAll(".md-nav--primary a.md-nav__link"), "q-count--nav")
    const article = document.querySelector("article.md-content__inner")
    if (!article) return
    const key = pageKeyOf(location.href)
    if (key === "" ) {  // home page: the topics table
      decorateLinks(index, article.querySelectorAll("table a[href]"), "q-count--home")
    }
    if (key === "" || article.querySelector(".q-index")) {
      const old = article.querySelector(".q-overall")
      const line = overallLine(index)
      if (old) old.replaceWith(line)
      else (article.querySelector("#topics") || article.querySelector("h1"))?.after(line)
    }
    decorateIndexPage(index, article)
  })
}

// The Review and Mock interview pages' own modules load with the first of those pages.
const PAGE_MODULES = { ".q-review, .q-transfer": "./review.js", ".q-mock": "./mock.js" }

document$.subscribe(async () => {
  for (const [selector, module] of Object.entries(PAGE_MODULES)) {
    if (document.querySelector(selector)) import(module)
  }
  renderTopic = null
  const article = document.querySelector("article.md-content__inner")
  if (article && !document.getElementById("print-site-page") && article.querySelector(":scope > .q-meta")) {
    const key = pageKeyOf(location.href)
    const index = await loadIndex()
    if (key !== null && article.isConnected) renderTopic = setupTopicPage(article, key, index)
  }
  refresh()
})

window.addEventListener("hashchange", () => renderTopic && renderTopic())
// Another tab changed the progress or the filter; this one did (cards.js announces every change).
window.addEventListener("storage", event => {
  if (event.key === CARDS_KEY || event.key === FILTER_KEY || event.key === null) refresh()
})
window.addEventListener(PROGRESS_EVENT, () => refresh())
