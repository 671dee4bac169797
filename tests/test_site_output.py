"""Checks of the real site built by `make site`."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from kbtools import downloads, site_config
from conftest import ROOT, page

LANGS = {"en": "", "es": "es/", "pt": "pt/", "fr": "fr/"}
SITE_ORIGIN = "kb.example.org"


def html_files(site: Path):
    return sorted(site.rglob("*.html"))


@pytest.mark.parametrize("lang, prefix", LANGS.items())
def test_home_page_per_language_routes_every_kind_of_reader(built_site, lang, prefix):
    doc = page(built_site / prefix / "index.html")
    assert doc.html["lang"] == lang
    assert doc.find("meta", attrs={"name": "translation-status"})["content"] == "translated"
    targets = {a["href"].split("#")[0].strip("/").split("/")[0] for a in doc.select("article dl a")}
    assert targets >= {"investigation", "migration", "tourism", "cooperation", "lgbtiq", "legal-frameworks"}


def test_every_page_has_a_translation_status(built_site):
    allowed = {"translated", "outdated", "fallback"}
    for path in html_files(built_site):
        doc = page(path)
        if doc.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # redirect stubs
        meta = doc.find("meta", attrs={"name": "translation-status"})
        assert meta is not None and meta["content"] in allowed, path


def test_no_resource_from_another_origin(built_site):
    """Nothing in site/ loads from elsewhere: every src= and <link href> stays on the site."""
    offenders = []
    for path in html_files(built_site):
        doc = page(path)
        urls = [tag["src"] for tag in doc.find_all(src=True)]
        urls += [tag["href"] for tag in doc.find_all("link", href=True)]
        for url in urls:
            parsed = urlparse(url)
            if parsed.scheme in ("http", "https") or url.startswith("//"):
                if parsed.hostname != SITE_ORIGIN:
                    offenders.append(f"{path.relative_to(built_site)}: {url}")
    assert offenders == []


def test_two_builds_are_byte_identical(built_site, tmp_path):
    """A second build of the same commit equals site/ byte for byte (after the same
    downloads step, when `make downloads` has run on site/)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.setdefault("SOURCE_DATE_EPOCH", subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True).stdout.strip() or "315532800")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "again")],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    manifest = ROOT / downloads.MANIFEST
    if (built_site / "downloads" / "index.html").read_text(encoding="utf-8").count("kb-sha256"):
        config = site_config.load(ROOT)
        downloads.place_all(tmp_path / "again", manifest, config.languages, directory_urls=config.directory_urls)
    diff = filecmp.dircmp(built_site, tmp_path / "again")
    differing = []

    def walk(d, prefix=""):
        differing.extend(prefix + name for name in d.diff_files + d.left_only + d.right_only)
        for name, sub in d.subdirs.items():
            walk(sub, f"{prefix}{name}/")
    walk(diff)
    # dircmp compares shallowly (size, mtime); compare bytes of everything.
    for path in built_site.rglob("*"):
        if path.is_file():
            other = tmp_path / "again" / path.relative_to(built_site)
            if other.exists() and path.read_bytes() != other.read_bytes():
                differing.append(str(path.relative_to(built_site)))
    assert sorted(set(differing)) == []


@pytest.mark.parametrize("prefix", ["", "es/", "fr/", "pt/"])
def test_navigation_holds_the_open_guide_and_one_link_to_each_other(built_site, prefix):
    """navigation.prune: a page's sidebar lists the pages of its own guide and each other
    guide as one link to its overview, not every page of the site (a phone downloads it
    with every page)."""
    nav = page(built_site / prefix / "investigation/evidence/index.html").select_one("nav.md-nav--primary")
    links = {a["href"] for a in nav.select("a.md-nav__link[href]")}
    assert {"../trial/", "../legal-elements/", "../../migration/", "../../tourism/"} <= links
    others = [guide.slug for guide in site_config.load(ROOT).guides if guide.slug != "investigation"]
    assert len(others) >= 5
    inside_other_guides = [link for link in links for guide in others
                           if link.startswith(f"../../{guide}/") and link != f"../../{guide}/"]
    assert not inside_other_guides
