"""`python -m kbtools.offline`: the site as a zip per language that opens from file://.

For each language: a second `mkdocs build` with Material's offline plugin
(KB_OFFLINE=true), no directory URLs (KB_DIRECTORY_URLS=false, file:// has no
index.html lookup), extra.polyfills set to the vendored iframe-worker shim
(overrides/assets/javascripts/iframe-worker.js; without it the plugin links a
CDN) and KB_OFFLINE_LANG so that the downloads pages say which PDFs the copy
holds (the build's hook, kbtools/downloads.py, copies them into
<lang>/downloads/). Then every search index gets the `search_index.js` that file:// pages load, and the tree is
zipped deterministically (sorted entries, fixed timestamps and modes) to
build/downloads/kb-offline-<lang>.zip, recorded in build/downloads.json.

Needs the PDFs (`make pdf`). A zip whose inputs did not change is kept.
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


# --- one language's offline build (in its own process: env and config per build) ---

def build_site(root: str, lang: str, out: str, manifest: str) -> str:
    """Run MkDocs for the file:// copy of `lang` into `out`."""
    os.environ.update(KB_OFFLINE="true", KB_DIRECTORY_URLS="false", KB_OFFLINE_LANG=lang,
                      KB_DOWNLOADS_MANIFEST=manifest, NO_MKDOCS_2_WARNING="1")
    os.chdir(root)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(Path(root) / "mkdocs.yml"), site_dir=out, strict=True)
    # A local shim: the offline plugin adds its CDN copy unless one is listed.
    config.extra["polyfills"] = [SHIM]
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return out


# --- after the build ----------------------------------------------------------

def search_scripts(site: Path, config: site_config.SiteConfig, lang: site_config.Language) -> None:
    """Under file:// Material loads search/search_index.js (not .json) from its base.

    Per-language indexes (<lang>/search/search_index.json, the search issue's
    layout) each get their script. With static-i18n's single index the offline
    plugin's script holds the last language built; it is rewritten with the
    zip's language only.
    """
    per_language = [site / other.prefix / "search" / "search_index.json"
                    for other in config.languages if other.prefix]
    if any(p.is_file() for p in per_language):
        for index in site.glob("**/search/search_index.json"):
            _write_script(index, index.read_text(encoding="utf-8"))
        return
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    others = tuple(other.prefix for other in config.languages if other.prefix and other.code != lang.code)
    data["docs"] = [doc for doc in data.get("docs", [])
                    if doc["location"].startswith(lang.prefix) and not doc["location"].startswith(others)]
    data.setdefault("config", {})["lang"] = [lang.code]
    data["config"].pop("index", None)  # a prebuilt index would still hold every language
    _write_script(index, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _write_script(index: Path, text: str) -> None:
    index.with_suffix(".js").write_text(f"var __index = {text}", encoding="utf-8")


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


def build(root: Path, jobs: int = 1, langs: list[str] | None = None, force: bool = False) -> int:
    """Build and zip the offline copy of each language (or of `langs`); exit status."""
    config = site_config.load(root)
    manifest = downloads.manifest_path(root)
    files = manifest.parent / downloads.FILES.name
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
            print(f"kb offline: no PDFs for {lang.code} in {manifest}; run `make pdf` first", file=sys.stderr)
            return 1
        key = inputs_key(root, lang.code, pdfs)
        if not force and keys.get(lang.code) == key and (files / zip_name(lang.code)).is_file():
            print(f"up to date: {zip_name(lang.code)}", file=sys.stderr)
            continue
        todo.append((lang, key))
    work = root / "build" / "offline"
    for lang, _ in todo:
        shutil.rmtree(work / lang.code, ignore_errors=True)
    context = get_context("spawn")  # MkDocs and its plugins keep state per process
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo) or 1)), mp_context=context) as pool:
        futures = {lang.code: pool.submit(build_site, str(root), lang.code, str(work / lang.code / "site"),
                                          str(manifest)) for lang, _ in todo}
        built = {code: future.result() for code, future in futures.items()}
    entries = []
    for lang, key in todo:
        site = Path(built[lang.code])
        search_scripts(site, config, lang)
        folder = zip_name(lang.code)[: -len(".zip")]
        out = files / zip_name(lang.code)
        write_zip(site, out, folder)
        date = dt.datetime.fromtimestamp(_epoch(), dt.timezone.utc).date().isoformat()
        entries.append(downloads.entry(out, lang=lang.code, kind="zip", title=label("offline_zip", lang.code),
                                       date=date, start=f"{folder}/{lang.prefix}index.html"))
        keys[lang.code] = key
        print(f"wrote {out.relative_to(root)} ({out.stat().st_size // 1000} kB)", file=sys.stderr)
    if entries:
        downloads.save(entries, manifest)
        keys_path.write_text(json.dumps(keys, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"offline: {len(todo)} zip(s) built, {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    from kbtools.cli import main

    sys.exit(main(["offline", *sys.argv[1:]]))
