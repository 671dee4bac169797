"""Raw HTML and URLs that can run script in a reader's browser, in the sources.

What counts as unsafe is defined once, in kbtools/unsafe.py, for this check
and for the build's last guard (kbtools/page_security.py).

Raw HTML is parsed with html.parser (attribute values entity-decoded, names
lower-cased), attribute lists `{ ... }` (attr_list passes any attribute, on*
included, to the HTML) are read too, and every URL is compared after the
decoding a browser does: entities, and tabs, newlines and spaces dropped.
"""
from __future__ import annotations

from kbtools.checks.registry import check
from kbtools.unsafe import ELEMENTS, SCHEMES, URL_ATTRIBUTES, css_danger, url_scheme

FIX = "write Markdown instead: raw HTML may only be simple markup such as <abbr> or <kbd>, see docs/writing-content.md"


def _attributes(tag):
    for name, value in tag.attrs:
        name = (name or "").lower()
        shown = "{ ... }" if tag.kind == "attr_list" else f"<{tag.name}>"
        if name.startswith("on"):
            yield f"the {name}= attribute of {shown} runs script; remove it ({FIX})"
        elif value and name in URL_ATTRIBUTES:
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
            for url in urls:
                scheme = url_scheme(url)
                if scheme in SCHEMES:
                    yield (f"the {name}= attribute of {shown} is a {scheme}: URL, which can run script; "
                           "link to a page or file of the site, or to an https:// address")
        elif value and name == "style":
            danger = css_danger(value)
            if danger:
                yield f"the style= attribute of {shown} uses {danger}, which can load or run content; remove it"


@check("unsafe-html")
def unsafe_html(doc, config):
    """Raw HTML or a URL that can run script: <script>, <iframe>, <object>, <embed>, on* attributes,
    javascript: or data: URLs (in HTML, Markdown links, images or attribute lists), style with url().

    Bad:  <a href="JaVaScRiPt:alert(1)">Report</a>, [Report](javascript:alert(1)), <img src=x onerror=alert(1)>
    Good: [Report a case](../migration/referral.md#national-referral-mechanism)
    """
    for tag in doc.tags:
        if tag.kind == "html" and tag.name in ELEMENTS:
            yield tag.line, tag.col, f"raw HTML <{tag.name}> can load or run code in readers' browsers; remove it ({FIX})"
        if tag.kind == "html" and tag.name == "style":
            danger = css_danger(tag.content)
            if danger:
                yield tag.line, tag.col, f"a <style> element uses {danger}, which can load or run content; remove it"
        for message in _attributes(tag):
            yield tag.line, tag.col, message
    for link in doc.links:
        if link.kind in ("inline", "definition"):
            scheme = url_scheme(link.target)
            if scheme in SCHEMES:
                what = "image" if link.image else "link"
                yield link.line, link.col, (f"this {what} is a {scheme}: URL, which can run script in readers' "
                                            "browsers; link to a page or file of the site, or to an https:// address")
