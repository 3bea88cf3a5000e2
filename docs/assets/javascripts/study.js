// Study tools: "I know this" progress per question, level filters, report-an-error links.
//
// Progress lives in this browser's localStorage only, under one key, as
//   { "topics/cnns/": { "vgg16-parameters": 1, ... }, ... }
// keyed by page URL and the question's stable id, so it survives edits and reordering.
// Nothing is sent anywhere. Per-topic totals for the navigation and the home page come
// from assets/question-index.json, written at build time by tools/hooks/question_index.py.
//
// Every string taken from a page goes into the DOM with textContent or setAttribute.
"use strict"

const KNOWN_KEY = "dlqa.known"
const FILTER_KEY = "dlqa.filter"
const LEVELS = ["basic", "intermediate", "advanced"]
const REPO_FALLBACK = "https://github.com/dl-interview-qa/dl-interview-qa"
// The site's root URL, from this script's own address (assets/javascripts/study.js).
const SITE_ROOT = new URL("../../", document.currentScript.src)

let indexPromise = null

// --- Storage -------------------------------------------------------------------

function readJSON(key, fallback) {
  try {
    const value = JSON.parse(localStorage.getItem(key))
    return value && typeof value === "object" && !Array.isArray(value) ? value : fallback
  } catch {
    return fallback
  }
}

function writeJSON(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // Storage full or disabled: the tools still work for this page view.
  }
}

function knownSet(pageKey) {
  const pages = readJSON(KNOWN_KEY, {})
  const ids = pages[pageKey]
  return new Set(ids && typeof ids === "object" ? Object.keys(ids) : [])
}

function setKnown(pageKey, id, known) {
  const pages = readJSON(KNOWN_KEY, {})
  const ids = pages[pageKey] && typeof pages[pageKey] === "object" ? pages[pageKey] : {}
  if (known) ids[id] = 1
  else delete ids[id]
  if (Object.keys(ids).length) pages[pageKey] = ids
  else delete pages[pageKey]
  writeJSON(KNOWN_KEY, pages)
}

function resetKnown(pageKey) {
  if (pageKey === undefined) {
    try { localStorage.removeItem(KNOWN_KEY) } catch { /* nothing stored */ }
    return
  }
  const pages = readJSON(KNOWN_KEY, {})
  delete pages[pageKey]
  writeJSON(KNOWN_KEY, pages)
}

function readFilter() {
  const filter = readJSON(FILTER_KEY, {})
  return {
    level: LEVELS.includes(filter.level) ? filter.level : "all",
    unknownOnly: filter.unknownOnly === true,
  }
}

// --- Pages and the index ---------------------------------------------------------

// "topics/cnns/" for http://host/site/topics/cnns/ (or .../topics/cnns/index.html).
function pageKeyOf(url) {
  const path = new URL(url, location.href).pathname.replace(/index\.html$/, "")
  return path.startsWith(SITE_ROOT.pathname) ? decodeURI(path.slice(SITE_ROOT.pathname.length)) : null
}

function loadIndex() {
  if (!indexPromise) {
    indexPromise = fetch(new URL("assets/question-index.json", SITE_ROOT))
      .then(response => (response.ok ? response.json() : { pages: [] }))
      .catch(() => ({ pages: [] }))
  }
  return indexPromise
}

function countKnown(page) {
  const known = knownSet(page.url)
  return page.questions.filter(q => known.has(q.id)).length
}

function element(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
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

function setupTopicPage(article, pageKey) {
  const questions = collectQuestions(article)
  if (!questions.length) return null

  // Per question: "I know this" and "Report an error" in the metadata line.
  for (const question of questions) {
    const actions = element("span", "q-actions")
    const button = element("button", "q-known")
    button.type = "button"
    button.dataset.questionId = question.id
    button.setAttribute("aria-label", `I know this: ${question.text}`)
    button.addEventListener("click", () => {
      const known = button.getAttribute("aria-pressed") !== "true"
      setKnown(pageKey, question.id, known)
      refresh()
      if (known && readFilter().unknownOnly) moveFocusFrom(button, questions)
    })
    const report = element("a", "q-report", "Report an error")
    report.href = reportUrl(pageKey, question.id, question.text)
    report.target = "_blank"
    report.rel = "noopener"
    report.setAttribute("aria-label", `Report an error in the answer to: ${question.text} (opens GitHub)`)
    actions.append(button, report)
    question.meta.append(actions)
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
    resetKnown(pageKey)
    refresh()
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
  const unknownLabel = element("label", "q-filter-unknown")
  const unknown = element("input")
  unknown.type = "checkbox"
  unknown.name = "q-unknown-only"
  unknownLabel.append(unknown, document.createTextNode(" only questions I don't know yet"))
  const shown = element("span", "q-shown")
  shown.setAttribute("aria-live", "polite")
  const onFilter = () => {
    writeJSON(FILTER_KEY, { level: select.value, unknownOnly: unknown.checked })
    refresh()
  }
  select.addEventListener("change", onFilter)
  unknown.addEventListener("change", onFilter)
  filters.append(levelLabel, unknownLabel, shown)
  const empty = element("p", "q-empty", "No question on this page matches the filter.")
  empty.hidden = true
  bar.append(progress, filters)

  const anchor = article.querySelector(":scope > .q-practice-toggle") || article.querySelector(":scope > h1")
  if (anchor) anchor.after(bar)
  else article.prepend(bar)
  questions[0].heading.before(empty)

  const render = () => {
    const known = knownSet(pageKey)
    const filter = readFilter()
    select.value = filter.level
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
      const show = targeted || ((filter.level === "all" || filter.level === question.level) && !(filter.unknownOnly && isKnown))
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
  for (const link of links) {
    if (link.hash) continue
    const page = pages.get(pageKeyOf(link.href))
    if (!page || !page.questions.length) continue
    link.querySelector(`:scope > .${className}`)?.remove()
    link.append(countBadge(`q-count ${className}`, countKnown(page), page.questions.length))
  }
}

function overallLine(index) {
  const total = index.pages.reduce((sum, page) => sum + page.questions.length, 0)
  const known = index.pages.reduce((sum, page) => sum + countKnown(page), 0)
  const line = element("p", "q-overall")
  line.setAttribute("aria-live", "polite")
  const reset = element("button", "q-reset-all", "Reset all progress")
  reset.type = "button"
  reset.hidden = known === 0
  reset.addEventListener("click", () => {
    if (window.confirm("Forget every question you marked as known, on every page?")) {
      resetKnown()
      refresh()
    }
  })
  line.append(
    document.createTextNode("Your progress: "),
    element("strong", "q-overall-count", `${known} / ${total}`),
    document.createTextNode(" questions known, kept in this browser only. "),
    reset,
  )
  return line
}

function decorateIndexPage(index, article) {
  for (const block of article.querySelectorAll(".q-index[data-page]")) {
    const page = index.pages.find(p => p.url === block.dataset.page)
    if (!page) continue
    const known = knownSet(page.url)
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

document$.subscribe(() => {
  renderTopic = null
  const article = document.querySelector("article.md-content__inner")
  if (article && !document.getElementById("print-site-page") && article.querySelector(":scope > .q-meta")) {
    const key = pageKeyOf(location.href)
    if (key !== null) renderTopic = setupTopicPage(article, key)
  }
  refresh()
})

window.addEventListener("hashchange", () => renderTopic && renderTopic())
// Another tab changed the progress or the filter.
window.addEventListener("storage", event => {
  if (event.key === KNOWN_KEY || event.key === FILTER_KEY || event.key === null) refresh()
})
