/* Search core shared by the index build (Node), the browser worker and the
 * `kb search` CLI, so that all three turn words into index terms with the
 * same code: lunr 2.3 and the lunr-languages stemmers, plus diacritic folding.
 *
 * A word becomes up to two terms: stem-then-fold and fold-then-stem. The
 * Snowball stemmers only strip accented suffixes from accented words
 * ("explotación" -> "explot"), so a reader typing "explotacion" needs the
 * second form to meet the first.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.kbSearch = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var SEPARATOR = /[\s\-'’\/]+/;
  var MARKS = /[\u0300-\u036f]/g;
  var WORD = /[\p{L}\p{N}]+/gu;

  function fold(text) {
    return text.normalize("NFD").replace(MARKS, "").toLowerCase();
  }

  function stripTags(html) {
    return (html || "").replace(/<[^>]*>/g, " ").replace(/&[a-z]+;|&#\d+;/g, " ");
  }

  function language(lunr, lang) {
    // A language with a lunr-languages pack loaded uses it; lunr's own
    // pipeline (English) serves a language lunr has no pack for.
    var l = lunr[lang] || lunr;
    if (!l.stemmer) throw new Error("no lunr support loaded for language '" + lang + "'");
    return l;
  }

  var cache = new Map();

  /* The index terms of one word in `lang`; [] for a stop word. */
  function terms(lunr, lang, word) {
    var key = lang + "\u0000" + word;
    var known = cache.get(key);
    if (known === undefined) {
      known = computeTerms(lunr, lang, word);
      cache.set(key, known);
    }
    return known;
  }

  function computeTerms(lunr, lang, word) {
    var l = language(lunr, lang);
    var token = l.trimmer(new lunr.Token(word.toLowerCase(), {}));
    var raw = token ? token.toString() : "";
    if (!raw) return [];
    if (!l.stopWordFilter(new lunr.Token(raw, {})) || !l.stopWordFilter(new lunr.Token(fold(raw), {}))) return [];
    var a = fold(l.stemmer(new lunr.Token(raw, {})).toString());
    var b = l.stemmer(new lunr.Token(fold(raw), {})).toString();
    return a === b ? [a] : [a, b];
  }

  /* The pipeline function of `lang`, registered under a name of its own once. */
  function pipelineFunction(lunr, lang) {
    var label = "kbTerms-" + lang;
    if (lunr.Pipeline.registeredFunctions[label]) return lunr.Pipeline.registeredFunctions[label];
    var fn = function (token) {
      return terms(lunr, lang, token.toString()).map(function (term) {
        return token.clone(function () { return term; });
      });
    };
    lunr.Pipeline.registerFunction(fn, label);
    return fn;
  }

  /* lunr's tokenizer (lunr.tokenizer): the lower-cased text cut at separators. */
  function tokenize(text) {
    return text.toLowerCase().split(SEPARATOR).filter(function (token) { return token.length; });
  }

  /* The fields of the index, their boosts, and what each reads of a document. */
  var FIELDS = ["title", "tags", "text"];
  var FIELD_BOOSTS = [10, 5, 1];
  function fieldTexts(doc) {
    return [stripTags(doc.title), (doc.tags || []).join(" "), stripTags(doc.text)];
  }
  // A page above its sections (lunr's document boost).
  function docBoost(doc) { return doc.location.indexOf("#") < 0 ? 2 : 1; }

  /* The term weights of `docs` in `lang`, exactly as lunr 2.3's Builder computes them
   * (BM25 with k1 = 1.2, b = 0.75; its term numbering, idf and rounding), without its
   * objects: the Builder keeps an object per token and per posting and builds a token
   * set the split index does not use (one language at five copies of the site: 240 MB
   * and 1.6 s in lunr, 114 MB and 0.7 s here, the same shards byte for byte).
   * This keeps counts in flat arrays and returns {terms: term of each number,
   * postings: per term, per field, [ref, weight, ref, weight, ...] in ref order}.
   * tests/js/against_lunr.js compares every weight with lunr's Builder. */
  function weigh(lunr, lang, docs) {
    var K1 = 1.2, B = 0.75, nf = FIELDS.length, n = docs.length;
    var numbers = new Map(), names = [], holders = [];  // holders: (doc, field) pairs with the term
    var lengths = new Int32Array(n * nf), sums = FIELDS.map(function () { return 0; });
    var starts = new Int32Array(n * nf + 1), ids = [], tfs = [];
    docs.forEach(function (doc, ref) {
      var texts = fieldTexts(doc);
      for (var f = 0; f < nf; f++) {
        var counts = new Map(), length = 0;
        tokenize(texts[f]).forEach(function (word) {
          terms(lunr, lang, word).forEach(function (term) {
            length += 1;
            var id = numbers.get(term);
            if (id === undefined) {  // numbered in order of first appearance, as lunr does
              id = names.length;
              numbers.set(term, id);
              names.push(term);
              holders.push(0);
            }
            counts.set(id, (counts.get(id) || 0) + 1);
          });
        });
        counts.forEach(function (tf, id) {
          ids.push(id);
          tfs.push(tf);
          holders[id] += 1;
        });
        lengths[ref * nf + f] = length;
        sums[f] += length;
        starts[ref * nf + f + 1] = ids.length;
      }
    });
    var idf = holders.map(function (held) { return Math.log(1 + Math.abs((n - held + 0.5) / (held + 0.5))); });
    var average = sums.map(function (sum) { return sum / n; });
    var postings = names.map(function () { return FIELDS.map(function () { return []; }); });
    docs.forEach(function (doc, ref) {
      var boost = docBoost(doc);
      for (var f = 0; f < nf; f++) {
        var at = ref * nf + f, norm = K1 * (1 - B + B * (lengths[at] / average[f]));
        for (var i = starts[at]; i < starts[at + 1]; i++) {
          var tf = tfs[i];
          var score = idf[ids[i]] * ((K1 + 1) * tf) / (norm + tf);
          score *= FIELD_BOOSTS[f];
          score *= boost;
          postings[ids[i]][f].push(ref, Math.round(score * 1000) / 1000);
        }
      }
    });
    return { terms: names, postings: postings };
  }

  /* Whether `word` has a term that was matched (`matched`: index terms, folded
   * prefixes of their words). A word whose folded start differs from every
   * matched term's cannot: it is not stemmed. */
  function hits(lunr, lang, word, matched, starts) {
    if (!starts.has(fold(word).slice(0, 2))) return false;
    return terms(lunr, lang, word).some(function (term) {
      return matched.some(function (m) { return term === m || (m.length >= 3 && term.indexOf(m) === 0); });
    });
  }

  function startsOf(matched) {
    return new Set(matched.map(function (m) { return m.slice(0, 2); }));
  }

  /* Mark the words of `html` (outside tags) whose terms were matched. */
  function highlight(lunr, lang, html, matched) {
    var starts = startsOf(matched);
    return (html || "").split(/(<[^>]*>)/).map(function (part) {
      if (part.charAt(0) === "<") return part;
      return part.replace(WORD, function (word) {
        return hits(lunr, lang, word, matched, starts) ? "<mark>" + word + "</mark>" : word;
      });
    }).join("");
  }

  /* The part of a plain text around its first match, highlighted: long
   * sections would make every result list slow to draw on a phone, and only
   * that part is worth marking. The text is cut at spaces (never inside a
   * word or an HTML entity). */
  function excerpt(lunr, lang, text, matched) {
    var LIMIT = 320;
    text = text || "";
    if (text.length <= LIMIT) return highlight(lunr, lang, text, matched);
    var starts = startsOf(matched), first = -1, found;
    WORD.lastIndex = 0;
    while (first < 0 && (found = WORD.exec(text)) !== null) {
      if (hits(lunr, lang, found[0], matched, starts)) first = found.index;
    }
    WORD.lastIndex = 0;
    var start = first < 80 ? 0 : text.lastIndexOf(" ", first - 60) + 1;
    var end = text.indexOf(" ", start + LIMIT);
    var out = highlight(lunr, lang, text.slice(start, end < 0 ? text.length : end), matched);
    return (start > 0 ? "… " : "") + out + (end < 0 ? "" : " …");
  }

  /* --- The split index -----------------------------------------------------
   * A reader who searches downloads only what the query needs, instead of the
   * whole index of the language (kbtools/search/__init__.py says why):
   *
   *   search_index.json  the manifest: config (as Material hands it to the
   *                      worker) with `kb` = where the shards start
   *   terms/<n>.json     the postings of a range of terms in sorted order
   *                      (JavaScript string order), each posting with the
   *                      weight lunr's document vector gives that term
   *   docs/<n>.json      locations, titles and tags of a range of documents
   *                      (whole pages: a page, then its sections)
   *   text/<p>.json      the texts of page <p> and its sections
   *
   * A term shard holds [term, lunr's term index, postings of each field]; a
   * field's postings are [ref delta, weight, ref delta, weight, ...]. From the
   * shards of a query's terms the searcher rebuilds the part of lunr's index
   * those terms need (inverted index, field vectors with their entries, token
   * set), so lunr scores them exactly as it scores the whole index: a score is
   * the dot product of the query's terms with the document's, and every term a
   * query can reach (its words, and for a trailing wildcard every term that
   * starts with it, all in one range of sorted terms) is loaded first. */
  var FORMAT = 1;
  var TERM_SHARD_BYTES = 16000;
  var DOC_SHARD_BYTES = 16000;
  // Result groups (pages) that get a text snippet: what Material draws at once.
  // Groups below (drawn as the reader scrolls) show their titles, tags and
  // missing words without a snippet, so the texts of every page a common word
  // is on are not downloaded before the first results: one small file per page
  // shown (18 groups cost a quarter more search bytes to the first results,
  // docs/performance.md).
  var SNIPPET_GROUPS = 10;

  /* The shards of `docs` ({location, title, text, tags}) in `lang`, each handed to
   * `write(path, JSON value)` as soon as it is complete (so that none is kept);
   * returns the manifest (config.kb). */
  function buildShards(lunr, lang, docs, write, options) {
    options = options || {};
    var termBytes = options.termBytes || TERM_SHARD_BYTES;
    var docBytes = options.docBytes || DOC_SHARD_BYTES;
    var weights = weigh(lunr, lang, docs);
    var order = weights.terms.map(function (term, id) { return id; });
    order.sort(function (x, y) { return weights.terms[x] < weights.terms[y] ? -1 : 1; });  // no two are equal
    var firstTerms = [];
    var shard = [], size = 0;
    function flushTerms() {
      if (!shard.length) return;
      write("terms/" + firstTerms.length + ".json", shard);
      firstTerms.push(shard[0][0]);
      shard = [];
      size = 0;
    }
    order.forEach(function (id) {
      var row = [weights.terms[id], id];
      weights.postings[id].forEach(function (list) {  // refs delta-coded
        for (var i = list.length - 2; i > 0; i -= 2) list[i] -= list[i - 2];
        row.push(list);
      });
      weights.postings[id] = null;
      var bytes = JSON.stringify(row).length + 1;
      if (size && size + bytes > termBytes) flushTerms();
      shard.push(row);
      size += bytes;
    });
    flushTerms();

    // Documents: whole pages per shard, a page as [location, title, tags,
    // sections], a section as [location after its page's, title(, tags where
    // they are not the page's)]. A document is a section of the page before it
    // when its location is that page's followed by "#...", as Material writes them.
    var firstDocs = [], pageCount = 0, rows = [], rowsSize = 0, rowsStart = 0, rowsPage = 0, perPage = [];
    var texts = null, current = null;
    function flushDocs() {
      if (!rows.length) return;
      write("docs/" + firstDocs.length + ".json", { start: rowsStart, page: rowsPage, pages: rows });
      firstDocs.push(rowsStart);
      rows = [];
      rowsSize = 0;
    }
    docs.forEach(function (doc, ref) {
      var tags = doc.tags || [];
      var path = doc.location.split("#")[0];
      if (current !== null && doc.location.indexOf("#") >= 0 && path === current[0].split("#")[0]) {
        var section = [doc.location.slice(path.length), doc.title];
        if (JSON.stringify(tags) !== JSON.stringify(current[2])) section.push(tags);
        current[3].push(section);
        rowsSize += JSON.stringify(section).length + 1;
        perPage[perPage.length - 1] += 1;
      } else {
        if (rowsSize >= docBytes) flushDocs();
        if (!rows.length) { rowsStart = ref; rowsPage = pageCount; }
        current = [doc.location, doc.title, tags, []];
        rows.push(current);
        rowsSize += JSON.stringify(current).length + 1;
        if (texts) write("text/" + (pageCount - 1) + ".json", texts);
        texts = [];
        pageCount += 1;
        perPage.push(1);
      }
      texts.push(doc.text || "");
    });
    flushDocs();
    if (texts) write("text/" + (pageCount - 1) + ".json", texts);
    // `pages`: the number of documents of each page, so that the results are
    // grouped by page, and the texts of the first groups fetched, while the
    // titles are still on their way.
    return { format: FORMAT, fields: FIELDS, terms: firstTerms, docs: firstDocs, count: docs.length, pages: perPage };
  }

  /* The index of the first shard whose range holds `key` in the sorted list
   * of first keys `firsts`; -1 before the first. */
  function shardOf(firsts, key) {
    var lo = 0, hi = firsts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= key) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  /* The term shards a term needs: its own, and with a trailing wildcard every
   * shard whose range meets [term, term + U+FFFF). */
  function termShards(firsts, term, wildcard) {
    var first = shardOf(firsts, term);
    if (!wildcard) return first < 0 ? [] : [first];
    var last = shardOf(firsts, term + "\uffff");
    var out = [];
    for (var i = Math.max(first, 0); i <= last; i++) out.push(i);
    return out;
  }

  /* A language's split index answering queries in the shape Material's search
   * UI expects. `load(path)` returns a promise of the JSON at `path` (relative
   * to the manifest's folder); each shard is asked for once. */
  function Searcher(lunr, lang, data, load) {
    pipelineFunction(lunr, lang);
    lunr.tokenizer.separator = SEPARATOR;
    var kb = data.config.kb;
    if (!kb || kb.format !== FORMAT) throw new Error("search index format " + (kb && kb.format) + ", expected " + FORMAT);
    this.lunr = lunr;
    this.lang = lang;
    this.kb = kb;
    this.load = load;
    this.pending = new Map();
    this.terms = [];
    this.docs = new Array(kb.count);
    this.pageStarts = [];
    var ref = 0, starts = this.pageStarts;
    kb.pages.forEach(function (count) { starts.push(ref); ref += count; });
    this.texts = new Map();
    this.index = new lunr.Index({ invertedIndex: {}, fieldVectors: {}, tokenSet: lunr.TokenSet.fromArray([]),
                                  fields: kb.fields, pipeline: new lunr.Pipeline() });
  }

  /* Load each of `paths` not loaded yet, handing each to `add` once. */
  Searcher.prototype.fetch = function (paths, add) {
    var self = this;
    return Promise.all(paths.map(function (path) {
      if (!self.pending.has(path)) {
        var loading = Promise.resolve().then(function () { return self.load(path); }).then(function (value) {
          add.call(self, value, path);
        });
        // A failed load is tried again by the next query.
        loading.catch(function () { self.pending.delete(path); });
        self.pending.set(path, loading);
      }
      return self.pending.get(path);
    }));
  };

  Searcher.prototype.addTerms = function (rows) {
    var lunr = this.lunr, index = this.index, fields = this.kb.fields;
    rows.forEach(function (row) {
      var term = row[0], termIndex = row[1], posting = { _index: termIndex };
      fields.forEach(function (field, f) {
        var list = row[2 + f], matches = {}, ref = 0;
        for (var i = 0; i < list.length; i += 2) {
          ref += list[i];
          matches[ref] = {};
          var key = field + "/" + ref;
          var vector = index.fieldVectors[key] || (index.fieldVectors[key] = new lunr.Vector([]));
          vector.insert(termIndex, list[i + 1]);
        }
        posting[field] = matches;
      });
      index.invertedIndex[term] = posting;
    });
    this.terms = null;
  };

  Searcher.prototype.addDocs = function (shard) {
    var docs = this.docs, ref = shard.start, page = shard.page;
    shard.pages.forEach(function (row) {
      var pageRef = ref;
      docs[ref] = { location: row[0], title: row[1], tags: row[2], page: page, pageRef: pageRef, offset: 0 };
      row[3].forEach(function (section, n) {
        ref += 1;
        docs[ref] = { location: row[0].split("#")[0] + section[0], title: section[1], tags: section.length > 2 ? section[2] : row[2],
                      page: page, pageRef: pageRef, offset: n + 1 };
      });
      ref += 1;
      page += 1;
    });
  };

  /* The words of a query that have index terms, each with its terms. */
  function words(lunr, lang, query) {
    return query.split(SEPARATOR).filter(function (w) { return w.replace(/\W/g, "").length; })
      .map(function (w) { return { word: w, terms: terms(lunr, lang, w) }; })
      .filter(function (w) { return w.terms.length; });
  }

  /* The clauses of lunr query `q` for `perWord` (as `words` gives them). */
  function clauses(lunr, q, perWord) {
    perWord.forEach(function (w) {
      w.terms.forEach(function (term) {
        q.term(term, { usePipeline: false, boost: 10 });
        // Partial words while typing: "explo" reaches "explot".
        // (From three letters: "v*" would score most of the index on every keystroke.)
        if (term.length >= 3) q.term(term, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 1 });
      });
    });
  }

  /* lunr's hits for `query` (refs and scores, best first) with the words and
   * their terms: a promise, once the term shards the words need are loaded. */
  Searcher.prototype.hits = function (query) {
    var self = this, lunr = this.lunr;
    var perWord = words(lunr, this.lang, query);
    if (!perWord.length) return Promise.resolve({ perWord: perWord, hits: [] });
    var needed = new Set();
    perWord.forEach(function (w) {
      w.terms.forEach(function (term) {
        termShards(self.kb.terms, term, term.length >= 3).forEach(function (n) { needed.add("terms/" + n + ".json"); });
      });
    });
    return this.fetch(Array.from(needed), this.addTerms).then(function () {
      if (self.terms === null) {
        self.terms = Object.keys(self.index.invertedIndex).sort();
        self.index.tokenSet = lunr.TokenSet.fromArray(self.terms);
      }
      return { perWord: perWord, hits: self.index.query(function (q) { clauses(lunr, q, perWord); }) };
    });
  };

  /* The results of `query`: a promise of {items}, or of null when `wanted`
   * (optional) says, between two fetches, that they are no longer wanted. */
  Searcher.prototype.search = function (query, wanted) {
    var self = this;
    var stale = function () { return wanted !== undefined && !wanted(); };
    return this.hits(query).then(function (found) {
      if (stale()) return null;
      if (!found.hits.length) return { items: [] };
      var groups = self.group(found.hits, found.perWord);
      // The titles of every result and the texts of the groups shown first, at once.
      var shards = new Set(found.hits.map(function (hit) { return "docs/" + shardOf(self.kb.docs, Number(hit.ref)) + ".json"; }));
      var texts = groups.slice(0, SNIPPET_GROUPS).map(function (group) { return "text/" + group.page + ".json"; });
      return Promise.all([
        self.fetch(Array.from(shards), self.addDocs),
        self.fetch(texts, function (value, path) { self.texts.set(Number(path.slice(5, -5)), value); })
      ]).then(function () {
        if (stale()) return null;
        return { items: groups.map(function (group, n) { return self.items(group, n < SNIPPET_GROUPS); }) };
      });
    });
  };

  /* Hits grouped by page, best group first; each group's hits best first. */
  Searcher.prototype.group = function (hits, perWord) {
    var starts = this.pageStarts, groups = new Map();
    hits.forEach(function (hit) {
      var ref = Number(hit.ref);
      var page = shardOf(starts, ref);
      var matched = Object.keys(hit.matchData.metadata);
      var found = {};
      perWord.forEach(function (w) {
        found[w.word] = w.terms.some(function (t) {
          return matched.some(function (m) { return m === t || m.indexOf(t) === 0; });
        });
      });
      var share = Object.keys(found).filter(function (k) { return found[k]; }).length / perWord.length;
      var item = { ref: ref, score: hit.score * (1 + share * share), terms: found, matched: matched };
      if (!groups.has(page)) groups.set(page, { page: page, pageRef: starts[page], hits: [] });
      groups.get(page).hits.push(item);
    });
    return Array.from(groups.values()).map(function (group) {
      group.hits.sort(function (a, b) { return b.score - a.score; });
      return group;
    }).sort(function (a, b) { return b.hits[0].score - a.hits[0].score; });
  };

  /* A group as Material draws it; `withText`: with the texts of its hits. */
  Searcher.prototype.items = function (group, withText) {
    var lunr = this.lunr, lang = this.lang, docs = this.docs;
    var texts = withText ? this.texts.get(group.page) : null;
    var list = group.hits.map(function (hit) {
      var doc = docs[hit.ref];
      return {
        location: doc.location, tags: doc.tags,
        title: highlight(lunr, lang, doc.title, hit.matched),
        text: texts ? excerpt(lunr, lang, texts[doc.offset], hit.matched) : "",
        score: hit.score,
        terms: hit.terms
      };
    });
    if (!group.hits.some(function (hit) { return hit.ref === group.pageRef; })) {
      var page = docs[group.pageRef];
      list.push({ location: page.location, tags: page.tags, title: page.title,
                  text: texts ? texts[0] : "", score: 0, terms: {} });
    }
    return list;
  };

  return { fold: fold, terms: terms, fieldTexts: fieldTexts, docBoost: docBoost, FIELDS: FIELDS,
           FIELD_BOOSTS: FIELD_BOOSTS, pipelineFunction: pipelineFunction, buildShards: buildShards,
           shardOf: shardOf, termShards: termShards, words: words, clauses: clauses, Searcher: Searcher, SEPARATOR: SEPARATOR, FORMAT: FORMAT,
           SNIPPET_GROUPS: SNIPPET_GROUPS };
});
