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

import hashlib
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
#   config:    search pointed at the language's prebuilt index and our worker
#              (its address naming the manifest), then lazy-worker.js.
COPIED_BLOCKS = {
    "site_meta": "337bd3b09eec21c5",
    "config": "7e39d18735bd3517",
}
# Material templates that overrides/ replaces whole, each with the SHA-256
# (first 16 hex) of Material's file in MATERIAL_VERSION, and how MkDocs finds it.
#   404.html: heading and text in the reader's language, a link home
#             (kbtools/plugin/notfound.py); a static template of the theme.
#   partials/nav.html: each top-level item through kb_nav_item, which renders a
#             section the page is not in once per build (kbtools/plugin/navcache.py);
#             found before Material's, theme.custom_dir coming first.
REPLACED_TEMPLATES = {"404.html": "80c93494b5432b1b", "partials/nav.html": "af33f6e032f632eb"}
STATIC_TEMPLATES = ("404.html",)  # listed in mkdocs_theme.yml's static_templates
# kbtools/plugin/navcache.py stores the markup of a top-level section the page is
# not in and gives it to every such page with only its links (the `url` filter's
# output) written anew. That holds while nav-item.html reads the page only in these
# tags, each false or not reached in such a section (which holds no active item):
NAV_ITEM_PAGE_READS = (
    "{% if page in nav_item.pages %}",
    "{% set nav_item = page %}",  # inside the tag above
    '{% set class = "md-nav__link--active" if index == page %}',
    "{% elif nav_item == page %}",
    "{% set toc = page.toc %}",
)
# Blocks main.html extends with super(): they must exist in base.html.
EXTENDED_BLOCKS = ("header", "content")
# Keys of the __config JSON the bundle reads; our copy of `config` writes all of them.
CONFIG_KEYS = ("base", "features", "translations", "search", "annotate", "tags", "version")

# --- Material's search index (kbtools/search/entries.py) --------------------------
# The search plugin makes its SearchIndex in on_config (before the kb plugin's) and
# indexes each page with it in on_page_context. The kb plugin puts a subclass in its
# place whose add_entry_from_context is Material's with Lexbor's tree feeding the same
# Parser: the lines the plugin must still have, and the digest (first 16 hex of the
# SHA-256) of the method that subclass copies, in MATERIAL_VERSION.
SEARCH_INDEX_LINES = ("self.search_index = SearchIndex(**self.config)",
                      "self.search_index.add_entry_from_context(page)")
SEARCH_INDEX_METHOD = "0f470c4a3305ec77"
SEARCH_PLUGIN = "plugins/search/plugin.py"  # below Material's package

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

# Once the worker has said READY, Material sends the box's value as a query each
# time it changes, whether or not it has posted SETUP yet (the latest READY and the
# latest value, combined): kbtools/search/worker.js says READY as soon as it has
# fetched its manifest itself, before the page's SETUP brings the same one. The
# bundle's line, as minified, whose filter must be the READY test (type 1):
SEARCH_QUERY_AFTER_READY = re.compile(
    r'\(\[[\w$]+\.pipe\([\w$]+\(([\w$]+)\)\),[\w$]+\],\([\w$]+,([\w$]+)\)=>\2\)\.pipe\([\w$]+\("value"\)\)'
    r'\.subscribe\(\(\{value:([\w$]+)\}\)=>[\w$]+\.next\(\{type:2,data:\3\}\)\)')

# Material reads the search box on keyup and focus (and when its worker is
# ready), never on `input`: guides/assets/search-input.js passes each `input`
# event (dictation, paste, an on-screen keyboard's suggestion) on as a keyup.
# The bundle's merge of those events, as minified:
SEARCH_QUERY_KEYUP = re.compile(r'\w+\(\w+,"keyup"\),\w+\)\.pipe\(\w+\(\(\)=>\w+\.value\)')
# The box the script listens on (partials/search.html).
SEARCH_QUERY_BOX = 'data-md-component="search-query"'
# The checkbox that opens and closes the search (base.html), set by the header's
# button and the keyboard shortcuts; lazy-worker.js starts the worker when it is set.
SEARCH_TOGGLE = 'data-md-toggle="search"'

# --- Material's markup faults, fixed in each built page (kbtools/plugin/markup.py) --
# What Material writes that a validator faults, as its template writes it:
#   search-dialog:  role="dialog" with no accessible name (axe aria-dialog-name)
#   nav-tabindex:   tabindex="" on a section's label (Nu: bad value)
#   toggle-autocomplete: autocomplete on the drawer and search checkboxes (Nu:
#                   not allowed on a checkbox); markup.py keeps its purpose (Back
#                   does not restore them) with a form owner that has it instead.
#   toc-title-for:  the contents' title is a label for the `__toc` toggle, which
#                   nav-item.html writes only beside a page that is a link of the nav,
#                   not on a section's index page (Nu: label for no control).
MATERIAL_MARKUP = {
    "search-dialog": ("partials/search.html", '<div class="md-search" data-md-component="search" role="dialog">'),
    "nav-tabindex": ("partials/nav-item.html", 'id="{{ path }}_label" tabindex="{{ tabindex }}"'),
    "toggle-autocomplete": ("base.html", '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" '
                                         'id="__drawer" autocomplete="off">'),
    "toc-title-for": ("partials/toc.html", '<label class="md-nav__title" for="__toc">'),
}

# --- the Nu Html Checker -----------------------------------------------------------
# Errors the Nu Html Checker reports in markup that Material writes and the project
# leaves as it is (kbtools/nu.py; tests/test_html_validity.py checks every page of
# site/): name -> {"template": Material's template, "markup": the text it writes,
# "message": a pattern of the checker's message, "reason": why it is not fixed}.
# The validity test fails when an entry no longer occurs in the built site (drop
# it), the audit below when Material no longer writes its markup. Empty: the
# errors Material's markup caused are fixed (MATERIAL_MARKUP above).
NU_ALLOWED: dict[str, dict[str, str]] = {}

# --- the bundle patch ----------------------------------------------------------
# Material's language switcher fetches sitemap.xml next to every
# <link rel=alternate> of a page, to map the page into another language.
# With page-level alternates (static-i18n) those files never exist, so every
# page logged 404s, and static-i18n already points the switcher at the same
# page. The one call that starts it is removed from the bundle the site serves.
SITEMAP_PREFETCH = re.compile(rb"\bui\(\{document\$:\w+\}\);")

# Material's bundle requests the search index as the page loads, except under
# file://, where it waits for the search to open (its `search` toggle: focus on
# the box, the header's search button, the "/", "s" and "f" keys all set it).
# The build removes the exception for file:// so that every protocol waits, and
# a page costs no search bytes until the reader searches (kbtools/search/).
# Only with the prebuilt index: the bench's stock site keeps Material's timing.
SEARCH_INDEX_ON_OPEN = re.compile(rb'[\w$]+\([\w$]+\(location\.protocol!=="file:"\),([\w$]+\("search"\))\)')
# The bundle also creates its search worker as the page loads, `new Worker(url)`
# with the `search` URL of __config: overrides/assets/javascripts/lazy-worker.js
# (loaded before the bundle) starts the real worker only when the search opens
# (SEARCH_QUERY_BOX focused, SEARCH_TOGGLE set) or at its first message.
SEARCH_WORKER_AT_LOAD = re.compile(r"function [\w$]+\([\w$]+,[\w$]+=new Worker\([\w$]+\)\)")

# Material copies its own search (lunr language packs, wordcut.js, its worker:
# about 1.2 MB) into every site; with the prebuilt index they serve nothing.
STOCK_SEARCH_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers")

# Material's source maps (the bundle's and the stylesheets', about 1.1 MB) serve a
# debugger, never a reader: the build removes them, and the bundle's comment that
# names its map. Globs below site/ (and Material's templates folder).
SOURCE_MAPS = ("assets/javascripts/bundle.*.min.js.map", "assets/stylesheets/*.min.css.map")
SOURCE_MAP_COMMENT = re.compile(rb"\n//# sourceMappingURL=bundle\.\w+\.min\.js\.map\s*$")


def remove_source_maps(site: Path) -> list[str]:
    """Delete SOURCE_MAPS under `site` and the bundle's comment naming its map; returns
    the site paths removed (the comment is gone already from a bundle patched before)."""
    removed = []
    for pattern in SOURCE_MAPS:
        for path in sorted(site.glob(pattern)):
            path.unlink()
            removed.append(path.relative_to(site).as_posix())
    for bundle in bundles(site):
        code = bundle.read_bytes()
        stripped = SOURCE_MAP_COMMENT.sub(b"\n", code)
        if stripped != code:
            bundle.write_bytes(stripped)
    return removed


# --- built HTML the PDFs read (kbtools/pdf/collect.py) ----------------------------
ARTICLE_CLASS = "md-content__inner"  # the <article> that holds a page's content
# Furniture inside <article> that is not content, with the partial that writes it:
# tag chips, edit/view buttons, source-file dates, feedback widget
# (permalinks are Python-Markdown's `headerlink`).
ARTICLE_FURNITURE = {"md-tags": "tags.html", "md-content__button": "actions.html",
                     "md-source-file": "source-file.html", "md-feedback": "feedback.html"}

# --- static-i18n ------------------------------------------------------------------
# Attributes of the plugin the kb plugin reads (kbtools/plugin/plugin.py), and of
# the files its suffix layout (suffix.py; mkdocs.yml docs_structure: suffix)
# builds (kbtools/plugin/status.py).
I18N_PLUGIN_ATTRIBUTES = ("current_language", "default_language", "building", "config")
I18N_FILE_ATTRIBUTES = ("locale", "alternates")
# static-i18n points Material's language switcher at the current page's
# translations by assigning `config.extra.alternate` (an attribute, which a
# template reads before the item) for each page; kbtools/plugin/notfound.py
# sets it for the 404 page, rendered after every page.
I18N_ALTERNATE_ATTRIBUTE = re.compile(r"config\.extra\.alternate\s*=")
# static-i18n builds the other languages from inside the first build's
# on_post_build at this priority; the kb plugin's post-build runs after it.
I18N_POST_BUILD_PRIORITY = -100


def bundles(site: Path) -> list[Path]:
    return sorted((site / "assets" / "javascripts").glob("bundle.*.min.js"))


def patch_bundle(site: Path, patched_ok: bool = False, lazy_search: bool = False) -> None:
    """Remove the sitemap prefetch from the bundle in site/ and, with `lazy_search`, make it
    request the search index when the search opens (SEARCH_INDEX_ON_OPEN): exactly one of
    each, or fail; `patched_ok`: none is fine too, the bundle left by the previous build of
    a dirty one."""
    patches = [("language-switch sitemap prefetch", SITEMAP_PREFETCH, b"", "SITEMAP_PREFETCH")]
    if lazy_search:
        patches.append(("search index request at page load", SEARCH_INDEX_ON_OPEN, rb"\1", "SEARCH_INDEX_ON_OPEN"))
    for bundle in bundles(site):
        code = bundle.read_bytes()
        for what, pattern, replacement, name in patches:
            patched, count = pattern.subn(replacement, code)
            if count == 0 and patched_ok:
                continue
            if count != 1:
                raise PluginError(f"{bundle}: expected one {what} in Material's bundle, found {count}; "
                                  f"see {name} in kbtools/theme.py")
            code = patched
        bundle.write_bytes(code)


# --- the audit: each assumption checked against an installed copy -------------

def _block(template: str, name: str) -> str | None:
    match = re.search(r"\{% block " + re.escape(name) + r" %\}(.*?)\{% endblock %\}", template, re.S)
    return match.group(1) if match else None


def audit(material: Path, i18n: Path, versions: dict | None = None) -> list[str]:
    """Every assumption above that does not hold for the Material package folder
    `material` and the static-i18n package folder `i18n`, each named; [] when all hold.
    `versions`: {"mkdocs-material": ..., "mkdocs-static-i18n": ..., "mkdocs": ...} installed."""
    broken = []
    for name, wanted in (versions or {}).items():
        pinned = {"mkdocs-material": MATERIAL_VERSION, "mkdocs-static-i18n": STATIC_I18N_VERSION,
                  "mkdocs": MKDOCS_VERSION}[name]
        if wanted != pinned:
            broken.append(f"version: {name} {wanted} is installed, the contract is for {pinned}")
    templates = material / "templates"
    base = (templates / "base.html").read_text(encoding="utf-8")
    for name, digest in COPIED_BLOCKS.items():
        text = _block(base, name)
        if text is None:
            broken.append(f"COPIED_BLOCKS[{name}]: base.html has no block '{name}'")
        elif hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] != digest:
            broken.append(f"COPIED_BLOCKS[{name}]: Material changed the block that overrides/main.html copies; "
                          "review the copy against it, then update the digest")
    theme_yml = (templates / "mkdocs_theme.yml").read_text(encoding="utf-8")
    static = re.search(r"^static_templates:\n((?:\s+- .*\n)+)", theme_yml, re.M)
    for name, digest in REPLACED_TEMPLATES.items():
        path = templates / name
        if not path.is_file():
            broken.append(f"REPLACED_TEMPLATES[{name}]: Material has no {name}")
        elif hashlib.sha256(path.read_bytes()).hexdigest()[:16] != digest:
            broken.append(f"REPLACED_TEMPLATES[{name}]: Material changed the template overrides/{name} "
                          "replaces; review the replacement against it, then update the digest")
        if name in STATIC_TEMPLATES and (not static or f"- {name}" not in static.group(1)):
            broken.append(f"REPLACED_TEMPLATES[{name}]: mkdocs_theme.yml no longer lists it in static_templates")
    nav_item = templates / "partials" / "nav-item.html"
    reads = sorted({tag for tag in re.findall(r"\{[{%].*?[%}]\}", nav_item.read_text(encoding="utf-8"), re.S)
                    if re.search(r"\bpage\b", tag)}) if nav_item.is_file() else []
    if reads != sorted(NAV_ITEM_PAGE_READS):
        broken.append("NAV_ITEM_PAGE_READS: partials/nav-item.html reads the page in other places now "
                      f"({', '.join(sorted(set(reads) - set(NAV_ITEM_PAGE_READS))) or 'fewer'}); "
                      "review kbtools/plugin/navcache.py")
    search_plugin = material / SEARCH_PLUGIN
    search_code = search_plugin.read_text(encoding="utf-8") if search_plugin.is_file() else ""
    for line in SEARCH_INDEX_LINES:
        if line not in search_code:
            broken.append(f"SEARCH_INDEX_LINES: {SEARCH_PLUGIN} no longer has {line!r}; "
                          "review kbtools/search/entries.py")
    method = re.search(r"\n    def add_entry_from_context\(self, page\):\n.*?(?=\n\n    \S)", search_code, re.S)
    if not method or hashlib.sha256(method.group(0).encode("utf-8")).hexdigest()[:16] != SEARCH_INDEX_METHOD:
        broken.append("SEARCH_INDEX_METHOD: Material changed SearchIndex.add_entry_from_context, which "
                      "kbtools/search/entries.py copies; review the copy, then update the digest")
    for name in EXTENDED_BLOCKS:
        if _block(base, name) is None:
            broken.append(f"EXTENDED_BLOCKS: base.html has no block '{name}'")
    config = _block(base, "config") or ""
    for key in CONFIG_KEYS:
        if f'"{key}":' not in config:
            broken.append(f"CONFIG_KEYS: the config block no longer writes '{key}'")
    if not re.search(r'<article class="[^"]*\b' + re.escape(ARTICLE_CLASS) + r'\b', base):
        broken.append(f"ARTICLE_CLASS: base.html has no <article class=\"{ARTICLE_CLASS}\">")
    for name, partial in ARTICLE_FURNITURE.items():
        path = templates / "partials" / partial
        if not path.is_file() or name not in path.read_text(encoding="utf-8"):
            broken.append(f"ARTICLE_FURNITURE: partials/{partial} no longer writes the class '{name}'")
    found = bundles(templates)
    if len(found) != 1:
        broken.append(f"bundle: expected one assets/javascripts/bundle.*.min.js, found {len(found)}")
    for bundle in found:
        code = bundle.read_bytes()
        count = len(SITEMAP_PREFETCH.findall(code))
        if count != 1:
            broken.append(f"SITEMAP_PREFETCH: found {count} times in {bundle.name}, expected once")
        count = len(SEARCH_INDEX_ON_OPEN.findall(code))
        if count != 1:
            broken.append(f"SEARCH_INDEX_ON_OPEN: found {count} times in {bundle.name}, expected once; "
                          "see overrides/assets/javascripts/lazy-worker.js")
        text = code.decode("utf-8", "replace")
        if len(SEARCH_WORKER_AT_LOAD.findall(text)) != 1:
            broken.append(f"SEARCH_WORKER_AT_LOAD: the bundle no longer creates its search worker with "
                          f"new Worker(url) (pattern {SEARCH_WORKER_AT_LOAD.pattern}); "
                          "see overrides/assets/javascripts/lazy-worker.js")
        if len(SEARCH_QUERY_KEYUP.findall(text)) != 1:
            broken.append(f"SEARCH_QUERY_KEYUP: the bundle no longer reads the search box on keyup "
                          f"(pattern {SEARCH_QUERY_KEYUP.pattern}); see guides/assets/search-input.js")
        after_ready = SEARCH_QUERY_AFTER_READY.findall(text)
        if len(after_ready) != 1 or not re.search(r"function " + re.escape(after_ready[0][0])
                                                  + r"\(([\w$]+)\)\{return \1\.type===1\}", text):
            broken.append("SEARCH_QUERY_AFTER_READY: the bundle no longer sends queries on READY alone "
                          f"(pattern {SEARCH_QUERY_AFTER_READY.pattern}); see kbtools/search/worker.js")
        for message, pattern in WORKER_PROTOCOL_IN_BUNDLE.items():
            if not pattern.search(text):
                broken.append(f"WORKER_PROTOCOL_IN_BUNDLE[{message}]: the bundle no longer speaks it "
                              f"(pattern {pattern.pattern})")
    for name, (template, text) in MATERIAL_MARKUP.items():
        path = templates / template
        if not path.is_file() or text not in path.read_text(encoding="utf-8"):
            broken.append(f"MATERIAL_MARKUP[{name}]: {template} no longer writes {text!r}; "
                          "review kbtools/plugin/markup.py")
    for name, entry in NU_ALLOWED.items():
        path = templates / entry["template"]
        if not path.is_file() or entry["markup"] not in path.read_text(encoding="utf-8"):
            broken.append(f"NU_ALLOWED[{name}]: {entry['template']} no longer writes {entry['markup']!r}; "
                          "drop the entry if the Nu Html Checker no longer reports it")
    if SEARCH_TOGGLE not in base:
        broken.append(f"SEARCH_TOGGLE: base.html no longer has the checkbox {SEARCH_TOGGLE}; "
                      "see overrides/assets/javascripts/lazy-worker.js")
    search = templates / "partials" / "search.html"
    if not search.is_file() or SEARCH_QUERY_BOX not in search.read_text(encoding="utf-8"):
        broken.append(f"SEARCH_QUERY_BOX: partials/search.html no longer marks the box {SEARCH_QUERY_BOX}")
    for pattern in SOURCE_MAPS:
        if not list(templates.glob(pattern)):
            broken.append(f"SOURCE_MAPS: Material no longer ships {pattern}")
    for bundle in found:
        if not SOURCE_MAP_COMMENT.search(bundle.read_bytes()):
            broken.append(f"SOURCE_MAPS: {bundle.name} no longer ends with the comment naming its map "
                          f"(pattern {SOURCE_MAP_COMMENT.pattern.decode()})")
    for folder in STOCK_SEARCH_FILES:
        if not (templates / folder).is_dir():
            broken.append(f"STOCK_SEARCH_FILES: Material no longer ships {folder}")
    plugin = (i18n / "plugin.py").read_text(encoding="utf-8")
    sources = plugin + " ".join(p.read_text(encoding="utf-8") for p in sorted(i18n.glob("*.py")))
    for name in I18N_PLUGIN_ATTRIBUTES:
        if not re.search(r"self\." + name + r"\b", sources):
            broken.append(f"I18N_PLUGIN_ATTRIBUTES: static-i18n no longer has '{name}'")
    suffix = (i18n / "suffix.py").read_text(encoding="utf-8")
    for name in I18N_FILE_ATTRIBUTES:
        if not re.search(r"file\." + name + r"\s*=", suffix):
            broken.append(f"I18N_FILE_ATTRIBUTES: static-i18n no longer sets file.{name}")
    reconfigure = i18n / "reconfigure.py"
    if not reconfigure.is_file() or not I18N_ALTERNATE_ATTRIBUTE.search(reconfigure.read_text(encoding="utf-8")):
        broken.append("I18N_ALTERNATE_ATTRIBUTE: static-i18n no longer assigns config.extra.alternate per page; "
                      "review kbtools/plugin/notfound.py")
    if not re.search(r"event_priority\(" + re.escape(str(I18N_POST_BUILD_PRIORITY)) + r"\)\s*def on_post_build",
                     plugin):
        broken.append(f"I18N_POST_BUILD_PRIORITY: static-i18n's on_post_build is no longer at "
                      f"{I18N_POST_BUILD_PRIORITY}")
    return broken
