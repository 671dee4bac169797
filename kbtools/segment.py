"""One sentence per line: the layout of every page, and the segments of the CAT exchange.

A page's body is read as a list of blocks (`parse`): text blocks (paragraphs,
list items, definitions, admonition bodies, quotes), whose lines `kb fmt`
rewrites one sentence per line, and blocks it never touches (headings,
admonition titles, tables, code, HTML, markers, blank lines). A text block's
first line keeps its prefix (indentation, list marker, task box, `:   `,
`> `); its other lines are indented to the column where the first line's text
starts (`> ` again in a quote).

The sentence splitter is conservative: it ends a sentence only at . ! ? or …
(closing quotes and brackets may follow) followed by a space and a capital
letter, never after an abbreviation of data/segmentation.yml, a single letter
or a dotted acronym, and never inside link text or targets, code spans,
attribute lists `{ ... }`, HTML tags, parentheses, quotes or bold text. A
sentence it does not see stays on its line with the previous one: the layout
is still the same for everyone, and the check agrees with `kb fmt` because
both call `layout`.

Where a paragraph could be misread once it is split (a line starting with a
list marker, `#`, `>`...), no line is made to start there: see
`_starts_sentence`, which only lets a sentence start with a capital letter,
possibly after an opening quote, bracket or emphasis.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kbtools import data
from kbtools.frontmatter import FrontMatterError, split

# --- Blocks -----------------------------------------------------------------

LIST_MARK = re.compile(r"( *)([-*+]|\d{1,9}[.)])( +)(\[[ xX]\] +)?(?=\S)")
DEF_MARK = re.compile(r"( *):( {1,4})(?=\S)")
QUOTE = re.compile(r"( *)>( ?)")
HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
ADMONITION = re.compile(r" *(?:!!!|\?\?\?\+?)[ \t]+[\w-]+")
TABLE_ROW = re.compile(r" *\|")
FENCE_OPEN = re.compile(r" *(`{3,}|~{3,})")
RULE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
DEFINITION = re.compile(r" {0,3}(?:\[[^\]\n]+\]:|\*\[[^\]\n]+\]:)")
# Block-level HTML (Python-Markdown passes such a block through untouched) and comments.
HTML_BLOCK = re.compile(
    r" {0,3}<(?:!--|/?(?:address|article|aside|blockquote|details|dialog|div|dl|fieldset|figcaption|figure|"
    r"footer|form|h[1-6]|header|hr|iframe|main|nav|noscript|ol|p|pre|script|section|style|summary|table|"
    r"tbody|td|tfoot|th|thead|tr|ul|video|audio|canvas|math|svg)\b)", re.I)


@dataclass
class Block:
    """Consecutive lines of the body. `start` is the index of the first in the body's lines."""
    kind: str  # text, heading, admonition, table, other, blank
    start: int
    lines: list[str]
    prefix: str = ""  # text blocks: the first line's prefix
    cont: str = ""  # text blocks: the prefix of every other line
    heading_id: str | None = None  # the section it is in (set by `sections`)

    @property
    def texts(self) -> list[str]:
        """The text of each line of a text block, without its prefix."""
        out = [self.lines[0][len(self.prefix):].strip()]
        for line in self.lines[1:]:
            if self.cont.startswith(">") or self.cont.lstrip().startswith(">"):
                match = QUOTE.match(line)
                out.append(line[match.end():].strip() if match else line.strip())
            else:
                out.append(line.strip())
        return out


@dataclass
class _Container:
    inside: int  # a line indented at least this much is inside (after a blank line)
    code: int  # ... and indented at least this much, indented code


def _interrupts(line: str) -> bool:
    """Whether a line ends the paragraph before it rather than continuing it (conservative)."""
    return bool(HEADING.match(line) or ADMONITION.match(line) or TABLE_ROW.match(line) or FENCE_OPEN.match(line)
                or LIST_MARK.match(line) or DEF_MARK.match(line) or QUOTE.match(line) or RULE.match(line)
                or line.lstrip().startswith("<!--"))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def parse(lines: list[str]) -> list[Block]:
    """The blocks of a page body given as lines (no front matter)."""
    blocks: list[Block] = []
    containers: list[_Container] = []
    i, n = 0, len(lines)
    after_blank = True
    while i < n:
        line = lines[i]
        if not line.strip():
            blocks.append(Block("blank", i, [line]))
            i, after_blank = i + 1, True
            continue
        indent = _indent(line)
        if after_blank:
            while containers and indent < containers[-1].inside:
                containers.pop()
        code_from = containers[-1].code if containers else 4
        start = i
        if after_blank and indent >= code_from:  # indented code
            i += 1
            while i < n and (not lines[i].strip() or _indent(lines[i]) >= code_from):
                i += 1
            while i - 1 > start and not lines[i - 1].strip():
                i -= 1
            blocks.append(Block("other", start, lines[start:i]))
        elif FENCE_OPEN.match(line):
            fence = FENCE_OPEN.match(line).group(1)
            close = re.compile(r" *" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
            i += 1
            while i < n and not close.match(lines[i]):
                i += 1
            i = min(i + 1, n)
            blocks.append(Block("other", start, lines[start:i]))
        elif HEADING.match(line):
            blocks.append(Block("heading", start, [line]))
            i += 1
        elif ADMONITION.match(line):
            blocks.append(Block("admonition", start, [line]))
            containers.append(_Container(indent + 4, indent + 8))
            i += 1
        elif TABLE_ROW.match(line):
            i += 1
            while i < n and TABLE_ROW.match(lines[i]):
                i += 1
            blocks.append(Block("table", start, lines[start:i]))
        elif after_blank and HTML_BLOCK.match(line) or RULE.match(line) or DEFINITION.match(line):
            i += 1
            while i < n and lines[i].strip() and not RULE.match(line):
                i += 1
            blocks.append(Block("other", start, lines[start:i]))
        elif QUOTE.match(line):
            i = _quote(lines, i, blocks)
        else:
            prefix = " " * indent
            marker = LIST_MARK.match(line) or DEF_MARK.match(line)
            if marker:
                prefix = line[:marker.end()]
                while containers and containers[-1].inside > indent:
                    containers.pop()
                containers.append(_Container(indent + 1, indent + 8))
            i += 1
            while i < n and lines[i].strip() and not _interrupts(lines[i]):
                i += 1
            blocks.append(Block("text", start, lines[start:i], prefix, " " * len(prefix)))
        after_blank = False
    return blocks


def _quote(lines: list[str], i: int, blocks: list[Block]) -> int:
    """A block quote: its lines, each with its `>` prefix; paragraphs inside are text blocks."""
    n = len(lines)
    while i < n and lines[i].strip() and QUOTE.match(lines[i]):
        match = QUOTE.match(lines[i])
        if not lines[i][match.end():].strip():
            blocks.append(Block("other", i, [lines[i]]))
            i += 1
            continue
        start, prefix = i, lines[i][:match.end()]
        i += 1
        while i < n and QUOTE.match(lines[i]) and lines[i][QUOTE.match(lines[i]).end():].strip() \
                and not _interrupts(lines[i][QUOTE.match(lines[i]).end():]):
            i += 1
        cont = prefix if prefix.endswith(" ") else prefix + " "
        blocks.append(Block("text", start, lines[start:i], prefix, cont))
    return i


ATTRS = re.compile(r"[ \t]*\{:?[ \t]*[^{}\n]*\}[ \t]*$")
HEADING_ID = re.compile(r"#([\w:.-]+)")


def sections(blocks: list[Block]) -> list[Block]:
    """Set each block's `heading_id`: the explicit id of the last heading at or before it ('' before any)."""
    current = ""
    for block in blocks:
        if block.kind == "heading":
            attrs = ATTRS.search(block.lines[0])
            match = HEADING_ID.search(attrs.group(0)) if attrs else None
            current = match.group(1) if match else _slug(block.lines[0])
        block.heading_id = current
    return blocks


def _slug(line: str) -> str:
    from markdown.extensions.toc import slugify

    return slugify(re.sub(r"^\s*#+\s*|\s*#+\s*$", "", line), "-")


# --- Sentences ----------------------------------------------------------------

# . ! ? … after a word (French puts a space before ! and ?), then closing quotes, brackets, emphasis.
TERMINAL = re.compile(r"(?:(?<=\S)[.!?…]+|(?<=\S) [!?]+)(?: ?»|[\"'”’)\]*_])*(?= +\S)")
OPENERS = "\"“«‘'([¿¡*_"
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
LINK = re.compile(r"!?\[(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*\](?:\((?:[^()\s]|\((?:[^()\s])*\))*(?:\s+\"[^\"]*\")?\)"
                  r"|\[[^\[\]]*\])?")
TAG = re.compile(r"<([A-Za-z][\w-]*)\b[^<>\n]*>[^<>\n]*</\1>|<[^<>\n]+>")  # an inline element whole, or a tag
ATTR_LIST = re.compile(r"\{[^{}\n]*\}")
ACRONYM = re.compile(r"(?:\w\.)+\w?\.?$")


@lru_cache(maxsize=32)
def _abbreviations(data_dir: str, languages: tuple[str, ...] | None, mtime: float) -> frozenset[str]:
    try:
        listed = data.load("segmentation", Path(data_dir)).get("abbreviations") or {}
    except data.DataError:
        listed = {}
    words = set()
    for code in (languages if languages is not None else tuple(listed)):
        for word in listed.get(code) or []:
            word = str(word)
            words.add(word)
            words.add(word[:1].upper() + word[1:])
    return frozenset(words)


def abbreviations(languages=None, data_dir: Path | None = None) -> frozenset[str]:
    """The abbreviations that never end a sentence on a page written in `languages`: the page's
    language and the reference language (whose titles pages quote); every language's when None."""
    folder = Path(data_dir or data.DATA_DIR)
    path = folder / "segmentation.yml"
    mtime = path.stat().st_mtime if path.exists() else 0.0
    languages = tuple(dict.fromkeys(code for code in languages if code)) if languages is not None else None
    return _abbreviations(str(folder), languages or None, mtime)


SPECIAL = re.compile(r'[()«»“”"*]')


def _protected(text: str) -> bytearray:
    """1 at each position where a sentence may not end (inside code, links, tags, brackets, quotes, bold).
    Runs of text between brackets, quotes and `**` take the state of the last one seen, so only
    those characters are visited (the per-character loop was most of `kb check`'s time)."""
    mask = bytearray(len(text))
    for pattern in (CODE_SPAN, LINK, TAG, ATTR_LIST):
        for match in pattern.finditer(text):
            if pattern is LINK and match.group(0) in ("[ ]", "[x]", "[X]"):
                continue
            mask[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    depth = {"(": 0, "«": 0, "“": 0}
    closing = {")": "(", "»": "«", "”": "“"}
    straight = text.count('"') % 2 == 0
    bold = text.count("**") % 2 == 0
    in_straight = in_bold = inside = False
    done = 0  # positions before `done` have their final mark
    for match in SPECIAL.finditer(text):
        i = match.start()
        if i < done:
            continue  # the second star of a `**`
        if inside:
            mask[done:i] = b"\x01" * (i - done)
        done = i + 1
        if mask[i]:
            continue
        char = text[i]
        if char in depth:
            depth[char] += 1
        elif char in closing:
            depth[closing[char]] = max(0, depth[closing[char]] - 1)
        elif char == '"' and straight:
            in_straight = not in_straight
        elif char == "*":
            if not (bold and text.startswith("**", i)):
                if inside:
                    mask[i] = 1
                continue
            in_bold = not in_bold
            done = i + 2
            inside = any(depth.values()) or in_straight or in_bold
            if inside:
                mask[i] = 1  # the first star only, as before; the second keeps its own mark
            continue
        inside = any(depth.values()) or in_straight or in_bold
        if inside:
            mask[i] = 1
    if inside:
        mask[done:] = b"\x01" * (len(text) - done)
    return mask


def _starts_sentence(text: str, j: int) -> bool:
    """A capital letter at j, possibly after opening quotes, brackets and emphasis."""
    while j < len(text) and text[j] in OPENERS:
        j += 1
    return j < len(text) and text[j].isalpha() and text[j].isupper()


def _is_abbreviation(text: str, period: int, words: frozenset[str]) -> bool:
    start = text.rfind(" ", 0, period) + 1
    word = text[start:period + 1].lstrip(OPENERS)
    if word in words:
        return True
    stem = word[:-1]
    if len(stem) == 1 and stem.isalpha():
        return True  # an initial, p., s.
    return bool(ACRONYM.fullmatch(word)) and "." in stem


def sentences(text: str, words: frozenset[str] = frozenset()) -> list[str]:
    """`text` (one paragraph, on one line) cut into sentences."""
    text = text.strip()
    if not text:
        return []
    mask = _protected(text)
    cuts = []
    for match in TERMINAL.finditer(text):
        end = match.end()
        if mask[end - 1]:
            continue  # inside a link, code, tag, brackets, quotes or bold text that goes on
        following = end
        while following < len(text) and text[following] == " ":
            following += 1
        if not _starts_sentence(text, following):
            continue
        first = match.group(0).lstrip(" ")
        if first.startswith(".") and not first.startswith("..") and _is_abbreviation(text, match.start(), words):
            continue
        cuts.append((end, following))
    out, last = [], 0
    for end, following in cuts:
        out.append(text[last:end].strip())
        last = following
    out.append(text[last:].strip())
    return [s for s in out if s]


# --- Layout -------------------------------------------------------------------

def _hard_break(line: str) -> bool:
    return line.endswith("  ") or line.rstrip().endswith("\\")


def layout(block: Block, words: frozenset[str]) -> list[str]:
    """The lines a text block has in the one-sentence-per-line layout."""
    if any(_hard_break(line) for line in block.lines[:-1]):
        return block.lines  # a deliberate line break: left as written
    texts = block.texts
    parts = sentences(" ".join(t for t in texts if t), words)
    if not parts:
        return block.lines
    return [block.prefix + parts[0]] + [block.cont + part for part in parts[1:]]


def body_lines(text: str) -> tuple[list[str], int, str]:
    """(lines of the body, index of its first line in the file, the front matter lines with their fences)."""
    try:
        _, _, body_line = split(text)
    except FrontMatterError:
        body_line = 1
    lines = text.split("\n")
    return lines[body_line - 1:], body_line - 1, "\n".join(lines[:body_line - 1])


def fmt(text: str, words: frozenset[str]) -> str:
    """The page in the one-sentence-per-line layout (front matter and untouched blocks as they were)."""
    lines, offset, head = body_lines(text)
    out: list[str] = []
    for block in parse(lines):
        out.extend(layout(block, words) if block.kind == "text" else block.lines)
    body = "\n".join(out)
    return f"{head}\n{body}" if offset else body


def check_lines(text: str, words: frozenset[str]) -> list[tuple[int, str]]:
    """(line, problem) for every line the layout would change: the check's findings."""
    lines, offset, _ = body_lines(text)
    found = []
    for block in parse(lines):
        if block.kind != "text" or layout(block, words) == block.lines:
            continue
        texts = block.texts
        joined, ends, position = "", [], 0
        for piece in texts:
            joined += (" " if joined and piece else "") + piece
            ends.append(len(joined))
        sentence_ends, cursor = set(), 0
        for sentence in sentences(joined, words):
            cursor = joined.index(sentence, cursor) + len(sentence)
            sentence_ends.add(cursor)
        before = len(found)
        for k, piece in enumerate(texts):
            count = len(sentences(piece, words))
            if count > 1:
                found.append((offset + block.start + k + 1, f"this line holds {count} sentences; "
                              "write one sentence per line"))
            elif k < len(texts) - 1 and piece and ends[k] not in sentence_ends:
                found.append((offset + block.start + k + 1, "a sentence is broken across this line and the "
                              "next; write one sentence per line"))
        if len(found) > before:
            continue
        trailing = next((k for k, line in enumerate(block.lines) if line != line.rstrip()), None)
        if trailing is not None:
            found.append((offset + block.start + trailing + 1, "this line ends with spaces; delete them"))
        else:
            found.append((offset + block.start + 1, "lines of this paragraph are not indented to its text; "
                          f"indent them {len(block.cont)} spaces"))
    return found
