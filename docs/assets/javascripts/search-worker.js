// Material for MkDocs' search worker, answered from the site's Pagefind index.
//
// Material's search box posts SETUP once, then QUERY on every change of the query; it
// renders each RESULT as a list of pages, each with its matching questions. This worker
// loads Pagefind (pagefind/pagefind.js, built by dlqa/hooks/search_index.py) when the first
// query is typed (not on page load: a reader who never searches downloads nothing; the page
// warms the browser cache when the search box gets focus, search-on-input.js), and Pagefind
// fetches only the index chunks and records a query needs. The first few hits are answered
// as soon as their records arrive, the rest of the list right after. Text from the pages is
// escaped here: Material inserts titles and teasers as HTML.

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3  // Material's SearchMessageType
const MIN_QUERY_LENGTH = 2    // a one-letter prefix matches nearly everything
const MAX_HITS = 10           // questions whose records are fetched and shown
const FIRST_HITS = 2          // ...of which the first answer shows these, before the others are fetched
const MIN_PREFIX_LENGTH = 4   // shortest word prefix tried when a word has no match (typos)
// Query words that only join others ("gan vs vae"), and other names for a word.
const JOINING_WORDS = new Set(["vs", "versus"])
// Short abbreviations that are also prefixes of longer ones ("rl" of "rlhf") are spelled out.
const ALIASES = new Map([
  ["convnet", ["cnn"]], ["convnets", ["cnn"]],
  ["rl", ["reinforcement", "learning"]], ["lr", ["learning", "rate"]],
])
const EXCERPT_WORDS = 24

const SITE_ROOT = new URL("../../", self.location.href)
let pagefind = null           // Promise of the Pagefind module, started by the first query
let pending = null            // the latest query not yet answered
let searching = false
let shown = null              // { key, result }: the query words whose hits the list shows, all of them

function loadPagefind() {
  return import(new URL("pagefind/pagefind.js", SITE_ROOT).href).then(async module => {
    await module.options({ baseUrl: "/", excerptLength: EXCERPT_WORDS, noWorker: true })
    await module.init()
    return module
  })
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

function decodeEntities(text) {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name) => (
    { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" }[name]
  ))
}

function queryWords(query) {
  const words = query.toLowerCase().split(/[^\p{L}\p{N}_]+/u)
  // The last word is still being typed ("kv c"): as a prefix, one letter matches a good part of
  // the index, which costs more than the whole query and ranks nothing.
  if (words.length > 1 && words.at(-1).length === 1) words.pop()
  return words
    .filter(word => word && !JOINING_WORDS.has(word))
    .flatMap(word => ALIASES.get(word) ?? [word])
}

// Spellings one edit away that typos often need: a letter dropped, two swapped, one doubled.
function typoFixes(word) {
  const fixes = new Set()
  for (let i = 0; i < word.length; i++) {
    fixes.add(word.slice(0, i) + word.slice(i + 1))
    fixes.add(word.slice(0, i) + word[i] + word.slice(i))
    if (i + 1 < word.length) fixes.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2))
  }
  fixes.delete(word)
  return [...fixes].filter(fix => fix.length >= MIN_PREFIX_LENGTH)
}

// Escaped HTML of `text` with every word that starts with a query word marked.
function highlight(text, words) {
  if (!words.length) return escapeHtml(text)
  const pattern = words.map(word => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")
  const starts = new RegExp(`(^|[^\\p{L}\\p{N}])(${pattern})`, "giu")
  let html = "", last = 0
  for (const match of text.matchAll(starts)) {
    const start = match.index + match[1].length
    html += escapeHtml(text.slice(last, start)) + `<mark>${escapeHtml(match[2])}</mark>`
    last = start + match[2].length
  }
  return html + escapeHtml(text.slice(last))
}

// Pagefind's plain excerpt is text; its `excerpt` marks the words it matched, stems included.
function markedExcerpt(excerpt) {
  return excerpt.split(/(<mark>.*?<\/mark>)/).map(part => (
    part.startsWith("<mark>")
      ? `<mark>${escapeHtml(decodeEntities(part.slice(6, -7)))}</mark>`
      : escapeHtml(decodeEntities(part))
  )).join("")
}

function pageLocation(url) {
  return url.replace(/^\//, "").split("#")[0]
}

// Pagefind hits for the query. When nothing matches, each word is retried with a typo fixed
// (the fix found in the most records: the likeliest word meant), then as ever shorter prefixes.
async function findHits(module, words) {
  let { results } = await module.search(words.join(" "))
  for (let i = 0; !results.length && i < words.length; i++) {
    const fixes = await Promise.all(typoFixes(words[i]).map(async fix => {
      const retry = words.with(i, fix)
      return { retry, found: (await module.search(retry.join(" "))).results }
    }))
    const best = fixes.reduce((most, fix) => (fix.found.length > most.found.length ? fix : most), { found: [] })
    if (best.found.length) return { hits: best.found.slice(0, MAX_HITS), words: best.retry }
    for (let length = words[i].length - 1; !results.length && length >= MIN_PREFIX_LENGTH; length--) {
      const retry = words.with(i, words[i].slice(0, length))
      results = (await module.search(retry.join(" "))).results
      if (results.length) words = retry
    }
  }
  return { hits: results.slice(0, MAX_HITS), words }
}

// Material's result: the hits grouped by page, each group with its page's own entry.
function resultItems(hits, records, words) {
  const terms = Object.fromEntries(words.map(word => [word, true]))
  const groups = new Map()
  records.forEach((record, rank) => {
    const location = record.url.replace(/^\//, "")
    const page = pageLocation(record.url)
    if (!groups.has(page)) groups.set(page, [])
    groups.get(page).push({
      location,
      title: highlight(decodeEntities(record.meta.title), words),
      text: markedExcerpt(record.excerpt),
      score: hits[rank].score,
      terms,
      pageTitle: record.meta.page_title,
    })
  })
  const items = [...groups.entries()].map(([page, docs]) => {
    if (docs.some(doc => doc.location === page)) return docs
    // Material shows every group under its page: add the page when only questions matched.
    return [...docs, { location: page, title: escapeHtml(decodeEntities(docs[0].pageTitle)), text: "", score: 0, terms }]
  })
  return { items }
}

// Answers `query` through `answer(result, complete)`: first its best few hits, then all of them
// (unless a newer query is waiting by then). A query typed on while Pagefind loaded is not answered.
async function search(query, answer) {
  const original = queryWords(query)
  const key = original.join(" ")
  // The list shows every hit for these words already ("gan" before "gan v"): the same list again.
  if (shown !== null && key === shown.key) return answer(shown.result, true)
  shown = null  // until this query's answer is complete
  if (query.trim().length < MIN_QUERY_LENGTH || !original.length) return answer({ items: [] }, true)
  pagefind ??= loadPagefind()
  const module = await pagefind
  if (pending !== null) return  // typed on while Pagefind loaded: the newer query replaces this one
  const { hits, words } = await findHits(module, original)
  const first = await Promise.all(hits.slice(0, FIRST_HITS).map(hit => hit.data()))
  if (hits.length > FIRST_HITS) {
    answer(resultItems(hits, first, words), false)
    if (pending !== null) return
  }
  const rest = await Promise.all(hits.slice(FIRST_HITS).map(hit => hit.data()))
  const result = resultItems(hits, [...first, ...rest], words)
  answer(result, true)
  shown = { key, result }
}

// Answer the latest query only: queries that arrive while one is searched replace each other.
async function answerQueries() {
  searching = true
  while (pending !== null) {
    const query = pending
    pending = null
    // Posted even when a newer query waits: while the reader types on, the list shows the
    // best hits of what was typed so far, not nothing. Answers come in the order asked. Each
    // names the query it answers and whether it is complete (Material reads only `items`;
    // the search tests and the benchmark wait for the complete answer to the full query).
    const answer = (result, complete) => postMessage({ type: RESULT, data: { ...result, query, complete } })
    try {
      await search(query, answer)
    } catch (error) {
      console.warn(`Search failed for ${JSON.stringify(query)}:`, error)
      answer({ items: [] }, true)
    }
  }
  searching = false
}

addEventListener("message", ({ data: message }) => {
  if (message.type === SETUP) {
    postMessage({ type: READY })
  } else if (message.type === QUERY) {
    pending = message.data
    if (!searching) answerQueries()
  }
})
