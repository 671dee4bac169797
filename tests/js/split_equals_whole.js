#!/usr/bin/env node
/* For tests/test_search_shards.py: answer each query (one per line on stdin)
 * from the split index at <index.json> and from a whole lunr index built from
 * the same documents (<docs.json>, as kbtools/search gives them to Node), with
 * the same core.js, and print the queries whose lunr hits (refs, scores,
 * order) differ, with both answers, as JSON. */
"use strict";
const fs = require("fs");
const path = require("path");
const { lunr, core, loadPack, wholeIndex } = require("./lunr_reference.js");

const [docsFile, indexFile] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(docsFile, "utf8"));
const manifest = JSON.parse(fs.readFileSync(indexFile, "utf8"));
loadPack(input.config.pack);
const lang = input.config.lang[0];
const whole = wholeIndex(lang, input.docs);
const queries = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
const show = (hits) => hits.map((h) => [Number(h.ref), h.score]);

(async () => {
  const differing = [];
  for (const query of queries) {
    // A fresh searcher per query: what a query loads alone must be enough.
    const split = new core.Searcher(lunr, lang, manifest, (name) =>
      JSON.parse(fs.readFileSync(path.join(path.dirname(indexFile), name), "utf8")));
    const perWord = core.words(lunr, lang, query);
    const expected = perWord.length ? whole.query((q) => core.clauses(lunr, q, perWord)) : [];
    const got = (await split.hits(query)).hits;
    if (JSON.stringify(show(got)) !== JSON.stringify(show(expected))) {
      differing.push({ query, split: show(got).slice(0, 5), whole: show(expected).slice(0, 5) });
    }
  }
  process.stdout.write(JSON.stringify({ queries: queries.length, differing }) + "\n");
})();
