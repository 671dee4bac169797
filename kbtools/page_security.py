"""Security of built pages: a Content-Security-Policy per page, and a refusal
to publish script that the project did not put there.

Material writes a few small inline scripts whose text depends on the page's
depth, so the policy lists their SHA-256 hashes page by page instead of
allowing 'unsafe-inline'. Editors' content lands inside <article>; nothing
able to run code may appear there (make check rejects it in the sources, and
this is the last line behind it).
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlparse

from selectolax.lexbor import LexborHTMLParser

from kbtools.unsafe import ELEMENTS, SCHEMES, URL_ATTRIBUTES, css_danger, url_scheme

EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}

POLICY = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
          "object-src 'none'; base-uri 'self'; form-action 'self'")


@dataclass
class Scan:
    inline_scripts: list[str] = field(default_factory=list)  # the text of each, as the browser hashes it
    script_srcs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def scan(html: str) -> Scan:
    """The page's scripts, and what in its content could run code.

    The page is parsed as a browser parses it (Lexbor, an HTML5 parser), so the
    scan sees the elements the reader's browser builds: a `<script` inside a
    comment or an attribute is no script, a stray `</article>` ends nothing
    the browser would not end, and the text of an inline script is what the
    browser hashes against the CSP (newlines normalised). tests/test_page_security.py
    compares the scan with Chromium's own DOM."""
    tree = LexborHTMLParser(html)
    found = Scan()
    for script in tree.css("script"):
        attrs = _attributes(script)
        if attrs.get("src"):
            found.script_srcs.append(attrs["src"])
        elif attrs.get("type", "").strip().lower() in EXECUTABLE_TYPES:
            text = script.text(deep=True)
            if text.strip():
                found.inline_scripts.append(text)
    found.problems = content_problems((node.tag, _attributes(node)) for node in tree.css("article, article *"))
    return found


def content_problems(elements) -> list[str]:
    """What could run code among the content's elements, given as (tag, {attribute: value})."""
    problems = []
    for tag, attrs in elements:
        if tag in ELEMENTS:
            problems.append(f"<{tag}> in the page's content")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"event handler attribute {name}= on <{tag}> in the page's content")
            if name in URL_ATTRIBUTES and _dangerous_url(name, value):
                problems.append(f"{name}={value[:40]!r} on <{tag}> in the page's content")
            if name == "style" and css_danger(value):
                problems.append(f"style with {css_danger(value)} on <{tag}> in the page's content")
    return problems


def _attributes(node) -> dict[str, str]:
    return {name.lower(): value or "" for name, value in node.attributes.items()}


def _dangerous_url(name: str, value: str) -> bool:
    urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
    return any(url_scheme(url) in SCHEMES for url in urls)


def script_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def foreign_scripts(scanner: Scan, allowed_srcs: set[str]) -> list[str]:
    """Script files the project did not configure, or from another origin."""
    problems = []
    for src in scanner.script_srcs:
        parsed = urlparse(src)
        name = parsed.path.rsplit("/", 1)[-1]
        if parsed.scheme or src.startswith("//"):
            problems.append(f"script from another origin: {src}")
        elif name not in allowed_srcs:
            problems.append(f"script file the project does not ship: {src}")
    return problems


def with_policy(html: str, scanner: Scan) -> str:
    """The page with a CSP <meta> right after <meta charset>, hashing its inline scripts."""
    hashes = " ".join(sorted({script_hash(text) for text in scanner.inline_scripts}))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=hashes).strip()}">'
    marker = '<meta charset="utf-8">'
    if marker not in html:
        raise ValueError("page has no <meta charset=\"utf-8\"> to anchor the policy")
    return html.replace(marker, marker + "\n    " + meta, 1)


def secure(html: str, source: str, allowed_scripts: set[str]) -> str:
    """The page with its CSP, or PluginError when its content carries script the project did not put there."""
    from mkdocs.exceptions import PluginError

    scanner = scan(html)
    problems = scanner.problems + foreign_scripts(scanner, allowed_scripts)
    if problems:
        raise PluginError(f"{source}: refusing to publish a page with script the project did "
                          f"not put there: {'; '.join(problems)}. Remove it from the source "
                          "(make check shows the line).")
    return with_policy(html, scanner)
