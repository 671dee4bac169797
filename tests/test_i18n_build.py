"""The multilingual build: language, translation status, fallback notice,
language switcher, hreflang, sitemaps, 404 pages, strict failures."""
from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from conftest import build, fixture_config, md, page
from kbtools import data
from kbtools.frontmatter import source_hash

pytestmark = pytest.mark.build

HOME_EN = md("Home", "Welcome. See [the chapter](chapter.md).")
CHAPTER_EN = md("Chapter", "## Section { #section }\n\nEnglish text of the chapter.")


def translation(title: str, body: str, of: str) -> str:
    return md(title, body, source_hash=source_hash(of))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("i18n")
    files = {
        "index.en.md": HOME_EN,
        "index.es.md": translation("Inicio", "Bienvenida. Vea [el capítulo](chapter.md).", HOME_EN),
        "index.pt.md": translation("Início", "Bem-vindo. Veja [o capítulo](chapter.md).", HOME_EN),
        "index.fr.md": translation("Accueil", "Bienvenue. Voir [le chapitre](chapter.md).", HOME_EN),
        "chapter.en.md": CHAPTER_EN,
        "chapter.es.md": translation("Capítulo", "## Sección { #section }\n\nTexto en español.", CHAPTER_EN),
        # pt and fr have no chapter: they fall back to English.
    }
    result = build(tmp, files, fixture_config(tmp, nav=["index.md", "chapter.md"]))
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def meta_status(doc) -> str:
    return doc.find("meta", attrs={"name": "translation-status"})["content"]


@pytest.mark.parametrize("path, lang, status", [
    ("index.html", "en", "translated"),
    ("chapter/index.html", "en", "translated"),
    ("es/index.html", "es", "translated"),
    ("es/chapter/index.html", "es", "translated"),
    ("pt/chapter/index.html", "pt", "fallback"),
    ("fr/chapter/index.html", "fr", "fallback"),
])
def test_every_page_says_its_language_and_status(site, path, lang, status):
    doc = page(site / path)
    assert doc.html["lang"] == lang
    assert meta_status(doc) == status


def test_fallback_page_shows_notice_in_readers_language_and_marks_english_text(site):
    doc = page(site / "pt/chapter/index.html")
    notice = doc.select_one("[data-kb-notice=fallback]")
    assert notice is not None
    assert notice.get_text(" ", strip=True) == (
        "Esta página ainda não está disponível em Português; você está lendo a versão em inglês.")
    # The English text is wrapped in an element that says it is English.
    text = doc.find(string=lambda s: "English text of the chapter." in s)
    assert text.find_parent(attrs={"lang": True})["lang"] == "en"
    assert doc.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_translated_page_has_no_notice_and_no_foreign_lang(site):
    doc = page(site / "es/chapter/index.html")
    assert doc.select("[data-kb-notice]") == []
    article = doc.select_one("article")
    assert article.find(attrs={"lang": True}) is None


def test_switcher_links_point_to_the_same_page_in_each_language(site):
    doc = page(site / "es/chapter/index.html")
    base = "https://kb.example.org/es/chapter/"
    links = {a["hreflang"]: urljoin(base, a["href"]) for a in doc.select("a.md-select__link")}
    assert links == {
        "en": "https://kb.example.org/chapter/",
        "es": "https://kb.example.org/es/chapter/",
        "pt": "https://kb.example.org/pt/chapter/",
        "fr": "https://kb.example.org/fr/chapter/",
    }


def hreflangs(doc) -> dict:
    return {link["hreflang"]: link["href"] for link in doc.select("head link[rel=alternate][hreflang]")}


def test_hreflang_lists_real_translations_and_x_default_only(site):
    expected = {
        "en": "https://kb.example.org/chapter/",
        "es": "https://kb.example.org/es/chapter/",
        "x-default": "https://kb.example.org/chapter/",
    }
    for path in ("chapter/index.html", "es/chapter/index.html", "pt/chapter/index.html"):
        assert hreflangs(page(site / path)) == expected, path
    assert hreflangs(page(site / "index.html")) == {
        "en": "https://kb.example.org/", "es": "https://kb.example.org/es/", "pt": "https://kb.example.org/pt/",
        "fr": "https://kb.example.org/fr/", "x-default": "https://kb.example.org/"}


def test_sitemaps_per_language_list_only_real_pages_with_real_alternates(site):
    for lang, prefix in (("en", ""), ("es", "es/"), ("pt", "pt/"), ("fr", "fr/")):
        doc = page((site / prefix / "sitemap.xml").read_text(encoding="utf-8"))
        locs = sorted(loc.get_text() for loc in doc.find_all("loc"))
        expected = [f"https://kb.example.org/{prefix}"]
        if lang in ("en", "es"):
            expected.append(f"https://kb.example.org/{prefix}chapter/")
        assert locs == sorted(expected), lang
    doc = page((site / "sitemap.xml").read_text(encoding="utf-8"))
    chapter = [u for u in doc.find_all("url") if u.find("loc").get_text().endswith("/chapter/")][0]
    alternates = {link["hreflang"] for link in chapter.find_all("xhtml:link")}
    assert alternates == {"en", "es", "x-default"}


def test_each_language_has_its_own_404(site):
    for prefix, lang in (("", "en"), ("es/", "es"), ("pt/", "pt"), ("fr/", "fr")):
        assert page(site / prefix / "404.html").html["lang"] == lang


HOMES = {"en": "/", "es": "/es/", "pt": "/pt/", "fr": "/fr/"}


def assert_404_in_its_language(doc, lang: str) -> None:
    """Heading and text from data/ui.yml, a link home, a switcher to every home page,
    and search pointed at the language's index on this host."""
    assert doc.html["lang"] == lang
    assert doc.select_one("article h1").get_text(strip=True) == data.ui("not_found_title", lang)
    paragraphs = [p.get_text(" ", strip=True) for p in doc.select("article p")]
    assert paragraphs == [data.ui("not_found_text", lang), data.ui("not_found_home", lang)]
    assert doc.select_one("article p a")["href"] == HOMES[lang]
    assert {a["hreflang"]: a["href"] for a in doc.select("a.md-select__link")} == HOMES
    config = json.loads(doc.select_one("script#__config").get_text())
    assert config["base"] == HOMES[lang]


@pytest.fixture(scope="module")
def site_404(tmp_path_factory):
    """A page in a folder is built last: the 404 page, rendered after it, used to
    get its language switcher (guide/last/ in each language)."""
    tmp = tmp_path_factory.mktemp("notfound")
    home, last = md("Home", "Welcome."), md("Last", "The last page.")
    files = {"index.en.md": home, "index.es.md": translation("Inicio", "Texto.", home),
             "guide/last.en.md": last, "guide/last.es.md": translation("Última", "Texto.", last)}
    result = build(tmp, files, fixture_config(tmp, nav=["index.md", "guide/last.md"]))
    assert result.returncode == 0, result.stderr
    return tmp / "site"


@pytest.mark.parametrize("lang", HOMES)
def test_404_page_speaks_its_language_and_switches_to_home_pages(site_404, lang):
    assert_404_in_its_language(page(site_404 / HOMES[lang].lstrip("/") / "404.html"), lang)


@pytest.mark.parametrize("lang", HOMES)
def test_404_pages_of_the_built_site_speak_their_language(built_site, lang):
    assert_404_in_its_language(page(built_site / HOMES[lang].lstrip("/") / "404.html"), lang)


def test_outdated_translation_is_marked_with_notice_linking_english(tmp_path):
    files = {
        "index.en.md": HOME_EN,
        "index.es.md": md("Inicio", "Texto.", source_hash="000000000000"),
        "chapter.en.md": CHAPTER_EN,
    }
    result = build(tmp_path, files, fixture_config(tmp_path, nav=["index.md", "chapter.md"]))
    assert result.returncode == 0, result.stderr
    doc = page(tmp_path / "site/es/index.html")
    assert meta_status(doc) == "outdated"
    notice = doc.select_one("[data-kb-notice=outdated]")
    assert "puede estar desactualizada" in notice.get_text()
    assert urljoin("https://kb.example.org/es/", notice.a["href"]) == "https://kb.example.org/"


def test_broken_link_fails_the_strict_build_naming_the_file(tmp_path):
    files = {"index.en.md": md("Home", "See [missing](nowhere.md).")}
    result = build(tmp_path, files, fixture_config(tmp_path, nav=["index.md"]))
    assert result.returncode != 0
    assert "index.en.md" in result.stderr and "nowhere.md" in result.stderr


def test_missing_nav_target_fails_the_strict_build_naming_it(tmp_path):
    files = {"index.en.md": HOME_EN, "chapter.en.md": CHAPTER_EN}
    result = build(tmp_path, files, fixture_config(tmp_path, nav=["index.md", "chapter.md", "gone.md"]))
    assert result.returncode != 0
    assert "gone.md" in result.stderr
