"""Material's own markup faults, fixed in each built page (kbtools/plugin/markup.py):
the search dialog is named, no `tabindex=""`, no autocomplete on a checkbox
(the drawer and search toggles keep not being restored by Back: their form
owner has autocomplete="off"), no label for an element that is not there (the
contents' title on a section's index page)."""
from __future__ import annotations

import lxml.html
import pytest

from kbtools import data, site_config
from kbtools.plugin import markup
from conftest import ROOT

CONFIG = site_config.load(ROOT)
LANGS = {lang.code: lang.prefix for lang in CONFIG.languages}

# As Material 9.8.2 writes them (kbtools/theme.py MATERIAL_MARKUP).
MATERIAL = """<body><input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">
<input class="md-nav__toggle md-toggle " type="checkbox" id="__nav_3" checked>
<input class="md-nav__toggle md-toggle " type="checkbox" id="__nav_2">
<label class="md-nav__link " for="__nav_3" id="__nav_3_label" tabindex="">Guides</label>
<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="0">Tools</label>
<div class="md-search" data-md-component="search" role="dialog"><input type="text" autocomplete="off"></div>
<nav class="md-nav md-nav--secondary" aria-label="Contents"><label class="md-nav__title" for="__toc">
<span class="md-nav__icon md-icon"></span>Contents</label></nav></body>"""
# A page that is a link of the nav has the toggle the contents' title is for.
TOC_TOGGLE = '<li class="md-nav__item"><input class="md-nav__toggle md-toggle" type="checkbox" id="__toc"></li>'



def faults(doc, lang: str) -> list[str]:
    found = [f"tabindex=\"\" on <{el.tag}>" for el in doc.xpath("//*[@tabindex='']")]
    found += [f"autocomplete on checkbox #{el.get('id')}" for el in doc.xpath("//input[@type='checkbox'][@autocomplete]")]
    dialogs = doc.xpath("//*[@role='dialog']")
    found += [f"dialog without the name {data.ui('search_dialog', lang)!r}" for el in dialogs
              if el.get("aria-label") != data.ui("search_dialog", lang)]
    toggles = doc.xpath("//input[@data-md-toggle='drawer' or @data-md-toggle='search']")
    ids = set(doc.xpath("//@id"))
    found += [f"label for missing #{name}" for name in doc.xpath("//label/@for") if name not in ids]
    if len(toggles) != 2:
        found.append(f"{len(toggles)} drawer and search toggles, not 2")
    for toggle in toggles:
        owner = doc.xpath(f"//form[@id='{toggle.get('form')}']")
        if not owner or owner[0].get("autocomplete") != "off":
            found.append(f"toggle #{toggle.get('id')} can be restored by Back")
    return found


def test_the_fix_on_material_markup():
    doc = lxml.html.fromstring(markup.fix(MATERIAL, data.ui("search_dialog", "es")))
    assert faults(doc, "es") == []
    assert len(doc.xpath("//input[@form='__kb_toggles']")) == 2
    assert doc.xpath("//label[@id='__nav_2_label']")[0].get("tabindex") == "0"
    assert doc.xpath("//input[@type='text']")[0].get("autocomplete") == "off"
    assert faults(lxml.html.fromstring(MATERIAL), "es") != []
    assert doc.xpath("//nav//label[@class='md-nav__title']")[0].get("for") is None


def test_the_contents_title_keeps_its_toggle_where_the_page_has_one():
    material = MATERIAL.replace("<body>", "<body>" + TOC_TOGGLE)
    doc = lxml.html.fromstring(markup.fix(material, data.ui("search_dialog", "en")))
    assert faults(doc, "en") == []
    assert doc.xpath("//nav//label[@class='md-nav__title']")[0].get("for") == "__toc"


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_of_the_built_site_has_materials_faults(built_site, lang):
    root = built_site / LANGS[lang]
    others = [built_site / prefix for code, prefix in LANGS.items() if prefix and code != lang]
    pages = [p for p in sorted(root.rglob("*.html"))
             if not any(p.is_relative_to(other) for other in others)]
    assert len(pages) > 50 and root / "404.html" in pages
    found = {}
    for path in pages:
        doc = lxml.html.fromstring(path.read_bytes())
        if doc.xpath("//meta[@http-equiv='refresh']"):
            continue  # a redirect stub
        if problems := faults(doc, lang):
            found[path.relative_to(built_site).as_posix()] = problems
    assert found == {}
