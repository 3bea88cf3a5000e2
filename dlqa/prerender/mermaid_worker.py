"""Render Mermaid diagrams to SVG in headless Chromium, for dlqa/hooks/render_diagrams.py.

    python -m dlqa.prerender.mermaid_worker NODE_MODULES

One browser per build: each input line is a JSON array of [id, source] pairs, each output
line a JSON array, in the same order, of {svg} or {error}. The page loads the project's
`mermaid` npm package from disk and nothing else (every request is refused). The SVG is
themed with the site's Material colour variables (themeCSS below), so one SVG follows the
light and the dark scheme, and is made an image for assistive technology: role="img",
labelled by its <title> (the diagram's accTitle, or its labels in reading order) and
described by its <desc> (accDescr), if any.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from dlqa import chromium

# Mermaid's classes, coloured with Material's variables (defined for both colour schemes).
THEME_CSS = """
.node rect, .node polygon, .node circle, .node ellipse, .node path
  { fill: var(--md-mermaid-node-bg-color); stroke: var(--md-mermaid-node-fg-color); }
.nodeLabel, .nodeLabel p, .label, .cluster-label span
  { color: var(--md-mermaid-label-fg-color); font-family: var(--md-mermaid-font-family); }
.flowchart-link, .edgePath .path { stroke: var(--md-mermaid-edge-color); }
marker path, .marker { fill: var(--md-mermaid-edge-color); stroke: var(--md-mermaid-edge-color); }
.edgeLabel, .edgeLabel p, .edgeLabel rect
  { color: var(--md-mermaid-edge-color); background-color: var(--md-mermaid-label-bg-color);
    fill: var(--md-mermaid-label-bg-color); }
.cluster rect { fill: var(--md-default-fg-color--lightest); stroke: var(--md-default-fg-color--lighter); }
.actor { fill: var(--md-mermaid-sequence-actor-bg-color); stroke: var(--md-mermaid-sequence-actor-border-color); }
text.actor > tspan { fill: var(--md-mermaid-sequence-actor-fg-color); font-family: var(--md-mermaid-font-family); }
.actor-line { stroke: var(--md-mermaid-sequence-actor-line-color); }
.messageLine0, .messageLine1 { stroke: var(--md-mermaid-sequence-message-line-color); }
.messageText { fill: var(--md-mermaid-sequence-message-fg-color); font-family: var(--md-mermaid-font-family); }
#arrowhead path, #crosshead path { fill: var(--md-mermaid-sequence-message-line-color); stroke: none; }
.note { fill: var(--md-mermaid-sequence-note-bg-color); stroke: var(--md-mermaid-sequence-note-border-color); }
.noteText, .noteText > tspan { fill: var(--md-mermaid-sequence-note-fg-color); font-family: var(--md-mermaid-font-family); }
.loopLine { stroke: var(--md-mermaid-sequence-loop-border-color); }
.labelBox { fill: var(--md-mermaid-sequence-label-bg-color); stroke: none; }
.labelText, .labelText > tspan, .loopText, .loopText > tspan
  { fill: var(--md-mermaid-sequence-label-fg-color); font-family: var(--md-mermaid-font-family); }
"""
# The font the site gives diagrams (Material with `theme.font: false`): text is measured with it.
FONT = "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif"
PAGE = f"<!DOCTYPE html><html><head><style>:root {{ --md-mermaid-font-family: {FONT}; }}</style></head><body></body></html>"
SETUP = """([themeCSS, font]) => mermaid.initialize({
    startOnLoad: false, securityLevel: "strict", theme: "base", themeCSS, fontFamily: font,
    sequence: { actorFontSize: "16px", messageFontSize: "16px", noteFontSize: "16px" },
})"""
RENDER = """async ([id, source]) => {
    try {
        const { svg } = await mermaid.render(id, source)
        const holder = document.createElement("div")
        holder.innerHTML = svg
        const image = holder.querySelector("svg")
        let title = image.querySelector(":scope > title")
        if (!title) {
            const labels = [".nodeLabel, text.actor, .messageText, .noteText", ".edgeLabel"]
                .flatMap(selector => [...image.querySelectorAll(selector)].map(e => e.textContent.trim()))
                .filter(Boolean)
            title = document.createElementNS("http://www.w3.org/2000/svg", "title")
            title.textContent = "Diagram: " + [...new Set(labels)].join("; ")
            image.prepend(title)
        }
        title.id = id + "-title"
        image.setAttribute("role", "img")
        image.setAttribute("aria-labelledby", title.id)
        const desc = image.querySelector(":scope > desc")
        if (desc) { desc.id = id + "-desc"; image.setAttribute("aria-describedby", desc.id) }
        else image.removeAttribute("aria-describedby")
        return { svg: image.outerHTML }
    } catch (error) {
        return { error: String(error && error.message || error) }
    }
}"""


def main(node_modules: Path) -> None:
    bundle = node_modules / "mermaid" / "dist" / "mermaid.min.js"
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        page = browser.new_page()
        page.route("**/*", lambda route: route.abort())
        page.set_content(PAGE)
        page.add_script_tag(path=str(bundle))
        page.evaluate(SETUP, [THEME_CSS, FONT])
        for line in sys.stdin:
            results = [page.evaluate(RENDER, item) for item in json.loads(line)]
            sys.stdout.write(json.dumps(results) + "\n")
            sys.stdout.flush()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
