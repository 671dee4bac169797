"""A page as a CAT tool sees it: a skeleton that is never translated, and the texts that are.

`units(text)` reads the body of a page (kbtools/segment.py's blocks) into
units, each a list of *frames* (what stays as written: indentation, list
markers, `#` and `{ #id }` of headings, `!!! type "` of boxes, table pipes,
blank lines, markers, HTML) around *texts* (a line of a paragraph, a heading,
a box title, a table cell). Text with no letter in it (a form field `______`,
a number) is kept as written too.

Inside a text, the inline codes a translator must not change are *locked*:
`lock()` turns them into numbered placeholders {1}, {2}... (link targets,
reference ids, code spans, HTML tags such as <kbd>, comments, autolinks and
bare URLs, attribute lists, footnote references, form fields, and any literal
{n}); the link text around a target stays translatable: `[text]({1})`.
`unlock()` puts them back and refuses a text whose placeholders were changed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kbtools import segment

HEADING = re.compile(r"^( {0,3}#{1,6}[ \t]+)(.*?)((?:[ \t]*\{:?[ \t]*[^{}\n]*\})?(?:[ \t]+#+)?[ \t]*)$")
ADMONITION = re.compile(r'^( *(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*[ \t]+")([^"]*)("[ \t]*)$')
SEPARATOR_CELL = re.compile(r"[ \t]*:?-+:?[ \t]*")
LOCK = re.compile(r"""
    (?P<code>(?<!\\)(`+)(?:(?!\2).)+?\2)
  | (?<=\]\()(?P<target>(?:[^()\s]|\([^()\s]*\))+(?:[ \t]+"[^"\n]*")?)(?=\))
  | (?<=\])(?P<ref>\[[^\[\]\n]*\])
  | (?P<auto><(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp]|[Mm][Aa][Ii][Ll][Tt][Oo]):[^<>\s]*>)
  | (?P<comment><!--.*?-->)
  | (?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)
  | (?P<attr>\{:?[ \t]*[#.][^{}\n]*\}|\{:?[^{}\n]*=[^{}\n]*\})
  | (?P<footnote>\[\^[^\]\n]+\])
  | (?P<field>_{6,})
  | (?P<brace>\{\d+\})
  | (?P<url>(?<![\w(<])(?:https?|ftp)://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'"])
""", re.X)
PLACEHOLDER = re.compile(r"\{(\d+)\}")
KIND_NAMES = {"code": "code", "target": "link target", "ref": "link reference", "auto": "link",
              "comment": "comment", "tag": "HTML tag", "attr": "attribute list", "footnote": "footnote",
              "field": "form field", "brace": "literal", "url": "address"}


class LockError(ValueError):
    """A translated text whose placeholders differ from the English one's."""


@dataclass
class Locked:
    text: str  # with placeholders {1}, {2}...
    codes: list[tuple[str, str]]  # [(kind, code as written)], placeholder n is codes[n - 1]

    def note(self) -> str:
        return "; ".join(f"{{{n}}} = {KIND_NAMES[kind]} {code}" for n, (kind, code) in enumerate(self.codes, 1))


def lock(text: str) -> Locked:
    codes, out, last = [], [], 0
    for match in LOCK.finditer(text):
        kind = match.lastgroup
        codes.append((kind, match.group(kind)))
        out.append(text[last:match.start(kind)])
        out.append(f"{{{len(codes)}}}")
        last = match.end(kind)
    out.append(text[last:])
    return Locked("".join(out), codes)


def codes_of(text: str) -> list[tuple[str, str]]:
    return lock(text).codes


EXTERNAL = re.compile(r"<?(?:https?|ftp)://", re.I)


def external(code: tuple[str, str]) -> bool:
    """A link to another site: the one code a translation may replace, with the address of the
    same document in its own language (e.g. a UN page in Spanish)."""
    return code[0] in ("target", "auto", "url") and bool(EXTERNAL.match(code[1]))


def relock(text: str, english: Locked) -> str | None:
    """A translation's text with the English placeholders, or None when its codes are not the
    English ones. A link to another site that the translation replaced by another address stays
    written out (see `external`)."""
    mine = lock(text)
    free: dict = {}
    for n, code in enumerate(english.codes, 1):
        free.setdefault(code, []).append(n)
    numbers = [free[code].pop(0) if free.get(code) else None for code in mine.codes]
    left = [english.codes[n - 1] for numbers_left in free.values() for n in numbers_left]
    replaced = [code for code, n in zip(mine.codes, numbers) if n is None]
    if not (all(map(external, left)) and all(map(external, replaced))
            and Counter(c[0] for c in left) == Counter(c[0] for c in replaced)):
        return None
    return PLACEHOLDER.sub(lambda m: (f"{{{numbers[int(m.group(1)) - 1]}}}" if numbers[int(m.group(1)) - 1]
                                      else mine.codes[int(m.group(1)) - 1][1]), mine.text)


def unlock(translated: str, english: Locked) -> str:
    """The translated text with the codes back in; LockError when a placeholder is missing,
    repeated, unknown, or no longer where its code works (a link target outside `](...)`).
    Only a link to another site may be replaced by another address (see `external`)."""
    found = [int(n) for n in PLACEHOLDER.findall(translated)]
    wanted = list(range(1, len(english.codes) + 1))
    missing = [n for n in wanted if n not in found and not external(english.codes[n - 1])]
    extra = sorted({n for n in found if n not in wanted or found.count(n) > 1})
    if missing or extra:
        what = []
        if missing:
            what.append(f"{', '.join(f'{{{n}}}' for n in missing)} missing")
        if extra:
            what.append(f"{', '.join(f'{{{n}}}' for n in extra)} unknown or repeated")
        raise LockError(f"placeholders changed ({'; '.join(what)}); keep each of "
                        f"{', '.join(f'{{{n}}}' for n in wanted) or 'none'} exactly once")
    text = PLACEHOLDER.sub(lambda m: english.codes[int(m.group(1)) - 1][1], translated)
    dropped = Counter(english.codes[n - 1] for n in wanted if n not in found)
    expected = Counter(english.codes) - dropped
    got = Counter(codes_of(text))
    added = got - expected
    if expected - got or not all(map(external, added)) or \
            Counter(c[0] for c in added.elements()) != Counter(c[0] for c in dropped.elements()):
        raise LockError("a placeholder no longer stands where its code works (a link target must stay inside "
                        "`[text]({n})`, a code span whole); keep the marks around each placeholder")
    return text


def translatable(text: str) -> bool:
    """Whether a text has anything to translate: a letter outside its locked codes."""
    return any(ch.isalpha() for ch in PLACEHOLDER.sub("", lock(text).text))


# --- Units -------------------------------------------------------------------------

@dataclass
class Unit:
    """One block: kind, frames and texts. `frames` has one more item than `texts` for
    headings, box titles and table rows; a text block keeps its prefixes apart."""
    kind: str  # text, heading, admonition, table, frame
    line: int  # 1-based line in the file of its first line
    section: str
    frames: list = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # table: the number of cells of each row (0: a frame line)
    block: segment.Block | None = None

    def signature(self) -> tuple:
        """What must be the same in a translation for it to line up with this unit."""
        if self.kind == "text":
            return ("text", self.frames[0])
        fixed = tuple(t for t in self.texts if not translatable(t))
        return (self.kind, tuple(self.frames), tuple(self.rows), len(self.texts), fixed)


def _cells(line: str) -> tuple[list[str], list[str]] | None:
    """(frames, cell texts) of a table row, split at the pipes outside code spans; None for a separator row.
    Empty cells are part of the frames around them."""
    masked = re.sub(r"`+[^`]*`+", lambda m: "x" * len(m.group(0)), line.replace("\\|", "xx"))
    bounds = [-1] + [i for i, ch in enumerate(masked) if ch == "|"] + [len(line)]
    cells = [(a + 1, b) for a, b in zip(bounds, bounds[1:])]
    if all(SEPARATOR_CELL.fullmatch(line[a:b]) or not line[a:b].strip() for a, b in cells):
        return None
    frames, texts, last = [], [], 0
    for a, b in cells:
        content = line[a:b]
        start = a + len(content) - len(content.lstrip())
        end = a + len(content.rstrip())
        if end <= start:
            continue
        frames.append(line[last:start])
        texts.append(line[start:end])
        last = end
    frames.append(line[last:])
    return frames, texts


def units(text: str) -> tuple[list[Unit], int]:
    """The units of a page's body, and the index of the body's first line in the file."""
    lines, offset, _ = segment.body_lines(text)
    out = []
    for block in segment.sections(segment.parse(lines)):
        line = offset + block.start + 1
        if block.kind == "text":
            out.append(Unit("text", line, block.heading_id, [block.prefix, block.cont], block.texts, block=block))
        elif block.kind == "heading" and HEADING.match(block.lines[0]):
            m = HEADING.match(block.lines[0])
            out.append(Unit("heading", line, block.heading_id, [m.group(1), m.group(3)], [m.group(2)]))
        elif block.kind == "admonition" and ADMONITION.match(block.lines[0]):
            m = ADMONITION.match(block.lines[0])
            out.append(Unit("admonition", line, block.heading_id, [m.group(1), m.group(3)], [m.group(2)]))
        elif block.kind == "table":
            unit = Unit("table", line, block.heading_id)
            for row in block.lines:
                cells = _cells(row)
                if cells is None:
                    unit.frames.append(row)
                    unit.rows.append(0)
                else:
                    unit.frames.extend(cells[0])
                    unit.texts.extend(cells[1])
                    unit.rows.append(len(cells[1]))
            out.append(unit)
        else:
            out.append(Unit("frame", line, block.heading_id, list(block.lines)))
    return out, offset


def render(unit: Unit, texts: list[str]) -> list[str]:
    """The lines of a unit with `texts` in place of its own (text units: one text per line)."""
    if unit.kind == "frame":
        return list(unit.frames)
    if unit.kind == "text":
        return [unit.frames[0] + texts[0]] + [unit.frames[1] + t for t in texts[1:]]
    if unit.kind in ("heading", "admonition"):
        return [unit.frames[0] + texts[0] + unit.frames[1]]
    lines, f, t = [], 0, 0
    for cells in unit.rows:
        if cells == 0:
            lines.append(unit.frames[f])
            f += 1
            continue
        parts = []
        for _ in range(cells):
            parts += [unit.frames[f], texts[t]]
            f, t = f + 1, t + 1
        parts.append(unit.frames[f])
        f += 1
        lines.append("".join(parts))
    return lines
