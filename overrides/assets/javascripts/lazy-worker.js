/* The search worker starts when the reader opens the search, not when the page loads.
 *
 * Material's bundle creates its search worker as the page loads
 * (kbtools/theme.py SEARCH_WORKER_AT_LOAD), and the worker's script is a
 * search file like the index: a reader who never searches should download
 * none. The build makes the bundle ask for the index only when the search
 * opens (SEARCH_INDEX_ON_OPEN). Here each Worker the page makes is an object
 * that starts the real one when the search opens (focus on its box, or its
 * toggle set: the header's button, the "/" and "s" keys), so that the worker
 * loads its scripts while the bundle fetches the index, or at its first
 * message, and passes its events on. Loaded right before the bundle
 * (overrides/main.html), and after the iframe-worker shim in the offline copy
 * (kbtools/offline.py), whose Worker it then wraps. */
(function () {
  "use strict";
  var Real = window.Worker;
  if (typeof Real !== "function") return;
  var waiting = [];

  class LazyWorker extends EventTarget {
    constructor(url, options) {
      super();
      this.url = url;
      this.options = options;
      this.worker = null;
      this.onmessage = null;
      this.onmessageerror = null;
      this.onerror = null;
      waiting.push(this);
    }

    start() {
      if (this.worker === null) {
        this.worker = new Real(this.url, this.options);
        ["message", "messageerror", "error"].forEach((type) => {
          this.worker.addEventListener(type, (event) => {
            const copy = type === "error"
              ? new ErrorEvent("error", { message: event.message, filename: event.filename,
                                          lineno: event.lineno, colno: event.colno, error: event.error })
              : new MessageEvent(type, { data: event.data });
            this.dispatchEvent(copy);
            const handler = this["on" + type];
            if (typeof handler === "function") handler.call(this, copy);
          });
        });
      }
      return this.worker;
    }

    postMessage(message, transfer) {
      this.start().postMessage(message, transfer);
    }

    terminate() {
      if (this.worker !== null) this.worker.terminate();
    }
  }

  function opened() {
    waiting.splice(0).forEach((worker) => worker.start());
  }
  // kbtools/theme.py SEARCH_QUERY_BOX and SEARCH_TOGGLE.
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches("[data-md-component=search-query]")) opened();
  });
  document.addEventListener("change", (event) => {
    if (event.target instanceof Element && event.target.matches("[data-md-toggle=search]") && event.target.checked) opened();
  });

  window.Worker = LazyWorker;
})();
