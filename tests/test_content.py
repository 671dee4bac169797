"""The content meets the brief: sourced country facts, one glossary anchor set,
links into the glossary, guide sizes and Spanish parity."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, page
from kbtools import data, render

pytestmark = pytest.mark.content

GUIDES = {  # guide folder: minimum English words, minimum chapters
    "investigation": (6000, 5), "migration": (6000, 5), "tourism": (6000, 5),
    "cooperation": (6000, 5), "lgbtiq": (4000, 4), "legal-frameworks": (4000, 4),
}


def words(paths) -> int:
    return sum(len(Path(p).read_text(encoding="utf-8").split()) for p in paths)


def country_facts():
    db = data.load("countries")
    for country in db["countries"]:
        for kind in ("laws", "instruments", "bodies"):
            for fact in country.get(kind) or []:
                yield country["id"], kind, fact


def test_every_country_fact_cites_a_defined_source():
    sources = data.load("countries")["sources"]
    facts = list(country_facts())
    assert len(facts) >= 12 * 2
    for country, kind, fact in facts:
        assert fact.get("source") in sources, f"{country} {kind}: {fact}"
        assert sources[fact["source"]].get("title"), fact["source"]


def test_a_country_fact_without_source_fails_the_render(tmp_path):
    for name in ("countries", "ui"):
        (tmp_path / f"{name}.yml").write_text((ROOT / "data" / f"{name}.yml").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    db = yaml.safe_load((tmp_path / "countries.yml").read_text(encoding="utf-8"))
    broken = copy.deepcopy(db)
    del broken["countries"][0]["laws"][0]["source"]
    (tmp_path / "countries.yml").write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(render.RenderError, match="has no source"):
        render.country_facts(broken["countries"][0]["id"], "en", tmp_path)


def section_items(doc, section_id: str) -> list:
    """The list items of a section: its siblings up to the next heading of its level."""
    heading, items = doc.find(id=section_id), []
    for sibling in heading.find_next_siblings():
        if sibling.name == heading.name:
            break
        if sibling.name == "ul":
            items += sibling.find_all("li")
    return items


@pytest.mark.parametrize("prefix", ["", "es/"])
def test_every_fact_on_built_country_pages_has_its_source_next_to_it(built_site, prefix):
    for country in data.load("countries")["countries"]:
        doc = page(built_site / prefix / "countries" / country["id"] / "index.html")
        items = [li for section in ("laws", "instruments", "bodies") for li in section_items(doc, section)]
        not_recorded = data.ui("country_not_recorded", "es" if prefix else "en")
        facts = [li for li in items if not li.get_text().rstrip().endswith(not_recorded)]
        expected = sum(len(country.get(kind) or []) for kind in ("laws", "instruments", "bodies"))
        assert len(facts) == expected, country["id"]  # the rest of the instruments say "not recorded"
        for li in facts:
            assert re.search(r"(Source|Fuente) ?: \S", li.get_text()), li.get_text()


def test_glossary_anchors_are_the_termbase_ids_in_both_languages(built_site):
    ids = [t["id"] for t in data.load("termbase")["terms"]]
    assert len(ids) >= 30
    for prefix in ("", "es/"):
        doc = page(built_site / prefix / "glossary" / "index.html")
        assert [h2["id"] for h2 in doc.select("article h2[id]")] == ids


def test_guide_chapters_link_into_the_glossary(built_site):
    ids = {t["id"] for t in data.load("termbase")["terms"]}
    links = []
    for guide in GUIDES:
        for chapter in (built_site / guide).glob("*/index.html"):
            for a in page(chapter).select("article a[href*='glossary/#']"):
                anchor = a["href"].split("#", 1)[1]
                assert anchor in ids, f"{chapter}: {a['href']}"
                links.append(a["href"])
    assert len(links) >= 20


@pytest.mark.parametrize("guide", GUIDES)
def test_guide_size_and_spanish_parity(built_site, guide):
    min_words, min_chapters = GUIDES[guide]
    folder = ROOT / "guides" / guide
    english = sorted(folder.glob("*.en.md"))
    assert len(english) - 1 >= min_chapters  # minus the overview
    en_words = words(english)
    es_words = words(folder.glob("*.es.md"))
    assert en_words >= min_words
    assert abs(es_words - en_words) / en_words <= 0.20
    for path in english:
        name = path.name.replace(".en.md", "")
        target = built_site / "es" / guide / ("" if name == "index" else name) / "index.html"
        status = page(target).find("meta", attrs={"name": "translation-status"})["content"]
        assert status == "translated", target
