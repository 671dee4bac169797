"""What a `<!-- kb:name -->` marker stands for, as the checks need it.

The registry of markers is kbtools/markers.py, shared with the build: the
checks expand each marker with the same renderers, to know the headings and
links it adds (glossary anchors are the term ids of data/termbase.yml, country
pages get #laws #instruments #bodies). The build's translation-status table
reads every page; here it is rendered empty, since only its ids matter.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kbtools import markers
from kbtools.checks.registry import check


@lru_cache(maxsize=None)
def _render(name: str, lang: str, country, data_dir: str | None, languages: tuple) -> str:
    context = markers.Context(lang=lang, languages=languages, country=country,
                              data_dir=Path(data_dir) if data_dir else None)
    return markers.render(name, context)


def expand(name: str, doc, config) -> str:
    """Markdown for a marker on `doc`; raises ValueError (with a how-to-fix) when it cannot be made."""
    languages = (config.reference, *[lang for lang in config.languages if lang != config.reference])
    country = doc.meta.get("country") if name == "country-facts" else None
    if not isinstance(country, str):
        country = None  # reported as a missing `country:`, whatever else it holds
    return _render(name, doc.lang or config.reference, country,
                   str(config.data_dir) if config.data_dir else None, languages)


@check("marker-invalid")
def marker_invalid(doc, config):
    """A <!-- kb:... --> marker that the build cannot expand (unknown name, missing country:).

    Bad:  <!-- kb:glosary -->
    Good: <!-- kb:glossary -->
    """
    for line, message in doc.marker_errors:
        yield line, 1, message
