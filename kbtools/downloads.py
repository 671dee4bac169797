"""The files readers can download, and the last pipeline step, which lists and places them.

    sources -> check -> site -> pdf, offline -> downloads

`kb pdf` and `kb offline` write their files to build/downloads/ and record each
one (size, SHA-256, pages, date) in build/downloads.json. The site build never
reads either: a downloads page's `<!-- kb:downloads -->` marker becomes an
empty slot (`slot()`), so site/ is a pure function of the sources. `kb
downloads` then fills the slot of each language's downloads page in a built
tree with that language's files and copies them beside the page (`place()`);
`kb offline` does the same in each zip's tree with the PDFs of its language.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import shutil
from pathlib import Path

from kbtools import data

MANIFEST = Path("build/downloads.json")
FILES = Path("build/downloads")
SLOT_OPEN = '<div class="kb-downloads" data-kb-downloads>'
SLOT = re.compile(re.escape(SLOT_OPEN) + r".*?</div>", re.S)


class DownloadsError(RuntimeError):
    pass


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


def load(manifest: Path) -> list[dict]:
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []


def save(entries: list[dict], manifest: Path) -> None:
    """Merge entries by file name into the manifest; drop files that no longer exist."""
    files = manifest.parent / FILES.name
    merged = {e["name"]: e for e in load(manifest)}
    merged.update({e["name"]: e for e in entries})
    kept = [e for name, e in sorted(merged.items()) if (files / name).is_file()]
    manifest.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"files": kept}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if not manifest.exists() or manifest.read_text(encoding="utf-8") != text:
        manifest.write_text(text, encoding="utf-8")


def files_of(lang: str, manifest: Path) -> list[dict]:
    """This language's files that exist, PDFs first, in a stable order."""
    files = manifest.parent / FILES.name
    return sorted((e for e in load(manifest) if e["lang"] == lang and (files / e["name"]).is_file()),
                  key=lambda e: (e["kind"] != "pdf", e["name"]))


# --- the slot the site build writes ------------------------------------------

def slot(lang: str, data_dir: Path | None = None) -> str:
    """What `<!-- kb:downloads -->` becomes at build time: "nothing yet", in a slot `place` fills."""
    return f"{SLOT_OPEN}<p>{html.escape(data.ui('downloads_none', lang, data_dir))}</p></div>\n"


# --- the list `place` puts in the slot ---------------------------------------

def _size(n: int, lang: str) -> str:
    from babel.numbers import format_decimal

    if n >= 1_000_000:
        return f"{format_decimal(round(n / 1_000_000, 1), locale=lang)} MB"
    return f"{format_decimal(max(1, round(n / 1000)), locale=lang)} kB"


def _date(iso: str, lang: str) -> str:
    from babel.dates import format_date

    return format_date(dt.date.fromisoformat(iso), "medium", locale=lang)


def _table(entries: list[dict], lang: str, href, t) -> str:
    head = "".join(f'<th scope="col">{html.escape(t(key))}</th>'
                   for key in ("downloads_file", "downloads_pages", "downloads_size", "downloads_date")) + \
        '<th scope="col">SHA-256</th>'
    rows = []
    for e in entries:
        name = html.escape(e["name"])
        rows.append(
            f'<tr><td><a href="{html.escape(href(e["name"]))}" download>{html.escape(e["title"])}</a> ({name})</td>'
            f'<td>{e["pages"] or ""}</td><td>{_size(e["bytes"], lang)}</td><td>{_date(e["date"], lang)}</td>'
            f'<td><code class="kb-sha256">{e["sha256"]}</code></td></tr>')
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def listing(entries: list[dict], lang: str, *, directory_urls: bool, offline: bool = False,
            data_dir: Path | None = None) -> str:
    """The HTML that fills the slot: PDFs, then offline copies, each with size, pages, date, SHA-256."""
    t = lambda key, **fields: data.ui(key, lang, data_dir, **fields)  # noqa: E731
    if not entries:
        return f"<p>{html.escape(t('downloads_none'))}</p>"
    # From downloads/index.html the files are beside the page; from downloads.html (file://) below it.
    href = (lambda name: name) if directory_urls else (lambda name: f"downloads/{name}")
    out = []
    # A tool's PDF names the tool's page ("tools/x.md") where a guide's names its folder.
    pdfs = [e for e in entries if e["kind"] == "pdf" and "/" not in (e.get("guide") or "")]
    tool_pdfs = [e for e in entries if e["kind"] == "pdf" and "/" in (e.get("guide") or "")]
    zips = [e for e in entries if e["kind"] == "zip"]
    if pdfs:
        out.append(f'<h2 id="pdf">{html.escape(t("downloads_guides_pdf"))}</h2>')
        if offline:
            out.append(f"<p>{html.escape(t('downloads_offline_included'))}</p>")
        out.append(_table(pdfs, lang, href, t))
    if tool_pdfs:
        out.append(f'<h2 id="tools">{html.escape(t("downloads_tools_pdf"))}</h2>')
        out.append(_table(tool_pdfs, lang, href, t))
    if zips:
        out.append(f'<h2 id="offline">{html.escape(t("downloads_offline_zip"))}</h2>')
        for e in zips:
            if e.get("start"):
                how = html.escape(t("downloads_offline_how", start="\0"))
                out.append("<p>" + how.replace("\0", f"<code>{html.escape(e['start'])}</code>") + "</p>")
        out.append(_table(zips, lang, href, t))
    out.append(f"<p>{html.escape(t('downloads_checksum'))}</p>")
    return "\n".join(out)


# --- placing the files in a built tree ---------------------------------------

def downloads_page(tree: Path, prefix: str, directory_urls: bool) -> Path:
    return tree / prefix / ("downloads/index.html" if directory_urls else "downloads.html")


def place(tree: Path, prefix: str, lang: str, entries: list[dict], files: Path, *,
          directory_urls: bool, offline: bool = False, data_dir: Path | None = None) -> Path:
    """Fill the slot of the downloads page of `lang` (folder `prefix` of `tree`) with
    `entries` and copy their files from `files` to <prefix>downloads/ beside it."""
    page = downloads_page(tree, prefix, directory_urls)
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        raise DownloadsError(f"{page} is missing: build the site first (kb site)") from None
    filled, count = SLOT.subn(lambda _: SLOT_OPEN + listing(entries, lang, directory_urls=directory_urls,
                                                            offline=offline, data_dir=data_dir) + "</div>", text)
    if count != 1:
        raise DownloadsError(f"{page}: expected one downloads slot (<!-- kb:downloads --> in its source), "
                             f"found {count}")
    page.write_text(filled, encoding="utf-8")
    for e in entries:
        target = tree / prefix / "downloads" / e["name"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(files / e["name"], target)
    return page


def place_all(site: Path, manifest: Path, languages, *, directory_urls: bool,
              data_dir: Path | None = None) -> list[Path]:
    """`kb downloads`: every language's files listed on and placed beside its downloads page."""
    files = manifest.parent / FILES.name
    return [place(site, lang.prefix, lang.code, files_of(lang.code, manifest), files,
                  directory_urls=directory_urls, data_dir=data_dir)
            for lang in languages]
