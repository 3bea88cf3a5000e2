// Write a Pagefind index from search records prepared by tools/hooks/search_index.py.
//
//     node tools/search/write_pagefind_index.mjs RECORDS.json OUTPUT_DIR
//
// RECORDS.json is a JSON array of {url, html}: one small HTML document per record
// (a question, or a page's introduction). Only the files the search worker loads are
// kept: Pagefind's own UI bundles are removed from OUTPUT_DIR.
import { readFile, readdir, rm } from "node:fs/promises"
import path from "node:path"
import * as pagefind from "pagefind"

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
