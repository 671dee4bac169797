#!/usr/bin/env node
/* For tests/test_search_shards.py: compare every row of the term shards of the
 * split index at <index.json> with what lunr's own Builder gives for the same
 * documents (<docs.json>, as kbtools/search gives them to Node): the term, its
 * number, and per field the documents (delta-coded refs) with their weights.
 * Prints {terms, differing: [{term, shard, lunr}], missing, extra} as JSON. */
"use strict";
const fs = require("fs");
const path = require("path");
const { loadPack, wholeIndex } = require("./lunr_reference.js");

const [docsFile, indexFile] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(docsFile, "utf8"));
const manifest = JSON.parse(fs.readFileSync(indexFile, "utf8"));
loadPack(input.config.pack);
const index = wholeIndex(input.config.lang[0], input.docs);

// lunr's rows: for each term, per field, [ref delta, weight, ...] from the document vectors.
const rows = new Map();
const byNumber = new Map();
Object.keys(index.invertedIndex).forEach((term) => {
  const row = [term, index.invertedIndex[term]._index].concat(index.fields.map(() => []));
  rows.set(term, row);
  byNumber.set(row[1], row);
});
const last = new Map();
input.docs.forEach((doc, ref) => {
  index.fields.forEach((field, f) => {
    const vector = index.fieldVectors[field + "/" + ref];
    for (let i = 0; i < vector.elements.length; i += 2) {
      const row = byNumber.get(vector.elements[i]);
      const key = row[0] + "\u0000" + f;
      row[2 + f].push(ref - (last.get(key) || 0), vector.elements[i + 1]);
      last.set(key, ref);
    }
  });
});

const dir = path.dirname(indexFile);
const seen = new Set();
const differing = [];
manifest.config.kb.terms.forEach((first, n) => {
  JSON.parse(fs.readFileSync(path.join(dir, "terms", `${n}.json`), "utf8")).forEach((row) => {
    seen.add(row[0]);
    const expected = rows.get(row[0]);
    if (JSON.stringify(row) !== JSON.stringify(expected)) differing.push({ term: row[0], shard: row, lunr: expected || null });
  });
});
const missing = Array.from(rows.keys()).filter((term) => !seen.has(term));
process.stdout.write(JSON.stringify({ terms: seen.size, fields: index.fields, differing: differing.slice(0, 10),
                                      differingCount: differing.length, missing: missing.slice(0, 10) }) + "\n");
