// Render TeX with KaTeX for dlqa/hooks/math.py: one process per build, batches over stdin.
//
//     node dlqa/prerender/katex.mjs
//
// Each input line is a JSON array of [tex, display] pairs; each output line is a JSON array,
// in the same order, of {html} or {error}. KaTeX is the project's npm package (package.json).
// The HTML is KaTeX's HTML and MathML (for screen readers). The visual layer and the MathML
// presentation are marked `data-search-exclude`, so the search index keeps the TeX (the
// MathML annotation) and not the glyphs of both layers run together.
import { createInterface } from "node:readline"
import katex from "katex"

function render(tex, display) {
  try {
    const html = katex.renderToString(tex, { displayMode: display, throwOnError: true, output: "htmlAndMathml" })
    return {
      html: html
        .replace('<span class="katex-html" aria-hidden="true">', '<span class="katex-html" aria-hidden="true" data-search-exclude>')
        .replace(/<semantics><(\w+)/, "<semantics><$1 data-search-exclude"),
    }
  } catch (error) {
    return { error: error instanceof katex.ParseError ? error.message : String(error) }
  }
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const batch = JSON.parse(line)
  process.stdout.write(JSON.stringify(batch.map(([tex, display]) => render(tex, display))) + "\n")
}
