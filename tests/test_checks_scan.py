"""The checks read Markdown with regular expressions (kbtools/checks/scan.py) for speed
and line numbers; here they must agree with Python-Markdown, configured as in
mkdocs.yml, on every page: the same ids (anchors) and the same link targets."""
from __future__ import annotations

import re

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from checks_helpers import FIXTURES
from kbtools import checks
from kbtools.checks import runner
from kbtools.site_config import read_yaml
from kbtools.frontmatter import split

ROOT = Path(__file__).resolve().parent.parent


def extensions() -> list:
    config = read_yaml(ROOT / "mkdocs.yml")
    out = []
    for item in config["markdown_extensions"]:
        name = next(iter(item)) if isinstance(item, dict) else item
        out.append(name)
    return out


EXTENSIONS = extensions()
# Pages whose markers (<!-- kb:... -->, <!-- material/tags -->) the build expands
# before Python-Markdown sees them are compared in their built form elsewhere
# (tests/test_content.py), not here.
MARKER = re.compile(r"^<!--\s*(kb:|material/tags)", re.M)
PAGES = [p for p in sorted((ROOT / "guides").rglob("*.md")) + sorted(FIXTURES.glob("*/good/guides/**/*.md"))
         if not MARKER.search(p.read_text(encoding="utf-8", errors="replace"))]


def rendered(path: Path) -> tuple[set, list]:
    _, body, _ = split(path.read_text(encoding="utf-8"))
    soup = BeautifulSoup(markdown.Markdown(extensions=EXTENSIONS).convert(body), "lxml")
    ids = {tag["id"] for tag in soup.find_all(id=True) if not tag["id"].startswith(("fn:", "fnref:"))}
    hrefs = [a["href"] for a in soup.find_all("a", href=True) if not a["href"].startswith(("#fn:", "#fnref:"))]
    srcs = [img["src"] for img in soup.find_all("img", src=True)]
    return ids, sorted(hrefs + srcs)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_scan_agrees_with_python_markdown(path):
    config = checks.load(ROOT)
    doc = runner.read_document(config, path.relative_to(ROOT).as_posix(), "site", path.name)
    assert not doc.markers
    ids, targets = rendered(path)
    assert doc.ids == ids
    assert sorted(link.target for link in doc.links if link.kind != "reference") == targets
