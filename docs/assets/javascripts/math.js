// Typeset the LaTeX that pymdownx.arithmatex (generic mode) leaves in the page,
// with the KaTeX copy served by this site. Runs on every instant-navigation load.
// Notebook pages (mkdocs-jupyter) keep the notebook's Jupyter delimiters, $...$ and
// $$...$$, in their Markdown cells (.nb-markdown): those are typeset too, there only.
const ARITHMATEX = [
  { left: "\\(", right: "\\)", display: false },
  { left: "\\[", right: "\\]", display: true },
]
const JUPYTER = [
  { left: "$$", right: "$$", display: true },
  { left: "$", right: "$", display: false },
  ...ARITHMATEX,
]
document$.subscribe(({ body }) => {
  for (const element of body.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, { delimiters: ARITHMATEX, throwOnError: false })
  }
  for (const element of body.querySelectorAll(".nb-markdown")) {
    renderMathInElement(element, { delimiters: JUPYTER, throwOnError: false })
  }
})
