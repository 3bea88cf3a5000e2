// The reader's review state: one model for "I know this" and spaced review.
//
// localStorage "dlqa.cards" holds { "version": 1, "cards": { "topics/cnns/": { "vgg16-parameters": card } } }:
// one FSRS card per question the reader has graded, keyed by page URL and the question's stable id.
// FSRS (ts-fsrs, pinned in package.json, served from assets/vendor/ts-fsrs/) decides when a card is due;
// it is loaded only when the reader grades. A card also keeps its last grade (1 Again … 4 Easy):
// a question is known when it was last recalled (graded Hard, Good or Easy). "I know this" grades Easy;
// taking it back forgets the card. The old "dlqa.known" store migrates into cards on first load.
// Nothing is sent anywhere; export and import move the state between browsers as a JSON file.
export const SITE_ROOT = new URL("../../", import.meta.url)
export const LEVELS = ["basic", "intermediate", "advanced"]
export const GRADES = [["again", 1, "Again"], ["hard", 2, "Hard"], ["good", 3, "Good"], ["easy", 4, "Easy"]]
export const CARDS_KEY = "dlqa.cards"
export const FILTER_KEY = "dlqa.filter"
export const PROGRESS_EVENT = "dlqa:progress"  // dispatched on window after every change of the cards
const OLD_KNOWN_KEY = "dlqa.known"
const EXPORT_FORMAT = "dlqa-progress"
const VERSION = 1
const EASY = 4
const PAGE_KEY = /^[a-z0-9][a-z0-9/_-]*\/$/
const QUESTION_ID = /^[A-Za-z0-9_-]+$/
const DATE_FIELDS = ["due", "last_review"]
const COUNT_FIELDS = ["reps", "lapses", "learning_steps", "state"]
const NUMBER_FIELDS = ["stability", "difficulty", "elapsed_days", "scheduled_days"]

let scheduler = null
let indexPromise = null

// --- Storage -----------------------------------------------------------------------

function readCards() {
  try {
    const stored = JSON.parse(localStorage.getItem(CARDS_KEY))
    return stored && stored.version === VERSION && isPlainObject(stored.cards) ? stored.cards : {}
  } catch {
    return {}
  }
}

function writeCards(cards) {
  for (const page of Object.keys(cards)) if (!Object.keys(cards[page]).length) delete cards[page]
  try {
    localStorage.setItem(CARDS_KEY, JSON.stringify({ version: VERSION, cards }))
  } catch {
    // Storage full or disabled: the tools still work for this page view.
  }
  window.dispatchEvent(new Event(PROGRESS_EVENT))
}

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value)
}

export function cardsOf(pageKey) {
  const cards = readCards()[pageKey]
  return isPlainObject(cards) ? cards : {}
}

export function allCards() {
  return readCards()
}

export function isKnown(card) {
  return Boolean(card) && card.grade > 1
}

export function knownIds(pageKey) {
  const cards = cardsOf(pageKey)
  return new Set(Object.keys(cards).filter(id => isKnown(cards[id])))
}

export function forget(pageKey, id) {
  const cards = readCards()
  if (cards[pageKey]) delete cards[pageKey][id]
  writeCards(cards)
}

export function forgetPage(pageKey) {
  const cards = readCards()
  delete cards[pageKey]
  writeCards(cards)
}

export function forgetAll() {
  try { localStorage.removeItem(CARDS_KEY) } catch { /* nothing stored */ }
  window.dispatchEvent(new Event(PROGRESS_EVENT))
}

// --- Scheduling (FSRS) ---------------------------------------------------------------

async function loadScheduler() {
  if (!scheduler) {
    const fsrsModule = await import(new URL("assets/vendor/ts-fsrs/index.mjs", SITE_ROOT).href)
    scheduler = { module: fsrsModule, fsrs: fsrsModule.fsrs() }
  }
  return scheduler
}

function toFsrsCard(card) {
  return { ...card, due: new Date(card.due), last_review: card.last_review ? new Date(card.last_review) : undefined }
}

function fromFsrsCard(card, grade) {
  const stored = { grade }
  for (const field of [...NUMBER_FIELDS, ...COUNT_FIELDS]) stored[field] = card[field]
  for (const field of DATE_FIELDS) if (card[field]) stored[field] = new Date(card[field]).toISOString()
  return stored
}

// Grade one question (1 Again … 4 Easy) at `now`; returns the stored card (its `due` says when it comes back).
export async function grade(pageKey, id, rating, now = new Date()) {
  const { module, fsrs } = await loadScheduler()
  const cards = readCards()
  const previous = cards[pageKey] && cards[pageKey][id]
  const card = previous ? toFsrsCard(previous) : module.createEmptyCard(now)
  const next = fromFsrsCard(fsrs.next(card, now, rating).card, rating)
  cards[pageKey] = { ...(cards[pageKey] || {}), [id]: next }
  writeCards(cards)
  return next
}

// When each grade would bring the question back: { 1: Date, 2: Date, 3: Date, 4: Date }.
export async function preview(pageKey, id, now = new Date()) {
  const { module, fsrs } = await loadScheduler()
  const previous = cardsOf(pageKey)[id]
  const card = previous ? toFsrsCard(previous) : module.createEmptyCard(now)
  const outcomes = fsrs.repeat(card, now)
  return Object.fromEntries(GRADES.map(([, rating]) => [rating, outcomes[rating].card.due]))
}

// The old store ({ page: { id: 1 } }) becomes cards graded Easy now; then it is removed. Returns true if it ran.
async function migrateOldProgress(now = new Date()) {
  let old
  try {
    old = JSON.parse(localStorage.getItem(OLD_KNOWN_KEY))
  } catch {
    old = null
  }
  if (old === null || old === undefined) return false
  if (isPlainObject(old)) {
    for (const [pageKey, ids] of Object.entries(old)) {
      if (!PAGE_KEY.test(pageKey) || !isPlainObject(ids)) continue
      for (const id of Object.keys(ids)) {
        if (QUESTION_ID.test(id) && !cardsOf(pageKey)[id]) await grade(pageKey, id, EASY, now)
      }
    }
  }
  try { localStorage.removeItem(OLD_KNOWN_KEY) } catch { /* nothing to remove */ }
  return true
}

// --- Due dates -------------------------------------------------------------------------

export function endOfDay(now = new Date()) {
  const end = new Date(now)
  end.setHours(23, 59, 59, 999)
  return end
}

export function isDue(card, until) {
  return Boolean(card) && new Date(card.due) <= until
}

// Due cards across pages: [{ page, id, due }] sorted by due date, for questions in `index` only.
export function dueQuestions(index, until, keep = () => true) {
  const cards = readCards()
  const due = []
  for (const page of index.pages) {
    const pageCards = isPlainObject(cards[page.url]) ? cards[page.url] : {}
    for (const question of page.questions) {
      const card = pageCards[question.id]
      if (isDue(card, until) && keep(question)) due.push({ page, question, due: new Date(card.due) })
    }
  }
  return due.sort((a, b) => a.due - b.due)
}

// --- Export and import ------------------------------------------------------------------

export function exportState(now = new Date()) {
  return { format: EXPORT_FORMAT, version: VERSION, exported: now.toISOString(), cards: readCards() }
}

function cardProblem(card) {
  if (!isPlainObject(card)) return "is not an object"
  if (!Number.isInteger(card.grade) || card.grade < 1 || card.grade > 4) return "has no grade from 1 to 4"
  for (const field of DATE_FIELDS) {
    const value = card[field]
    if (value === undefined && field === "last_review") continue
    if (typeof value !== "string" || Number.isNaN(Date.parse(value))) return `has no valid date in "${field}"`
  }
  for (const field of COUNT_FIELDS) {
    if (!Number.isInteger(card[field]) || card[field] < 0) return `has no whole number in "${field}"`
  }
  if (card.state > 3) return "has an unknown state"
  for (const field of NUMBER_FIELDS) {
    if (typeof card[field] !== "number" || !Number.isFinite(card[field]) || card[field] < 0) return `has no number in "${field}"`
  }
  return null
}

// The cards of an exported file (its text), checked; throws an Error whose message says what is wrong.
export function parseExport(text) {
  let data
  try {
    data = JSON.parse(text)
  } catch {
    throw new Error("the file is not JSON.")
  }
  if (!isPlainObject(data) || data.format !== EXPORT_FORMAT) throw new Error(`this is not a progress file from this site (no "format": "${EXPORT_FORMAT}").`)
  if (data.version !== VERSION) throw new Error(`version ${JSON.stringify(data.version)} is not one this site reads (it reads ${VERSION}).`)
  if (!isPlainObject(data.cards)) throw new Error(`"cards" is missing or not an object.`)
  const cards = {}
  for (const [pageKey, pageCards] of Object.entries(data.cards)) {
    if (!PAGE_KEY.test(pageKey) || !isPlainObject(pageCards)) throw new Error(`"${pageKey.slice(0, 80)}" is not a page of this site.`)
    cards[pageKey] = {}
    for (const [id, card] of Object.entries(pageCards)) {
      if (!QUESTION_ID.test(id)) throw new Error(`"${id.slice(0, 80)}" on ${pageKey} is not a question id.`)
      const problem = cardProblem(card)
      if (problem) throw new Error(`the card of ${pageKey}#${id} ${problem}.`)
      cards[pageKey][id] = Object.fromEntries(
        ["grade", ...DATE_FIELDS, ...COUNT_FIELDS, ...NUMBER_FIELDS].filter(f => card[f] !== undefined).map(f => [f, card[f]]))
    }
  }
  return cards
}

// Merge imported cards into this browser's: per question, the card reviewed last wins. Returns how many changed.
export function importState(text) {
  const incoming = parseExport(text)
  const cards = readCards()
  let changed = 0
  for (const [pageKey, pageCards] of Object.entries(incoming)) {
    for (const [id, card] of Object.entries(pageCards)) {
      const mine = cards[pageKey] && cards[pageKey][id]
      if (mine && Date.parse(mine.last_review || 0) >= Date.parse(card.last_review || 0)) continue
      cards[pageKey] = { ...(cards[pageKey] || {}), [id]: card }
      changed += 1
    }
  }
  writeCards(cards)
  return changed
}

// --- Pages and the question index ------------------------------------------------------

// "topics/cnns/" for http://host/site/topics/cnns/ (or .../topics/cnns/index.html).
export function pageKeyOf(url) {
  const path = new URL(url, location.href).pathname.replace(/index\.html$/, "")
  return path.startsWith(SITE_ROOT.pathname) ? decodeURI(path.slice(SITE_ROOT.pathname.length)) : null
}

// assets/question-index.json (written at build time by dlqa/hooks/question_index.py), once the old
// progress store has migrated (so nothing is counted before it).
export function loadIndex() {
  if (!indexPromise) {
    const index = fetch(new URL("assets/question-index.json", SITE_ROOT))
      .then(response => (response.ok ? response.json() : { pages: [] }))
      .catch(() => ({ pages: [] }))
      .then(index => ({ tracks: [], ...index }))
    indexPromise = Promise.all([index, migrateOldProgress().catch(() => false)]).then(([loaded]) => loaded)
  }
  return indexPromise
}

// The reader's filters, shared by topic pages, Review and the mock interview: level, "only not known yet", track.
export function readFilter() {
  let filter
  try {
    filter = JSON.parse(localStorage.getItem(FILTER_KEY))
  } catch {
    filter = null
  }
  filter = isPlainObject(filter) ? filter : {}
  return {
    level: LEVELS.includes(filter.level) ? filter.level : "all",
    unknownOnly: filter.unknownOnly === true,
    track: typeof filter.track === "string" ? filter.track : "",
  }
}

export function writeFilter(changes) {
  try {
    localStorage.setItem(FILTER_KEY, JSON.stringify({ ...readFilter(), ...changes }))
  } catch {
    // Storage full or disabled.
  }
}

// A track select (its value: "" for every track) for the tracks the index names.
export function trackSelect(index, value) {
  const select = element("select", "q-track-select")
  select.name = "q-track"
  for (const [slug, title] of [["", "all tracks"], ...index.tracks.map(track => [track.slug, track.title])]) {
    const option = element("option", "", slug ? `${title} track` : title)
    option.value = slug
    select.append(option)
  }
  select.value = index.tracks.some(track => track.slug === value) ? value : ""
  return select
}

export function hasTrack(question, track) {
  return !track || (Array.isArray(question.tracks) && question.tracks.includes(track))
}

// "10 min", "8 days": how far `to` is from `from`, as the grade buttons and messages say it.
export function interval(from, to) {
  const minutes = Math.max(1, Math.round((to - from) / 60000))
  if (minutes < 60) return `${minutes} min`
  const hours = Math.round(minutes / 60)
  if (hours < 24) return `${hours} h`
  const days = Math.round(hours / 24)
  if (days < 31) return days === 1 ? "1 day" : `${days} days`
  const months = Math.round(days / 30)
  return months < 12 ? `${months} mo` : `${(days / 365).toFixed(1)} y`
}

export function element(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}
