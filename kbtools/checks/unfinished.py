"""Translations started with `kb translate` whose English text is not translated yet."""
from __future__ import annotations

from kbtools import translations
from kbtools.checks.registry import check


@check("translation-unfinished", severity="warning")
def translation_unfinished(doc, config):
    """A translation that still holds the English text `kb translate` copied into it (its marker line is there).

    Bad:  <!-- untranslated: kb translate copied the English text below; translate it into Español ... -->
    Good: the page translated, and the marker line deleted
    """
    if doc.lang in (None, config.reference):
        return
    # code_masked: a marker shown inside a code block (e.g. in a how-to) does not count.
    for match in translations.UNTRANSLATED_LINE.finditer(doc.code_masked):
        line, _ = doc.position(match.start())
        name = config.language_names.get(doc.lang, doc.lang)
        yield line, 1, (f"this translation is still the English text kb translate copied; translate it into "
                        f"{name} (title and description too), then delete this marker line "
                        "(docs/translating.md)")
