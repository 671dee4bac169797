"""`kb offline`: the site as a zip per language that opens from file://.

No build: the file:// tree is derived from the built site/ (`derive_tree`
below: links to the site's folders pointed at their index.html, the vendored
iframe-worker shim loaded before Material's bundle so that nothing comes from
a CDN; kbtools/vendor/, only the copy has it), each search index file also as
the script a file:// page loads).
Then, per language: a copy of that tree, with the language's PDFs listed on
and placed beside its downloads page (kbtools/downloads.py `place`, as
`kb downloads` does for the site), zipped deterministically (sorted entries,
fixed timestamps and modes) to build/downloads/kb-offline-<lang>.zip,
recorded in build/downloads.json.

Needs the site (`kb site`) and the PDFs (`kb pdf`). A zip whose inputs did
not change is kept.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import posixpath
import re
import shutil
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

from kbtools import downloads, search, site_config
from kbtools.pdf.labels import label

SHIM = "assets/javascripts/iframe-worker.js"
# The shim and its licence, vendored: only the file:// copy needs them, so site/ does not ship them.
SHIM_FILES = (Path(__file__).resolve().parent / "vendor" / "iframe-worker.js",
              Path(__file__).resolve().parent / "vendor" / "iframe-worker.LICENSE")
# Not useful without a server or a debugger: left out of the zips.
SKIP_SUFFIXES = (".map", ".gz")
SKIP_NAMES = ("sitemap.xml",)
# Everything a zip depends on besides the PDFs (hashed for the incremental check).
INPUTS = ("guides", "overrides", "data", "mkdocs.yml", "requirements.txt", "kbtools")


def zip_name(lang: str) -> str:
    return f"kb-offline-{lang}.zip"


def _epoch() -> int:
    return int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))


# --- the file:// tree, derived from the built site ----------------------------------
# site/ is built for a server: a page is a folder's index.html and links end in
# the folder ("guides/x/"), which file:// shows as a folder listing. The copy for
# file:// is the same tree with every link to a folder of the site that has an
# index.html pointing at that file, root-relative links ("/es/", the language
# switcher) made relative, the iframe-worker shim loaded before Material's bundle
# (a file:// page cannot start a Worker), and each search index file (manifest
# and shards) also as the script a file:// page or the worker's iframe loads
# with a <script> tag, the documents' locations rewritten the same way.
# Nothing is built again.

# A start tag of an element with a URL attribute, attributes quoted or not (a `>`
# inside quotes does not end it).
_TAG = re.compile(r"""<(?:a|area|link|script|img|iframe|embed|source|track|input|video|audio)(?=[\s/>])"""
                  r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""", re.I)
_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_BUNDLE = re.compile(r'<script src="([^"]*)assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>')
# The shim goes before the first script that makes a Worker: lazy-worker.js (which wraps the
# Worker it finds) where the page has it, else Material's bundle.
_SHIM_BEFORE = re.compile(r'<script src="([^"]*)assets/javascripts/(?:lazy-worker\.js|bundle\.[0-9a-f]+\.min\.js)"></script>')


class _Links:
    """Rewrites the links of the pages of one tree for file://."""

    def __init__(self, tree: Path, base_path: str):
        self.tree = tree
        self.base_path = base_path  # the site's path on its server ("/" or "/kb/")
        self.folders = {p.parent.relative_to(tree).as_posix() for p in tree.rglob("index.html")}

    def url(self, value: str, page_dir: str) -> str:
        """`value` (an href or src of a page in folder `page_dir` of the tree) for file://."""
        if not value or value.startswith(("#", "//")) or _SCHEME.match(value):
            return value
        path, rest = value, ""
        for mark in ("#", "?"):
            if mark in path:
                cut = path.index(mark)
                path, rest = path[:cut], path[cut:] + rest
        depth = 0 if page_dir == "." else len(page_dir.split("/"))
        if path.startswith("/"):
            if not path.startswith(self.base_path):
                return value
            path = "../" * depth + path[len(self.base_path):] or "./"
        if not path:
            return value  # a fragment or query of this page
        target = posixpath.normpath(posixpath.join(page_dir, path))
        if target.startswith("../") or target == "..":
            return value
        if target not in self.folders:
            return path + rest if value.startswith("/") else value
        return (path if path.endswith("/") else path + "/") + "index.html" + rest

    def page(self, html: str, page_dir: str) -> str:
        def tag(match: re.Match) -> str:
            return _URL_ATTRIBUTE.sub(attribute, match.group())

        def attribute(match: re.Match) -> str:
            quote = '"' if match.group(2) is not None else "'"
            value = match.group(2) if match.group(2) is not None else match.group(3)
            return f"{match.group(1)}{quote}{self.url(value, page_dir)}{quote}"
        return _TAG.sub(tag, html)


def derive_tree(site: Path, out: Path, site_url: str, languages, skip: set[str] = frozenset()) -> Path:
    """The file:// copy of the built `site` in `out` (see above); `skip`: site paths left out."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(site, out, ignore=lambda folder, names: [
        n for n in names if (Path(folder) / n).relative_to(site).as_posix() in skip])
    for source in SHIM_FILES:
        shutil.copyfile(source, out / posixpath.dirname(SHIM) / source.name)
    links = _Links(out, urlsplit(site_url).path.rstrip("/") + "/" if site_url else "/")
    for page in sorted(out.rglob("*.html")):
        page_dir = page.parent.relative_to(out).as_posix()
        text = page.read_text(encoding="utf-8")
        rewritten = links.page(text, page_dir)
        count = len(_BUNDLE.findall(rewritten))
        if count > 1:
            raise OfflineError(f"{page}: {count} Material bundles")
        if count:
            rewritten = _SHIM_BEFORE.sub(lambda m: f'<script src="{m.group(1)}{SHIM}"></script>\n      '
                                         + m.group(), rewritten, count=1)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")
    for lang in languages:
        search_dir = out / lang.prefix / "search"
        if not (search_dir / "search_index.json").is_file():
            continue
        page_dir = (lang.prefix.rstrip("/") or ".")

        def rewrite(location: str, page_dir: str = page_dir) -> str:
            location = links.url(location or "./", page_dir)
            return location[2:] if location.startswith("./") else location
        search.rewrite_locations(search_dir, rewrite)
        search.write_scripts(search_dir)
    return out


class OfflineError(RuntimeError):
    pass


# --- after the build ----------------------------------------------------------

def _shipped(path: Path) -> bool:
    """Files a reader's browser can use from file://: no source maps or sitemaps, and no
    search index file (manifest or shard) beside its .js twin (file:// pages cannot fetch JSON)."""
    if path.name.endswith(SKIP_SUFFIXES) or path.name in SKIP_NAMES:
        return False
    return not (path.suffix == ".json" and "search" in path.parts and path.with_suffix(".js").is_file())


def write_zip(tree: Path, out: Path, folder: str, epoch: int | None = None) -> None:
    """Zip `tree` under `folder/`: same files, same bytes (sorted, fixed time and mode)."""
    stamp = dt.datetime.fromtimestamp(max(epoch if epoch is not None else _epoch(), 315532800),
                                      dt.timezone.utc).timetuple()[:6]
    files = sorted((p for p in tree.rglob("*") if p.is_file() and _shipped(p)),
                   key=lambda p: p.relative_to(tree).as_posix())  # by entry name, as unzip lists them
    tmp = out.with_suffix(".tmp")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(tree).as_posix()}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so that the mode below is read
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    tmp.replace(out)


def inputs_key(root: Path, lang: str, pdfs: list[dict]) -> str:
    """Hash of what the zip is made from: sources, theme, tools, the PDFs, the date."""
    digest = hashlib.sha256(f"{lang}\0{_epoch()}\0".encode())
    for name in INPUTS:
        base = root / name
        paths = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()
                                                     and "__pycache__" not in p.parts)
        for path in paths:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    for e in pdfs:
        digest.update(f"{e['name']}:{e['sha256']}\n".encode())
    return digest.hexdigest()


def _zip_language(tree: Path, work: Path, code: str, prefix: str, pdfs: list[dict], files: Path) -> tuple[str, Path]:
    """A copy of `tree` with the language's PDFs placed beside its downloads page, zipped."""
    copy = work / code
    shutil.copytree(tree, copy)
    downloads.place(copy, prefix, code, pdfs, files, directory_urls=True, offline=True)
    folder = zip_name(code)[: -len(".zip")]
    out = files / zip_name(code)
    write_zip(copy, out, folder)
    shutil.rmtree(copy)
    return folder, out


def build(root: Path, langs: list[str] | None = None, force: bool = False, jobs: int = 1) -> int:
    """Build and zip the offline copy of each language (or of `langs`), `jobs` at once; exit status."""
    config = site_config.load(root)
    manifest = root / downloads.MANIFEST
    files = root / downloads.FILES
    keys_path = root / "build" / "offline-cache.json"
    try:
        keys = json.loads(keys_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        keys = {}
    started = time.perf_counter()
    todo = []
    for lang in config.languages:
        if langs and lang.code not in langs:
            continue
        pdfs = [e for e in downloads.files_of(lang.code, manifest) if e["kind"] == "pdf"]
        if not pdfs:
            print(f"kb offline: no PDFs for {lang.code} in {manifest}; run `kb pdf` first", file=sys.stderr)
            return 1
        key = inputs_key(root, lang.code, pdfs)
        if not force and keys.get(lang.code) == key and (files / zip_name(lang.code)).is_file():
            print(f"up to date: {zip_name(lang.code)}", file=sys.stderr)
            continue
        todo.append((lang, key, pdfs))
    work = root / "build" / "offline"
    entries, zipped = [], []
    if todo:
        if not (config.site_dir / "index.html").is_file():
            print(f"kb offline: {config.site_dir} is not built; run `kb site` first", file=sys.stderr)
            return 1
        shutil.rmtree(work, ignore_errors=True)
        # What `kb downloads` placed in site/ is not part of the copy: each zip gets its own.
        placed = {f"{lang.prefix}downloads/{e['name']}" for lang in config.languages
                  for e in downloads.files_of(lang.code, manifest)}
        tree = derive_tree(config.site_dir, work / "site", config.site_url, config.languages, skip=placed)
        # One language per process, `jobs` at once: compressing the copies is most of the time.
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo))), mp_context=get_context("spawn")) as pool:
            running = [pool.submit(_zip_language, tree, work, lang.code, lang.prefix, pdfs, files)
                       for lang, _, pdfs in todo]
            zipped = [future.result() for future in running]
    for (lang, key, pdfs), (folder, out) in zip(todo, zipped):
        date = dt.datetime.fromtimestamp(_epoch(), dt.timezone.utc).date().isoformat()
        entries.append(downloads.entry(out, lang=lang.code, kind="zip", title=label("offline_zip", lang.code),
                                       date=date, start=f"{folder}/{lang.prefix}index.html"))
        keys[lang.code] = key
        print(f"wrote {out.relative_to(root)} ({out.stat().st_size // 1000} kB)", file=sys.stderr)
    if entries:
        downloads.save(entries, manifest)
        keys_path.parent.mkdir(parents=True, exist_ok=True)
        keys_path.write_text(json.dumps(keys, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"offline: {len(todo)} zip(s) built, {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
