/* iframe-worker 1.0.4 (npm package iframe-worker, MIT licence, Martin Donath:
 * iframe-worker.LICENSE), shim/index.js rewritten without inline script.
 *
 * Why: browsers refuse Web Workers from file://, so the offline copy runs the
 * search worker in a hidden iframe. The upstream shim writes an inline
 * <script> into that iframe, which the site's Content-Security-Policy (hashes
 * only, no 'unsafe-inline'; kbtools/page_security.py) blocks. Here the page
 * sets the worker's globals on the same-origin iframe window itself and adds
 * the worker as a script element, which script-src 'self' allows. Behaviour
 * is otherwise upstream's: importScripts loads in order and returns a promise,
 * messages are structured-cloned, errors of the worker reach onerror. */
"use strict";
(() => {
  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = url;
      const iframe = document.createElement("iframe");
      iframe.hidden = true;
      document.body.appendChild((this.iframe = iframe));
      const w = this.w;
      // The worker's postMessage: to this object's listeners, cloned and later, as from a worker.
      w.postMessage = data => {
        const copy = structuredClone(data);
        setTimeout(() => this.emit(new MessageEvent("message", { data: copy })));
      };
      w.importScripts = (...urls) => urls.reduce((done, src) => done.then(() => this.load(src)),
                                                 Promise.resolve());
      w.addEventListener("error", event => {
        this.emit(new ErrorEvent("error", {
          message: event.message, filename: `${this.url}`, lineno: event.lineno,
          colno: event.colno, error: event.error }));
      });
      this.r = this.load(`${url}`);
    }

    load(src) {
      return new Promise((resolve, reject) => {
        const script = this.w.document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = reject;
        this.w.document.body.appendChild(script);
      });
    }

    emit(event) {
      this.dispatchEvent(event);
      const handler = event.type === "message" ? this.onmessage : this.onerror;
      if (handler) handler.call(this, event);
    }

    terminate() {
      this.iframe.remove();
    }

    postMessage(data) {
      this.r.catch(() => {}).then(() => {
        this.w.dispatchEvent(new MessageEvent("message", structuredClone({ data })));
      });
    }

    get w() {
      return this.iframe.contentWindow;
    }
  }

  window.IFrameWorker = IFrameWorker;
  if (location.protocol === "file:") window.Worker = IFrameWorker;
})();
