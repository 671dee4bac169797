"""Reading Markdown pages: front matter, body, and the content hash translations record.

One definition of the source hash lives here (`source_hash`); the build, the
validators and the status report all call it, so they cannot disagree.
"""
from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field

import yaml

FENCE = "---"


class FrontMatterError(ValueError):
    """Front matter that cannot be read; `line` is 1-based in the file."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


def normalise(text: str) -> str:
    """Text as the tools see it: no BOM, LF line ends."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Page:
    meta_text: str | None  # raw YAML between the fences, None when absent
    body: str
    body_line: int  # 1-based line in the file where the body starts
    meta: dict = field(default_factory=dict)


def split(text: str) -> tuple[str | None, str, int]:
    """Split text into (front matter YAML or None, body, first body line).

    Raises FrontMatterError when an opening fence is never closed. Reads line by line
    only as far as the closing fence (`kb check` reads every page of the site).
    """
    text = normalise(text)
    first = text.find("\n")
    if (text if first < 0 else text[:first]).rstrip() != FENCE:
        return None, text, 1
    start, number = first + 1, 2
    while first >= 0:
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.rstrip() in (FENCE, "..."):
            return text[first + 1:max(start - 1, first + 1)], "" if end < 0 else text[end + 1:], number + 1
        if end < 0:
            break
        start, number = end + 1, number + 1
    raise FrontMatterError("front matter opened with '---' on line 1 is never closed; add a closing '---' line", 1)


# The loader MkDocs reads front matter with (mkdocs.utils.meta: libyaml's where PyYAML
# has it): the build, the checks and the status report read every page as one, and
# libyaml is several times faster (make bench SECTION=checks).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> Page:
    """Parse a page; raises FrontMatterError on YAML that is not a mapping."""
    meta_text, body, body_line = split(text)
    meta: dict = {}
    if meta_text is not None and meta_text.strip():
        try:  # with its last line break, as MkDocs reads it (a block scalar keeps it)
            loaded = yaml.load(meta_text + "\n", Loader=LOADER)  # noqa: S506 (a safe loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise FrontMatterError(f"front matter is not valid YAML: {problem}", line) from None
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            # YAML that scans but cannot be built, e.g. the date 2026-13-01 (no line from PyYAML).
            raise FrontMatterError(f"front matter cannot be read ({exc}); write dates as real dates, "
                                   "YYYY-MM-DD", _bad_value_line(meta_text)) from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise FrontMatterError(
                f"front matter must be a mapping of keys to values, found {type(loaded).__name__}", 2)
        meta = loaded
    return Page(meta_text, body, body_line, meta)


def _bad_value_line(meta_text: str) -> int:
    """The file line of the first impossible date in the front matter, else 2."""
    for number, line in enumerate(meta_text.split("\n"), 2):
        match = re.search(r":\s*(\d{4})-(\d{1,2})-(\d{1,2})\b", line)
        if match:
            try:
                datetime.date(*map(int, match.groups()))
            except ValueError:
                return number
    return 2


def source_hash(text: str) -> str:
    """Content hash of a reference page: SHA-256 of its body without front matter, first 12 hex characters.

    White space that does not change the page is left out: the line breaks and
    indentation inside a paragraph, list item or box body (each text block of
    kbtools/segment.py is hashed as its words joined by single spaces, after its
    prefix), trailing blanks, runs of blank lines, and leading and trailing
    blank space. Why: pages are written one sentence per line (`kb fmt`), and
    re-wrapping a paragraph, or splitting a sentence that was written on one
    line with the next, is not a change of text, so it must not mark every
    translation of the page outdated. Any change of a word, of punctuation or
    of structure (a heading, a list item, a table cell) still changes the hash.
    Tables, code and HTML are hashed line by line as written.
    """
    from kbtools import segment

    try:
        _, body, _ = split(text)
    except FrontMatterError:
        body = normalise(text)
    out: list[str] = []
    for block in segment.parse(body.split("\n")):
        if block.kind == "text":
            out.append(block.prefix.rstrip() + " " + " ".join(t for t in block.texts if t))
        elif block.kind == "blank":
            if out and out[-1] != "":
                out.append("")
        else:
            out.extend(line.rstrip() for line in block.lines)
    return hashlib.sha256("\n".join(out).strip().encode("utf-8")).hexdigest()[:12]


def legacy_source_hash(text: str) -> str:
    """The hash translations recorded before `source_hash` left out the white space inside
    paragraphs (December 2026): the stripped body as written. `kb translate --diff` still
    finds the English revision an outdated translation records with it."""
    try:
        _, body, _ = split(text)
    except FrontMatterError:
        body = normalise(text)
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()[:12]
