// Render TeX with KaTeX for dlqa/hooks/render_math.py: one process per build, batches over stdin.
//
//     node dlqa/prerender/katex.mjs
//
// Each input line is a JSON array of [tex, display] pairs; each output line is a JSON array,
// in the same order, of {html} or {error}. KaTeX is the project's npm package (package.json).
// The HTML is KaTeX's HTML and MathML (for screen readers).
import { createInterface } from "node:readline"
import katex from "katex"

function render(tex, display) {
  try {
    return { html: katex.renderToString(tex, { displayMode: display, throwOnError: true, output: "htmlAndMathml" }) }
  } catch (error) {
    return { error: error instanceof katex.ParseError ? error.message : String(error) }
  }
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const batch = JSON.parse(line)
  process.stdout.write(JSON.stringify(batch.map(([tex, display]) => render(tex, display))) + "\n")
}
