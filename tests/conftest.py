"""Shared fixtures: build tiny multilingual sites from {path: text} dicts."""
from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
# Deterministic output without the Makefile too (it sets the last commit's date).
os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def fixture_config(tmp_path: Path, nav=None, **extra) -> dict:
    """A mkdocs.yml like the project's, pointing at the project's theme and data."""
    config = {
        "site_name": "Fixture",
        "site_url": "https://kb.example.org/",
        "docs_dir": "docs",
        "site_dir": "site",
        "strict": True,
        "theme": {"name": "material", "custom_dir": str(ROOT / "overrides"), "font": False},
        "plugins": [
            "search",
            {"tags": {"export": False}},
            {"kb": {"data_dir": str(ROOT / "data")}},
            {"i18n": {
                "docs_structure": "suffix",
                "fallback_to_default": True,
                "languages": [
                    {"locale": "en", "name": "English", "default": True, "build": True},
                    {"locale": "es", "name": "Español", "build": True},
                    {"locale": "pt", "name": "Português", "build": True},
                    {"locale": "fr", "name": "Français", "build": True},
                ],
            }},
        ],
        "markdown_extensions": ["admonition", "attr_list", "toc", "pymdownx.tasklist"],
        "validation": {"nav": {"not_found": "warn", "omitted_files": "warn"},
                       "links": {"not_found": "warn", "anchors": "warn"}},
    }
    if nav is not None:
        config["nav"] = nav
    config.update(extra)
    return config


def build(tmp_path: Path, files: dict[str, str], config: dict | None = None,
          env: dict | None = None) -> subprocess.CompletedProcess:
    """Write files under tmp_path/docs and run `mkdocs build` as `make site` does."""
    for name, text in files.items():
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config or fixture_config(tmp_path)), encoding="utf-8")
    run_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000", **(env or {})}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(tmp_path / "mkdocs.yml")],
                          cwd=tmp_path, capture_output=True, text=True, env=run_env)


def page(text_or_path) -> BeautifulSoup:
    text = Path(text_or_path).read_text(encoding="utf-8") if isinstance(text_or_path, Path) else text_or_path
    return BeautifulSoup(text, "lxml")


def md(title: str, body: str = "", **meta) -> str:
    """A page with the front matter the project requires."""
    front = {"title": title, "description": f"About {title}.", "audience": ["police"],
             "topics": ["investigation"], "last_reviewed": "2026-11-29", **meta}
    return "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n# " + title + "\n\n" + body + "\n"


# --- layers: what a test needs that `make test` builds first ---------------------
# A test that needs a built artefact skips with the reason when it is missing
# (a test file run alone), and fails instead under `make test`, which builds
# everything first and sets KB_REQUIRE_BUILT=1: nothing skips there.

def _needs(what: str, present: bool, how: str) -> None:
    if present:
        return
    message = f"{what} is missing: {how}"
    if os.environ.get("KB_REQUIRE_BUILT"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The real site, built by `make site` (make test builds it first)."""
    _needs("site/", (SITE / "index.html").exists(), "run `make site`")
    return SITE


@pytest.fixture(scope="session")
def built_pdfs() -> Path:
    """The real PDFs in build/downloads/, made by `make pdf`."""
    _needs("build/downloads/*.pdf", any((ROOT / "build" / "downloads").glob("*.pdf")), "run `make pdf`")
    return ROOT / "build" / "downloads"


@pytest.fixture(scope="session")
def built_offline() -> Path:
    """The offline zips in build/downloads/, made by `make offline`."""
    _needs("build/downloads/kb-offline-*.zip", any((ROOT / "build" / "downloads").glob("kb-offline-*.zip")),
           "run `make offline`")
    return ROOT / "build" / "downloads"


@pytest.fixture(scope="session")
def offline_copy(built_offline, tmp_path_factory):
    """lang -> the folder of that language's offline zip, extracted once per session."""
    import zipfile

    from kbtools import offline

    trees: dict[str, Path] = {}

    def get(lang: str) -> Path:
        if lang not in trees:
            target = tmp_path_factory.mktemp(f"offline-{lang}")
            with zipfile.ZipFile(built_offline / offline.zip_name(lang)) as zf:
                zf.extractall(target)
            (trees[lang],) = target.iterdir()  # the zip holds one folder
        return trees[lang]
    return get


LAYERS = {"built_site": "site", "built_pdfs": "pdf", "built_offline": "offline",
          "browser": "browser", "served_site": "browser", "recorded_page": "browser"}


def pytest_runtest_setup(item):
    """A test that renders PDFs needs WeasyPrint's fonts (make pdf-deps installs them)."""
    if item.get_closest_marker("pdf"):
        from kbtools.pdf import fonts

        try:
            fonts.font_dir()
            present = True
        except fonts.FontError:
            present = False
        _needs("the PDF fonts", present, "run `make pdf-deps` as root")


def pytest_collection_modifyitems(config, items):
    """Mark each test with the layers its fixtures need, so `-m` can select a layer."""
    for item in items:
        for fixture, layer in LAYERS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, layer))


# --- browser -------------------------------------------------------------

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def served_site(built_site):
    """The built site served on 127.0.0.1 for the length of the session."""
    from kbtools.localserver import serve

    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    _needs(f"Chromium at {CHROMIUM}", Path(CHROMIUM).exists(),
           "run `make browser` as root, or `sudo apt-get install chromium`")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageRecorder:
    """Everything a page did that a test may assert on."""

    def __init__(self, pw_page):
        self.page = pw_page
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        pw_page.on("request", lambda r: self.requests.append(r.url))
        # A request the browser cancels because the test moves to the next page
        # (net::ERR_ABORTED, e.g. a search worker still loading) is not a broken
        # resource; a missing one still shows as a 4xx response below.
        pw_page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
                   and self.failed.append(f"{r.url} ({r.failure})"))
        pw_page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} ({r.status})"))
        pw_page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        pw_page.on("pageerror", lambda e: self.console_errors.append(str(e)))


@pytest.fixture
def recorded_page(browser):
    context = browser.new_context()
    recorder = PageRecorder(context.new_page())
    yield recorder
    context.close()


# --- accessibility: axe-core, the one helper ----------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.1 A and AA


@functools.lru_cache(maxsize=1)
def _axe_source() -> str:
    import axe_playwright_python  # axe-core's axe.min.js, pinned through requirements.txt

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(p) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page `p` is showing, one line each.
    axe is evaluated through the DevTools protocol, so the page's CSP does not block it."""
    p.evaluate(_axe_source())
    result = p.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]]
