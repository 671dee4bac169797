"""National law (data/national-law.yml): every recorded element sourced and valid,
"not recorded" shown wherever the data is silent, all twelve countries compared."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, page
from kbtools import data, render, site_config

CONFIG = site_config.load(ROOT)
COUNTRIES = [c["id"] for c in data.load("countries")["countries"]]
LAW = data.load("national-law")


def test_every_recorded_element_is_valid_and_sourced():
    law = render.national_law_data()  # raises RenderError on a bad entry
    sources = {**data.load("countries")["sources"], **(law.get("sources") or {})}
    assert set(law["countries"]) <= set(COUNTRIES)
    for country, entries in law["countries"].items():
        for element, entry in entries.items():
            assert entry["source"] in sources, (country, element)
            assert sources[entry["source"]].get("url", "").startswith("http"), (country, element)


@pytest.mark.parametrize("bad, message", [
    ({"offence": {"provision": "art. 1"}}, "has no source"),
    ({"acts": {"values": ["kidnapping"], "source": "x"}}, "values must be"),
    ({"penalty": {"min_years": "ten", "max_years": 20, "source": "x"}}, "whole numbers"),
    ({"means-required-for-adults": {"value": "maybe", "source": "x"}}, "true or false"),
    ({"motive": {"provision": "art. 1", "source": "x"}}, "unknown element"),
])
def test_a_bad_entry_is_refused_with_its_place(tmp_path, bad, message):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    law = {**LAW, "countries": {"colombia": bad}}
    (tmp_path / "data" / "national-law.yml").write_text(yaml.safe_dump(law, allow_unicode=True), encoding="utf-8")
    with pytest.raises(render.RenderError, match=message) as error:
        render.country_facts("colombia", "en", tmp_path / "data")
    assert "colombia" in str(error.value)


@pytest.mark.parametrize("lang", [lang.code for lang in CONFIG.languages])
def test_comparison_page_shows_all_twelve_countries_for_every_element(built_site, lang):
    doc = page(CONFIG.page_file("countries/comparison.md", CONFIG.language(lang)))
    not_recorded = data.ui("country_not_recorded", lang)
    for element in LAW["elements"]:
        table = doc.find(id=element).find_next("table")
        rows = table.select("tbody tr")
        assert len(rows) == len(COUNTRIES) == 12, element
        recorded = {cid for cid, entries in LAW["countries"].items() if element in entries}
        shown_missing = sum(1 for row in rows if row.select("td")[1].get_text(strip=True) == not_recorded)
        assert shown_missing == 12 - len(recorded), element


@pytest.mark.parametrize("lang", [lang.code for lang in CONFIG.languages])
def test_country_pages_say_not_recorded_for_every_unrecorded_fact(built_site, lang):
    instruments = data.load("countries")["instruments"]
    not_recorded = data.ui("country_not_recorded", lang)
    for country in data.load("countries")["countries"]:
        doc = page(CONFIG.page_file(f"countries/{country['id']}.md", CONFIG.language(lang)))
        items = doc.find(id="instruments").find_next("ul").select("li")
        assert len(items) == len(instruments), country["id"]
        held = len(country.get("instruments") or [])
        assert sum(not_recorded in li.get_text() for li in items) == len(instruments) - held, country["id"]
        law = doc.find(id="national-law").find_next("ul").select("li")
        assert len(law) == len(LAW["elements"]), country["id"]
        recorded = len(LAW["countries"].get(country["id"], {}))
        assert sum(li.get_text().rstrip().endswith(not_recorded) for li in law) == len(LAW["elements"]) - recorded
