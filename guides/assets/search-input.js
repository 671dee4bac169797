/* Search for text that arrives without key events. Material's search reads
 * its query box on keyup and focus only (kbtools/theme.py SEARCH_QUERY_KEYUP),
 * so a query entered by voice dictation, an on-screen keyboard's suggestion
 * or a paste from the context menu (an `input` event and no key) started no
 * search. Every `input` event is passed on as the keyup Material listens for;
 * typed text raises both, and Material ignores a value it has already seen. */
(function () {
  "use strict";
  var box = document.querySelector("[data-md-component=search-query]");
  if (!box) return;
  box.addEventListener("input", function () {
    // Not bubbling: only Material's listener on the box hears it.
    box.dispatchEvent(new KeyboardEvent("keyup"));
  });
})();
