"""The sidebar's sections a page is not in, rendered once per build instead of once per page.

Material renders the whole primary navigation for every page (partials/nav.html),
so a build's template work grew with pages × sections (Spanish at five times the
guides, built alone: 8.5 to 9.5 s with Material's loop, 7.5 to 8.3 s with this
one). A top-level section that does not hold the page (not
`active`) comes out the same on every page except for its links, which the
`url` filter writes relative to the page. So such a section is rendered once,
with the `url` filter writing a token that holds the address it was given, and
each page gets the stored markup with every token replaced by what the `url`
filter writes for that page: the bytes Material's own loop would write
(tests/test_material_equivalence.py compares the real site both ways).

overrides/partials/nav.html is Material's with its loop calling `kb_nav_item`;
kbtools/theme.py names the templates this relies on.
"""
from __future__ import annotations

import re

from jinja2 import pass_context

# Delimit an address in a stored fragment; neither can be in an address or in the
# markup nav-item.html writes (a fragment that holds one is not stored).
_OPEN, _CLOSE = "\x00", "\x01"
_TOKEN = re.compile(f"{_OPEN}([^{_OPEN}{_CLOSE}]*){_CLOSE}")


def install(env) -> "NavCache":
    """A fresh cache for this build's environment (one already installed in it is replaced)."""
    url = env.filters["url"]
    if isinstance(getattr(url, "__self__", None), NavCache):
        url = url.__self__.url
    cache = NavCache(url)
    env.filters["url"] = cache.url_or_token
    env.globals["kb_nav_item"] = cache.render
    return cache


class NavCache:
    """One build's stored sections, for the Jinja environment it is installed in."""

    def __init__(self, url_filter):
        self.url = url_filter  # MkDocs' `url` filter
        self.recording = False
        self.fragments: dict[tuple[int, str], tuple[object, str | None]] = {}

    @pass_context
    def url_or_token(self, context, value):
        if self.recording:
            return f"{_OPEN}{value}{_CLOSE}"
        return self.url(context, value)

    @pass_context
    def render(self, context, render_item, nav_item, path: str) -> str:
        """nav-item.html's `render(nav_item, path, 1)` for this page."""
        if getattr(nav_item, "active", False):
            return render_item(nav_item, path, 1)
        key = (id(nav_item), path)
        stored = self.fragments.get(key)
        if stored is None:
            self.recording = True
            try:
                text = str(render_item(nav_item, path, 1))
            finally:
                self.recording = False
            tokens = _TOKEN.findall(text)
            # A delimiter anywhere but around an address (in a title, say): not stored.
            if text.count(_OPEN) != len(tokens) or text.count(_CLOSE) != len(tokens):
                text = None
            # The item is kept with its markup so that its id is not reused while stored.
            stored = self.fragments[key] = (nav_item, text)
        text = stored[1]
        if text is None:
            return render_item(nav_item, path, 1)
        return _TOKEN.sub(lambda m: self.url(context, m.group(1)), text)
