"""axe-core in Chromium (WCAG 2.1 A and AA), 0 violations: every page of the
reference language; in every other language a page of each type (each section's
overview and one of its pages, every page of its own, a checklist, the pages a
reader of each kind meets, the 404 page); and in every language, search results
and a self-check's answer opened from the keyboard.

One browser page per test; axe is injected once into each page it visits
(conftest.axe_violations, the one helper). The reference language's pages are
split into a few tests so that test processes share them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, axe_violations
from kbtools import site_config
from test_browser_safety import PAGES

pytestmark = pytest.mark.browser

CONFIG = site_config.load(ROOT)
REFERENCE = CONFIG.reference
OTHERS = [lang for lang in CONFIG.languages if not lang.default]
CHUNKS = 4  # the reference language's pages, in this many tests
REDIRECT = re.compile(rb'<meta http-equiv="refresh"', re.I)
CHECKLIST = re.compile(rb'class="task-list-item')


def pages_of(site: Path, lang: site_config.Language) -> list[str]:
    """Every page of `lang` as a path below the site root ('investigation/evidence/', '404.html')."""
    root = site / lang.prefix if lang.prefix else site
    others = [site / other.prefix for other in CONFIG.languages if other.prefix and other is not lang]
    paths = []
    for html in sorted(root.rglob("*.html")):
        if any(html.is_relative_to(other) for other in others) or REDIRECT.search(html.read_bytes()[:2000]):
            continue
        path = html.relative_to(site).as_posix()
        paths.append(path[: -len("index.html")] if path.endswith("/index.html") or path == "index.html" else path)
    return paths


def page_type(path: str, lang: site_config.Language) -> str:
    """'home', '404', a page of its own ('glossary'), or a section's 'overview' or 'page'."""
    parts = path[len(lang.prefix):].strip("/").split("/")
    if parts == [""]:
        return "home"
    if parts[-1] == "404.html":
        return "404"
    return parts[0] if len(parts) == 1 else f"{parts[0]} page"


def types(site: Path, lang: site_config.Language) -> dict[str, str]:
    """A page of each type of `lang` (the first, in path order), a checklist, and the
    pages test_browser_safety.PAGES names for a reader of each kind."""
    chosen: dict[str, str] = {}
    for path in pages_of(site, lang):
        chosen.setdefault(page_type(path, lang), path)
        file = site / (path + "index.html" if path.endswith("/") or not path else path)
        if "checklist" not in chosen and CHECKLIST.search(file.read_bytes()):
            chosen["checklist"] = path
    for name, path in PAGES.items():
        chosen.setdefault(name, lang.prefix + path)
    return chosen


def sample(site: Path, lang: site_config.Language) -> dict[str, str]:
    """`types`, a page chosen for two types checked once."""
    once: dict[str, str] = {}
    for name, path in types(site, lang).items():
        once.setdefault(path, name)
    return {name: path for path, name in once.items()}


def check(p, base: str, pages: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for name, path in pages.items():
        response = p.goto(base + path)
        assert response is not None and (response.ok or path.endswith("404.html")), (name, path)
        found[f"{name} ({path or '/'})"] = axe_violations(p)
    return {name: v for name, v in found.items() if v}


def test_the_sample_covers_every_type_the_issue_names(built_site):
    for lang in OTHERS:
        chosen = types(built_site, lang)
        for kind in ("home", "404", "glossary", "countries page", "tools page", "training page", "checklist",
                     "downloads", "case-law", "investigation", "investigation page"):
            assert kind in chosen, (lang.code, kind)
        assert chosen["404"] == lang.prefix + "404.html"
        assert set(sample(built_site, lang).values()) == set(chosen.values())
    assert len(pages_of(built_site, REFERENCE)) > 80


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_page_of_the_reference_language_has_no_axe_violation(served_site, recorded_page, built_site, chunk):
    every = pages_of(built_site, REFERENCE)
    mine = every[chunk::CHUNKS]
    assert mine
    assert check(recorded_page.page, served_site, {path or "home": path for path in mine}) == {}


@pytest.mark.parametrize("lang", [lang.code for lang in OTHERS])
def test_a_page_of_each_type_has_no_axe_violation(served_site, recorded_page, built_site, lang):
    assert check(recorded_page.page, served_site, sample(built_site, CONFIG.language(lang))) == {}


@pytest.mark.parametrize("lang", [lang.code for lang in CONFIG.languages])
def test_search_results_and_an_open_answer_have_no_axe_violation(served_site, recorded_page, lang):
    p = recorded_page.page
    prefix = CONFIG.language(lang).prefix
    found = {}
    # The self-check's answers, opened as a reader opens them (keyboard: focus, Enter).
    p.goto(served_site + prefix + PAGES["self-check"])
    summary = p.locator("details summary").first
    summary.focus()
    p.keyboard.press("Enter")
    assert p.locator("details").first.get_attribute("open") is not None
    found["self-check, answer open"] = axe_violations(p)
    p.click(".md-search__input", force=True)
    p.keyboard.type("victim", delay=20)
    p.wait_for_selector(".md-search-result__item")
    found["search results"] = axe_violations(p)
    assert {name: v for name, v in found.items() if v} == {}


def test_the_helper_reports_a_violation(served_site, recorded_page):
    """The check is not vacuous: a page with an unnamed checklist box fails."""
    p = recorded_page.page
    p.goto(served_site + PAGES["checklist chapter"])
    p.evaluate("document.querySelector('article input[type=checkbox]').removeAttribute('aria-label')")
    assert [v for v in axe_violations(p) if v.startswith("label:")]
