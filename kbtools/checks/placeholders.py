"""Placeholders left in a published page."""
from __future__ import annotations

import re

from kbtools.checks.registry import check

# Upper case only: Spanish and Portuguese "todo" is a word.
MARKERS = ("TODO", "TBD", "FIXME")
MARKER = re.compile(r"TODO|TBD|FIXME")
# Any case. Only phrases that cannot be ordinary prose in that language.
PHRASES = {
    None: ["lorem ipsum"],
    "en": ["coming soon"],
    "es": ["disponible próximamente", "próximamente disponible"],
    "pt": ["disponível em breve", "em breve disponível"],
    "fr": ["bientôt disponible", "prochainement disponible", "disponible prochainement"],
}


def _word_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands alone: no letter, digit, _ or - right before or after it."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "_-" or after.isalnum() or after in "_-")


def _phrase_patterns(lang):
    # Searched in lower-cased text; each pattern starts with a literal (fast).
    return [(phrase.split()[0], re.compile(r"\s+".join(map(re.escape, phrase.split()))))
            for phrase in PHRASES[None] + PHRASES.get(lang, [])]


PATTERNS = {lang: _phrase_patterns(lang) for lang in PHRASES}


def find(text: str, lang) -> list[tuple[int, str]]:
    """[(offset, placeholder)] in text."""
    found = []
    if any(marker in text for marker in MARKERS):
        found += [(m.start(), m.group(0)) for m in MARKER.finditer(text) if _word_at(text, m.start(), m.end())]
    lower = text.lower()
    if len(lower) != len(text):  # a few characters change length when lower-cased: keep offsets exact
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for first, pattern in PATTERNS.get(lang, PATTERNS[None]):
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
    for offset, found in find(doc.code_masked, doc.lang):
        line, col = doc.position(offset)
        yield line, col, (f'placeholder "{found}" in a published page; write the text, or remove the '
                          "placeholder and keep the unfinished part out of the page")
