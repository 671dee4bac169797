"""The offline copies: one zip per language (make test runs `make offline` first),
checked as files and then opened from file:// in Chromium."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, _needs, axe_violations, page
from kbtools import downloads, nu, offline, theme
from kbtools import site_config
from kbtools.pdf import run
from test_accessibility_all import sample

CONFIG = site_config.load(ROOT)
LANGS = [lang.code for lang in CONFIG.languages]
FILES = ROOT / downloads.FILES
# A word of each language that the guides use often, for the search test.
QUERY = {"en": "evidence", "es": "pruebas", "pt": "provas", "fr": "preuves"}
GUIDE, CHAPTER = "investigation", "legal-elements"


# Every test here reads the zips `make offline` made.
pytestmark = [pytest.mark.offline, pytest.mark.usefixtures("built_offline")]


def zip_path(lang: str) -> Path:
    return FILES / offline.zip_name(lang)


def manifest_entry(name: str) -> dict:
    return next(e for e in downloads.load(ROOT / downloads.MANIFEST) if e["name"] == name)


@pytest.fixture(scope="session")
def unzipped(offline_copy):
    """lang -> the start page of its extracted zip, as the downloads manifest names it."""
    return lambda lang: offline_copy(lang).parent / manifest_entry(offline.zip_name(lang))["start"]


@pytest.mark.parametrize("lang", LANGS)
def test_zip_is_deterministic_and_holds_the_languages_pdfs(lang):
    path = zip_path(lang)
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        folder = offline.zip_name(lang)[: -len(".zip")]
        assert names == sorted(names)
        assert all(n.startswith(folder + "/") for n in names)
        assert len({i.date_time for i in infos}) == 1
        assert {i.external_attr >> 16 for i in infos} == {0o644}
        prefix = f"{folder}/{CONFIG.language(lang).prefix}downloads/"
        pdfs = {n[len(prefix):] for n in names if n.endswith(".pdf")}
        assert all(n.startswith(prefix) for n in names if n.endswith(".pdf"))
        expected = [e for e in downloads.load(ROOT / downloads.MANIFEST) if e["lang"] == lang and e["kind"] == "pdf"]
        # Every book (guides, training) and every tool in both papers.
        books = sum(len(run.book_papers(CONFIG, book)) for book in CONFIG.books)  # the training kit twice
        assert pdfs == {e["name"] for e in expected} and len(pdfs) == books + 2 * len(CONFIG.tools)
        for e in expected:
            assert len(zf.read(prefix + e["name"])) == e["bytes"]
        assert f"{folder}/{offline.SHIM}" in names
        assert not [n for n in names if n.endswith((".map", ".zip"))]
    e = manifest_entry(path.name)
    assert (e["kind"], e["bytes"], e["sha256"]) == ("zip", path.stat().st_size, downloads.sha256(path))


@pytest.mark.parametrize("lang", LANGS)
def test_offline_pages_load_nothing_from_another_origin(unzipped, lang):
    start = unzipped(lang)
    site = start.parent.parent if CONFIG.language(lang).prefix else start.parent
    assert (site / "assets").is_dir()
    for html in sorted(site.rglob("*.html")):
        doc = page(html)
        sources = [s["src"] for s in doc.select("script[src]")]
        sources += [link["href"] for link in doc.select("link[href]")
                    if set(link.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload", "manifest"}]
        remote = [s for s in sources if "://" in s or s.startswith("//")]
        assert remote == [], f"{html.relative_to(site)} loads {remote}"
        assert "unpkg.com" not in html.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_offline_links_to_pages_name_their_file(unzipped, lang):
    """The copy is derived from site/, whose links end in a folder: each must reach a file."""
    start = unzipped(lang)
    site = start.parent.parent if CONFIG.language(lang).prefix else start.parent
    for html in sorted(site.rglob("*.html")):
        doc = page(html)
        for a in doc.select("a[href]"):
            href = a["href"].split("#")[0].split("?")[0]
            if not href or "://" in href or href.startswith(("//", "mailto:", "tel:")):
                continue
            target = (html.parent / href).resolve()
            assert not target.is_dir(), f"{html.relative_to(site)} links to the folder {a['href']}"


@pytest.mark.parametrize("lang", LANGS)
def test_offline_downloads_page_links_the_bundled_pdfs(unzipped, lang):
    start = unzipped(lang)
    listing = page(start.parent / "downloads" / "index.html")  # the site's layout (derived from site/)
    links = {a["href"] for a in listing.select("a[href$='.pdf']")}
    expected = {e['name'] for e in downloads.load(ROOT / downloads.MANIFEST)
                if e["lang"] == lang and e["kind"] == "pdf"}
    assert links == expected
    for href in links:
        assert (start.parent / "downloads" / href).is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_site_has_every_listed_file_beside_its_downloads_page(built_site, lang):
    folder = built_site / CONFIG.language(lang).prefix / "downloads"
    links = {a["href"] for a in page(folder / "index.html").select("a[download]")}
    expected = [e for e in downloads.load(ROOT / downloads.MANIFEST) if e["lang"] == lang]
    assert links == {e["name"] for e in expected}
    assert {e["kind"] for e in expected} == {"pdf", "zip"}
    for e in expected:
        assert downloads.sha256(folder / e["name"]) == e["sha256"]


def open_copy(unzipped, recorded_page, lang):
    """The unzipped copy's start page, opened from file:// at a desktop size."""
    p = recorded_page.page
    p.set_viewport_size({"width": 1280, "height": 900})
    start = unzipped(lang)
    p.goto(start.as_uri())
    return p, start


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_offline_copy_opens_and_follows_links_from_file(unzipped, recorded_page, lang):
    p, start = open_copy(unzipped, recorded_page, lang)
    assert p.locator("html").get_attribute("lang") == lang
    p.locator(f"article a[href='{GUIDE}/index.html']").first.click()
    p.wait_for_load_state()
    assert p.url == (start.parent / GUIDE / "index.html").as_uri()
    p.locator(f"article a[href^='{CHAPTER}/index.html']").first.click()
    p.wait_for_load_state()
    assert p.url.split("#")[0] == (start.parent / GUIDE / CHAPTER / "index.html").as_uri()
    built = page(CONFIG.page_file(f"{GUIDE}/{CHAPTER}.md", CONFIG.language(lang))).select_one("article h1")
    assert p.locator("article h1").first.inner_text().rstrip("¶").strip() == built.get_text().rstrip("¶").strip()
    assert recorded_page.failed == []
    assert recorded_page.requests and all(url.startswith("file://") for url in recorded_page.requests)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_offline_search_finds_pages_in_its_language(unzipped, recorded_page, lang):
    p, start = open_copy(unzipped, recorded_page, lang)
    p.keyboard.press("/")
    p.keyboard.type(QUERY[lang])
    p.wait_for_selector(".md-search-result__item", timeout=10_000)
    hrefs = [a.get_attribute("href") for a in p.query_selector_all(".md-search-result__link")]
    assert hrefs
    resolved = [p.evaluate("h => new URL(h, document.baseURI).href", h) for h in hrefs]
    home = start.parent.as_uri() + "/"
    others = [f"{home}{other.code}/" for other in CONFIG.languages if other.prefix and other.code != lang]
    assert all(url.startswith(home) and not url.startswith(tuple(others)) for url in resolved)
    assert recorded_page.console_errors == []
    assert all(url.startswith("file://") for url in recorded_page.requests)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_offline_search_answers_text_inserted_without_key_events(unzipped, recorded_page, lang):
    """Dictated or pasted text (an input event, no key) is searched from file:// too."""
    p, start = open_copy(unzipped, recorded_page, lang)
    p.keyboard.press("/")
    # A typed word that finds nothing first: once answered, the worker's READY
    # (which makes Material read the box again) is past.
    p.keyboard.type("zqxj")
    p.wait_for_function("""() => {
        const words = JSON.parse(document.getElementById('__config').textContent).translations['search.result.none'];
        return document.querySelector('.md-search-result__meta').textContent.trim() === words;
    }""", timeout=10_000)
    p.evaluate("document.querySelector('.md-search__input').select()")
    p.keyboard.insert_text(QUERY[lang])
    p.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert p.locator(".md-search-result__link mark").count() > 0
    assert recorded_page.console_errors == []


# --- the copies' own markup: what a reader opens from file:// ---------------------

def test_every_page_of_every_offline_copy_is_valid_html(offline_copy):
    """The Nu Html Checker over each zip's pages as extracted (file:// links, the
    search's script twins, the shim): the same bar as the site's."""
    _needs("the Nu Html Checker", nu.missing() is None, nu.missing() or "")
    errors = []
    for lang in LANGS:
        folder = offline_copy(lang)
        assert len(list(folder.rglob("*.html"))) > 300, lang  # every language's pages, 404s included
        errors += [f"{lang}: {f}" for f in nu.unexpected(nu.check(folder), theme.NU_ALLOWED)]
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_offline_pages_have_no_accessibility_violations(offline_copy, unzipped, recorded_page, lang):
    """axe on a page of each type (test_accessibility_all.sample: the same choice as for
    the site) and on the search results, opened from file://. (Console errors are not
    read here: axe reads the stylesheets with XMLHttpRequest, which file:// refuses and
    logs; the tests above read the pages' own.)"""
    p = recorded_page.page
    tree = offline_copy(lang)
    found = {}
    for name, path in sample(tree, CONFIG.language(lang)).items():
        target = tree / (path + "index.html" if path == "" or path.endswith("/") else path)
        assert target.is_file(), (name, path)
        p.goto(target.as_uri())
        found[f"{name} ({path or '/'})"] = axe_violations(p)
    p.goto(unzipped(lang).as_uri())
    p.keyboard.press("/")
    p.keyboard.type(QUERY[lang])
    p.wait_for_selector(".md-search-result__item", timeout=10_000)
    found["search results"] = axe_violations(p)
    assert {name: v for name, v in found.items() if v} == {}
