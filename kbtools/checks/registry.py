"""Findings and the registry of checks.

A check is a small function registered by name (its code, e.g. `link-broken`)
that yields `(line, col, message)` for one document. Its docstring is its help:
a first line saying what it finds, then `Bad:` and `Good:` examples, which
`--list` prints (the sphinx-lint way).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

SEVERITIES = ("error", "warning", "off")


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    code: str
    severity: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


@dataclass(frozen=True)
class Check:
    code: str
    function: Callable[..., Iterable[tuple[int, int, str]]]
    # "file": sees one document; "project": also sees every other document
    # (after all files are read), for links, anchors, translations and parity.
    scope: str
    # Which source trees it runs on: "site" (guides/) and/or "handbook" (docs/).
    kinds: tuple[str, ...]
    severity: str
    # A project check's per-file step: `prepare(doc, config)` runs in phase 1, while the
    # document still has its text, and its result is kept in `doc.prepared[code]` for phase 2
    # (which sees the structure only). None for the other checks.
    prepare: Callable | None = None

    @property
    def summary(self) -> str:
        """The docstring's first paragraph, on one line."""
        return " ".join((self.function.__doc__ or "").strip().split("\n\n")[0].split())

    def example(self, label: str) -> str:
        """The text after `Bad:` or `Good:` in the docstring (may span indented lines)."""
        doc = self.function.__doc__ or ""
        match = re.search(rf"^\s*{label}:[ \t]*(.*(?:\n(?!\s*(?:Bad|Good):)\s+\S.*)*)", doc, re.M)
        if not match:
            return ""
        lines = match.group(1).splitlines()
        return "\n".join([lines[0]] + [ln.strip() for ln in lines[1:]]).strip()


REGISTRY: dict[str, Check] = {}


def check(code: str, scope: str = "file", kinds=("site",), severity: str = "error", prepare=None):
    """Register a check under `code`."""
    def register(function):
        if code in REGISTRY:
            raise ValueError(f"check {code} registered twice")
        REGISTRY[code] = Check(code, function, scope, tuple(kinds), severity, prepare)
        return function
    return register
