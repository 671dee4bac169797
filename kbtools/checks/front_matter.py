"""Front matter: it parses, has the keys every page needs, and each value has
the right type and an allowed value (data/vocabulary.yml, data/countries.yml)."""
from __future__ import annotations

import datetime
import difflib
import re
from functools import lru_cache

from kbtools import data
from kbtools.checks.registry import check

REQUIRED = ("title", "description", "audience", "topics", "last_reviewed")
# Keys MkDocs, Material or the kb plugin read, besides the required ones.
# `form`: a printable tool whose ______ lines and tick boxes become fillable PDF fields.
OPTIONAL = ("source_hash", "country", "form", "hide", "search", "icon", "status", "template", "tags")
HASH = re.compile(r"^[0-9a-f]{12}$")
GUIDE = "see docs/writing-content.md"


@check("frontmatter-yaml")
def frontmatter_yaml(doc, config):
    """Front matter that does not parse: invalid YAML, not a mapping, or never closed.

    Bad:  title: Evidence: what to collect
    Good: title: "Evidence: what to collect"
    """
    error = doc.meta_error
    if error is not None:
        message = str(error)
        if "not valid YAML" in message:
            message += "; values containing ': ' or starting with a quote, [ or { need quotes"
        elif "mapping" in message:
            message += "; write one `key: value` line per key"
        yield error.line, 1, message


@check("frontmatter-missing-key", scope="project")
def frontmatter_missing_key(doc, project):
    """A page without front matter, or without one of the keys every page needs.

    Bad:  ---
          title: Evidence
          ---
    Good: ---
          title: Evidence
          description: What evidence to collect besides the victim's statement.
          audience: [police, prosecutors]
          topics: [evidence]
          last_reviewed: 2026-11-29
          ---
    """
    if doc.meta_error is not None:
        return  # frontmatter-yaml reports it
    config = project.config
    translation = doc.lang not in (None, config.reference)
    ref = project.reference(doc) if translation else None
    if not doc.has_front_matter:
        keys = ", ".join(REQUIRED + (("source_hash",) if ref else ()))
        yield 1, 1, f"the page has no front matter; start it with a '---' block giving {keys} ({GUIDE})"
        return
    missing = [key for key in REQUIRED if key not in doc.meta]
    if ref is not None and ref.readable and "source_hash" not in doc.meta:
        missing.append("source_hash")
    for key in missing:
        if key == "source_hash":
            how = (f"add `source_hash: {ref.hash}` (the hash of {ref.path}) once the translation "
                   "matches the English page")
        else:
            how = f"add a `{key}:` line ({GUIDE})"
        yield 1, 1, f"front matter has no `{key}`; {how}"


@lru_cache(maxsize=8)
def _data(name: str, data_dir):
    """A data file, read once per run (data.load checks the file's time on every call)."""
    return data.load(name, data_dir)


def _vocabulary(config):
    return _data("vocabulary", config.data_dir)


def _is_date(value) -> bool:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return True
    if isinstance(value, str):
        try:
            datetime.date.fromisoformat(value)
            return re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
        except ValueError:
            return False
    return False


def _values(doc, key, allowed: dict, name: str):
    value = doc.meta[key]
    line = doc.meta_lines.get(key, 1)
    if not isinstance(value, list) or not value:
        yield line, 1, (f"`{key}` must be a non-empty list of {name} keys; write it in brackets, "
                        f"e.g. `{key}: [{next(iter(allowed), '')}]`")
        return
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            yield line, 1, (f"`{key}` has '{item}', which is not a key of `{name}` in data/vocabulary.yml; "
                            f"use one of: {', '.join(allowed)}")


@check("frontmatter-value")
def frontmatter_value(doc, config):
    """A front matter value of the wrong type or not among the allowed values.

    Bad:  audience: police
    Good: audience: [police]
    """
    meta = doc.meta if isinstance(doc.meta, dict) else {}
    line = doc.meta_lines.get
    for key in ("title", "description"):
        if key in meta and (not isinstance(meta[key], str) or not meta[key].strip()):
            yield line(key, 1), 1, f"`{key}` is empty or not text; write it in the page's language"
    vocabulary = _vocabulary(config) if ("audience" in meta or "topics" in meta) else {}
    if "audience" in meta:
        yield from _values(doc, "audience", vocabulary.get("audience") or {}, "audience")
    if "topics" in meta:
        yield from _values(doc, "topics", vocabulary.get("topics") or {}, "topics")
    if "last_reviewed" in meta and not _is_date(meta["last_reviewed"]):
        yield line("last_reviewed", 1), 1, "`last_reviewed` is not a date; write it YYYY-MM-DD, e.g. 2026-11-29"
    if "source_hash" in meta:
        value = meta["source_hash"]
        if doc.lang == config.reference:
            yield line("source_hash", 1), 1, ("`source_hash` belongs on translations only; remove it from "
                                              "the reference-language page")
        elif not isinstance(value, str) or not HASH.match(value):
            yield line("source_hash", 1), 1, (f"`source_hash` must be 12 lower-case hex characters in quotes "
                                              f"if all digits (found {value!r}); print it with "
                                              "`kb hash guides/<page>.en.md`")
    if "form" in meta and not isinstance(meta["form"], bool):
        yield line("form", 1), 1, f"`form` is {meta['form']!r}; write true (a tool to fill in) or false"
    if "country" in meta:
        countries = [c.get("id") for c in _data("countries", config.data_dir).get("countries") or []]
        if meta["country"] not in countries:
            yield line("country", 1), 1, (f"`country` is {meta['country']!r}, which is not an id in "
                                          f"data/countries.yml; use one of: {', '.join(map(str, countries))}")


# Characters HTML cannot carry as text (C0 controls but tab and line ends, DEL,
# C1 controls, noncharacters): a page with one is not valid HTML.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
TAG = re.compile(r"</?[A-Za-z][^\s/>]*|<[!?]")
ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# Values Material writes into a class attribute (status) or a template path (icon) as they are.
NAME = {"status": re.compile(r"[A-Za-z0-9_-]+"), "icon": re.compile(r"[a-z0-9_-]+(?:/[a-z0-9_.-]+)+")}


@check("frontmatter-unsafe")
def frontmatter_unsafe(doc, config):
    """Front-matter text that cannot be shown as written: markup or an entity in a
    title or description (front matter is plain text: the site escapes it and
    shows it literally), a character HTML cannot carry, or a `status` or `icon`
    that Material writes into its markup without escaping.

    Bad:  title: Evidence <script>alert(1)</script>
    Good: title: "Evidence: what to collect besides the statement"
    """
    meta = doc.meta if isinstance(doc.meta, dict) else {}
    line = doc.meta_lines.get
    for key in ("title", "description"):
        value = meta.get(key)
        if not isinstance(value, str):
            continue
        control = CONTROL.search(value)
        if control:
            yield line(key, 1), 1, (f"`{key}` holds the control character U+{ord(control.group()):04X}, "
                                    "which HTML cannot carry; delete it (it is often pasted from a PDF)")
        tag = TAG.search(value)
        if tag:
            yield line(key, 1), 1, (f"`{key}` holds markup (`{tag.group()}`): front matter is plain text and "
                                    "the site shows it as written, never as HTML; write the words without tags")
        entity = ENTITY.search(value)
        if entity:
            yield line(key, 1), 1, (f"`{key}` holds the HTML entity `{entity.group()}`, which the site shows as "
                                    "written; type the character itself")
    for key, pattern in NAME.items():
        value = meta.get(key)
        if value is not None and not (isinstance(value, str) and pattern.fullmatch(value)):
            where, what = (("into a class attribute", "a class name like new") if key == "status" else
                           ("as the path of a template to include", "an icon path like material/alert"))
            yield line(key, 1), 1, (f"`{key}` is {value!r}, which Material writes {where} unescaped; "
                                    f"use {what} (letters, digits, - and _)")


@check("frontmatter-unknown-key")
def frontmatter_unknown_key(doc, config):
    """A front matter key the site does not use (often a misspelling).

    Bad:  audiance: [police]
    Good: audience: [police]
    """
    meta = doc.meta if isinstance(doc.meta, dict) else {}
    known = set(REQUIRED) | set(OPTIONAL) | set(config.extra_front_matter_keys)
    for key in meta:
        if key not in known:
            close = [k for k in sorted(known) if _similar(str(key), k)]
            hint = f"did you mean `{close[0]}`? " if close else ""
            yield doc.meta_lines.get(str(key), 1), 1, (f"unknown front matter key `{key}`; {hint}known keys: "
                                                       f"{', '.join(REQUIRED + OPTIONAL)} (or add it to "
                                                       "extra_front_matter_keys in checks.yml)")


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.75
