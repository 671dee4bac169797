"""What a `<!-- kb:name -->` marker stands for, as the checks need it.

The MkDocs plugin expands markers at build time (kbtools/mkdocs_plugin.py,
`expand`); the checks expand them the same way, with the same renderers, to
know the headings and links they add (e.g. glossary anchors are the term ids
of data/termbase.yml, country pages get #laws #instruments #bodies).
"""
from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

from kbtools import data, render, translations
from kbtools.checks.registry import check

KNOWN = ("glossary", "country-facts", "country-list", "downloads", "translation-status")


@lru_cache(maxsize=None)
def _render(name: str, lang: str, country: str | None, data_dir: str | None, languages: tuple) -> str:
    directory = Path(data_dir) if data_dir else None
    if name == "glossary":
        return render.glossary(lang, directory)
    if name == "country-facts":
        return render.country_facts(country, lang, directory)
    if name == "country-list":
        return render.country_list(lang, directory)
    if name == "downloads":
        return render.downloads(lang, directory)
    # The table's figures change with every translation; its ids and headings do not.
    return render.translation_status(lang, translations.Report(languages[0], list(languages)),
                                     data_dir=directory)


def expand(name: str, doc, config) -> str:
    """Markdown for a marker on `doc`; raises ValueError (with a how-to-fix) when it cannot be made."""
    if name not in KNOWN:
        close = difflib.get_close_matches(name, KNOWN, n=1)
        hint = f"did you mean kb:{close[0]}? " if close else ""
        raise ValueError(f"unknown marker <!-- kb:{name} -->; {hint}markers are: {', '.join(KNOWN)}")
    country = None
    if name == "country-facts":
        country = doc.meta.get("country")
        if not country or not isinstance(country, str):
            raise ValueError("a <!-- kb:country-facts --> page has no `country:` in its front matter; "
                             "add `country: <id>` with an id from data/countries.yml")
    languages = (config.reference, *[lang for lang in config.languages if lang != config.reference])
    try:
        return _render(name, doc.lang or config.reference, country,
                       str(config.data_dir) if config.data_dir else None, languages)
    except (render.RenderError, data.DataError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"<!-- kb:{name} --> cannot be rendered: {exc}") from None


@check("marker-invalid")
def marker_invalid(doc, config):
    """A <!-- kb:... --> marker that the build cannot expand (unknown name, missing country:).

    Bad:  <!-- kb:glosary -->
    Good: <!-- kb:glossary -->
    """
    for line, message in doc.marker_errors:
        yield line, 1, message
