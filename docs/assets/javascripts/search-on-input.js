// Material starts a search on `keyup`; start it on `input`, as soon as the query changes
// (a key press, a paste, a deletion). Material ignores the later keyup: the value is the same.
const searchQuery = document.querySelector("[data-md-component=search-query]")
searchQuery?.addEventListener("input", () => searchQuery.dispatchEvent(new KeyboardEvent("keyup")))

// The search worker loads Pagefind on the first query; when the search box first gets focus,
// fetch its script and WebAssembly into the browser cache, so the first query finds them there.
// (Only on focus: a reader who never searches downloads none of it.)
searchQuery?.addEventListener("focus", () => {
  const config = JSON.parse(document.getElementById("__config")?.textContent ?? "{}")
  if (!config.search?.endsWith("search-worker.js")) return  // Material's own lunr search
  const root = new URL(config.base ?? ".", location.href)
  for (const file of ["pagefind/pagefind.js", "pagefind/wasm.en.pagefind"]) {
    fetch(new URL(file, root)).catch(() => {})
  }
}, { once: true })
