"""Every assumption the project makes about Material for MkDocs and mkdocs-static-i18n.

Both are pinned (requirements.txt): Material is in maintenance mode with its
end of life announced, MkDocs 1.x gets no releases, static-i18n is frozen.
What the project relies on in them is named here, once, and
tests/test_theme_contract.py checks each item against the installed
versions, so that an upgrade fails there, by name, instead of somewhere
downstream. docs/architecture.md says why each remaining patch exists and
what a move to a successor would cost.
"""
from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

MATERIAL_VERSION = "9.8.2"
STATIC_I18N_VERSION = "1.3.1"
MKDOCS_VERSION = "1.6.1"

# --- templates -----------------------------------------------------------------
# Blocks of Material's base.html that overrides/main.html replaces with a copy
# (everything else calls super()). Each value is the SHA-256 (first 16 hex) of
# the block's text in MATERIAL_VERSION: when upstream changes a copied block,
# the copy must be reviewed against it.
#   site_meta: hreflang limited to real translations, description escaped,
#              translation-status meta, no referrer.
#   config:    search pointed at the language's prebuilt index and our worker.
COPIED_BLOCKS = {
    "site_meta": "337bd3b09eec21c5",
    "config": "7e39d18735bd3517",
}
# Blocks main.html extends with super(): they must exist in base.html.
EXTENDED_BLOCKS = ("header", "content")
# Keys of the __config JSON the bundle reads; our copy of `config` writes all of them.
CONFIG_KEYS = ("base", "features", "translations", "search", "annotate", "tags", "version")

# --- the search worker protocol --------------------------------------------------
# kbtools/search/worker.js answers Material's bundle in its private protocol:
# the page posts {type: SETUP, data: {config, docs, options}} and
# {type: QUERY, data: query}; the worker answers {type: READY} and
# {type: RESULT, data: {items}}. The minified bundle shows these as literals.
WORKER_MESSAGES = {"SETUP": 0, "READY": 1, "QUERY": 2, "RESULT": 3}
WORKER_PROTOCOL_IN_BUNDLE = {
    "SETUP": re.compile(r"type:0,data:\{config:"),
    "QUERY": re.compile(r"type:2,data:"),
    "READY": re.compile(r"return \w+\.type===1\}"),
    "RESULT": re.compile(r"return \w+\.type===3\}"),
}

# --- the bundle patch ----------------------------------------------------------
# Material's language switcher fetches sitemap.xml next to every
# <link rel=alternate> of a page, to map the page into another language.
# With page-level alternates (static-i18n) those files never exist, so every
# page logged 404s, and static-i18n already points the switcher at the same
# page. The one call that starts it is removed from the bundle the site serves.
SITEMAP_PREFETCH = re.compile(rb"\bui\(\{document\$:\w+\}\);")

# Material copies its own search (lunr language packs, wordcut.js, its worker:
# about 1.2 MB) into every site; with the prebuilt index they serve nothing.
STOCK_SEARCH_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers")

# --- built HTML the PDFs read (kbtools/pdf/collect.py) ----------------------------
ARTICLE_CLASS = "md-content__inner"  # the <article> that holds a page's content
# Furniture inside <article> that is not content: tag chips, edit/view buttons,
# source-file dates, feedback widget (permalinks are Python-Markdown's `headerlink`).
ARTICLE_FURNITURE = ("md-tags", "md-content__button", "md-source-file", "md-feedback")

# --- static-i18n ------------------------------------------------------------------
# Attributes of the plugin the kb plugin reads (kbtools/plugin/plugin.py), and of
# the files it builds (kbtools/plugin/status.py).
I18N_PLUGIN_ATTRIBUTES = ("current_language", "default_language", "building", "config")
I18N_FILE_ATTRIBUTES = ("locale", "alternates")
# static-i18n builds the other languages from inside the first build's
# on_post_build at this priority; the kb plugin's post-build runs after it.
I18N_POST_BUILD_PRIORITY = -100


def bundles(site: Path) -> list[Path]:
    return sorted((site / "assets" / "javascripts").glob("bundle.*.min.js"))


def patch_bundle(site: Path) -> None:
    """Remove the sitemap prefetch from the bundle in site/ (exactly one call, or fail)."""
    for bundle in bundles(site):
        code = bundle.read_bytes()
        patched, count = SITEMAP_PREFETCH.subn(b"", code)
        if count != 1:
            raise PluginError(
                f"{bundle}: expected one language-switch sitemap prefetch in Material's "
                f"bundle, found {count}; see SITEMAP_PREFETCH in kbtools/theme.py")
        bundle.write_bytes(patched)
