"""One 404 page per language.

Every language's build renders the theme's 404.html (overrides/404.html: its
text from data/ui.yml) over the previous one at the site root; the plugin
keeps each language's copy and writes it to that language's folder once all
languages are built.

A 404 page is served at any address, so its links are absolute (MkDocs gives
error templates the site's root path as base_url). Its language switcher
leads to each language's home page: static-i18n points the switcher at the
current page's translations, and the 404 page, rendered after every page,
would otherwise inherit the last page's.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit


def set_alternate(extra, links: list) -> tuple:
    """Point Material's language switcher at `links`; returns what was there (restore_alternate).

    static-i18n writes the current page's switcher as an attribute of
    `config.extra` (kbtools/theme.py I18N_ALTERNATE_ATTRIBUTE), which a
    template reads before the item of the same name: both are set."""
    before = (extra.get("alternate"), extra.__dict__.get("alternate"))
    extra["alternate"] = links
    extra.alternate = links
    return before


def restore_alternate(extra, before: tuple) -> None:
    item, attribute = before
    if item is None:
        extra.pop("alternate", None)
    else:
        extra["alternate"] = item
    if attribute is None:
        extra.__dict__.pop("alternate", None)
    else:
        extra.alternate = attribute


def home_links(site_url: str, prefixes: dict, names: dict, directory_urls: bool = True) -> list[dict]:
    """Material's `extra.alternate` entries for a 404 page: each language's home page."""
    root = urlsplit(site_url or "/").path.rstrip("/") + "/"
    index = "" if directory_urls else "index.html"
    return [{"name": name, "link": f"{root}{prefixes[lang]}{index}", "lang": lang} for lang, name in names.items()]


def write(site: Path, pages: dict, prefixes: dict) -> None:
    """`pages`: lang -> the 404 page's HTML in that language."""
    for lang, output in pages.items():
        target = site / prefixes[lang]
        target.mkdir(parents=True, exist_ok=True)
        (target / "404.html").write_text(output, encoding="utf-8")
