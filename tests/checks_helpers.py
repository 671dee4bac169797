"""Helpers for the tests of the validation suite (kbtools/checks)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from kbtools import checks
from kbtools.frontmatter import source_hash

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checks"
HASH = "HASH_OF_EN"  # in fixture translations: the hash of the sibling .en.md, filled in on copy


def copy_fixture(source: Path, target: Path) -> Path:
    """Copy a fixture project, filling in each translation's source_hash."""
    shutil.copytree(source, target)
    for path in target.rglob("*.md"):
        raw = path.read_bytes()
        if HASH.encode() in raw:
            english = path.with_name(re.sub(r"\.[a-z]{2}\.md$", ".en.md", path.name))
            path.write_bytes(raw.replace(HASH.encode(), source_hash(english.read_text(encoding="utf-8")).encode()))
    return target


def run(root: Path, only=None, **kwargs):
    """Findings of a check run on the project at root (every check that is not off, or `only`)."""
    config = checks.load(root)
    codes = checks.selected(config, only=only) if only is not None else checks.selected(config)
    if only is not None:
        for code in only:  # a check that is off by default runs when asked for
            if config.severity_of(code) == "off":
                config.severity[code] = "error"
    findings, _ = checks.run(config, codes, raise_errors=kwargs.pop("raise_errors", True), **kwargs)
    return findings


def expected(code: str) -> list[tuple[str, int, str]]:
    lines = (FIXTURES / code / "expected.txt").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.strip() and not line.startswith("#"):
            where, found = line.rsplit(": ", 1)
            path, number = where.rsplit(":", 1)
            out.append((path, int(number), found))
    return sorted(out)


def page(title: str, body: str = "", lang: str = "en", **meta) -> str:
    keys = {"title": title, "description": f"About {title.lower()}.", "audience": "[police]",
            "topics": "[evidence]", "last_reviewed": "2026-11-29", **meta}
    front = "".join(f"{key}: {value}\n" for key, value in keys.items())
    return f"---\n{front}---\n\n# {title}\n\n{body}\n"


def write(root: Path, files: dict) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
