"""A large generated knowledge base for benchmarks, made from the real one.

The real guides/ tree is copied N times into guides/part-NNN/ (its relative
links stay inside each copy, so they all resolve), every page in every
language: a language that lacks a translation gets the Spanish text under its
own suffix, with the same source_hash, so the structure and the checks' work
are those of real translated pages.

A knowledge base N times larger has N times the guides, not N indexes of
the whole site: the pages that list every page (the tags index, the
translation status) are in the first copy only, and list every copy. The
navigation is the real one for the first copy, and the real one again for
each further copy, as a section of its own ("Part 2", ...), so it grows as a
real site's would.
"""
from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import yaml

from kbtools import site_config, translations
from kbtools.frontmatter import source_hash
from kbtools.checks import config as check_config


def make(root: Path, target: Path, pages_per_language: int = 4000, copies: int | None = None) -> dict:
    """Write the corpus into target (emptied first): enough copies for `pages_per_language`,
    or exactly `copies` copies (1 is the real site's pages). The first copy is the site's
    root (its home page is the corpus's); the theme overrides come along, so the
    corpus builds as the real site does. Return what it holds."""
    config = check_config.load(root)
    nav_yaml = site_config.read_yaml(root / "mkdocs.yml")
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
    site_wide = {stem for stem in stems if any(marker in texts[stem][ref] for marker in LISTS_THE_SITE)}
    copies = copies or -(-pages_per_language // len(stems))
    if target.exists():
        shutil.rmtree(target)
    out_site = target / config.site_dir
    real_nav = nav_yaml.get("nav") or [f"{stem}.md" for stem in stems]
    nav, pages = list(real_nav), 0
    for copy in range(copies):
        part = _part(copy)
        if copy:
            nav.append({f"Part {copy + 1}": _nav_copy(real_nav, part, {f"{stem}.md" for stem in site_wide})})
        for stem in stems:
            if copy and stem in site_wide:
                continue
            pages += 1
            moved = {lang: _to_first_copy(text, stem, site_wide) if copy else text
                     for lang, text in texts[stem].items()}
            if moved[ref] != texts[stem][ref]:  # the translations stay as current as they were
                before, after = source_hash(texts[stem][ref]), source_hash(moved[ref])
                moved = {lang: text.replace(f"source_hash: {before}", f"source_hash: {after}", 1)
                         for lang, text in moved.items()}
            for lang, text in moved.items():
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
    return {"pages_per_language": pages, "languages": len(languages),
            "pages": pages * len(languages), "copies_of_the_real_site": copies}


# Markers of pages that list every page of the site.
LISTS_THE_SITE = ("<!-- material/tags -->", "<!-- kb:translation-status -->")


_LINK = re.compile(r"\]\(([^)\s#]+\.md)(#[^)\s]*)?\)")


def _to_first_copy(text: str, stem: str, site_wide: set[str]) -> str:
    """A copy's text with its links to site-wide pages sent to the first copy's (one folder up)."""
    folder = posixpath.dirname(stem)

    def link(match: re.Match) -> str:
        target = match.group(1)
        if "://" in target or posixpath.normpath(posixpath.join(folder, target))[:-3] not in site_wide:
            return match.group(0)
        return f"](../{target}{match.group(2) or ''})"
    return _LINK.sub(link, text)


def _nav_copy(items: list, part: str, left_out: set[str]) -> list:
    """The nav `items` for the copy in `part`: every page path below it, the site-wide pages left out."""
    out = []
    for item in items:
        if isinstance(item, str):
            if item not in left_out:
                out.append(part + item)
        elif isinstance(item, dict):
            (title, value), = item.items()
            if isinstance(value, list):
                children = _nav_copy(value, part, left_out)
                if children:
                    out.append({title: children})
            elif isinstance(value, str) and value not in left_out:
                out.append({title: value if "://" in value else part + value})
    return out


def _part(copy: int) -> str:
    """Folder of a copy below guides/: the first is the root, so the corpus has a home page."""
    return f"part-{copy:03d}/" if copy else ""
