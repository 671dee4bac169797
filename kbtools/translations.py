"""Translation state of every page in every language: the one place that decides it.

A page is a path below guides/ without its language suffix (its *stem*, e.g.
`investigation/evidence`). For each language a page is

- `translated`: the translation's `source_hash` is the current hash of the
  reference (English) page,
- `outdated`: it records another hash (or none), so the English text changed
  since it was translated,
- `missing`: no file in that language; readers get the English page (fallback),
- `orphan`: a translation whose English page no longer exists.

The MkDocs plugin (banner and `translation-status` meta), `make check` and
`make status` all call `state()`, so they cannot disagree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kbtools.frontmatter import FrontMatterError, parse, source_hash

TRANSLATED, OUTDATED, MISSING, ORPHAN = "translated", "outdated", "missing", "orphan"
STATES = (TRANSLATED, OUTDATED, MISSING, ORPHAN)
PAGE_NAME = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)\.md$")
# The line `kb translate` writes under a new translation's front matter: the
# text below it is still the English it was copied from. The translator
# deletes it when done; until then `make check` reports it
# (translation-unfinished) and `kb translate --stamp` refuses to stamp.
UNTRANSLATED = "<!-- untranslated:"
UNTRANSLATED_LINE = re.compile(r"^<!-- untranslated:[^\n]*", re.M)


def untranslated_marker(language_name: str) -> str:
    """The marker line for a new translation into `language_name` (e.g. Español)."""
    return (f"{UNTRANSLATED} kb translate copied the English text below; translate it into {language_name} "
            "(title and description too), keep heading ids, links and boxes as they are, then delete "
            "this line -->")


def split_name(relpath: str, languages) -> tuple[str, str] | None:
    """(stem, language) for 'investigation/evidence.<lang>.md'; None if the suffix is not a known language."""
    match = PAGE_NAME.match(relpath)
    if match and match["lang"] in languages:
        return match["stem"], match["lang"]
    return None


def state(current_hash: str | None, recorded) -> str:
    """State of one translation, given the reference page's current hash (None: no reference)."""
    if current_hash is None:
        return ORPHAN
    recorded = "" if recorded is None else str(recorded).strip()
    return TRANSLATED if recorded == current_hash else OUTDATED


@dataclass
class Report:
    reference: str
    languages: list[str]
    # stem -> {language: state}; the reference language is always `translated`.
    pages: dict[str, dict[str, str]] = field(default_factory=dict)
    # stem -> title of the reference page (or of the translation, for orphans)
    titles: dict[str, dict[str, str]] = field(default_factory=dict)

    def section(self, stem: str) -> str:
        """The guide a page belongs to: its top folder, '' for pages at the top."""
        return stem.split("/", 1)[0] if "/" in stem else ""

    def counts(self, lang: str, stems=None) -> dict:
        stems = list(self.pages) if stems is None else stems
        counts = {s: 0 for s in STATES}
        total = 0
        for stem in stems:
            states = self.pages[stem]
            if self.reference not in states:  # an orphan counts only where it exists
                counts[ORPHAN] += lang in states
                continue
            total += 1
            counts[states.get(lang, MISSING)] += 1
        counts["total"] = total
        counts["percent"] = round(100 * counts[TRANSLATED] / total) if total else 100
        return counts

    def sections(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for stem in sorted(self.pages):
            out.setdefault(self.section(stem), []).append(stem)
        return out

    def to_json(self) -> dict:
        """Deterministic data for build/translation-status.json (no timestamps)."""
        return {
            "reference": self.reference,
            "languages": {lang: {
                **self.counts(lang),
                "sections": {name or ".": self.counts(lang, stems) for name, stems in self.sections().items()},
                "pages": {stem: states.get(lang, MISSING) for stem, states in sorted(self.pages.items())
                          if lang in states or self.reference in states},
            } for lang in self.languages},
        }


def _meta(path: Path) -> dict:
    try:
        return parse(path.read_text(encoding="utf-8")).meta
    except (FrontMatterError, UnicodeDecodeError, OSError, ValueError, TypeError, RecursionError):
        return {}  # make check reports the file; here it counts as outdated


def scan(docs_dir: Path, languages, reference: str) -> Report:
    """The state of every page of docs_dir in every language."""
    languages = list(languages)
    report = Report(reference, languages)
    files: dict[str, dict[str, Path]] = {}
    for path in sorted(Path(docs_dir).rglob("*.md")):
        key = split_name(path.relative_to(docs_dir).as_posix(), languages)
        if key:
            files.setdefault(key[0], {})[key[1]] = path
    for stem, by_lang in sorted(files.items()):
        ref = by_lang.get(reference)
        current = source_hash(ref.read_text(encoding="utf-8", errors="replace")) if ref else None
        states, titles = {}, {}
        for lang, path in by_lang.items():
            meta = _meta(path)
            titles[lang] = str(meta.get("title") or stem)
            states[lang] = TRANSLATED if lang == reference else state(current, meta.get("source_hash"))
        report.pages[stem], report.titles[stem] = states, titles
    return report
