"""Nothing unused in site/ or an offline zip: every file that is not a page is
referenced by a page, a stylesheet or a script that is itself used (its URL in
an attribute, the theme's config, a CSS url(), or its name in a script, a
search index or beside the file it licenses), or is an entry point no page
names: the sitemaps (for search engines) and the search index files (the
search fetches them from the site's base). Material's files that nobody loads
are removed at build time (kbtools/theme.py STOCK_SEARCH_FILES, SOURCE_MAPS);
the offline shim is only in the zips."""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT
from kbtools import offline, search, site_config, theme

CONFIG = site_config.load(ROOT)
# Files no page names that still have a reader, as site paths: sitemaps (search
# engines), and each language's search manifest (the search fetches it from the
# site's base); the shards are those its manifest names (search_files).
ENTRY_POINTS = re.compile(r"^(?:[\w-]+/)?(?:sitemap\.xml(?:\.gz)?|search/search_index\.js(?:on)?)$")


def search_files(tree: Path, files: set[str]) -> set[str]:
    """The shards each language's manifest names, and their script twins in an offline copy
    (a zip keeps the scripts only)."""
    named = set()
    for folder in {p.parent for p in tree.rglob("search/search_index.js*") if p.suffix in (".json", ".js")}:
        base = folder.relative_to(tree).as_posix()
        for name in search.manifest_files(folder):
            named |= {posixpath.join(base, name), posixpath.join(base, name[:-len(".json")] + ".js")}
    return named & files


SPACE = re.compile(r"\s")
TEXT = (".css", ".js", ".json", ".webmanifest")
ATTRIBUTE = re.compile(r"""\s(?:href|src|content|poster|data)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
SRCSET = re.compile(r"""\ssrcset\s*=\s*"([^"]*)\"""", re.I)
CONFIG_SCRIPT = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$|/\*# sourceMappingURL=.*?\*/", re.M)


def _target(files: set[str], base_dir: str, url: str) -> str | None:
    """The file of `files` (a tree's paths) that `url`, in a file of folder `base_dir`, names."""
    if not url or len(url) > 500 or SPACE.search(url):
        return None  # text (a meta description), not a URL
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    joined = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(base_dir, path))
    if joined.startswith(".."):
        return None
    if joined not in files and posixpath.join(joined, "index.html") in files:  # a folder: its page
        joined = posixpath.join(joined, "index.html")
    return joined if joined in files else None


def unused(tree: Path) -> list[str]:
    """The files of `tree` (a built site) that nothing uses."""
    files = {p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()}
    used = {f for f in files if f.endswith(".html") or ENTRY_POINTS.match(f)} | search_files(tree, files)
    todo = sorted(used)
    while todo:
        current = todo.pop()
        folder = posixpath.dirname(current)
        found: set[str] = set()
        if current.endswith(".html"):
            text = (tree / current).read_text(encoding="utf-8", errors="replace")
            urls = [a or b for a, b in ATTRIBUTE.findall(text)]
            urls += [part.split()[0] for value in SRCSET.findall(text) for part in value.split(",") if part.strip()]
            for block in CONFIG_SCRIPT.findall(text):
                urls += [value for value in json.loads(block).values() if isinstance(value, str)]
            found = {t for t in (_target(files, folder, u) for u in urls) if t}
        elif current.endswith(TEXT):
            text = SOURCE_MAP.sub("", (tree / current).read_text(encoding="utf-8", errors="replace"))
            if current.endswith(".css"):
                found = {t for t in (_target(files, folder, u) for u in CSS_URL.findall(text)) if t}
            # A script, stylesheet or index names a file (a worker's importScripts, a search
            # index's language pack, a vendored script's licence): its name as a whole word.
            found |= {name for name in files - used
                      if re.search(r"(?<![\w.-])" + re.escape(posixpath.basename(name)) + r"(?![\w-])", text)}
        for name in sorted(found - used):
            used.add(name)
            todo.append(name)
    return sorted(files - used)


def test_every_file_of_the_site_is_used(built_site):
    assert unused(built_site) == []
    # What the build removes is gone; the offline shim is only in the zips.
    assert not [p for pattern in theme.SOURCE_MAPS for p in built_site.glob(pattern)]
    assert not (built_site / offline.SHIM).exists()
    assert all(not (built_site / folder).exists() for folder in theme.STOCK_SEARCH_FILES)
    bundle = theme.bundles(built_site)[0].read_bytes()
    assert b"sourceMappingURL" not in bundle


def test_every_file_of_an_offline_zip_is_used(offline_copy):
    tree = offline_copy(CONFIG.languages[-1].code)
    assert (tree / offline.SHIM).is_file()
    assert unused(tree) == []


def test_the_scan_finds_what_nothing_uses(tmp_path):
    files = {
        "index.html": '<link rel="icon" href="assets/icon.png"><script src="assets/app.js"></script>'
                      '<link rel="stylesheet" href="assets/site.css">'
                      '<script id="__config" type="application/json">{"search": "assets/w/worker.js"}</script>',
        "es/index.html": '<a href="../">home</a><img srcset="../assets/small.png 1x, ../assets/big.png 2x">',
        "assets/icon.png": "", "assets/small.png": "", "assets/big.png": "",
        "assets/app.js": "// app\n//# sourceMappingURL=app.js.map\n",
        "assets/app.js.map": "{}",
        "assets/site.css": "body{background:url(img/bg.png)}",
        "assets/img/bg.png": "",
        "assets/w/worker.js": 'importScripts(dir + "pack.min.js"); /* see shim.LICENSE */',
        "assets/w/pack.min.js": "", "assets/w/shim.LICENSE": "",
        "assets/w/unloaded.min.js": "",
        "assets/orphan.css": "body{background:url(img/orphan.png)}",
        "assets/img/orphan.png": "",
        "sitemap.xml": "", "es/sitemap.xml.gz": "",
        "es/search/search_index.json": '{"config": {"kb": {"terms": ["a", "m"], "docs": [0], "pages": [[0]]}}}',
        "es/search/terms/0.json": "", "es/search/terms/1.json": "", "es/search/docs/0.json": "",
        "es/search/text/0.json": "", "es/search/text/7.json": "",  # a shard no manifest names
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert unused(tmp_path) == ["assets/app.js.map", "assets/img/orphan.png", "assets/orphan.css",
                                "assets/w/unloaded.min.js", "es/search/text/7.json"]
