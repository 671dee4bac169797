"""The Markdown structure of a page, as Python-Markdown (configured as in mkdocs.yml) sees it.

Found with regular expressions rather than by rendering, because the checks
need line and column numbers and must read thousands of pages in seconds.
Code (closed fences, code spans) and HTML comments are blanked out with spaces
first, keeping every offset, so nothing inside code is checked; raw HTML is
read with html.parser.

Speed notes: every pattern starts with a literal (Python's `re` then skips
straight to candidates; a leading look-behind or `^` in MULTILINE mode makes it
try every position), and parsed parts are tuples, which pickle ten times
faster than dataclasses.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from html.parser import HTMLParser
from typing import NamedTuple

from markdown.extensions.toc import slugify, unique

from kbtools.markers import MARKER

FENCE = re.compile(r"(`{3,}|~{3,})([^\n]*)")
BACKTICKS = re.compile(r"`+")
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# As a browser ends a comment (HTML5): "<!-->" and "<!--->" are whole comments, "--!>" ends one too.
COMMENT = re.compile(r"<!--(?:-?>|.*?--!?>)", re.S)
HTML_LINE = re.compile(r"^[ \t]{0,3}<[A-Za-z/!?]", re.M)
ATX = re.compile(r"\n(#{1,6})([^\n]*)")
SETEXT = re.compile(r"\n(=+|-+)[ \t]*(?=\n|$)")
TRAILING_HASHES = re.compile(r"[ \t]#+[ \t]*$|^#+[ \t]*$")
ATTR_TOKEN = r"""(?:\#[\w:.-]+|\.[\w-]+|[\w:.-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s"'}]+)|[\w:.-]+)"""
ATTR_LIST = re.compile(r"\{:?[ \t]*(" + ATTR_TOKEN + r"(?:[ \t]+" + ATTR_TOKEN + r")*)[ \t]*\}")
ATTR_PAIR = re.compile(r"""\#([\w:.-]+)|\.([\w-]+)|([\w:.-]+)=("[^"\n]*"|'[^'\n]*'|[^\s"'}]+)|([\w:.-]+)""")
HEADING_ATTRS = re.compile(r"[ \t]*" + ATTR_LIST.pattern + r"[ \t]*$")
ADMONITIONS = {"!!!": re.compile(r"!!![ \t]+([\w-]+)"), "???": re.compile(r"\?\?\?\+?[ \t]+([\w-]+)")}
CHECKBOX = re.compile(r"\[[ xX]\][ \t]")
LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]+$")
REF_DEF = re.compile(r"\[([^\]\n]+)\]:[ \t]*\n?[ \t]*(<[^>\n]*>|\S+)")
# Possessive quantifiers (Python 3.11+): linear time even on a stray "[" in a huge file.
LINK = re.compile(r"""
    \[(?P<text>(?:[^\[\]\\]++|\\.|\[(?:[^\[\]\\]++|\\.)*+\])*+)\]
    (?:\(\s*(?P<dest><[^<>\n]*>|(?:[^\s()\\]++|\\.|\((?:[^\s()\\]++|\\.)*+\))*+)
        (?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)
      |\[(?P<ref>[^\[\]]*)\])?""", re.X | re.S)
AUTOLINK = re.compile(r"<((?:[Hh][Tt]|[Ff])[Tt][Pp][Ss]?://[^<>\s]*|[Mm][Aa][Ii][Ll][Tt][Oo]:[^<>\s]*)>")
URL_TAIL = re.compile(r"://[^\s<>()\[\]]+")
SCHEME_BEFORE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*$")
TAG_SPAN = re.compile(r"</?[A-Za-z][^<>]*>")
NOTHING = re.compile("")
LIST_OR_QUOTE = re.compile(r"[-*+>|]|\d+[.)]\s")
INLINE_STRIP = [  # heading source -> the text toc slugifies: (character that triggers it, pattern, replacement)
    ("![", re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    ("[", re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])"), r"\1"),
    ("<", re.compile(r"<[^>]+>"), ""),
    ("`", re.compile(r"`+"), ""),
    ("*", re.compile(r"\*+"), ""),
    ("_", re.compile(r"(?<!\w)_+|_+(?!\w)"), ""),
    ("\\", re.compile(r"\\(.)"), r"\1"),
]




class Problem(NamedTuple):
    """Why a file could not be read as text (or a recoverable oddity such as a BOM)."""
    code: str
    line: int
    col: int
    message: str


class Link(NamedTuple):
    line: int
    col: int
    target: str  # destination as written, without <> and backslash escapes
    text: str  # link text, or alt text of an image
    image: bool
    # inline [text](url); definition [ref]: url; reference [text][ref] (a use of a definition, whose
    # url it repeats: checks of the url look at the definition); html <a>/<img>; marker (generated)
    kind: str


class Heading(NamedTuple):
    line: int
    level: int
    text: str
    explicit_id: str | None
    id: str


class Tag(NamedTuple):
    """A raw HTML start tag, or an attribute list `{ ... }` (kind attr_list)."""
    line: int
    col: int
    name: str
    attrs: list
    kind: str = "html"
    content: str = ""  # text of <style>/<script> elements


def blank(text: str, spans) -> str:
    """Replace the spans by spaces (newlines kept), so offsets stay valid."""
    out, last = [], 0
    for start, end in spans:
        if start < last:
            continue
        out.append(text[last:start])
        out.append("\n".join(" " * len(part) for part in text[start:end].split("\n")))
        last = end
    out.append(text[last:])
    return "".join(out)


def _at_line_start(text: str, offset: int, prefix: re.Pattern | None = None) -> bool:
    """Whether only blanks (or, with `prefix`, text matching it) stand between the line start and offset."""
    start = text.rfind("\n", 0, offset) + 1
    before = text[start:offset]
    return prefix.fullmatch(before) is not None if prefix else not before.strip(" \t")


def _fences(text: str, start: int) -> list[tuple[int, int, int]]:
    """Closed fenced code blocks: (first offset of the opening line, end, offset of the fence)."""
    blocks = []
    if "```" in text or "~~~" in text:
        position = start
        while True:
            match = FENCE.search(text, position)
            if match is None:
                break
            position = match.end()
            fence = match.group(1)
            if not _at_line_start(text, match.start()) or (fence[0] == "`" and "`" in match.group(2)):
                continue
            close = re.compile(r"\n[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*(?=\n|$)")
            end = close.search(text, match.end())
            if end is None:
                continue  # never closed: Python-Markdown renders it as text, so it is checked as text
            blocks.append((text.rfind("\n", 0, match.start()) + 1, end.end(), match.start()))
            position = end.end()
    return blocks


def _blank_code(text: str, start: int, blocks) -> str:
    """`text` with fenced blocks and code spans blanked out (offsets kept)."""
    masked = blank(text, [(a, b) for a, b, _ in blocks]) if blocks else text
    if "`" in masked[start:]:
        blanks = [m.end() for m in BLANK_LINE.finditer(masked, start)]
        inline = [span for span in _code_spans(masked, start) if not _in_html_block(masked, blanks, *span)]
        masked = blank(masked, inline) if inline else masked
    return masked


def mask_code(text: str, start: int = 0) -> str:
    """`text` with code blanked out as the checks see it (kbtools.markers locates markers with it)."""
    return _blank_code(text, start, _fences(text, start))


def mask(doc) -> None:
    text, start = doc.text, doc.body_offset
    blocks = _fences(text, start)
    doc.code_blocks.extend(doc.position(fence)[0] for _, _, fence in blocks)
    masked = doc.code_masked = _blank_code(text, start, blocks)
    if "<!--" in masked[start:]:
        doc.struct = blank(masked, [m.span() for m in COMMENT.finditer(masked, start)])
    else:
        doc.struct = masked


def _in_html_block(text: str, blanks: list[int], start: int, end: int) -> bool:
    """Whether the paragraph around text[start:end] has a line starting with an HTML tag.

    Python-Markdown passes such a block through as raw HTML, backticks and all,
    so what looks like code there is not: it must be checked like the rest.
    `blanks`: the offsets just after each blank line of the text.
    """
    index = bisect_right(blanks, start)
    first = blanks[index - 1] if index else 0
    last = blanks[index] if index < len(blanks) else len(text)
    return HTML_LINE.search(text, first, max(last, end)) is not None


def _code_spans(text: str, start: int) -> list[tuple[int, int]]:
    """Code spans: a run of n backticks up to the next run of exactly n, within one paragraph."""
    runs = [m.span() for m in BACKTICKS.finditer(text, start) if text[m.start() - 1:m.start()] != "\\"]
    spans, i = [], 0
    while i < len(runs):
        opening = runs[i]
        width = opening[1] - opening[0]
        for j in range(i + 1, len(runs)):
            if BLANK_LINE.search(text, opening[1], runs[j][0]):
                break  # a code span does not cross a blank line
            if runs[j][1] - runs[j][0] == width:
                spans.append((opening[0], runs[j][1]))
                i = j
                break
        i += 1
    return spans


def structure(doc, expand, read) -> None:
    start, struct = doc.body_offset, doc.struct
    if "kb:" in doc.code_masked:
        for match in MARKER.finditer(doc.code_masked, start):
            if _at_line_start(doc.code_masked, match.start(), NOTHING):
                doc.markers.append((doc.position(match.start())[0], match.group(1)))
    for literal, pattern in ADMONITIONS.items():
        if literal in struct:
            doc.admonitions += [(doc.position(m.start())[0], m.group(1)) for m in pattern.finditer(struct, start)
                                if _at_line_start(struct, m.start())]
    doc.admonitions.sort()
    doc.checklists = [doc.position(m.start())[0] for m in CHECKBOX.finditer(struct, start)
                      if _at_line_start(struct, m.start(), LIST_ITEM)]
    prose_spans: list = []
    _tags(doc, prose_spans)
    _links(doc, prose_spans)
    headings = _headings(doc)
    generated = []
    for line, name in doc.markers:
        if expand is None:
            continue
        try:
            generated.append((line, expand(name, doc)))
        except Exception as exc:  # reported by the marker-invalid check
            doc.marker_errors.append((line, str(exc)))
    _ids(doc, headings, generated, read)
    doc.prose_spans = prose_spans


class _TagParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list = []
        self._raw_text: list | None = None

    def handle_starttag(self, tag, attrs):
        line, col = self.getpos()
        self.found.append([line, col, tag, attrs, ""])
        if tag in ("style", "script"):
            self._raw_text = []

    def handle_startendtag(self, tag, attrs):
        line, col = self.getpos()
        self.found.append([line, col, tag, attrs, ""])

    def handle_data(self, data):
        if self._raw_text is not None:
            self._raw_text.append(data)

    def handle_endtag(self, tag):
        if self._raw_text is not None and tag in ("style", "script"):
            self.found[-1][4] = "".join(self._raw_text)
            self._raw_text = None


def _tags(doc, prose_spans: list) -> None:
    """Raw HTML start tags (with a real parser) and attribute lists."""
    struct, start = doc.struct, doc.body_offset
    body = struct[start:]
    if "<" in body:
        parser = _TagParser()
        try:
            parser.feed(body)
            parser.close()
        except Exception:  # html.parser gave up on this text: keep what it found
            pass
        if parser._raw_text is not None and parser.found:  # <script> never closed: the rest is its text
            parser.found[-1][4] = "".join(parser._raw_text)
        for line, col, name, attrs, content in parser.found:
            doc.tags.append(Tag(line + doc.body_line - 1, col + 1, name, attrs, "html", content))
        prose_spans.extend((start + a, start + b) for a, b in (m.span() for m in TAG_SPAN.finditer(body)))
    if "{" in body:
        for match in ATTR_LIST.finditer(struct, start):
            line, col = doc.position(match.start())
            attrs = []
            for pair in ATTR_PAIR.finditer(match.group(1)):
                if pair.group(1):
                    attrs.append(("id", pair.group(1)))
                elif pair.group(2):
                    attrs.append(("class", pair.group(2)))
                elif pair.group(3):
                    attrs.append((pair.group(3).lower(), html.unescape(pair.group(4).strip("\"'"))))
                else:
                    attrs.append((pair.group(5).lower(), None))
            doc.tags.append(Tag(line, col, "{}", attrs, "attr_list"))
            prose_spans.append(match.span())


def _clean_target(dest: str) -> str:
    dest = dest.strip()
    if dest.startswith("<") and dest.endswith(">"):
        dest = dest[1:-1]
    return re.sub(r"\\(.)", r"\1", dest) if "\\" in dest else dest


def _links(doc, prose_spans: list) -> None:
    struct, start = doc.struct, doc.body_offset
    refs, def_starts = {}, set()
    if "]:" in struct:
        for match in REF_DEF.finditer(struct, start):
            if match.group(1).startswith("^") or not _at_line_start(struct, match.start(), re.compile(" {0,3}")):
                continue  # a footnote, or not at the start of a line
            refs.setdefault(match.group(1).strip().lower(), _clean_target(match.group(2)))
            def_starts.add(match.start())
            line, col = doc.position(match.start(2))
            doc.links.append(Link(line, col, _clean_target(match.group(2)), match.group(1), False, "definition"))
            prose_spans.append(match.span(2))

    def scan(text_start: int, text_end: int):
        for match in LINK.finditer(struct, text_start, text_end):
            begin = match.start()
            if begin in def_starts or match.group("text").startswith("^"):
                continue
            if begin > 0 and struct[begin - 1] == "\\":
                continue  # \[ is a literal bracket
            label, dest = match.group("text"), match.group("dest")
            if dest is not None:
                target = _clean_target(dest)
                prose_spans.append((match.end("text") + 1, match.end()))
            else:
                key = (match.group("ref") or label).strip().lower()
                if key not in refs:
                    continue  # not a link: Python-Markdown leaves the brackets as text
                target = refs[key]
                if match.group("ref") is not None:
                    prose_spans.append((match.end("text") + 1, match.end()))
            image = begin > 0 and struct[begin - 1] == "!"
            line, col = doc.position(begin - image)
            doc.links.append(Link(line, col, target, label, image, "inline" if dest is not None else "reference"))
            if "[" in label:  # an image inside a link's text
                scan(match.start("text"), match.end("text"))

    if "[" in struct[start:]:
        scan(start, len(struct))
    if "<" in struct:  # <https://...> and <mailto:...> autolinks
        for match in AUTOLINK.finditer(struct, start):
            line, col = doc.position(match.start())
            doc.links.append(Link(line, col, match.group(1), match.group(1), False, "inline"))
    for tag in doc.tags:
        if tag.kind != "html":
            continue
        attrs = dict(tag.attrs)
        if tag.name == "a" and attrs.get("href"):
            doc.links.append(Link(tag.line, tag.col, attrs["href"].strip(), "", False, "html"))
        elif tag.name == "img" and attrs.get("src"):
            doc.links.append(Link(tag.line, tag.col, attrs["src"].strip(), attrs.get("alt") or "", True, "html"))
    if "://" in struct:  # bare and <autolinked> addresses: not prose
        for match in URL_TAIL.finditer(struct, start):
            scheme = SCHEME_BEFORE.search(struct, max(start, match.start() - 20), match.start())
            prose_spans.append((scheme.start() if scheme else match.start(), match.end()))
    doc.links.sort()


def heading_text(source: str) -> str:
    """The text toc slugifies for a heading written as `source` (attribute list removed)."""
    for trigger, pattern, replacement in INLINE_STRIP:
        if trigger in source:
            source = pattern.sub(replacement, source)
    return html.unescape(source).strip() if "&" in source else source.strip()


def _headings(doc) -> list[tuple[int, int, str, str | None]]:
    """[(line, level, text, explicit id)] of ATX (`## Title`) and setext (underlined) headings."""
    base, text = doc.body_offset, doc.text
    body = "\n" + doc.struct[base:]  # a newline first, so the first line is found like the others
    found = []
    if "#" in body:
        for match in ATX.finditer(body):
            offset = base + match.start(1) - 1
            level = len(match.group(1))
            end = text.find("\n", offset)
            source = text[offset + level:end if end >= 0 else len(text)]
            found.append((offset, level, TRAILING_HASHES.sub("", source.rstrip())))
    if "==" in body or "--" in body:
        for match in SETEXT.finditer(body):
            line_end = match.start()  # the newline that ends the underlined line
            line_start = body.rfind("\n", 0, line_end) + 1
            line = body[line_start:line_end]
            before = body[body.rfind("\n", 0, line_start - 1) + 1:line_start - 1] if line_start > 1 else ""
            # Python-Markdown: only a one-line paragraph can be underlined into a heading.
            if (line.strip() and not line[0].isspace() and not line.startswith("#")
                    and not LIST_OR_QUOTE.match(line) and not before.strip()):
                offset = base + line_start - 1
                found.append((offset, 1 if match.group(1)[0] == "=" else 2, text[offset:offset + len(line)]))
    out = []
    for offset, level, source in sorted(found):
        explicit = None
        attrs = HEADING_ATTRS.search(source, source.rfind("{") - 1) if source.rstrip().endswith("}") else None
        if attrs:
            explicit = next((p.group(1) for p in ATTR_PAIR.finditer(attrs.group(1)) if p.group(1)), None)
            source = source[:attrs.start()]
        out.append((doc.position(offset)[0], level, heading_text(source), explicit))
    return out


_GENERATED: dict = {}  # Markdown a marker made -> its parsed Document


def _ids(doc, headings, generated: list[tuple[int, str]], read) -> None:
    """Every id a link may point to, as toc assigns them (explicit ids first, then unique slugs)."""
    ids = doc.ids
    for tag in doc.tags:
        for name, value in tag.attrs:
            if value and (name == "id" or (name == "name" and tag.name == "a")):
                ids.add(value)
    for line, markdown in generated:
        sub = _GENERATED.get(markdown)
        if sub is None:  # markers render the same Markdown on many pages: parse it once
            sub = _GENERATED[markdown] = read(markdown.encode("utf-8"), doc.path, doc.kind, doc.rel)
        ids.update(sub.ids)
        # Links to pages and anchors are checked; other files a marker lists (PDFs, zips) are
        # build outputs that do not exist in the sources.
        for link in sub.links:
            path = link.target.split("#")[0].split("?")[0]
            if not path or path.endswith(".md") or "://" in path:
                doc.links.append(Link(line, 1, link.target, link.text, link.image, "marker"))
    ids.update(explicit for _, _, _, explicit in headings if explicit)
    doc.headings = [Heading(line, level, text, explicit, explicit or unique(slugify(text, "-"), ids))
                    for line, level, text, explicit in headings]
