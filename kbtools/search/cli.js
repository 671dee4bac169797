#!/usr/bin/env node
/* Node side of the search: build a language's split index, answer a query
 * from it, or print the index terms of words, with the same core.js as the
 * browser.
 *
 *   node cli.js build <lang> <docs.json> <out.json> [<lang> <docs.json> <out.json> ...]
 *       writes the manifest to out.json and the shards beside it (core.js)
 *   node cli.js query <index.json> <query>   (reads the shards the query needs)
 *   node cli.js files <index.json> <query>   (the shards a query reads, relative to the index)
 *   node cli.js terms <lang> [pack]   (words on stdin, one per line)
 */
"use strict";
const fs = require("fs");
const path = require("path");

// The very files the browser loads (copied to assets/kb-search/ at build).
const lunr = require("lunr/lunr.min.js");
require("lunr-languages/min/lunr.stemmer.support.min.js")(lunr);
const core = require(path.join(__dirname, "core.js"));

function readJSON(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    fail(`cannot read ${file} (${err.code || err.message}); run \`make site\``);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(`${file} is not valid JSON (${err.message}); run \`make site\` again`);
  }
}

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
    // The shards beside the manifest (kbtools/search/__init__.py clears their folders first).
    const dir = path.dirname(output);
    const manifest = core.buildShards(lunr, lang, data.docs, (name, value) => {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(value));
    });
    // What Material hands the worker: the config, no documents.
    fs.writeFileSync(output, JSON.stringify({ config: Object.assign({}, data.config, { kb: Object.assign({}, data.config.kb, manifest) }), docs: [] }));
  }
} else if (command === "query" || command === "files") {
  const [input, ...words] = args;
  if (!input || !words.length) fail(`usage: ${command} <index.json> <query>`);
  const data = readJSON(input);
  loadPack(data.config.pack);
  const dir = path.dirname(input);
  const loaded = [];
  let searcher;
  try {
    searcher = new core.Searcher(lunr, data.config.lang[0], data, (name) => {
      loaded.push(name);
      return readJSON(path.join(dir, name));
    });
  } catch (err) {
    fail(`${input}: ${err.message}; run \`make site\` again`);
  }
  searcher.search(words.join(" ")).then((result) => {
    const out = command === "files" ? loaded.sort() : result.items.map((group) => ({
      location: group[0].location.split("#")[0],
      title: group[0].title.replace(/<[^>]*>/g, ""),
      score: Number(group[0].score.toFixed(4)),
    }));
    process.stdout.write(JSON.stringify(out) + "\n");
  }, (err) => fail(err.message));
} else if (command === "terms") {
  const [lang, pack] = args;
  loadPack(pack);
  const words = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
  process.stdout.write(JSON.stringify(words.map((w) => core.terms(lunr, lang, w))) + "\n");
} else {
  fail("commands: build, query, files, terms");
}
