"""A large generated knowledge base for benchmarks, made from the real one.

The real guides/ tree is copied N times into guides/part-NNN/ (its relative
links stay inside each copy, so they all resolve), every page in every
language: a language that lacks a translation gets the Spanish text under its
own suffix, with the same source_hash, so the structure and the checks' work
are those of real translated pages. mkdocs.yml gets a nav listing every page.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from kbtools import translations
from kbtools.checks import config as check_config


def make(root: Path, target: Path, pages_per_language: int = 4000, copies: int | None = None) -> dict:
    """Write the corpus into target (emptied first): enough copies for `pages_per_language`,
    or exactly `copies` copies (1 is the real site's pages). The first copy is the site's
    root (its home page is the corpus's); the theme overrides come along, so the
    corpus builds as the real site does. Return what it holds."""
    config = check_config.load(root)
    site = root / config.site_dir
    ref, languages = config.reference, config.languages
    stems = sorted({key[0] for p in site.rglob("*.md")
                    if (key := translations.split_name(p.relative_to(site).as_posix(), languages)) and key[1] == ref})
    texts = {}
    for stem in stems:
        by_lang = {}
        for lang in languages:
            path = site / f"{stem}.{lang}.md"
            if path.exists():
                by_lang[lang] = path.read_text(encoding="utf-8")
        stand_in = next((by_lang[lang] for lang in languages if lang != ref and lang in by_lang), by_lang[ref])
        texts[stem] = {lang: by_lang.get(lang, stand_in) for lang in languages}
    copies = copies or -(-pages_per_language // len(stems))
    if target.exists():
        shutil.rmtree(target)
    out_site = target / config.site_dir
    nav = []
    for copy in range(copies):
        part = _part(copy)
        for stem in stems:
            nav.append(f"{part}{stem}.md")
            for lang, text in texts[stem].items():
                path = out_site / part / f"{stem}.{lang}.md"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    # Files that pages link to besides pages (stylesheets, images).
    for other in site.rglob("*"):
        if other.is_file() and not other.name.endswith(".md"):
            for copy in range(copies):
                dest = out_site / _part(copy) / other.relative_to(site)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(other, dest)
    shutil.copytree(config.data_dir or root / "data", target / "data")
    if (root / "overrides").is_dir():
        shutil.copytree(root / "overrides", target / "overrides")
    if (root / "checks.yml").exists():
        shutil.copyfile(root / "checks.yml", target / "checks.yml")
    mkdocs = (root / "mkdocs.yml").read_text(encoding="utf-8")
    mkdocs = re.sub(r"(?ms)^nav:.*?(?=^\S|\Z)", "", mkdocs)  # the nav is the copies' one
    (target / "mkdocs.yml").write_text(mkdocs + "\n" + yaml.safe_dump({"nav": nav}), encoding="utf-8")
    return {"pages_per_language": copies * len(stems), "languages": len(languages),
            "pages": copies * len(stems) * len(languages), "copies_of_the_real_site": copies}


def _part(copy: int) -> str:
    """Folder of a copy below guides/: the first is the root, so the corpus has a home page."""
    return f"part-{copy:03d}/" if copy else ""
