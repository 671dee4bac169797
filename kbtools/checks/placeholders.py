"""Placeholders left in a published page."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from kbtools import data
from kbtools.checks.registry import check

# Upper case only: Spanish and Portuguese "todo" is a word.
MARKERS = ("TODO", "TBD", "FIXME")
MARKER = re.compile(r"TODO|TBD|FIXME")
# Phrases per language (any case) live in data/placeholders.yml, beside the other per-language data.


def _word_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands alone: no letter, digit, _ or - right before or after it."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "_-" or after.isalnum() or after in "_-")


@lru_cache(maxsize=None)
def _patterns(data_dir: str | None, lang) -> list:
    """(first word, pattern) of each phrase for `lang`, searched in lower-cased text (each starts with a literal)."""
    try:
        phrases = data.load("placeholders", Path(data_dir) if data_dir else None)
    except data.DataError:
        phrases = data.load("placeholders")  # a checked folder without its own data: the project's
    wanted = [str(p) for p in (phrases.get("any") or []) + (phrases.get(lang) or [])]
    return [(phrase.split()[0], re.compile(r"\s+".join(map(re.escape, phrase.split())))) for phrase in wanted]


def find(text: str, lang, data_dir: Path | None = None) -> list[tuple[int, str]]:
    """[(offset, placeholder)] in text."""
    found = []
    if any(marker in text for marker in MARKERS):
        found += [(m.start(), m.group(0)) for m in MARKER.finditer(text) if _word_at(text, m.start(), m.end())]
    lower = text.lower()
    if len(lower) != len(text):  # a few characters change length when lower-cased: keep offsets exact
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for first, pattern in _patterns(str(data_dir) if data_dir else None, lang):
        if first in lower:
            found += [(m.start(), " ".join(text[m.start():m.end()].split())) for m in pattern.finditer(lower)
                      if _word_at(lower, m.start(), m.end())]
    return sorted(found)


@check("placeholder")
def placeholder(doc, config):
    """A placeholder: TODO, TBD, FIXME (upper case), lorem ipsum, "coming soon" and its translations.

    Bad:  ## Sentencing { #sentencing }
          TODO: explain sentencing.
    Good: ## Sentencing { #sentencing }
          After a conviction, the judge ...
    """
    # In code_masked, HTML comments are still there: they are published in the page source.
    for offset, found in find(doc.code_masked, doc.lang, config.data_dir):
        line, col = doc.position(offset)
        yield line, col, (f'placeholder "{found}" in a published page; write the text, or remove the '
                          "placeholder and keep the unfinished part out of the page")
