"""Which language a page's text is in, whether it is a translation that is current,
and which real translations it has (for hreflang and the sitemaps).

static-i18n gives each built file `locale` (the language of the file used,
the default language's file for a fallback) and `alternates` (every
language's file, fallbacks included): kbtools/theme.py pins those names.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from kbtools import translations

FALLBACK, OUTDATED, TRANSLATED = "fallback", translations.OUTDATED, translations.TRANSLATED


def site_path(url: str) -> str:
    """A file's URL as a path below the site root ('./' for the home page is '')."""
    return "" if url in (".", "./") else url


def content_language(file, lang: str) -> str:
    return getattr(file, "locale", lang)


def real_translations(file) -> dict:
    """{lang: File} of the languages this page really exists in (no fallbacks)."""
    alternates = getattr(file, "alternates", {}) or {}
    return {lang: f for lang, f in sorted(alternates.items()) if getattr(f, "locale", lang) == lang}


def page_status(file, lang: str, reference: str, report) -> str:
    """translated, outdated or fallback, for `file` built in `lang`. `report` gives the
    translation report (kbtools/translations.py): read once, not once per page."""
    if content_language(file, lang) != lang:
        return FALLBACK
    if lang == reference:
        return TRANSLATED
    stem = PurePosixPath(file.norm_src_uri).with_suffix("").as_posix()
    state = report().pages.get(stem, {}).get(lang)
    # An orphan (no reference page) is shown as translated: `make check` reports it.
    return OUTDATED if state == translations.OUTDATED else TRANSLATED


def alternates(file, site_url: str, reference: str) -> tuple[dict, list]:
    """({lang: site path} of real translations, [(hreflang, absolute URL)] with x-default)."""
    urls = {lang: site_path(f.url) for lang, f in real_translations(file).items()}
    hreflang = [(lang, site_url + url) for lang, url in urls.items()]
    if reference in urls:
        hreflang.append(("x-default", site_url + urls[reference]))
    return urls, hreflang
