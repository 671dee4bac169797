"""Portuguese and French are complete: every page translated, and no English
interface text of the project's own on a /pt/ or /fr/ page."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, page
from kbtools import data, site_config

pytestmark = pytest.mark.content

TARGETS = {"pt": "pt/", "fr": "fr/"}
# Regions the project and the theme draw around the text.
CHROME = "header, nav, .md-footer, .kb-exit, .kb-skip-exit, .md-tags, [data-kb-notice], .md-search, .md-sidebar"


def html_pages(site, prefix):
    return sorted(p for p in (site / prefix).rglob("*.html")
                  if not page(p).find("meta", attrs={"http-equiv": "refresh"}))


def ui_strings(lang: str) -> list[str]:
    """English interface text of data/ui.yml that differs in `lang` (placeholders cut out)."""
    out = []
    for entry in data.load("ui").values():
        english, translated = entry["en"], entry.get(lang, "")
        if english.strip() != translated.strip() and len(english.strip()) > 3:
            out.extend(part.strip() for part in re.split(r"\{[a-z]+\}|`[^`]*`", english) if len(part.strip()) > 8)
    return out


def chrome_labels(lang: str) -> list[str]:
    """Navigation section names and tag labels in English that differ in `lang`."""
    language = site_config.load(ROOT).language(lang)
    labels = [english for english, translated in language.nav_translations if english != translated]
    for group in data.load("vocabulary").values():
        labels += [v["en"] for v in group.values() if v["en"] != v.get(lang)]
    return labels


@pytest.mark.parametrize("lang", TARGETS)
def test_every_page_is_translated(built_site, lang):
    pages = html_pages(built_site, TARGETS[lang])
    assert len(pages) > 60
    status = {str(p.relative_to(built_site)): page(p).find("meta", attrs={"name": "translation-status"})["content"]
              for p in pages}
    assert {k: v for k, v in status.items() if v != "translated"} == {}


@pytest.mark.parametrize("lang", TARGETS)
def test_no_english_interface_text_of_the_project(built_site, lang):
    strings = ui_strings(lang)
    labels = chrome_labels(lang)
    assert len(strings) > 10 and len(labels) > 20
    offenders = []
    for path in html_pages(built_site, TARGETS[lang]):
        doc = page(path)
        references = doc.find(id="references")  # titles cited in their own language
        if references is not None:
            for sibling in list(references.find_next_siblings()):
                sibling.decompose()
            references.decompose()
        text = " ".join(doc.get_text(" ").split())
        offenders += [f"{path.relative_to(built_site)}: {s!r}" for s in strings if s in text]
        chrome = " ".join(" ".join(el.get_text(" ").split()) for el in doc.select(CHROME))
        chrome += " " + " ".join(el.get("aria-label", "") for el in doc.select("[aria-label]"))
        offenders += [f"{path.relative_to(built_site)}: {label!r}" for label in labels
                      if re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", chrome)]
    assert offenders[:20] == []
