// Write a Pagefind index from search records prepared by dlqa/hooks/search_index.py.
//
//     node dlqa/search/write_pagefind_index.mjs RECORDS.json OUTPUT_DIR
//
// Pagefind is the npm package of the project (package.json, `make install`): it is looked up
// from the working folder (the hook runs this in the project root), then from this file's folder.
//
// RECORDS.json is a JSON array of {url, html}: one small HTML document per record
// (a question, or a page's introduction). Only the files the search worker loads are
// kept: Pagefind's own UI bundles are removed from OUTPUT_DIR.
import { existsSync, readFileSync } from "node:fs"
import { readFile, readdir, rm } from "node:fs/promises"
import path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

// The entry point of node_modules/pagefind in `start` or the nearest folder above it.
function pagefindIn(start) {
  for (let folder = path.resolve(start); ; folder = path.dirname(folder)) {
    const dir = path.join(folder, "node_modules", "pagefind")
    if (existsSync(path.join(dir, "package.json"))) {
      const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"))
      return pathToFileURL(path.join(dir, manifest.exports?.["."]?.import ?? manifest.main ?? "index.js")).href
    }
    if (path.dirname(folder) === folder) return null
  }
}

function pagefindEntry() {
  const entry = pagefindIn(process.cwd()) ?? pagefindIn(path.dirname(fileURLToPath(import.meta.url)))
  if (entry) return entry
  console.error("pagefind: the npm package is not installed (run `make install`, which runs `npm ci`)")
  process.exit(1)
}
const pagefind = await import(pagefindEntry())

const [recordsFile, outputDir] = process.argv.slice(2)
if (!recordsFile || !outputDir) {
  console.error("usage: write_pagefind_index.mjs RECORDS.json OUTPUT_DIR")
  process.exit(2)
}

function fail(what, errors) {
  console.error(`pagefind: ${what} failed:\n${errors.join("\n")}`)
  process.exit(1)
}

const records = JSON.parse(await readFile(recordsFile, "utf8"))
const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" })
if (errors.length) fail("createIndex", errors)
for (const { url, html } of records) {
  const added = await index.addHTMLFile({ url, content: html })
  if (added.errors.length) fail(`adding ${url}`, added.errors)
}
const written = await index.writeFiles({ outputPath: outputDir })
if (written.errors.length) fail("writeFiles", written.errors)
await pagefind.close()

const unused = /^pagefind-(component-ui|modular-ui|ui|highlight|worker)\.|^wasm\.unknown\./
for (const name of await readdir(outputDir)) {
  if (unused.test(name)) await rm(path.join(outputDir, name))
}
console.log(`pagefind: indexed ${records.length} records into ${outputDir}`)
