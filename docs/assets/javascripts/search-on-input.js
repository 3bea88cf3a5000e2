// Material starts a search on `keyup`; start it on `input`, as soon as the query changes
// (a key press, a paste, a deletion). Material ignores the later keyup: the value is the same.
const searchQuery = document.querySelector("[data-md-component=search-query]")
searchQuery?.addEventListener("input", () => searchQuery.dispatchEvent(new KeyboardEvent("keyup")))
