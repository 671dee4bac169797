#!/usr/bin/env node
/* For tests/test_search_shards.py: the split index at <index.json> against
 * lunr's own whole index of the same documents (<docs.json>, as kbtools/search
 * gives them to Node): lunr 2.3's own Builder with its own tokenizer and
 * core.js's pipeline function (the terms of a word), as the first edition
 * built the whole index. Prints JSON.
 *
 *   against_lunr.js queries <docs.json> <index.json>   (queries on stdin, one per line)
 *       the queries whose hits (refs, scores, order) differ: {queries, differing}
 *   against_lunr.js weights <docs.json> <index.json>
 *       every row of the term shards against lunr's: the term, its number, and per
 *       field the documents (delta-coded refs) with their weights:
 *       {terms, fields, differing: [{term, shard, lunr}], differingCount, missing}
 */
"use strict";
const fs = require("fs");
const path = require("path");
const ROOT = path.join(__dirname, "..", "..");
const lunr = require(path.join(ROOT, "node_modules", "lunr", "lunr.min.js"));
require(path.join(ROOT, "node_modules", "lunr-languages", "min", "lunr.stemmer.support.min.js"))(lunr);
const core = require(path.join(ROOT, "kbtools", "search", "core.js"));

function loadPack(pack) {
  if (pack) require(path.join(ROOT, "node_modules", "lunr-languages", "min", pack))(lunr);
}

/* lunr's whole index of `docs` (refs: positions). */
function wholeIndex(lang, docs) {
  const fn = core.pipelineFunction(lunr, lang);
  lunr.tokenizer.separator = core.SEPARATOR;
  return lunr(function () {
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.pipeline.add(fn);
    this.searchPipeline.add(fn);
    this.ref("location");
    core.FIELDS.forEach((field, f) => this.field(field, { boost: core.FIELD_BOOSTS[f] }));
    docs.forEach((doc, position) => {
      const texts = core.fieldTexts(doc);
      const fields = { location: String(position) };
      core.FIELDS.forEach((field, f) => { fields[field] = texts[f]; });
      this.add(fields, { boost: core.docBoost(doc) });
    });
  });
}

const [mode, docsFile, indexFile] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(docsFile, "utf8"));
const manifest = JSON.parse(fs.readFileSync(indexFile, "utf8"));
const dir = path.dirname(indexFile);
const readShard = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
loadPack(input.config.pack);
const lang = input.config.lang[0];
const whole = wholeIndex(lang, input.docs);
const print = (value) => process.stdout.write(JSON.stringify(value) + "\n");

async function queries() {
  const show = (hits) => hits.map((h) => [Number(h.ref), h.score]);
  const asked = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
  const differing = [];
  for (const query of asked) {
    // A fresh searcher per query: what a query loads alone must be enough.
    const split = new core.Searcher(lunr, lang, manifest, readShard);
    const perWord = core.words(lunr, lang, query);
    const expected = perWord.length ? whole.query((q) => core.clauses(lunr, q, perWord)) : [];
    const got = (await split.hits(query)).hits;
    if (JSON.stringify(show(got)) !== JSON.stringify(show(expected))) {
      differing.push({ query, split: show(got).slice(0, 5), whole: show(expected).slice(0, 5) });
    }
  }
  print({ queries: asked.length, differing });
}

function weights() {
  // lunr's rows: for each term, per field, [ref delta, weight, ...] from the document vectors.
  const rows = new Map();
  const byNumber = new Map();
  Object.keys(whole.invertedIndex).forEach((term) => {
    const row = [term, whole.invertedIndex[term]._index].concat(whole.fields.map(() => []));
    rows.set(term, row);
    byNumber.set(row[1], row);
  });
  const last = new Map();
  input.docs.forEach((doc, ref) => {
    whole.fields.forEach((field, f) => {
      const vector = whole.fieldVectors[field + "/" + ref];
      for (let i = 0; i < vector.elements.length; i += 2) {
        const row = byNumber.get(vector.elements[i]);
        const key = row[0] + "\u0000" + f;
        row[2 + f].push(ref - (last.get(key) || 0), vector.elements[i + 1]);
        last.set(key, ref);
      }
    });
  });
  const seen = new Set();
  const differing = [];
  manifest.config.kb.terms.forEach((first, n) => {
    readShard(`terms/${n}.json`).forEach((row) => {
      seen.add(row[0]);
      const expected = rows.get(row[0]);
      if (JSON.stringify(row) !== JSON.stringify(expected)) differing.push({ term: row[0], shard: row, lunr: expected || null });
    });
  });
  const missing = Array.from(rows.keys()).filter((term) => !seen.has(term));
  print({ terms: seen.size, fields: whole.fields, differing: differing.slice(0, 10), differingCount: differing.length,
          missing: missing.slice(0, 10) });
}

if (mode === "queries") queries();
else if (mode === "weights") weights();
else {
  process.stderr.write("usage: against_lunr.js queries|weights <docs.json> <index.json>\n");
  process.exit(2);
}
