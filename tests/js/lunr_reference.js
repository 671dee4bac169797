/* The reference the split index is compared with: lunr 2.3's own Builder over
 * the same documents, with its own tokenizer, and core.js's pipeline function
 * (the terms of a word), as the first edition built the whole index. */
"use strict";
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

module.exports = { lunr, core, loadPack, wholeIndex };
