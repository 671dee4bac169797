"""The termbase (data/termbase.yml) as TBX for a CAT tool's term recognition.

TBX-Basic layout (ISO 30042, the `martif` dialect every CAT tool reads): one
termEntry per concept, its id the glossary anchor; per language a langSet with
the definition and the approved term (administrativeStatus
preferredTerm-admn-sts), then each `avoid` rendering as a deprecated term
(deprecatedTerm-admn-sts), so the CAT tool flags it. The concept's source and
related entries go in as a note and cross-references. Languages come from
mkdocs.yml.
"""
from __future__ import annotations

from lxml import etree

from kbtools import data
from kbtools.exchange.po import ExchangeError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _term(lang_set, text: str, status: str) -> None:
    tig = etree.SubElement(lang_set, "tig")
    etree.SubElement(tig, "term").text = text
    etree.SubElement(tig, "termNote", type="administrativeStatus").text = status


def export(project) -> bytes:
    try:
        terms = data.load("termbase", project.root / "data").get("terms") or []
    except data.DataError as exc:
        raise ExchangeError(str(exc)) from None
    martif = etree.Element("martif", type="TBX-Basic")
    martif.set(XML_LANG, project.reference)
    header = etree.SubElement(martif, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    title = etree.SubElement(file_desc, "titleStmt")
    etree.SubElement(title, "title").text = f"{project.config.site_name}: termbase"
    source = etree.SubElement(file_desc, "sourceDesc")
    etree.SubElement(source, "p").text = "data/termbase.yml, exported by kb export --termbase"
    encoding = etree.SubElement(header, "encodingDesc")
    etree.SubElement(encoding, "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(martif, "text"), "body")
    for entry in terms:
        if not isinstance(entry, dict) or not entry.get("id"):
            continue
        term_entry = etree.SubElement(body, "termEntry", id=str(entry["id"]))
        if entry.get("source"):
            etree.SubElement(term_entry, "note").text = f"Source: {' '.join(str(entry['source']).split())}"
        for related in entry.get("related") or []:
            ref = etree.SubElement(term_entry, "ref", type="crossReference", target=str(related))
            ref.text = str(related)
        for lang in project.codes:
            values = entry.get(lang)
            if not isinstance(values, dict) or not values.get("term"):
                continue
            lang_set = etree.SubElement(term_entry, "langSet")
            lang_set.set(XML_LANG, lang)
            if values.get("definition"):
                etree.SubElement(lang_set, "descrip", type="definition").text = " ".join(
                    str(values["definition"]).split())
            _term(lang_set, str(values["term"]), "preferredTerm-admn-sts")
            for avoid in values.get("avoid") or []:
                _term(lang_set, str(avoid), "deprecatedTerm-admn-sts")
    doctype = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'
    return etree.tostring(martif, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=doctype)
