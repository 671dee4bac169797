"""One printable document per tool, language and paper size.

A tool page (nav section "Tools") is printed on one or two sheets of A4 or US
Letter, the papers the Americas print on. Where its front matter says
`form: true`, each run of six or more underscores (a field to fill in) and
each tick box becomes a named PDF form field (WeasyPrint's pdf_forms), so the
PDF can be filled in on a screen as well as by hand; elsewhere they print as
a writing line and an empty box.
"""
from __future__ import annotations

import posixpath
import re

import lxml.html

from kbtools.pdf import assemble
from kbtools.pdf.collect import Chapter
from kbtools.site_config import Language, SiteConfig

FIELD = re.compile(r"_{6,}")


def file_name(src: str, lang: str, paper: str) -> str:
    return f"kb-tool-{posixpath.splitext(posixpath.basename(src))[0]}-{lang}-{paper}.pdf"


def _field_label(text: str) -> str:
    """The words before a field ('Date of the interview: ______' -> 'Date of the interview')."""
    return " ".join(text.rstrip().rstrip(":").split())[-120:]


def _label_for(element) -> str:
    """What a field is for: the words before it in its list item, paragraph or table
    cell; for an empty cell, its row's first cell and its column's header."""
    block = element
    while block is not None and block.tag not in ("li", "p", "td", "th", "dd"):
        block = block.getparent()
    if block is None:
        return ""
    before = _field_label(FIELD.split(block.text_content())[0])
    if before or block.tag != "td":
        return before
    row = block.getparent()
    cells = row.findall("td")
    column = cells.index(block)
    table = row.getparent().getparent() if row.getparent().tag == "tbody" else row.getparent()
    headers = table.xpath(".//thead//th")
    header = headers[column].text_content().strip() if column < len(headers) else ""
    first = cells[0].text_content().strip() if cells and cells[0] is not block else ""
    return _field_label(" - ".join(part for part in (first, header) if part and "______" not in part))


def _fields(section, prefix: str) -> int:
    """Runs of underscores become text inputs named <prefix>-<n>, labelled by what they are for."""
    count = 0
    for element in list(section.iter()):
        if not isinstance(element.tag, str) or element.tag in ("code", "pre"):
            continue
        for attr in ("text", "tail"):
            value = getattr(element, attr)
            if not value or not FIELD.search(value):
                continue
            holder = element if attr == "text" else element.getparent()
            title = _label_for(holder)
            parts = FIELD.split(value)
            setattr(element, attr, parts[0])
            boxes = []
            for rest in parts[1:]:
                count += 1
                box = lxml.html.Element("input", {"type": "text", "name": f"{prefix}-{count}", "class": "kb-field",
                                                  "title": title or f"{prefix}-{count}"})
                box.tail = rest
                boxes.append(box)
            if attr == "text":
                for position, box in enumerate(boxes):
                    element.insert(position, box)
            else:
                index = holder.index(element)
                for offset, box in enumerate(boxes, 1):
                    holder.insert(index + offset, box)
    return count


def _tick_boxes(section, prefix: str) -> int:
    """Task-list boxes become named, unticked PDF check boxes."""
    count = 0
    for box in section.xpath(".//input[@type='checkbox']"):
        count += 1
        parent = box.getparent()
        target = parent if parent.tag == "label" and "task-list-control" in (parent.get("class") or "") else box
        item = target.getparent()
        field = lxml.html.Element("input", {"type": "checkbox", "name": f"{prefix}-tick-{count}",
                                            "class": "kb-tick",
                                            "title": _field_label(item.text_content())[:80] or f"tick {count}"})
        field.tail = target.tail
        item.replace(target, field)
    return count


def document(ch: Chapter, config: SiteConfig, lang: Language, paper: str, form: bool) -> str:
    own = assemble.slug(ch.src)
    section = ch.article
    section.tag = "section"
    section.attrib.clear()
    section.set("class", f"chapter tool status-{ch.status}")
    assemble._prefix_ids(section, own)
    section.set("id", f"ch-{own}")
    assemble._rewrite_links(section, ch, {assemble._page_key(ch.url): own}, config.published_url)
    assemble._dangling([section], config.published_url)
    assemble._images(section, config, ch)
    assemble._scope_headers(section)
    if form:
        _tick_boxes(section, own)
        _fields(section, own)
    else:
        assemble._checklists(section)
        for element in section.iter():
            for attr in ("text", "tail"):
                value = getattr(element, attr) if isinstance(element.tag, str) else None
                if value and FIELD.search(value):
                    setattr(element, attr, FIELD.sub("\u2002" * 12, value))  # a writing line (CSS underlines it)
    footer = assemble.page_style(lang.code)
    # The paper, narrower margins, and the footer on the first page too (guides have a cover there).
    page = (footer.replace("@page {", f"@page {{ size: {assemble.PAPERS[paper][0]}; margin: 12mm 12mm 14mm 12mm;", 1)
            + " " + footer.replace("@page {", "@page :first {", 1).replace("; } }", "; } @top-left { content: none; } }"))
    return f"""<!doctype html>
<html lang="{lang.code}">
<head>
<meta charset="utf-8">
<title>{assemble._esc(ch.title)}</title>
<meta name="author" content="{assemble._esc(lang.site_name)}">
<meta name="generator" content="{assemble._esc(config.site_name)} (kbtools/pdf)">
<meta name="dcterms.created" content="{ch.reviewed.isoformat() if ch.reviewed else ''}">
<meta name="dcterms.modified" content="{ch.reviewed.isoformat() if ch.reviewed else ''}">
<style>{page}</style>
</head>
<body class="tool-document">
<p class="tool-site">{assemble._esc(lang.site_name)} · {assemble.online_edition(config, ch.url, lang.code, short=True)}</p>
<main>
{lxml.html.tostring(section, encoding="unicode")}
</main>
</body>
</html>
"""
