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

  /* Registered so a serialized index names it and can be loaded again. */
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

  /* The serialized index, with vector weights rounded: a third of the bytes. */
  function serialize(index) {
    var json = index.toJSON();
    json.fieldVectors = json.fieldVectors.map(function (entry) {
      return [entry[0], entry[1].map(function (v, i) { return i % 2 ? Math.round(v * 1000) / 1000 : v; })];
    });
    return json;
  }

  function buildIndex(lunr, lang, docs) {
    var fn = pipelineFunction(lunr, lang);
    lunr.tokenizer.separator = SEPARATOR;
    return lunr(function () {
      this.pipeline.reset();
      this.searchPipeline.reset();
      this.pipeline.add(fn);
      this.searchPipeline.add(fn);
      this.ref("location");
      this.field("title", { boost: 10 });
      this.field("tags", { boost: 5 });
      this.field("text");
      var builder = this;
      // Short refs (the document's position) keep the serialized index small.
      docs.forEach(function (doc, position) {
        builder.add({
          location: String(position),
          title: stripTags(doc.title),
          tags: (doc.tags || []).join(" "),
          text: stripTags(doc.text)
        }, { boost: doc.location.indexOf("#") < 0 ? 2 : 1 });
      });
    });
  }

  /* Mark the words of `html` (outside tags) whose terms were matched.
   * Terms are folded prefixes of their words, so a word whose folded start
   * differs from every matched term cannot match: skip stemming it. */
  function highlight(lunr, lang, html, matched) {
    var starts = new Set(matched.map(function (m) { return m.slice(0, 2); }));
    return (html || "").split(/(<[^>]*>)/).map(function (part) {
      if (part.charAt(0) === "<") return part;
      return part.replace(WORD, function (word) {
        if (!starts.has(fold(word).slice(0, 2))) return word;
        var hit = terms(lunr, lang, word).some(function (term) {
          return matched.some(function (m) { return term === m || (m.length >= 3 && term.indexOf(m) === 0); });
        });
        return hit ? "<mark>" + word + "</mark>" : word;
      });
    }).join("");
  }

  /* The part of a (plain, highlighted) text around its first match: long
   * sections would make every result list slow to draw on a phone. */
  function snippet(text) {
    var LIMIT = 320;
    if (text.length <= LIMIT) return text;
    var first = text.indexOf("<mark>");
    var start = first < 80 ? 0 : text.lastIndexOf(" ", first - 60) + 1;
    var end = text.indexOf(" ", start + LIMIT);
    var out = text.slice(start, end < 0 ? text.length : end).replace(/<\/?m?a?r?k?$/, "");
    var open = (out.match(/<mark>/g) || []).length - (out.match(/<\/mark>/g) || []).length;
    if (open > 0) out += "</mark>";
    return (start > 0 ? "… " : "") + out + (end < 0 ? "" : " …");
  }

  /* A loaded index answering queries in the shape Material's search UI expects. */
  function Searcher(lunr, lang, data) {
    pipelineFunction(lunr, lang);
    lunr.tokenizer.separator = SEPARATOR;
    this.lunr = lunr;
    this.lang = lang;
    this.index = lunr.Index.load(data.config.index);
    this.docs = new Map();
    var docs = this.docs;
    this.byRef = data.docs;
    data.docs.forEach(function (doc) {
      var path = doc.location.split("#")[0];
      var article = docs.get(path);
      if (article === undefined) docs.set(path, doc);
      else { doc.parent = article; docs.set(doc.location, doc); }
    });
  }

  Searcher.prototype.search = function (query) {
    var lunr = this.lunr, lang = this.lang;
    var words = query.split(SEPARATOR).filter(function (w) { return w.replace(/\W/g, "").length; });
    var perWord = words.map(function (w) { return { word: w, terms: terms(lunr, lang, w) }; })
      .filter(function (w) { return w.terms.length; });
    if (!perWord.length) return { items: [] };
    var hits = this.index.query(function (q) {
      perWord.forEach(function (w) {
        w.terms.forEach(function (term) {
          q.term(term, { usePipeline: false, boost: 10 });
          // Partial words while typing: "explo" reaches "explot".
          // (From three letters: "v*" would score most of the index on every keystroke.)
          if (term.length >= 3) q.term(term, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 1 });
        });
      });
    });
    var docs = this.docs, self = this;
    var groups = new Map();
    var byRef = this.byRef;
    hits.forEach(function (hit) {
      var doc = docs.get(byRef[Number(hit.ref)].location);
      if (doc === undefined) return;
      var matched = Object.keys(hit.matchData.metadata);
      var found = {};
      perWord.forEach(function (w) {
        found[w.word] = w.terms.some(function (t) {
          return matched.some(function (m) { return m === t || m.indexOf(t) === 0; });
        });
      });
      var share = Object.keys(found).filter(function (k) { return found[k]; }).length / perWord.length;
      var item = Object.assign({}, doc, {
        title: highlight(lunr, lang, doc.title, matched),
        text: snippet(highlight(lunr, lang, doc.text, matched)),
        score: hit.score * (1 + share * share),
        terms: found
      });
      delete item.parent;
      var ref = doc.parent ? doc.parent.location : doc.location;
      if (!groups.has(ref)) groups.set(ref, []);
      groups.get(ref).push(item);
    });
    var items = Array.from(groups.entries()).map(function (entry) {
      var list = entry[1].sort(function (a, b) { return b.score - a.score; });
      if (!list.some(function (i) { return i.location === entry[0]; })) {
        list.push(Object.assign({}, docs.get(entry[0]), { parent: undefined, score: 0, terms: {} }));
      }
      return list;
    }).sort(function (a, b) { return b[0].score - a[0].score; });
    return { items: items };
  };

  return { fold: fold, terms: terms, buildIndex: buildIndex, serialize: serialize, Searcher: Searcher, SEPARATOR: SEPARATOR };
});
