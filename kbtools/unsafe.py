"""What can run script or load content in a reader's browser: the one definition.

`kb check` (kbtools/checks/unsafe.py) applies it to the sources, with line
numbers; the build (kbtools/page_security.py) applies it to each page's
content as the last guard before publishing.
"""
from __future__ import annotations

import html
import re

# <template>: its content is a separate, inert fragment that no check here reads
# as the browser will once a script clones it; no Markdown writes one.
ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
            "template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "srcset", "cite", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest", "ping"}
SCHEMES = ("javascript", "vbscript", "data")
CSS_DANGER = re.compile(r"url\(|expression\(|@import|javascript:|behavior:|-moz-binding")


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
