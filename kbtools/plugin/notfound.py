"""One 404 page per language.

Every language's build renders the theme's 404.html over the previous one at
the site root; the plugin keeps each language's copy and writes it to that
language's folder once all languages are built.
"""
from __future__ import annotations

from pathlib import Path


def write(site: Path, pages: dict, prefixes: dict) -> None:
    """`pages`: lang -> the 404 page's HTML in that language."""
    for lang, output in pages.items():
        target = site / prefixes[lang]
        target.mkdir(parents=True, exist_ok=True)
        (target / "404.html").write_text(output, encoding="utf-8")
