/* Search worker speaking Material's worker protocol (SETUP -> READY,
 * QUERY -> RESULT), but loading the index prebuilt at build time for the
 * page's language instead of building one in the browser on every visit. */
var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var searcher = null;

function base() {
  // Under the iframe-worker shim (offline copy) this script runs in an
  // iframe: find our own script element to know where the files are.
  if (typeof parent !== "undefined" && parent !== self && "IFrameWorker" in parent) {
    var src = document.querySelector("script[src]").src;
    return src.slice(0, src.lastIndexOf("/") + 1);
  }
  return "./";
}

async function setup(data) {
  var lang = data.config.lang[0];
  var dir = base();
  var files = [dir + "lunr.min.js", dir + "lunr.stemmer.support.min.js"];
  // The language's lunr-languages pack, when lunr has one (the build says which).
  if (data.config.pack) files.push(dir + data.config.pack);
  files.push(dir + "core.js");
  await importScripts.apply(self, files);
  searcher = new kbSearch.Searcher(self.lunr, lang, data);
}

// Material sends a query on every keystroke. Answer only the latest one
// waiting: keystrokes that arrive while a query runs replace each other.
var pending = null;
var scheduled = false;

function answer() {
  scheduled = false;
  var query = pending;
  pending = null;
  var result = { items: [] };
  try {
    if (searcher) result = searcher.search(query);
  } catch (err) {
    console.warn("search failed for query", query, err);
  }
  postMessage({ type: RESULT, data: result });
}

addEventListener("message", async function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    await setup(message.data);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    pending = message.data;
    if (!scheduled) {
      scheduled = true;
      setTimeout(answer, 0);
    }
  }
});
