"""Raw HTML and URLs that can run script in a reader's browser.

Raw HTML is parsed with html.parser (attribute values entity-decoded, names
lower-cased), attribute lists `{ ... }` (attr_list passes any attribute, on*
included, to the HTML) are read too, and every URL is compared after the
decoding a browser does: entities, and tabs, newlines and spaces dropped.
"""
from __future__ import annotations

import html
import re

from kbtools.checks.registry import check

ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "srcset", "cite", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest", "ping"}
SCHEMES = ("javascript", "vbscript", "data")
CSS_DANGER = re.compile(r"url\(|expression\(|@import|javascript:|behavior:|-moz-binding")
FIX = "write Markdown instead: raw HTML may only be simple markup such as <abbr> or <kbd>, see docs/writing-content.md"


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see, e.g. 'javascript' for ' J&#x61;va\\tScript:alert(1)'."""
    if ":" not in url and "&" not in url:
        return None  # no scheme, even entity-encoded
    url = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url)).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", url)
    return match.group(1) if match else None


def css_danger(css: str) -> str | None:
    """What in this CSS can fetch or run something, after CSS escapes and comments are removed."""
    css = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(min(int(m.group(1), 16), 0x10FFFF) or 0xFFFD), css)
    css = re.sub(r"\\(.)", r"\1", css)
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s+", "", css).lower()
    match = CSS_DANGER.search(css)
    return match.group(0) if match else None


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
