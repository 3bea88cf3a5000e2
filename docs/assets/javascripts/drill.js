// One practice item, as Review and the mock interview ask it: the question, "Show answer", the
// answer, a grade (Again / Hard / Good / Easy, scheduled by FSRS), then each follow-up question in
// order, each revealed the same way, then "Next".
//
// The question and its answer come from the topic page itself (fetched from this site and parsed,
// never run); the follow-ups come from assets/question-followups.json (dlqa/hooks/question_index.py),
// whose answers are HTML the build rendered from the same page, links relative to the site root.
// Question text from the JSON goes in with textContent.
import { GRADES, SITE_ROOT, element, grade, interval, preview } from "./cards.js"

const pages = new Map()  // page URL -> Promise<Document>
let followupsPromise = null

// { question id: [{ q, a }] } (loaded once, when the first question is asked).
function loadFollowups() {
  if (!followupsPromise) {
    followupsPromise = fetch(new URL("assets/question-followups.json", SITE_ROOT))
      .then(response => (response.ok ? response.json() : {}))
      .then(data => (data && data.questions && typeof data.questions === "object" ? data.questions : {}))
      .catch(() => ({}))
  }
  return followupsPromise
}

function fetchPage(url) {
  if (!pages.has(url)) {
    pages.set(url, fetch(new URL(url, SITE_ROOT))
      .then(response => (response.ok ? response.text() : ""))
      .then(text => new DOMParser().parseFromString(text, "text/html"))
      .catch(() => new DOMParser().parseFromString("", "text/html")))
  }
  return pages.get(url)
}

// Links and images inside copied answer HTML keep pointing where they did on their own page.
function rebase(nodes, pageUrl) {
  const base = new URL(pageUrl, SITE_ROOT)
  for (const node of nodes) {
    if (!(node instanceof Element)) continue
    for (const [selector, attribute] of [["a[href]", "href"], ["img[src]", "src"]]) {
      for (const el of [node, ...node.querySelectorAll(selector)]) {
        if (el.matches(selector)) el.setAttribute(attribute, new URL(el.getAttribute(attribute), base).href)
      }
    }
    for (const link of node.querySelectorAll(".headerlink")) link.remove()
    for (const el of [node, ...node.querySelectorAll("[id]")]) el.removeAttribute("id")
  }
  return nodes.filter(node => !(node instanceof Element && node.matches(".headerlink")))
}

function isFollowUps(node) {
  const summary = node.matches("details") && node.querySelector(":scope > summary")
  return Boolean(summary) && /^follow-up questions/i.test(summary.textContent.trim())
}

// { title: nodes, answer: nodes, followups: [{ q, a }] } of a question, copied from its page;
// null if the page has no such question.
export async function questionContent(page, question) {
  const [source, followups] = await Promise.all([fetchPage(page.url), loadFollowups()])
  const heading = source.getElementById(question.id)
  if (!heading || heading.tagName !== "H2") return null
  const answer = []
  for (let node = heading.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
    if (node.matches(".q-meta, .q-also") || isFollowUps(node)) continue
    answer.push(document.importNode(node, true))
  }
  const title = [...heading.childNodes].map(node => document.importNode(node, true))
  const own = Array.isArray(followups[question.id]) ? followups[question.id] : []
  return { title: rebase(title, page.url), answer: rebase(answer, page.url), followups: own }
}

function htmlNodes(html) {
  const template = document.createElement("template")
  template.innerHTML = html  // the build's own rendering of the page (see the header)
  return rebase([...template.content.childNodes], "")
}

function revealBlock(className, label, contentNodes) {
  const button = element("button", "md-button q-drill-reveal", "Show answer")
  button.type = "button"
  button.setAttribute("aria-label", label)
  const answer = element("div", `q-drill-answer ${className}`)
  answer.hidden = true
  answer.append(...contentNodes)
  return { button, answer }
}

// Ask one item inside `container`. `extra` (nodes) goes under the question (the mock's notes box).
// onGrade(rating) is called once the grade is stored. Resolves, once the reader pressed Next, with
// { rating, followups } (rating 0: not graded).
export function ask(container, { page, question, content, extra = [], nextLabel = "Next question", onGrade = () => {} }) {
  return new Promise(resolve => {
    const item = element("section", "q-drill")
    item.setAttribute("aria-label", "Question")
    const where = element("p", "q-drill-where")
    const topic = element("a", "", page.title)
    topic.href = new URL(page.url, SITE_ROOT).href
    const level = element("span", `q-difficulty q-difficulty--${question.level}`, question.level)
    where.append(topic, " ", level)
    const title = element("h2", "q-drill-question")
    const link = element("a")
    link.href = new URL(`${page.url}#${question.id}`, SITE_ROOT).href
    link.append(...(content ? content.title : [question.title || question.id]))
    title.append(link)
    const main = revealBlock("q-drill-answer--main", "Show the answer", content ? content.answer : [element("p", "", "This question is missing from its page.")])
    const grades = element("div", "q-grades")
    grades.setAttribute("role", "group")
    grades.setAttribute("aria-label", "How well did you recall it?")
    grades.hidden = true
    grades.append(element("p", "q-grades-prompt", "How well did you recall it?"))
    const scheduled = element("p", "q-drill-scheduled")
    scheduled.setAttribute("role", "status")
    const followups = content ? content.followups : []
    const next = element("button", "md-button md-button--primary q-drill-next", nextLabel)
    next.type = "button"
    next.hidden = true
    item.append(where, title, ...extra, main.button, main.answer, grades, scheduled)
    container.replaceChildren(item)
    title.tabIndex = -1
    title.focus({ preventScroll: true })

    let rating = 0
    let asked = 0
    const askFollowUp = () => {
      if (asked === followups.length) {
        item.append(next)
        next.hidden = false
        next.focus()
        return
      }
      const followup = followups[asked]
      asked += 1
      const block = element("div", "q-followup")
      const heading = element("p", "q-followup-question")
      heading.append(element("strong", "", `Follow-up ${asked} of ${followups.length}: `), element("span", "", String(followup.q)))
      const answer = followup.a ? htmlNodes(String(followup.a)) : [element("em", "", "No short answer here: see the full answer above.")]
      const reveal = revealBlock("q-drill-followup", `Show the answer to follow-up ${asked}`, answer)
      reveal.button.addEventListener("click", () => {
        reveal.answer.hidden = false
        reveal.button.hidden = true
        askFollowUp()
      })
      block.append(heading, reveal.button, reveal.answer)
      item.append(block)
      reveal.button.focus()
    }

    main.button.addEventListener("click", async () => {
      main.answer.hidden = false
      main.button.hidden = true
      grades.hidden = false
      let dues = {}
      try {
        dues = await preview(page.url, question.id, new Date())
      } catch {
        // The scheduler failed to load: the grade buttons still say what they mean.
      }
      for (const [name, value, label] of GRADES) {
        const button = element("button", `md-button q-grade q-grade--${name}`)
        button.type = "button"
        button.dataset.grade = name
        button.append(element("span", "", label))
        if (dues[value]) button.append(element("small", "", interval(new Date(), dues[value])))
        button.addEventListener("click", async () => {
          for (const other of grades.querySelectorAll("button")) other.disabled = true
          button.setAttribute("aria-pressed", "true")
          const when = new Date()
          const card = await grade(page.url, question.id, value, when)
          rating = value
          onGrade(value)
          scheduled.textContent = `${label}: back for review in ${interval(when, new Date(card.due))}.`
          askFollowUp()
        })
        grades.append(button)
      }
      grades.querySelector("button")?.focus()
    })
    next.addEventListener("click", () => resolve({ rating, followups: asked }))
  })
}
