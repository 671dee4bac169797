"""Files that are not clean UTF-8 Markdown text. Each problem is one finding;
a file that cannot be read as text gets no other check."""
from __future__ import annotations

from kbtools.checks.registry import check

BOTH = ("site", "handbook")


def _problems(doc, code):
    return ((p.line, p.col, p.message) for p in doc.problems if p.code == code)


@check("file-encoding", kinds=BOTH)
def file_encoding(doc, config):
    """A file that is not UTF-8 text (invalid bytes, or a binary file named .md).

    Bad:  a page saved as Latin-1, so "acción" is the bytes 61 63 63 69 f3 6e
    Good: the same page saved as UTF-8
    """
    return _problems(doc, "file-encoding")


@check("file-empty", kinds=BOTH)
def file_empty(doc, config):
    """An empty file (or one with only blank lines).

    Bad:  guides/investigation/new-page.en.md with no content
    Good: front matter, a # title and the text of the page
    """
    return _problems(doc, "file-empty")


@check("file-bom", kinds=BOTH)
def file_bom(doc, config):
    """A file that starts with a UTF-8 byte-order mark.

    Bad:  EF BB BF 2D 2D 2D (BOM, then ---)
    Good: 2D 2D 2D (--- at the very start)
    """
    return _problems(doc, "file-bom")


@check("file-crlf", kinds=BOTH)
def file_crlf(doc, config):
    """Windows (CRLF) or old Mac (CR) line ends.

    Bad:  title: Evidence\\r\\n
    Good: title: Evidence\\n
    """
    return _problems(doc, "file-crlf")


@check("file-line-too-long", kinds=BOTH)
def file_line_too_long(doc, config):
    """A line longer than max_line_length (checks.yml): usually a file that is not a page.

    Bad:  one line of 5,000,000 characters
    Good: paragraphs of normal length
    """
    return _problems(doc, "file-line-too-long")
