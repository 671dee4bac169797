"""Reading Markdown pages: front matter, body, and the content hash translations record.

One definition of the source hash lives here (`source_hash`); the build, the
validators and the status report all call it, so they cannot disagree.
"""
from __future__ import annotations

import hashlib
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

    Raises FrontMatterError when an opening fence is never closed.
    """
    text = normalise(text)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in (FENCE, "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise FrontMatterError("front matter opened with '---' on line 1 is never closed; add a closing '---' line", 1)


def parse(text: str) -> Page:
    """Parse a page; raises FrontMatterError on YAML that is not a mapping."""
    meta_text, body, body_line = split(text)
    meta: dict = {}
    if meta_text is not None and meta_text.strip():
        try:
            loaded = yaml.safe_load(meta_text)
        except ValueError as exc:  # e.g. an impossible date such as 2026-13-01
            raise FrontMatterError(f"front matter has a value YAML cannot read: {exc}", 2) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise FrontMatterError(f"front matter is not valid YAML: {problem}", line) from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise FrontMatterError(
                f"front matter must be a mapping of keys to values, found {type(loaded).__name__}", 2)
        meta = loaded
    return Page(meta_text, body, body_line, meta)


def source_hash(text: str) -> str:
    """Content hash of a reference page: SHA-256 of the body without front matter.

    Leading and trailing blank space is ignored so that editors' trailing
    newlines do not mark every translation outdated. First 12 hex characters.
    """
    try:
        _, body, _ = split(text)
    except FrontMatterError:
        body = normalise(text)
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()[:12]
