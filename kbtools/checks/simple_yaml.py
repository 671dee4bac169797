"""Front matter in the plain form pages use, read without a YAML parser.

Reading YAML costs more than everything else a check does to a page, and
nearly every page's front matter is `key: plain text`, `key: [a, b]` or
`key: 2026-11-29` lines. `load()` reads exactly that subset, deciding types
with PyYAML's own resolver, and returns None for anything else (comments,
quotes, nesting, numbers, ...), which then goes to the real YAML parser.
tests/test_checks_properties.py checks that it always agrees with PyYAML.
"""
from __future__ import annotations

import datetime
import re

import yaml

_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*?))? *")
ITEM = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
START = set("-?:,[]{}#&*!|>'\"%@`")


def _tag(value: str) -> str:
    return _RESOLVER.resolve(yaml.nodes.ScalarNode, value, (True, False))


def _scalar(value: str):
    """The value of a plain scalar, or raise ValueError when this subset does not cover it."""
    if value[0] in START or ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        raise ValueError(value)
    tag = _tag(value)
    if tag == _STR:
        return value
    date = DATE.fullmatch(value)
    if tag == "tag:yaml.org,2002:timestamp" and date:
        return datetime.date(*map(int, date.groups()))  # an impossible date raises ValueError
    raise ValueError(value)


def _value(value: str):
    if value.startswith("[") and value.endswith("]"):
        inner = value[1:-1].strip()
        if not inner:
            return []
        items = [item.strip() for item in inner.split(",")]
        if not all(ITEM.fullmatch(item) and _tag(item) == _STR for item in items):
            raise ValueError(value)
        return items
    return _scalar(value)


def load(text: str) -> dict | None:
    """The mapping `text` holds, or None when it is not in the simple subset."""
    out = {}
    for line in text.split("\n"):
        if not line.strip():
            continue
        match = LINE.fullmatch(line)
        if match is None or match.group(1) in out or _tag(match.group(1)) != _STR:
            return None
        if not match.group(2):
            return None
        try:
            out[match.group(1)] = _value(match.group(2))
        except ValueError:
            return None
    return out or None
