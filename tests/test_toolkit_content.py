"""The toolkit and training kit as the brief asks: every tool and training page in
every language, no contact details, invented material labelled as such."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from kbtools import site_config

pytestmark = pytest.mark.content

CONFIG = site_config.load(ROOT)
GUIDES = ROOT / "guides"
PAGES = sorted(p for folder in ("tools", "training") for p in (GUIDES / folder).glob("*.md")) + \
    sorted(GUIDES.glob("case-law.*.md"))
# Invented material: the label each language's scenario boxes carry (docs/writing-content.md).
INVENTED = {"en": "(invented)", "es": "(ficticio)", "pt": "(fictício)", "fr": "(fictif)"}
PHONE = re.compile(r"(?<![\w/.#-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{3,4}[\s.-]\d{3,4}(?:[\s.-]\d{2,4})?(?![\w/-])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def test_every_tool_and_training_page_exists_in_every_language_with_its_hash():
    for folder in ("tools", "training"):
        for english in sorted((GUIDES / folder).glob("*.en.md")):
            for lang in CONFIG.languages:
                if lang.default:
                    continue
                path = english.with_name(english.name.replace(".en.md", f".{lang.code}.md"))
                assert path.is_file(), path
                assert re.search(r"^source_hash: [0-9a-f]{12}$", path.read_text(encoding="utf-8"), re.M), path


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(GUIDES)))
def test_no_phone_number_or_email_address(path):
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    body = re.sub(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+", "", body)  # link targets are not contacts
    assert PHONE.findall(body) == [] and EMAIL.findall(body) == []


@pytest.mark.parametrize("path", sorted((GUIDES / "training").glob("*.md")) + sorted((GUIDES / "tools").glob("*.md")),
                         ids=lambda p: str(p.relative_to(GUIDES)))
def test_every_scenario_is_labelled_invented(path):
    lang = path.name.split(".")[-2]
    for title in re.findall(r'^\s*[!?]{3}\+? example "([^"]*)"', path.read_text(encoding="utf-8"), re.M):
        assert INVENTED[lang] in title, (path.name, title)


@pytest.mark.parametrize("lang", [lang.code for lang in CONFIG.languages])
def test_self_checks_have_ten_questions_and_two_scenarios_with_notes(lang):
    for guide in CONFIG.guides:
        body = (GUIDES / "training" / f"{guide.slug}.{lang}.md").read_text(encoding="utf-8")
        assert len(re.findall(r'^\?\?\? question "', body, re.M)) >= 10, guide.slug
        assert len(re.findall(r"\{ #scenario-\d \}", body)) >= 2, guide.slug
        assert len(re.findall(r'^\?\?\? note "', body, re.M)) >= 2, guide.slug


@pytest.mark.parametrize("lang", [lang.code for lang in CONFIG.languages])
def test_the_mock_trial_says_it_is_fictional_before_anything_else(lang):
    body = (GUIDES / "training" / f"mock-trial.{lang}.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    first_box = re.search(r'^!!! (\w+)', body, re.M)
    assert first_box and first_box.group(1) == "warning"
    for section in ("how-to-run", "case-file", "roles", "evidence", "timeline", "facilitator", "debrief", "references"):
        assert f"{{ #{section} }}" in body, section
