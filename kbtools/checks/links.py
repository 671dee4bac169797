"""Links, images and anchors, resolved the way the built site resolves them.

In guides/ a relative link names a page without its language suffix
(`../cooperation/coordination.md#coordination`); static-i18n serves the page
in the reader's language, or the English page when there is no translation.
So a link from a page in language L is checked against the L file if it
exists, else the English one, and its #anchor against the ids of that file
(explicit `{ #id }`, toc slugs, HTML ids, and ids made by kb markers).
In docs/ (read on the forge) a relative link only has to name an existing file.
"""
from __future__ import annotations

import difflib
import posixpath
import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

import pathspec

from kbtools import translations
from kbtools.checks.registry import check
from kbtools.checks.unsafe import url_scheme

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
BOTH = ("site", "handbook")


class Target(NamedTuple):
    """Where a link goes. `error`: (code, message) when it does not resolve."""
    kind: str  # external, page, file, none
    stem: str | None = None
    doc: object = None
    anchor: str = ""
    error: tuple[str, str] | None = None
    suffix_lang: str | None = None  # the language suffix a link named, e.g. xx in page.xx.md


def _split(target: str) -> tuple[str, str]:
    path, _, anchor = target.partition("#")
    return path.split("?", 1)[0], anchor


def _close(word: str, choices) -> str:
    match = difflib.get_close_matches(word, list(choices)[:500], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _neighbours(path: str, paths) -> list[str]:
    """The paths in the same folder as `path`: where a misspelt name's right spelling is."""
    folder = posixpath.dirname(path)
    return [p for p in paths if posixpath.dirname(p) == folder]


def resolve(doc, target: str, project) -> Target:
    """What a link on a guides/ page points to, as static-i18n will serve it to this page's reader."""
    if target.startswith("#"):
        return _resolve(doc, target, project)
    # The same link from the same folder in the same language goes to the same place.
    key = (posixpath.dirname(doc.rel), doc.lang, target)
    cache = project.cache.setdefault("resolve", {})
    if key not in cache:
        cache[key] = _resolve(doc, target, project)
    return cache[key]


def _resolve(doc, target: str, project) -> Target:
    if SCHEME.match(target) or target.startswith("//") or url_scheme(target):
        return Target("external")  # unsafe-html judges javascript: and data: URLs
    path, anchor = _split(target)
    if not path and not anchor:
        return Target("none", error=("link-broken", "empty link target; write the page or address the link goes to"))
    if path.startswith("/"):
        return Target("none", error=("link-absolute", f"absolute link '{target}' breaks in the /es/, /pt/ and /fr/ "
                                     "sites and offline; write it relative to this page, e.g. '../glossary.md'"))
    if not path:
        return Target("page", doc.stem, doc, anchor)
    site = project.site_prefix
    here = posixpath.dirname(doc.rel)
    path = unquote(path) if "%" in path else path
    joined = posixpath.normpath(f"{here}/{path}" if here else path)
    if joined == ".." or joined.startswith("../"):
        return Target("none", error=("link-broken", f"'{target}' points outside {site}; link to a page of the site, "
                                     "or to its public address"))
    config = project.config
    if joined.endswith(".md"):
        named = translations.split_name(joined, config.languages)
        if named:
            stem, lang = named
            found = (project.pages.get(stem) or {}).get(lang)
        else:
            stem, lang = joined[:-3], None
            found = project.page(stem, doc.lang)
        if found is None and joined in project.site_files:
            return Target("file")  # a page without a language suffix: file-language reports it
        if found is None:
            near = [posixpath.relpath(s + ".md", here or ".") for s in _neighbours(stem, project.pages)]
            wanted = posixpath.relpath(stem + ".md", here or ".")
            return Target("none", stem, error=("link-broken", f"'{target}' goes nowhere: there is no "
                                               f"{site}{stem}.{lang or config.reference}.md{_close(wanted, near)}; "
                                               "fix the path (relative to this page, without language suffix)"))
        return Target("page", stem, found, anchor, suffix_lang=lang)
    candidate = joined
    if candidate not in project.site_files:
        base, dot, ext = joined.rpartition(".")
        localised = [f"{base}.{lang}.{ext}" for lang in (doc.lang, config.reference) if lang and dot]
        candidate = next((c for c in localised if c in project.site_files), None)
    if candidate is None:
        if any(f.startswith(joined.rstrip("/") + "/") for f in _folders(project)):
            return Target("none", error=("link-broken", f"'{target}' links to a folder; link to the page itself, "
                                         f"e.g. '{posixpath.join(path.rstrip('/'), 'index.md')}'"))
        return Target("none", error=("link-broken", f"'{target}' goes nowhere: there is no file {site}{joined}"
                                     f"{_close(joined, _neighbours(joined, project.site_files))}; fix the path or add the file"))
    return Target("file")


def _folders(project) -> set:
    if "folders" not in project.cache:
        project.cache["folders"] = {posixpath.dirname(f) + "/" for f in project.site_files}
    return project.cache["folders"]


def resolved(doc, project):
    """[(link, Target)] for the links of a guides/ page, computed once per page."""
    cache = project.cache.setdefault("links", {})
    if doc.path not in cache:
        cache[doc.path] = [(link, resolve(doc, link.target, project)) for link in doc.links
                           if link.kind != "reference"]  # its definition carries the url
    return cache[doc.path]


@check("link-broken", scope="project", kinds=BOTH)
def link_broken(doc, project):
    """A relative link or image that does not resolve to a page or file.

    Bad:  [coordination](../cooperation/cordination.md)
    Good: [coordination](../cooperation/coordination.md)
    """
    if doc.kind == "handbook":
        yield from _handbook_links(doc, project)
        return
    for link, target in resolved(doc, project):
        if target.error and target.error[0] == "link-broken":
            yield link.line, link.col, target.error[1]


def _handbook_links(doc, project):
    root = project.config.root
    for link in doc.links:
        if link.kind == "reference" or SCHEME.match(link.target) or link.target.startswith("//"):
            continue
        path, _ = _split(link.target)
        if not path:
            continue
        base = "" if path.startswith("/") else posixpath.dirname(doc.path)
        wanted = posixpath.normpath(posixpath.join(base, unquote(path).lstrip("/")))
        if wanted.startswith("../") or not (root / wanted).exists():
            yield link.line, link.col, (f"'{link.target}' goes nowhere: there is no {wanted}; fix the path "
                                        "(relative to this file) or add the file")


@check("link-absolute", scope="project")
def link_absolute(doc, project):
    """A link starting with '/': it breaks under /es/, /pt/, /fr/ and in the offline copy.

    Bad:  [glossary](/glossary/)
    Good: [glossary](../glossary.md)
    """
    for link, target in resolved(doc, project):
        if target.error and target.error[0] == "link-absolute":
            yield link.line, link.col, target.error[1]


@check("link-language-suffix", scope="project")
def link_language_suffix(doc, project):
    """A link naming a language file (page.en.md) instead of the page (page.md).

    Bad:  [coordination](../cooperation/coordination.en.md)   (readers of /es/ land on English)
    Good: [coordination](../cooperation/coordination.md)
    """
    for link, target in resolved(doc, project):
        if target.suffix_lang:
            plain = re.sub(rf"\.{re.escape(target.suffix_lang)}\.md(?=#|$)", ".md", link.target)
            yield link.line, link.col, (f"'{link.target}' names the {target.suffix_lang} file; link to '{plain}' "
                                        "so that readers get the page in their own language")


@check("anchor-missing", scope="project")
def anchor_missing(doc, project):
    """A #anchor that is not an id in the page the reader will get.

    Bad:  [coordination](../cooperation/coordination.md#cordination)
    Good: [coordination](../cooperation/coordination.md#coordination)
    """
    for link, target in resolved(doc, project):
        if target.kind != "page" or not target.anchor or target.doc is None:
            continue
        page = target.doc
        if not page.readable or target.anchor in page.ids:
            continue
        where = "this page" if page.path == doc.path else page.path
        yield link.line, link.col, (f"#{target.anchor} is not an id in {where}{_close(target.anchor, page.ids)}; "
                                    "link to an existing heading id, or give the heading that id: "
                                    f"## Title {{ #{target.anchor} }}")


def _allowed_outside_nav(config, stem: str) -> bool:
    patterns = config.outside_nav
    if not patterns:
        return False
    spec = _spec(tuple(patterns))
    return spec.match_file(stem + ".md") or any(spec.match_file(f"{stem}.{lang}.md") for lang in config.languages)


@lru_cache(maxsize=8)
def _spec(patterns: tuple):
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _nav(project) -> set | None:
    nav = project.config.nav
    if nav is None:
        return None
    if "nav" not in project.cache:
        project.cache["nav"] = {entry[:-3] for entry in nav if entry.endswith(".md")}
    return project.cache["nav"]


@check("link-not-in-nav", scope="project")
def link_not_in_nav(doc, project):
    """A link to a page that is not in the nav of mkdocs.yml (nor allowed outside it).

    Bad:  [draft](../investigation/draft.md)   (draft.md not listed in nav)
    Good: a link to a page listed in nav, or the page added to outside_nav in checks.yml
    """
    nav = _nav(project)
    if nav is None:
        return
    for link, target in resolved(doc, project):
        if (target.kind == "page" and target.stem and target.stem not in nav
                and target.doc.path != doc.path and not _allowed_outside_nav(project.config, target.stem)):
            yield link.line, link.col, (f"'{link.target}' links to a page that is not in the nav of mkdocs.yml; "
                                        f"add '{target.stem}.md' to the nav, or to outside_nav in checks.yml")


@check("nav-missing", scope="project")
def nav_missing(doc, project):
    """A reference-language page that the nav of mkdocs.yml does not list.

    Bad:  guides/investigation/sentencing.en.md exists, nav has no investigation/sentencing.md
    Good: nav lists investigation/sentencing.md under its guide
    """
    nav = _nav(project)
    if nav is None or doc.lang != project.config.reference or doc.stem in nav:
        return
    if not _allowed_outside_nav(project.config, doc.stem):
        yield 1, 1, (f"this page is not in the nav of mkdocs.yml, so readers cannot find it; add "
                     f"'{doc.stem}.md' to the nav (in reading order), or to outside_nav in checks.yml")


@check("nav-broken", scope="global")
def nav_broken(project):
    """A nav entry in mkdocs.yml naming a page that does not exist.

    Bad:  - investigation/sentencing.md   (no guides/investigation/sentencing.en.md)
    Good: - investigation/trial.md
    """
    config = project.config
    if config.nav is None:
        return
    try:
        text = (config.root / config.nav_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""  # nav given without its file (tests): findings go on line 1
    lines = {}  # nav entry -> first line that names it
    for number, line in enumerate(text.split("\n"), 1):
        match = re.search(r"([^\s:'\"]+\.md)['\"]?\s*(?:#.*)?$", line)
        if match:
            lines.setdefault(match.group(1), number)
    for entry in config.nav:
        if not entry.endswith(".md"):
            continue
        stem = entry[:-3]
        named = translations.split_name(entry, config.languages)
        line = lines.get(entry, 1)
        if named:
            yield config.nav_file, line, 1, (f"nav entry '{entry}' names a language file; write '{named[0]}.md' "
                                             "(static-i18n picks the language)")
        elif config.reference not in (project.pages.get(stem) or {}):
            yield config.nav_file, line, 1, (f"nav entry '{entry}' names no page: there is no "
                                             f"{project.site_prefix}{stem}.{config.reference}.md"
                                             f"{_close(stem, _neighbours(stem, project.pages))}; "
                                             "fix the entry or add the page")
