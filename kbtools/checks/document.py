"""One source file as the checks see it, read and parsed once.

Reading never raises: a file that cannot be read as text (invalid UTF-8, a
binary file, an empty file, a giant line) keeps a `problem` and no structure,
so the file checks report it and every other check skips it. The Markdown
structure is found by kbtools/checks/scan.py.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from kbtools.checks import scan
from kbtools.checks.scan import Heading, Link, Problem, Tag  # noqa: F401  (the parts of a Document)
from kbtools.frontmatter import FrontMatterError, parse, source_hash

NEWLINE = re.compile("\n")


@dataclass
class Document:
    path: str  # as reported: relative to the project root, POSIX
    kind: str  # "site" (guides/) or "handbook" (docs/)
    rel: str  # relative to its tree (guides/ or docs/)
    lang: str | None = None
    stem: str | None = None
    text: str = ""
    problems: list = field(default_factory=list)
    readable: bool = True
    has_front_matter: bool = False
    meta: dict = field(default_factory=dict)
    meta_error: FrontMatterError | None = None
    meta_lines: dict = field(default_factory=dict)
    body_line: int = 1
    body_offset: int = 0
    code_masked: str = ""  # text with code blanked
    struct: str = ""  # ... and HTML comments blanked
    prose_spans: list = field(default_factory=list, repr=False)  # URLs, tags, attribute lists
    hash: str = ""
    headings: list = field(default_factory=list)
    ids: set = field(default_factory=set)
    links: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    admonitions: list = field(default_factory=list)  # [(line, type)]
    checklists: list = field(default_factory=list)  # [line]
    code_blocks: list = field(default_factory=list)  # [line]
    markers: list = field(default_factory=list)  # [(line, name)]
    marker_errors: list = field(default_factory=list)  # [(line, message)]
    prepared: dict = field(default_factory=dict)  # check code -> what its `prepare` step kept
    line_starts: list = field(default_factory=list, repr=False)
    _prose: str | None = field(default=None, repr=False)

    @property
    def prose(self) -> str:
        """`struct` with URLs, tags and attribute lists blanked too: the words readers read.
        Made when a check first asks (only the terminology check does)."""
        if self._prose is None:
            self._prose = scan.blank(self.struct, sorted(self.prose_spans)) if self.prose_spans else self.struct
        return self._prose

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in `text`."""
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def strip_text(self) -> None:
        """Drop what only the file checks need: project checks use the structure."""
        self.text = self.code_masked = self.struct = ""
        self.line_starts, self.tags, self.markers, self.prose_spans, self._prose = [], [], [], [], None


def read(raw: bytes | None, path: str, kind: str, rel: str, *, lang=None, stem=None,
         max_line: int = 10_000, expand=None) -> Document:
    """Parse one file. `expand(name, doc)` returns the Markdown a kb marker stands for."""
    doc = Document(path, kind, rel, lang, stem)
    text = _decode(raw, doc, max_line)
    if text is None:
        doc.readable = False
        return doc
    doc.text = text
    doc.hash = source_hash(text)
    doc.line_starts = [0, *(m.end() for m in NEWLINE.finditer(text))]
    _front_matter(doc)
    scan.mask(doc)
    scan.structure(doc, expand, read)
    return doc


def _decode(raw: bytes | None, doc: Document, max_line: int) -> str | None:
    if raw is None:
        doc.problems.append(Problem("file-encoding", 1, 1, "cannot read the file; check that it exists and is readable"))
        return None
    if not raw.strip():
        doc.problems.append(Problem("file-empty", 1, 1, "the file is empty; write the page (front matter, # title, "
                                    "text) or delete the file"))
        return None
    if b"\x00" in raw:
        doc.problems.append(Problem("file-encoding", 1, 1, "this is a binary file, not Markdown text; give images "
                                    "and downloads their own extension, not .md"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.problems.append(Problem("file-encoding", line, col, f"the file is not valid UTF-8 (byte "
                                    f"0x{raw[exc.start]:02x}); re-save it with UTF-8 encoding"))
        return None
    if text.startswith("\ufeff"):
        doc.problems.append(Problem("file-bom", 1, 1, "the file starts with a byte-order mark (BOM); "
                                    "save it as UTF-8 without BOM"))
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        doc.problems.append(Problem("file-crlf", line, 1, "the file has Windows (CRLF) or old Mac (CR) line ends; "
                                    "save it with Unix (LF) line ends"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.lstrip("\ufeff")
    longest = max(map(len, text.split("\n")))
    if longest > max_line:
        line = [len(line) for line in text.split("\n")].index(longest) + 1
        doc.problems.append(Problem("file-line-too-long", line, 1, f"line {line} has {longest:,} characters "
                                    f"(at most {max_line:,}); break it into paragraphs, or check that the file "
                                    "is a page"))
        return None
    return text


def _front_matter(doc: Document) -> None:
    text = doc.text
    doc.has_front_matter = text.split("\n", 1)[0].rstrip() == "---"
    try:
        page = parse(text)
    except FrontMatterError as exc:
        doc.meta_error = exc  # MkDocs reads such a file as a page without front matter
        return
    doc.meta = page.meta
    doc.body_line = page.body_line
    starts = doc.line_starts
    doc.body_offset = starts[page.body_line - 1] if page.body_line - 1 < len(starts) else len(text)
    if page.meta_text is not None:
        for i, line in enumerate(page.meta_text.split("\n")):
            match = re.match(r"([A-Za-z_][\w-]*)[ \t]*:", line)
            if match:
                doc.meta_lines.setdefault(match.group(1), i + 2)
