"""PO files for CAT tools (translate-toolkit's PO storage), pages and interface strings.

A page export has one entry per segment (kbtools/exchange/pages.py):

    #. page migration/referral, section #referral-steps
    #. {1} = link target ../glossary.md#referral
    #: guides/migration/referral.en.md:42
    msgctxt "migration/referral#referral-steps"
    msgid "[Referral]({1}) is the process of ..."
    msgstr "La [derivación]({1}) es el proceso de ..."

msgctxt is the page and the heading id of the section (a number is added
when the same English sentence comes twice in a section); the translation of
an outdated page is marked fuzzy. The header says what the file is
(X-KB-Kind), its language (Language) and the hash of each English page at
export (X-KB-Sources), so `kb import` can refuse a file whose English changed.
"""
from __future__ import annotations

import datetime
import os
import re

from translate.storage import pypo

from kbtools import translations
from kbtools.exchange import pages

KIND = "X-KB-Kind"
SOURCES = "X-KB-Sources"
FORMAT = "X-KB-Format"
FORMAT_VERSION = "1"


class ExchangeError(ValueError):
    """A file or request the exchange refuses: one line saying what to do (exit status 2)."""


def _now() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch and epoch.isdigit()
              else datetime.datetime.now(datetime.timezone.utc))
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def new_store(lang: str, kind: str, project_name: str, sources: str) -> pypo.pofile:
    store = pypo.pofile()
    store.updateheader(add=True, **{
        "Project-Id-Version": project_name,
        "POT-Creation-Date": _now(),
        "PO-Revision-Date": _now(),
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        KIND: kind,
        FORMAT: FORMAT_VERSION,
        SOURCES: sources,
    })
    for field in ("Report-Msgid-Bugs-To", "Last-Translator", "Language-Team"):
        store.updateheader(**{field: ""})
    store.settargetlanguage(lang)
    return store


def add_entry(store, context: str, source: str, target: str, *, notes=(), location: str | None = None,
              fuzzy: bool = False, flags=()) -> None:
    unit = store.addsourceunit(source)
    unit.setcontext(context)
    for note in notes:
        unit.addnote(note, origin="developer")
    if location:
        unit.addlocation(location)
    if target:
        unit.target = target
        if fuzzy:
            unit.markfuzzy(True)
    for flag in flags:
        unit.settypecomment(flag)


def export_pages(items: list[pages.Page], lang: str, project_name: str) -> tuple[pypo.pofile, list[str]]:
    """The PO store of these pages, and a line per page that did not line up."""
    sources = " ".join(f"{p.stem}={p.english_hash}" for p in items)
    store = new_store(lang, "pages", project_name, sources)
    remarks = []
    for item in items:
        for n, (context, seg) in enumerate(pages.numbered(item.segments)):
            notes = []
            if n == 0:
                notes.append(f"page {item.stem} ({translations_state_name(item.state)})")
                if not item.aligned:
                    notes.append(f"not lined up with the current translation: {item.reason}; "
                                 "its segments are exported without translation")
            notes += seg.notes
            if seg.locked.codes:
                notes.append("keep: " + seg.locked.note())
            add_entry(store, context, seg.source, seg.target, notes=notes,
                      location=f"{item.english_path}:{seg.line}",
                      fuzzy=item.state == translations.OUTDATED)
        if not item.aligned:
            remarks.append(f"{item.stem}: exported without translation: {item.reason}")
    return store, remarks


def translations_state_name(state: str) -> str:
    return {translations.TRANSLATED: "translation up to date", translations.OUTDATED:
            "translation outdated: the English changed since; its segments are fuzzy",
            translations.MISSING: "not translated yet"}.get(state, state)


HEADER_LINE = re.compile(r"^([\w-]+):[ \t]*(.*)$")


def read(raw: bytes, name: str) -> tuple[dict, list]:
    """(header fields, units) of a PO file; ExchangeError when it is not one."""
    if not raw.strip():
        raise ExchangeError(f"{name} is empty; give the PO file `kb export` wrote and the CAT tool filled in")
    if b"\x00" in raw:
        raise ExchangeError(f"{name} is a binary file, not a PO file")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    try:
        store = pypo.pofile.parsestring(raw)
    except Exception as exc:  # translate-toolkit's parser: PoParseError, ValueError...
        raise ExchangeError(f"{name} is not a valid PO file ({' '.join(str(exc).split())[:160]})") from None
    header = store.parseheader() if store.units and store.units[0].isheader() else {}
    if header.get(FORMAT) != FORMAT_VERSION or header.get(KIND) not in ("pages", "ui"):
        raise ExchangeError(f"{name} has no {KIND}/{FORMAT} header of `kb export`; import only files made by "
                            "`kb export` (the CAT tool must keep the PO header)")
    units = [u for u in store.units if not u.isheader() and not u.isobsolete()]
    seen = set()
    for unit in units:
        key = (unit.getcontext(), unit.source)
        if key in seen:
            raise ExchangeError(f"{name} holds the segment {unit.getcontext()!r} twice; it is not a file "
                                "`kb export` wrote")
        seen.add(key)
    return header, units
