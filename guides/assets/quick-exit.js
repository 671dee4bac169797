/* Quick exit (GOV.UK "Exit this page" pattern). The button, or Shift pressed
 * three times within five seconds, blanks the page at once and replaces it
 * with a neutral site; location.replace keeps this page out of Back.
 * It does not erase history: the safety page says so. */
(function () {
  "use strict";
  var root = document.querySelector(".kb-exit");
  if (!root) return;
  var url = root.getAttribute("data-kb-exit-url");
  var status = root.querySelector(".kb-exit__status");
  var presses = 0;
  var firstPress = 0;
  var resetTimer = null;
  var exiting = false;

  function exit() {
    exiting = true;
    // Blank first: whoever is watching the screen must not see the page.
    document.documentElement.classList.add("kb-exiting");
    document.title = "";
    status.textContent = root.getAttribute("data-kb-leaving-text");
    window.location.replace(url);
  }

  function reset() {
    presses = 0;
    firstPress = 0;
    clearTimeout(resetTimer);
  }

  root.querySelector(".kb-exit__button").addEventListener("click", exit);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      reset();  // any other key breaks the sequence
      return;
    }
    if (event.repeat) return;  // holding Shift down is one press
    var now = Date.now();
    if (presses === 0 || now - firstPress > 5000) {
      presses = 0;
      firstPress = now;
    }
    presses += 1;
    clearTimeout(resetTimer);
    resetTimer = setTimeout(reset, 5000 - (now - firstPress));
    if (presses >= 3) {
      reset();
      exit();
      return;
    }
    status.textContent = root.getAttribute("data-kb-count-text").replace("{count}", String(presses));
  }, true);

  // A page restored from the back-forward cache keeps its blanked state;
  // leave again instead of showing it.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && exiting) {
      document.documentElement.classList.add("kb-exiting");
      window.location.replace(url);
    }
  });
})();
