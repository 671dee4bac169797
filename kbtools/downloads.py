"""The files readers can download: PDFs and offline zips, listed in build/downloads.json.

`make pdf` and `make offline` write the files to build/downloads/ and record
each one here (size, SHA-256, pages, date). The downloads page of each
language (<!-- kb:downloads -->, kbtools/render.py) lists that language's
files from this manifest, and the build copies them next to that page
(`on_post_build`, a MkDocs hook): site/<lang>/downloads/<file>.

Order (Makefile `downloads`): site -> pdf -> offline -> site. The second site
build lists what the first two steps made; it changes no guide page, so a
following `make pdf` finds every PDF up to date.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

MANIFEST = Path("build/downloads.json")
FILES = Path("build/downloads")


def manifest_path(root: Path | None = None) -> Path:
    """build/downloads.json below the project (or KB_DOWNLOADS_MANIFEST)."""
    if os.environ.get("KB_DOWNLOADS_MANIFEST"):
        return Path(os.environ["KB_DOWNLOADS_MANIFEST"])
    return (root or Path.cwd()) / MANIFEST


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def entry(path: Path, *, lang: str, kind: str, title: str, date: str, guide: str | None = None,
          pages: int | None = None, start: str | None = None) -> dict:
    """One file of the manifest; `start` is the page to open first inside a zip."""
    return {"name": path.name, "lang": lang, "kind": kind, "title": title, "guide": guide,
            "pages": pages, "date": date, "bytes": path.stat().st_size, "sha256": sha256(path),
            "start": start}


def load(path: Path | None = None) -> list[dict]:
    path = path or manifest_path()
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError):
        return []


def save(entries: list[dict], path: Path | None = None) -> None:
    """Merge entries by file name into the manifest; drop files that no longer exist."""
    path = path or manifest_path()
    files = path.parent / FILES.name
    merged = {e["name"]: e for e in load(path)}
    merged.update({e["name"]: e for e in entries})
    kept = [e for name, e in sorted(merged.items()) if (files / name).is_file()]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"files": kept}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def files_of(lang: str, path: Path | None = None) -> list[dict]:
    """This language's files that exist, PDFs first, in a stable order."""
    path = path or manifest_path()
    files = path.parent / FILES.name
    return sorted((e for e in load(path) if e["lang"] == lang and (files / e["name"]).is_file()),
                  key=lambda e: (e["kind"] != "pdf", e["name"]))


# --- the list on the downloads page -----------------------------------------

def _size(n: int, lang: str) -> str:
    from babel.numbers import format_decimal

    if n >= 1_000_000:
        return f"{format_decimal(round(n / 1_000_000, 1), locale=lang)} MB"
    return f"{format_decimal(max(1, round(n / 1000)), locale=lang)} kB"


def _date(iso: str, lang: str) -> str:
    import datetime as dt

    from babel.dates import format_date

    return format_date(dt.date.fromisoformat(iso), "medium", locale=lang)


def _href(name: str) -> str:
    """From the downloads page to its files in <lang>/downloads/: the page is
    downloads/index.html with directory URLs, downloads.html without (file://)."""
    directory_urls = os.environ.get("KB_DIRECTORY_URLS", "true").lower() not in ("false", "0", "no")
    return name if directory_urls else f"downloads/{name}"


def _rows(entries: list[dict], lang: str, label) -> list[str]:
    out = [f"| {label('file', lang)} | {label('pages', lang)} | {label('size', lang)} "
           f"| {label('date', lang)} | SHA-256 |", "|---|---:|---:|---|---|"]
    for e in entries:
        title = e["title"].replace("|", "\\|")
        link = f'<a href="{_href(e["name"])}" download>{title}</a> ({e["name"]})'
        out.append(f"| {link} | {e['pages'] or ''} | {_size(e['bytes'], lang)} | {_date(e['date'], lang)} "
                   f"| <code class=\"kb-sha256\">{e['sha256']}</code> |")
    return out


def listed(lang: str) -> list[dict]:
    """The files of `lang` that its downloads page lists and that the build puts beside it.

    In an offline copy (KB_OFFLINE_LANG set by kbtools/offline.py) only the
    PDFs of the copy's language are inside it; the other languages' pages of
    the copy say there is nothing to download in it.
    """
    offline = os.environ.get("KB_OFFLINE_LANG")
    if offline and offline != lang:
        return []
    return [e for e in files_of(lang) if not offline or e["kind"] == "pdf"]


def markdown(lang: str, none_text: str) -> str:
    """The downloads list in `lang`, or `none_text` when there is nothing to list."""
    from kbtools.pdf.labels import label

    offline = os.environ.get("KB_OFFLINE_LANG")
    entries = listed(lang)
    if not entries:
        return none_text + "\n"
    pdfs = [e for e in entries if e["kind"] == "pdf"]
    zips = [e for e in entries if e["kind"] == "zip"]
    out = []
    if pdfs:
        out += [f"## {label('guides_pdf', lang)} {{ #pdf }}", ""]
        if offline:
            out += [label("offline_included", lang), ""]
        out += _rows(pdfs, lang, label) + [""]
    if zips:
        out += [f"## {label('offline_zip', lang)} {{ #offline }}", ""]
        out += [label("offline_how", lang, start=f"`{e['start']}`") for e in zips if e.get("start")] + [""]
        out += _rows(zips, lang, label) + [""]
    out += [label("checksum", lang), ""]
    return "\n".join(out)


# --- the files beside the built pages -------------------------------------

def on_post_build(config, **kwargs) -> None:
    """MkDocs hook (mkdocs.yml `hooks:`), run after each language's build: copy
    the files its downloads page lists to <its site dir>/downloads/, so that a
    build writes the list and the files together."""
    i18n = config.plugins.get("i18n")
    lang = getattr(i18n, "current_language", None) or config.theme.get("language") or "en"
    # static-i18n writes every language into one site_dir, the others in <lang>/.
    folder = "" if lang == getattr(i18n, "default_language", lang) else f"{lang}/"
    files = manifest_path().parent / FILES.name
    for e in listed(lang):
        target = Path(config.site_dir) / folder / "downloads" / e["name"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(files / e["name"], target)
