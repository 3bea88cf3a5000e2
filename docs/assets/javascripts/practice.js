// Practice mode on topic pages: hide every answer behind a "Show answer" button,
// so a reader can answer aloud first. The choice is remembered across pages.
const PRACTICE_KEY = "dlqa.practice"

function wrapAnswers(article) {
  // Everything after a question's heading, badge and "Also asked as" block, up to the
  // next question, is its answer.
  for (const heading of article.querySelectorAll("h2[id]")) {
    const answer = document.createElement("div")
    answer.className = "q-answer"
    let node = heading.nextElementSibling
    while (node && (node.classList.contains("q-meta") || node.classList.contains("q-also"))) {
      node = node.nextElementSibling
    }
    if (!node || node.tagName === "H2") continue
    node.before(answer)
    while (answer.nextElementSibling && answer.nextElementSibling.tagName !== "H2") {
      answer.append(answer.nextElementSibling)
    }
    const reveal = document.createElement("button")
    reveal.className = "md-button q-reveal"
    reveal.type = "button"
    reveal.textContent = "Show answer"
    reveal.addEventListener("click", () => {
      answer.classList.add("q-answer--revealed")
      reveal.classList.add("q-reveal--used")
    })
    answer.before(reveal)
  }
}

function revealTarget() {
  // A link to something inside a hidden answer (a notebook heading, a search hit) reveals it.
  const id = decodeURIComponent(location.hash.slice(1))
  const answer = id && document.getElementById(id)?.closest(".q-answer")
  if (answer) {
    answer.classList.add("q-answer--revealed")
    answer.previousElementSibling?.classList.add("q-reveal--used")
  }
}

function setPractice(on, toggle) {
  document.body.classList.toggle("practice", on)
  toggle.setAttribute("aria-pressed", String(on))
  toggle.textContent = on ? "Show all answers" : "Practice: hide answers"
  localStorage.setItem(PRACTICE_KEY, on ? "1" : "0")
}

document$.subscribe(() => {
  const article = document.querySelector("article.md-content__inner")
  if (!article || !article.querySelector(".q-meta")) return  // topic pages only
  if (document.getElementById("print-site-page")) return  // the print page shows every answer
  wrapAnswers(article)
  const toggle = document.createElement("button")
  toggle.className = "md-button q-practice-toggle"
  toggle.type = "button"
  toggle.addEventListener("click", () => {
    for (const revealed of article.querySelectorAll(".q-answer--revealed, .q-reveal--used")) {
      revealed.classList.remove("q-answer--revealed", "q-reveal--used")
    }
    setPractice(!document.body.classList.contains("practice"), toggle)
  })
  article.querySelector("h1").after(toggle)
  setPractice(localStorage.getItem(PRACTICE_KEY) === "1", toggle)
  revealTarget()
})

window.addEventListener("hashchange", revealTarget)
