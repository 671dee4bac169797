/* Search worker speaking Material's worker protocol (SETUP -> READY,
 * QUERY -> RESULT), but answering from the split index prebuilt at build time
 * for the page's language (core.js) instead of building one in the browser on
 * every visit. The manifest is all it needs to start (it fetches it itself,
 * below, and SETUP brings it too); each query fetches the shards it needs,
 * once. */
var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var searcher = null;
var setupFor = null;

// Under the iframe-worker shim (offline copy) this script runs in an iframe,
// where file:// allows no fetch: each shard comes as a script (its .js twin,
// kbtools/offline.py) that hands it to kbSearchShard.
var shimmed = typeof parent !== "undefined" && parent !== self && "IFrameWorker" in parent;
var received = {};
self.kbSearchShard = function (name, data) {
  received[name] = data;
};

function here() {
  // Find our own script element to know where the files are (the shim's iframe has no location of ours).
  if (shimmed) return document.querySelector("script[src]").src;
  return self.location.href;
}

function fetchJSON(url, what) {
  return fetch(url).then(function (response) {
    if (!response.ok) throw new Error(what + ": HTTP " + response.status);
    return response.json();
  });
}

function loader(root) {
  // The manifest names its folder from the site's root; this script is in assets/kb-search/.
  var shards = new URL("../../" + root, here());
  return function (name) {
    var url = new URL(name, shards);
    if (shimmed) {
      return importScripts(String(url).replace(/\.json$/, ".js")).then(function () {
        var data = received[name];
        delete received[name];
        if (data === undefined) throw new Error("search shard " + name + " did not load");
        return data;
      });
    }
    return fetchJSON(url, "search shard " + name);
  };
}

// The scripts every language needs, fetched as the worker starts (when the
// search opens), while the manifest is fetched.
var folder = new URL("./", here());
var common = Promise.resolve().then(function () {
  return importScripts(folder + "lunr.min.js", folder + "lunr.stemmer.support.min.js", folder + "core.js");
});
common.catch(function () {});

// Set up from the manifest once; Material posts SETUP each time the search opens.
var setting = null;
function setupWith(data) {
  var key = JSON.stringify(data.config);
  if (setting !== null && key === setupFor) return setting;
  setupFor = key;
  setting = common.then(function () {
    // The language's lunr-languages pack, when lunr has one (the build says which).
    var lang = data.config.lang[0];
    if (data.config.pack && !(self.lunr && self.lunr[lang])) return importScripts(folder + data.config.pack);
  }).then(function () {
    searcher = new kbSearch.Searcher(self.lunr, data.config.lang[0], data, loader(data.config.kb.root));
  });
  return setting;
}

// The worker's address names its language's manifest after "#" (overrides/main.html):
// it fetches it as it starts and says READY without waiting for Material's SETUP,
// which brings the same manifest once the page has fetched it. Material sends
// queries from the first READY on.
var address = here();
if (address.indexOf("#") >= 0) {
  var root = decodeURIComponent(address.slice(address.indexOf("#") + 1));
  var manifest = new URL("../../" + root + "search_index.json", here());
  var early = shimmed
    ? importScripts(String(manifest).replace(/\.json$/, ".js")).then(function () { return self.__index; })
    : fetchJSON(manifest, "search index");
  early.then(setupWith).then(function () {
    postMessage({ type: READY });
  }, function (err) {
    console.warn("search could not start before the page asked", err);
  });
}

// Material sends a query on every keystroke. Answer only the latest one
// waiting: keystrokes that arrive while a query runs (or fetches its shards)
// replace each other, and an answer a newer query overtook is not sent.
var pending = null;
var busy = false;

function answer() {
  if (busy || pending === null) return;
  busy = true;
  var query = pending;
  pending = null;
  var wanted = function () { return pending === null; };
  var result = searcher ? searcher.search(query, wanted) : Promise.resolve({ items: [] });
  result.catch(function (err) {
    console.warn("search failed for query", query, err);
    return { items: [] };
  }).then(function (data) {
    busy = false;
    if (data !== null && wanted()) postMessage({ type: RESULT, data: data });
    else answer();
  });
}

addEventListener("message", async function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    try {
      await setupWith(message.data);
    } catch (err) {
      console.warn("search could not start", err);
    }
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    pending = message.data;
    setTimeout(answer, 0);
  }
});
