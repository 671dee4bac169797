"""The expert fact review (shared/reviews/facts-1.md, section 1) stays fixed: each
finding is checked against the sources it was found in, in every language."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from kbtools import data

pytestmark = pytest.mark.content


GUIDES = ROOT / "guides"
ALL = sorted(GUIDES.rglob("*.md"))


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# Wording the review found wrong, which must not come back anywhere.
GONE = {
    "D1 ICAT Issue Brief 8 dated 2019": re.compile(r"Issue Brief 8[^\n]{0,80}\(2019"),
    "D2 UNTC status tab 3": re.compile(r"ShowMTDSGDetails\.aspx[^)\s]*tabid=3"),
    "I9 legacy OHCHR path": re.compile(r"ohchr\.org/Documents/Publications/Traffickingen\.pdf"),
    "I9 legacy FATF path": re.compile(r"fatf-gafi\.org/publications/methodsandtrends", re.I),
    "I4 'procuring or possessing'": re.compile(r"procuring or possessing"),
}


@pytest.mark.parametrize("finding", GONE)
def test_wrong_wording_is_gone_from_every_page_and_data_file(finding):
    files = ALL + sorted((ROOT / "data").glob("*.yml"))
    found = [f"{p.relative_to(ROOT)}" for p in files if GONE[finding].search(text(p))]
    assert found == [], finding


def test_e1_reflection_period_is_sourced_to_the_council_of_europe_not_the_protocol():
    entry = next(t for t in data.load("termbase")["terms"] if t["id"] == "recovery-and-reflection-period")
    assert "art. 13" in entry["source"] and "Council of Europe" in entry["source"]
    assert "Protocol, art. 7" not in entry["source"]


def test_d3_unverified_amending_act_is_not_recorded():
    assert "Act No. 12 of 2012" not in text(ROOT / "data" / "countries.yml")


def test_i6_smuggled_migrants_are_not_liable_under_the_protocol_only():
    entry = next(t for t in data.load("termbase")["terms"] if t["id"] == "smuggling-of-migrants")
    assert "under the Protocol" in entry["en"]["definition"]


def test_i1_i2_enabling_illegal_stay_is_the_exception_to_the_border_crossing():
    for page in ("investigation/trafficking-or-smuggling", "cooperation/index"):
        for lang in ("en", "es", "pt", "fr"):
            # "art. 6(1)(c)", or as Spanish and French write it: "art. 6.1.c", "art. 6, par. 1, al. c"
            assert re.search(r"6(\(1\)\(c\)|\.1\.c|, par\. 1, al\. c)", text(GUIDES / f"{page}.{lang}.md")), (page, lang)


def test_i3_organized_criminal_group_is_defined_in_full():
    assert "directly or indirectly" in text(GUIDES / "investigation" / "legal-elements.en.md")
    entry = next(t for t in data.load("termbase")["terms"] if t["id"] == "organized-criminal-group")
    assert "directly or indirectly" in entry["en"]["definition"]


@pytest.mark.parametrize("path", sorted(GUIDES.rglob("*.en.md")), ids=lambda p: str(p.relative_to(GUIDES)))
def test_i7_the_2009_model_law_is_never_cited_without_the_2020_provisions(path):
    body = text(path)
    if "Model Law against Trafficking in Persons" in body:
        assert "Model Legislative Provisions against Trafficking in Persons (2020)" in body


def test_i8_digital_evidence_names_the_second_additional_protocol_and_the_un_convention():
    for lang in ("en", "es", "pt", "fr"):
        body = text(GUIDES / "investigation" / f"digital-evidence.{lang}.md")
        assert "224" in body and "2024" in body, lang
