"""kbtools/translations.py (the one definition of translated/outdated/missing/orphan),
the translation-status renderer, and the status page and banner in a built site."""
from __future__ import annotations

import json

import pytest

from checks_helpers import page, write
from conftest import build, fixture_config, md
from conftest import page as html
from kbtools import render, translations
from kbtools.frontmatter import source_hash

LANGS = ["en", "es", "pt", "fr"]


@pytest.mark.parametrize("name, key", [
    ("investigation/evidence.es.md", ("investigation/evidence", "es")),
    ("index.en.md", ("index", "en")),
    ("a.b.fr.md", ("a.b", "fr")),
    ("page.de.md", None),
    ("page.md", None),
    ("page.es.txt", None),
])
def test_split_name(name, key):
    assert translations.split_name(name, LANGS) == key


@pytest.mark.parametrize("current, recorded, state", [
    ("aaa51f2869cd", "aaa51f2869cd", "translated"),
    ("aaa51f2869cd", " aaa51f2869cd ", "translated"),
    ("aaa51f2869cd", "0123456789ab", "outdated"),
    ("aaa51f2869cd", None, "outdated"),
    ("123456789012", 123456789012, "translated"),  # YAML read an all-digit hash as a number
    (None, "aaa51f2869cd", "orphan"),
])
def test_state(current, recorded, state):
    assert translations.state(current, recorded) == state


@pytest.fixture
def docs(tmp_path):
    one, two, three = page("One", "Text one."), page("Two", "Text two."), page("Three", "Text three.")
    write(tmp_path, {
        "guide/one.en.md": one, "guide/two.en.md": two, "three.en.md": three,
        "guide/one.es.md": page("Uno", "Texto.", "es", source_hash=source_hash(one)),
        "guide/two.es.md": page("Dos", "Texto.", "es", source_hash="0123456789ab"),
        "gone.fr.md": page("Parti", "Texte.", "fr", source_hash="0123456789ab"),
        "guide/two.pt.md": "---\ntitle: [broken\n---\n",
    })
    return tmp_path


def test_scan_decides_every_page_in_every_language(docs):
    report = translations.scan(docs, LANGS, "en")
    assert report.pages == {
        "gone": {"fr": "orphan"},
        "guide/one": {"en": "translated", "es": "translated"},
        "guide/two": {"en": "translated", "es": "outdated", "pt": "outdated"},
        "three": {"en": "translated"},
    }
    assert report.counts("es") == {"translated": 1, "outdated": 1, "missing": 1, "orphan": 0,
                                   "total": 3, "percent": 33}
    assert report.counts("fr") == {"translated": 0, "outdated": 0, "missing": 3, "orphan": 1,
                                   "total": 3, "percent": 0}
    assert report.counts("es", ["guide/one", "guide/two"])["percent"] == 50


def test_json_is_deterministic(docs):
    first = json.dumps(translations.scan(docs, LANGS, "en").to_json(), sort_keys=True)
    assert first == json.dumps(translations.scan(docs, LANGS, "en").to_json(), sort_keys=True)
    data = json.loads(first)
    assert data["languages"]["es"]["sections"]["guide"]["outdated"] == 1
    assert data["languages"]["fr"]["pages"] == {"gone": "orphan", "guide/one": "missing",
                                                "guide/two": "missing", "three": "missing"}


def test_renderer_tables(docs):
    report = translations.scan(docs, LANGS, "en")
    text = render.translation_status("en", report, {"en": "English", "es": "Español"}, base="")
    lines = text.splitlines()
    assert lines[0] == "| Language | Translated | Outdated | Missing | % |"
    assert "| English (reference) | 3 | 0 | 0 | 100 % |" in lines
    assert "| Español | 1 | 1 | 1 | 33 % |" in lines
    assert "## Español { #lang-es }" in lines
    assert "| guide | 1 | 1 | 0 | 50 % |" in lines  # a folder without index.md is named by its folder
    assert "| Other pages | 0 | 0 | 1 | 0 % |" in lines
    assert "- [Two](guide/two.md)" in lines  # outdated pages are listed, linked
    # From a page in a folder, links go up to the pages.
    assert "- [Two](../guide/two.md)" in render.translation_status("en", report, base="about").splitlines()
    # In the page's language
    assert render.translation_status("es", report).splitlines()[0] == \
        "| Idioma | Traducidas | Desactualizadas | Faltan | % |"


HOME = md("Home", "Welcome.")
CHAPTER = md("Chapter", "## Section { #section }\n\nEnglish text.")
STATUS = md("Translation status", "<!-- kb:translation-status -->")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("status")
    files = {
        "index.en.md": HOME, "chapter.en.md": CHAPTER, "translation-status.en.md": STATUS,
        "index.es.md": md("Inicio", "Bienvenida.", source_hash=source_hash(HOME)),
        "chapter.es.md": md("Capítulo", "## Sección { #section }\n\nTexto.", source_hash="0123456789ab"),
        "translation-status.es.md": md("Estado de las traducciones", "<!-- kb:translation-status -->",
                                       source_hash=source_hash(STATUS)),
    }
    config = fixture_config(tmp, nav=["index.md", "chapter.md", "translation-status.md"],
                            markdown_extensions=["admonition", "attr_list", "toc", "tables"])
    result = build(tmp, files, config)
    assert result.returncode == 0, result.stderr
    return tmp / "site"


@pytest.mark.build
def test_status_page_shows_each_language_by_guide(site):
    doc = html(site / "es/translation-status/index.html")
    first = doc.select("article table")[0]
    rows = [[cell.get_text(strip=True) for cell in row.select("td")] for row in first.select("tbody tr")]
    assert rows == [["English (referencia)", "3", "0", "0", "100 %"], ["Español", "2", "1", "0", "67 %"],
                    ["Português", "0", "0", "3", "0 %"], ["Français", "0", "0", "3", "0 %"]]
    assert [h.get("id") for h in doc.select("article h2")] == ["lang-es", "lang-pt", "lang-fr"]
    outdated = doc.select_one("#lang-es").find_next("ul").select("a")
    assert [a.get_text() for a in outdated] == ["Capítulo"]
    assert outdated[0]["href"] == "../chapter/"


@pytest.mark.build
def test_outdated_translation_banner_and_meta_come_from_the_same_state(site):
    doc = html(site / "es/chapter/index.html")
    assert doc.find("meta", attrs={"name": "translation-status"})["content"] == "outdated"
    assert doc.select_one("[data-kb-notice=outdated] a")["hreflang"] == "en"
    assert html(site / "es/index.html").find("meta", attrs={"name": "translation-status"})["content"] == "translated"
