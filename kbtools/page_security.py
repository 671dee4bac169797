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
import re
from html.parser import HTMLParser
from urllib.parse import urlparse

from kbtools.unsafe import ELEMENTS, SCHEMES, URL_ATTRIBUTES, css_danger, url_scheme

EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}

POLICY = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
          "object-src 'none'; base-uri 'self'; form-action 'self'")


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts: list[str] = []
        self.problems: list[str] = []
        self.script_srcs: list[str] = []
        self._article_depth = 0
        self._in_script: str | None = None  # type of the script being read
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {name.lower(): (value or "") for name, value in attrs}
        if tag == "article":
            self._article_depth += 1
        in_content = self._article_depth > 0
        if tag == "script":
            self._in_script = attrs.get("type", "").strip().lower()
            self._script_text = []
            if attrs.get("src"):
                self.script_srcs.append(attrs["src"])
        if in_content:
            if tag in ELEMENTS:
                self.problems.append(f"<{tag}> in the page's content")
            for name, value in attrs.items():
                if name.startswith("on"):
                    self.problems.append(f"event handler attribute {name}= on <{tag}> in the page's content")
                if name in URL_ATTRIBUTES and _dangerous_url(name, value):
                    self.problems.append(f"{name}={value[:40]!r} on <{tag}> in the page's content")
                if name == "style" and css_danger(value):
                    self.problems.append(f"style with {css_danger(value)} on <{tag}> in the page's content")

    def handle_endtag(self, tag):
        if tag == "article" and self._article_depth:
            self._article_depth -= 1
        if tag == "script" and self._in_script is not None:
            if self._in_script in EXECUTABLE_TYPES:
                text = "".join(self._script_text)
                if text.strip():
                    self.inline_scripts.append(text)
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._script_text.append(data)


def _dangerous_url(name: str, value: str) -> bool:
    urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
    return any(url_scheme(url) in SCHEMES for url in urls)


def scan_all(html: str) -> _Scanner:
    """The whole page through the parser."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner


# Before <article> a page is the theme's: its navigation (most of the page's bytes, and
# more with every page of the site) and a few scripts. What the scan needs from there
# is the script elements only; they are found with a regular expression where that
# gives the parser's answer, and the parser reads each of them and everything from
# <article> on. Anything that could make a `<script` there mean something else to
# the parser (a comment, a raw-text element, `<` inside a tag) sends the page to the
# parser whole.
_ARTICLE = re.compile(r"<article\b", re.I)
_HEAD_SCRIPT = re.compile(r"<script\b[^>]*>.*?</\s*script\s*>", re.I | re.S)
_NOT_PLAIN = re.compile(
    r"<!(?!doctype\b)|<\?"  # comments, CDATA, processing instructions
    r"|<(?:style|textarea|xmp|iframe|noembed|noframes|noscript|plaintext)\b"  # raw text
    r"|<title\b(?![^>]*>[^<]*</title>)"  # a title holding markup
    r"|=\s*\"[^\"]*<|=\s*'[^']*<|=\s*<",  # `<` in an attribute value
    re.I)


def scan(html: str) -> _Scanner:
    """What `scan_all` finds, reading only the script elements before <article> (see above)."""
    article = _ARTICLE.search(html)
    if article is None:
        return scan_all(html)
    head = html[:article.start()]
    if _NOT_PLAIN.search(head):
        return scan_all(html)
    scanner = _Scanner()
    for script in _HEAD_SCRIPT.finditer(head):
        before = head[:script.start()].rstrip()
        if before and not before.endswith(">"):
            return scan_all(html)
        scanner.feed(script.group())
        if scanner._in_script is not None or scanner.rawdata:
            return scan_all(html)  # the parser did not end the element where the expression did
    if "<script" in _HEAD_SCRIPT.sub("", head).lower():
        return scan_all(html)
    scanner.feed(html[article.start():])
    scanner.close()
    return scanner


def script_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def foreign_scripts(scanner: _Scanner, allowed_srcs: set[str]) -> list[str]:
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


def with_policy(html: str, scanner: _Scanner) -> str:
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
