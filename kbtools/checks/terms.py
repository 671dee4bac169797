"""Terminology: the renderings data/termbase.yml marks `avoid` for a language,
found in that language's pages (case-insensitive, whole words, accents count)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kbtools import data
from kbtools.checks.registry import check


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@lru_cache(maxsize=None)
def _patterns(data_dir) -> dict:
    """{language: [(first word, regex, term id, approved term)]} of the avoided renderings.

    The regexes run over lower-cased text and start with a literal, which keeps
    them fast; both composed and decomposed accents are searched for.
    """
    out: dict = {}
    for term in data.load("termbase", data_dir).get("terms") or []:
        for lang, entry in term.items():
            if not isinstance(entry, dict):
                continue
            for wrong in entry.get("avoid") or []:
                for form in {unicodedata.normalize(f, _key(wrong)) for f in ("NFC", "NFD")}:
                    words = form.split()
                    pattern = re.compile(r"\s+".join(map(re.escape, words)))
                    out.setdefault(lang, []).append((words[0], pattern, term.get("id"), entry.get("term")))
    return out


def _alone(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_" or after.isalnum() or after == "_"
                or unicodedata.combining(after))


def find(text: str, lang: str, data_dir=None) -> list[tuple[int, str, str, str]]:
    """[(offset, text found, term id, approved term)] of avoided renderings in text."""
    patterns = _patterns(data_dir).get(lang)
    if not patterns:
        return []
    lower = text.lower()
    if len(lower) != len(text):  # keep offsets exact where lower-casing changes a length
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    found = []
    for first, pattern, term_id, approved in patterns:
        if first in lower:
            found += [(m.start(), " ".join(text[m.start():m.end()].split()), term_id, approved)
                      for m in pattern.finditer(lower) if _alone(lower, m.start(), m.end())]
    return sorted(found)


@check("term-wrong")
def term_wrong(doc, config):
    """A rendering the termbase says to avoid in this page's language (code is not checked).

    Bad:  El tráfico de personas es un delito.   (in a .es.md page)
    Good: La trata de personas es un delito.
    """
    if not _patterns(config.data_dir).get(doc.lang):
        return  # nothing to avoid in this language
    name = config.language_names.get(doc.lang, doc.lang)
    for offset, found, term_id, approved in find(doc.prose, doc.lang, config.data_dir):
        line, col = doc.position(offset)
        yield line, col, (f'"{found}" is not the approved {name} term; write "{approved}" '
                          f"(data/termbase.yml, {term_id})")
