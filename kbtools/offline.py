"""`kb offline`: the site as a zip per language that opens from file://.

One MkDocs build of every language for file:// (directory URLs off, the
vendored iframe-worker shim as the only polyfill so that nothing comes from a
CDN, each search index also as the search_index.js a file:// page loads),
set as arguments of the build, not through mkdocs.yml or the environment.
Then, per language: a copy of that tree, with the language's PDFs listed on
and placed beside its downloads page (kbtools/downloads.py `place`, as
`kb downloads` does for the site), zipped deterministically (sorted entries,
fixed timestamps and modes) to build/downloads/kb-offline-<lang>.zip,
recorded in build/downloads.json.

Needs the PDFs (`kb pdf`). A zip whose inputs did not change is kept.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from kbtools import downloads
from kbtools import site_config
from kbtools.pdf.labels import label

SHIM = "assets/javascripts/iframe-worker.js"
# Not useful without a server or a debugger: left out of the zips.
SKIP_SUFFIXES = (".map", ".gz")
SKIP_NAMES = ("sitemap.xml",)
# Everything a zip depends on besides the PDFs (hashed for the incremental check).
INPUTS = ("guides", "overrides", "data", "mkdocs.yml", "requirements.txt", "kbtools")


def zip_name(lang: str) -> str:
    return f"kb-offline-{lang}.zip"


def _epoch() -> int:
    return int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))


# --- the file:// build (in its own process: MkDocs and its plugins keep state) ---

def build_site(root: str, out: str) -> str:
    """Run MkDocs for the file:// copy of every language into `out`."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(Path(root) / "mkdocs.yml"), site_dir=out, strict=True, use_directory_urls=False)
    config.extra["polyfills"] = [SHIM]  # Material's template loads these before its bundle
    config.plugins["kb"].config.offline = True
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return out


# --- after the build ----------------------------------------------------------

def _shipped(path: Path) -> bool:
    """Files a reader's browser can use from file://: no source maps or sitemaps, and
    no search_index.json beside its .js twin (file:// pages cannot fetch JSON)."""
    if path.name.endswith(SKIP_SUFFIXES) or path.name in SKIP_NAMES:
        return False
    return not (path.name == "search_index.json" and path.with_suffix(".js").is_file())


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


def build(root: Path, langs: list[str] | None = None, force: bool = False) -> int:
    """Build and zip the offline copy of each language (or of `langs`); exit status."""
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
    entries = []
    if todo:
        shutil.rmtree(work, ignore_errors=True)
        # One build for every zip, in a fresh process: MkDocs and its plugins keep state.
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            tree = Path(pool.submit(build_site, str(root), str(work / "site")).result())
    for lang, key, pdfs in todo:
        copy = work / lang.code
        shutil.copytree(tree, copy)
        downloads.place(copy, lang.prefix, lang.code, pdfs, files, directory_urls=False, offline=True)
        folder = zip_name(lang.code)[: -len(".zip")]
        out = files / zip_name(lang.code)
        write_zip(copy, out, folder)
        shutil.rmtree(copy)
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
