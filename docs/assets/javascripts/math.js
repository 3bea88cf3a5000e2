// Typeset the LaTeX that pymdownx.arithmatex (generic mode) leaves in the page,
// with the KaTeX copy served by this site. Runs on every instant-navigation load.
document$.subscribe(({ body }) => {
  for (const element of body.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    })
  }
})
