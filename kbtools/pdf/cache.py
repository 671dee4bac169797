"""Incremental PDFs: a file is rendered again only when one of its inputs changed.

The key hashes everything the bytes depend on: the assembled HTML (chapter
text, titles, dates, notices, labels), the stylesheets, the font files, the
WeasyPrint version and options, and this package's code. Nothing else (not
the build time, not the rest of the site) may change a PDF, so the same key
means the same bytes.
"""
from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from kbtools.pdf import fonts
from kbtools.pdf.typeset import PDF_OPTIONS

PACKAGE = Path(__file__).resolve().parent


def code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.glob("*.py")) + sorted(PACKAGE.glob("*.css")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def environment() -> str:
    """The part of every key that does not depend on the guide."""
    parts = [code_fingerprint(), fonts.fingerprint(), version("weasyprint"), version("pydyf"),
             json.dumps(PDF_OPTIONS, sort_keys=True)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def key(html: str, stylesheets: list[str], env: str) -> str:
    digest = hashlib.sha256(env.encode())
    for text in [html, *stylesheets]:
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()


class Cache:
    """build/pdf-cache.json: {file name: {key, bytes, pages}} of the PDFs last written."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def fresh(self, out: Path, key: str) -> dict | None:
        """The cached record when `out` exists as written for this key, else None."""
        record = self.entries.get(out.name)
        if record and record.get("key") == key and out.is_file() and out.stat().st_size == record.get("bytes"):
            return record
        return None

    def record(self, out: Path, key: str, pages: int) -> None:
        self.entries[out.name] = {"key": key, "bytes": out.stat().st_size, "pages": pages}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.entries, indent=2, sort_keys=True) + "\n", encoding="utf-8")
