"""Search per language: own-language index, folding both ways, stemming,
relevance (recall@5 through the CLI and in the real search box), parity of
index and query terms between Node and Chromium."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, page
from kbtools import search

LANGS = {"en": "", "es": "es/", "pt": "pt/", "fr": "fr/"}
SUITE = yaml.safe_load((ROOT / "tests" / "data" / "search_relevance.yml").read_text(encoding="utf-8"))


def cli(lang: str, query: str) -> list[str]:
    """Result pages from `python -m kbtools search`, best first."""
    result = subprocess.run([sys.executable, "-m", "kbtools", "search", "--lang", lang, "--json", query],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return [item["location"] for item in json.loads(result.stdout)]


def manifest_of(site: Path, lang: str) -> dict:
    return json.loads((site / LANGS[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))


def docs_of(site: Path, lang: str) -> list[dict]:
    """Every document of the language's split index, read back from its shards."""
    return search.documents(site, LANGS[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_index_holds_only_real_pages_of_its_language(built_site, lang):
    docs = docs_of(built_site, lang)
    assert manifest_of(built_site, lang)["config"]["lang"] == [lang]
    pages = {doc["location"].split("#")[0] for doc in docs}
    assert len(pages) > 60
    for location in pages:
        assert not re.match(r"(es|pt|fr)/", location), location  # relative to the language root
        doc = page(built_site / LANGS[lang] / location / "index.html")
        assert doc.html["lang"] == lang
        status = doc.find("meta", attrs={"name": "translation-status"})["content"]
        assert status != "fallback", location


@pytest.mark.parametrize("lang", LANGS)
def test_relevance_recall_at_5_through_the_cli(built_site, lang):
    cases = SUITE[lang]
    assert len(cases) >= 15
    misses = []
    for case in cases:
        top = cli(lang, case["query"])[:5]
        if not any(expected in top for expected in case["expect"]):
            misses.append(f"{case['query']!r}: {top}")
    recall = 1 - len(misses) / len(cases)
    assert recall >= 0.9, misses


@pytest.mark.parametrize("lang, plain, accented", [
    ("es", "victimas", "víctimas"), ("es", "explotacion", "explotación"),
    ("pt", "vitimas", "vítimas"), ("pt", "protecao", "proteção"),
    ("fr", "etres", "êtres"), ("fr", "entraide judiciaire", "entraide judiciaire"),
    ("en", "non-refoulement", "non-refoulement"),
])
def test_diacritics_do_not_matter_in_either_direction(built_site, lang, plain, accented):
    plain_hits = search.query(built_site, LANGS[lang], plain)
    accented_hits = search.query(built_site, LANGS[lang], accented)
    assert plain_hits, plain
    assert [h["location"] for h in plain_hits[:5]] == [h["location"] for h in accented_hits[:5]]
    # and the pages found really contain the accented word
    top = plain_hits[0]["location"]
    text = page(built_site / LANGS[lang] / top / "index.html").get_text(" ").lower()
    assert accented.split()[0].lower() in text


@pytest.mark.parametrize("lang, words", [
    ("es", ["denuncia", "denunciar", "denuncias"]),
    ("en", ["investigation", "investigating", "investigations"]),
    ("pt", ["vítima", "vítimas", "vitimas"]),
    ("fr", ["victime", "victimes"]),
])
def test_singular_plural_and_verb_forms_share_a_term(lang, words):
    terms = search.terms(lang, words)
    shared = set(terms[0]).intersection(*map(set, terms[1:]))
    assert shared, dict(zip(words, terms))


def vocabulary(site: Path, lang: str) -> list[str]:
    words = set()
    for doc in docs_of(site, lang):
        text = re.sub(r"<[^>]*>", " ", doc["title"] + " " + doc["text"])
        words.update(re.findall(r"[^\W_]+", text.lower()))
    return sorted(words)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_browser_and_build_make_identical_terms_for_the_whole_vocabulary(built_site, served_site, browser, lang):
    words = vocabulary(built_site, lang)
    assert len(words) > 2000
    node_terms = search.terms(lang, words)
    p = browser.new_page()
    p.goto(served_site + LANGS[lang])  # a real page, under its CSP
    for name in ["lunr.min.js", "lunr.stemmer.support.min.js"] + ([search.pack(lang)] if search.pack(lang) else []) + ["core.js"]:
        p.add_script_tag(url=served_site + "assets/kb-search/" + name)
    browser_terms = p.evaluate("([lang, words]) => words.map(w => kbSearch.terms(lunr, lang, w))", [lang, words])
    p.close()
    differing = [(w, a, b) for w, a, b in zip(words, node_terms, browser_terms) if a != b]
    assert differing == []


SAMPLES = {lang: SUITE[lang][:4] for lang in LANGS}


def stable_results(p) -> list[str]:
    """Result links once the list stops changing (Material redraws it as each
    keystroke's answer arrives)."""
    p.wait_for_selector(".md-search-result__item")
    read = "els => els.map(a => a.href)"
    previous = None
    for _ in range(50):
        current = p.eval_on_selector_all(".md-search-result__item > a", read)
        if current and current == previous:
            return current
        previous = current
        p.wait_for_timeout(300)
    raise AssertionError(f"search results never settled: {previous}")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_queries_typed_in_the_search_box_find_the_page_in_that_language(served_site, recorded_page, lang):
    p = recorded_page.page
    for case in SAMPLES[lang]:
        p.goto(served_site + LANGS[lang] + "help/")
        p.click(".md-search__input", force=True)
        p.keyboard.type(case["query"], delay=10)
        hrefs = stable_results(p)
        root = served_site + LANGS[lang]
        assert all(h.startswith(root) for h in hrefs), hrefs
        if lang == "en":
            assert not any(re.match(r"(es|pt|fr)/", h[len(root):]) for h in hrefs), hrefs
        pages = []
        for h in hrefs:
            location = h[len(root):].split("?")[0].split("#")[0]
            if location not in pages:
                pages.append(location)
        assert any(expected in pages[:5] for expected in case["expect"]), (case, pages[:5])
    assert recorded_page.console_errors == []


@pytest.mark.build
def test_fallback_pages_are_not_indexed_in_the_language_they_fall_back_in(tmp_path):
    from conftest import build, fixture_config, md
    from kbtools.frontmatter import source_hash

    home = md("Home", "Welcome to the site.")
    files = {"index.en.md": home,
             "index.es.md": md("Inicio", "Bienvenida al sitio.", source_hash=source_hash(home)),
             "chapter.en.md": md("Chapter", "Extradition requests in English only.")}
    result = build(tmp_path, files, fixture_config(tmp_path, nav=["index.md", "chapter.md"]))
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert {d["location"].split("#")[0] for d in docs_of(site, "en")} == {"", "chapter/"}
    assert {d["location"].split("#")[0] for d in docs_of(site, "es")} == {""}
    assert [r["location"] for r in search.query(site, "", "extradition")] == ["chapter/"]
    assert search.query(site, "es/", "extradition") == []
