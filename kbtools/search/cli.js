#!/usr/bin/env node
/* Node side of the search: build a language's index, answer a query, or
 * print the index terms of words, with the same core.js as the browser.
 *
 *   node cli.js build <lang> <docs.json> <out.json> [<lang> <docs.json> <out.json> ...]
 *   node cli.js query <index.json> <query>
 *   node cli.js terms <lang> [pack]   (words on stdin, one per line)
 */
"use strict";
const fs = require("fs");
const path = require("path");

// The very files the browser loads (copied to assets/kb-search/ at build).
const lunr = require("lunr/lunr.min.js");
require("lunr-languages/min/lunr.stemmer.support.min.js")(lunr);
const core = require(path.join(__dirname, "core.js"));

function fail(message) {
  process.stderr.write(`kb search: ${message}\n`);
  process.exit(2);
}

// The language's lunr-languages pack, where lunr has one (as the browser loads it).
function loadPack(pack) {
  if (pack) require(`lunr-languages/min/${path.basename(pack)}`)(lunr);
}

const [command, ...args] = process.argv.slice(2);
if (command === "build") {
  // One Node for any number of languages: lunr and the packs load once.
  if (!args.length || args.length % 3) fail("usage: build <lang> <docs.json> <out.json> [<lang> <docs.json> <out.json> ...]");
  for (let i = 0; i < args.length; i += 3) {
    const [lang, input, output] = args.slice(i, i + 3);
    const data = JSON.parse(fs.readFileSync(input, "utf8"));
    loadPack(data.config.pack);
    data.config.index = core.serialize(core.buildIndex(lunr, lang, data.docs));
    fs.writeFileSync(output, JSON.stringify(data));
  }
} else if (command === "query") {
  const [input, ...words] = args;
  if (!input || !words.length) fail("usage: query <index.json> <query>");
  const data = JSON.parse(fs.readFileSync(input, "utf8"));
  loadPack(data.config.pack);
  const searcher = new core.Searcher(lunr, data.config.lang[0], data);
  const result = searcher.search(words.join(" "));
  const out = result.items.map((group) => ({
    location: group[0].location.split("#")[0],
    title: group[0].title.replace(/<[^>]*>/g, ""),
    score: Number(group[0].score.toFixed(4)),
  }));
  process.stdout.write(JSON.stringify(out) + "\n");
} else if (command === "terms") {
  const [lang, pack] = args;
  loadPack(pack);
  const words = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
  process.stdout.write(JSON.stringify(words.map((w) => core.terms(lunr, lang, w))) + "\n");
} else {
  fail("commands: build, query, terms");
}
