"""Typography per language at build time (kbtools/typography.py, data/typography.yml), on a fixture site."""
from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from conftest import ROOT, build, fixture_config, md, page
from kbtools import typography
from kbtools.frontmatter import source_hash

NBSP, NNBSP = "\u00a0", "\u202f"
HOME_EN = md("Home", 'He said "hello": fine; really? Yes! See `"code"; x` and [the site](https://example.org/?a=b:c).'
                     "\n\n## A section? { #section }\n\nText.")
CHAPTER_EN = md("Chapter", 'English only: "quoted"; asked?')
FR = ('Il a dit "bonjour" ; vraiment ? L\'"exploitation" aussi. Oui ! Niveau : **élevé**. Heure 10:30, `"a" ; b : c`, '
      '<kbd>Maj</kbd> : ok. Voir <https://example.org/?q=1:2> et [le site](https://example.org/?a=b:c "Titre ?").')


def translation(title: str, body: str, of: str) -> str:
    return md(title, body, source_hash=source_hash(of))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("typography")
    files = {
        "index.en.md": HOME_EN,
        "index.fr.md": translation("Accueil", FR + "\n\n## Une section ? { #section }\n\nTexte.", HOME_EN),
        "index.es.md": translation("Inicio", 'Dijo "hola" y ("adiós"): bien.', HOME_EN),
        "index.pt.md": translation("Início", 'Disse "olá": bem.', HOME_EN),
        "chapter.en.md": CHAPTER_EN,  # fr falls back to it: English text, English typography
    }
    config = fixture_config(tmp, nav=["index.md", "chapter.md"])
    config["markdown_extensions"] = [e for e in config["markdown_extensions"] if e != "toc"] + [
        {"toc": {"permalink": True}}]
    result = build(tmp, files, config)
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def text_of(site, path: str) -> str:
    return " ".join(p.get_text() for p in page(site / path).select("article p"))


@pytest.mark.build
def test_french_spaces_and_guillemets(site):
    text = text_of(site, "fr/index.html")
    assert f"dit «{NBSP}bonjour{NBSP}»{NNBSP}; vraiment{NNBSP}? L'«{NBSP}exploitation{NBSP}» aussi. " \
           f"Oui{NNBSP}! Niveau{NBSP}: élevé." in text
    assert f"Maj{NBSP}: ok" in text  # after an inline element too
    assert "Heure 10:30" in text  # a colon inside a number is not punctuation


@pytest.mark.build
def test_headings_too_but_not_their_ids_or_permalinks(site):
    heading = page(site / "fr/index.html").select_one("article h2")
    assert heading["id"] == "section"
    assert heading.get_text() == f"Une section{NNBSP}?¶"


@pytest.mark.build
def test_code_addresses_and_attributes_are_left_alone(site):
    doc = page(site / "fr/index.html")
    assert doc.select_one("article p code").get_text() == '"a" ; b : c'
    assert doc.select_one("article p kbd").get_text() == "Maj"
    links = doc.select("article p a")
    assert links[0]["href"] == "https://example.org/?q=1:2" and links[0].get_text() == "https://example.org/?q=1:2"
    assert links[1]["href"] == "https://example.org/?a=b:c" and links[1]["title"] == "Titre ?"


@pytest.mark.parametrize("path, expected", [
    ("es/index.html", "Dijo «hola» y («adiós»): bien."),
    ("pt/index.html", "Disse “olá”: bem."),
    ("index.html", "He said “hello”: fine; really? Yes! See"),
    ("fr/chapter/index.html", "English only: “quoted”; asked?"),  # a fallback page is English
])
@pytest.mark.build
def test_quotes_per_language(site, path, expected):
    assert expected in text_of(site, path)


@pytest.mark.build
def test_interface_text_gets_it_too(site):
    notice = page(site / "fr/chapter/index.html").select_one("[data-kb-notice=fallback]").get_text(" ", strip=True)
    assert f"en Français{NNBSP}; vous lisez" in notice


def test_what_each_language_gets_comes_from_data():
    rules = yaml.safe_load((ROOT / "data" / "typography.yml").read_text(encoding="utf-8"))
    assert rules["fr"]["space_before"] == {";": NNBSP, "!": NNBSP, "?": NNBSP, ":": NBSP}
    assert rules["fr"]["quotes"] == ["«", "»"] and rules["es"]["quotes"] == ["«", "»"]
    assert rules["pt"]["quotes"] == rules["en"]["quotes"] == ["“", "”"]
    assert "space_before" not in rules["es"]


def test_the_character_before_a_text_is_context_only_never_copied_into_it():
    rules = typography.rules("fr")
    # The tail after a list item that ends with a closing quote: nothing to add to it.
    assert rules.apply("\n", "»") == "\n"
    assert rules.apply(" et la suite", "»") == " et la suite"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet='ab "«»“”;:!?.,\u00a0\u202f/w:@&#x2;\x02\x03', max_size=40),
       previous=st.sampled_from(["", " ", "a", "\u00a0", '"', "«"]))
def test_text_without_anything_a_rule_acts_on_is_returned_as_is(text, previous):
    """The shortcut in Rules.apply gives what the rules themselves give, in every language."""
    for lang in ("en", "es", "pt", "fr"):
        rules = typography.rules(lang, ROOT / "data")
        assert rules.apply(text, previous) == rules._apply(text, previous), lang
