"""Pages to segments and back: which English text a segment is, and which translation goes with it.

Segments are the lines of the one-sentence-per-line layout (kbtools/segment.py),
plus headings, box titles, table cells and the front matter's title and
description. A translation is lined up with its English page unit by unit
(kbtools/exchange/model.py): the same blocks, with the same frames (list
markers, heading ids, box types, table shape, blank lines), in the same order,
section by section. A paragraph with as many sentences in both gives one
segment per sentence; one whose sentence count differs gives one segment for
the whole paragraph. A page that does not line up is exported without
translations, with a comment saying where it stops lining up.

`compose` does the reverse: the English page's skeleton, the translated texts
in place of the English ones (each paragraph laid out one sentence per line
again), the translation's own front matter with title and description
replaced, and `source_hash`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kbtools import segment, translations
from kbtools.exchange import model
from kbtools.frontmatter import FrontMatterError, parse, source_hash
from kbtools.mkdocs_edit import quote

FRONT_KEYS = ("title", "description")


@dataclass
class Segment:
    context: str  # msgctxt: page#section, or page:title
    source: str  # English, codes locked
    target: str  # translation, codes locked ('' when none)
    line: int
    locked: model.Locked
    slot: tuple  # ("front", key) | (unit index, text index) | (unit index, "block")
    notes: list[str] = field(default_factory=list)


@dataclass
class Page:
    stem: str
    english_path: str  # relative to the project root
    english_hash: str
    state: str  # translations.TRANSLATED / OUTDATED / MISSING
    segments: list[Segment]
    aligned: bool
    reason: str = ""  # why it does not line up


def _english_meta(text: str) -> dict:
    try:
        return parse(text).meta
    except FrontMatterError:
        return {}


def _describe(unit: model.Unit) -> str:
    names = {"text": "a paragraph or list item", "heading": "a heading", "admonition": "a box title",
             "table": "a table", "frame": "a line kept as written"}
    return names[unit.kind]


def align(english: list[model.Unit], translated: list[model.Unit]) -> tuple[dict | None, str]:
    """{unit index: translated texts ('block': one text for the paragraph)}, or None and the reason."""
    out = {}
    for index, (a, b) in enumerate(zip(english, translated)):
        if a.signature() != b.signature():
            return None, (f"the translation's line {b.line} ({_describe(b)}) does not match the English line "
                          f"{a.line} ({_describe(a)})")
        if a.kind == "frame":
            continue
        if a.kind == "text":
            english_text = " ".join(a.texts)
            if not model.translatable(english_text):
                if a.texts != b.texts:
                    return None, f"the translation's line {b.line}: {b.texts[0]!r} is {a.texts[0]!r} in English line {a.line}"
                continue
            if len(a.texts) == len(b.texts):
                lines = [model.relock(theirs, model.lock(mine)) for mine, theirs in zip(a.texts, b.texts)]
                if None not in lines:
                    out[index] = ("lines", lines)
                    continue
            relocked = model.relock(" ".join(b.texts), model.lock(english_text))
            if relocked is None:
                return None, (f"the translation's line {b.line}: its links or codes differ from the English "
                              f"line {a.line}")
            out[index] = ("block", relocked)
            continue
        texts = []
        for k, (mine, theirs) in enumerate(zip(a.texts, b.texts)):
            if not model.translatable(mine):
                if mine != theirs:
                    return None, f"the translation's line {b.line}: {theirs!r} is {mine!r} in English line {a.line}"
                texts.append(None)
                continue
            relocked = model.relock(theirs, model.lock(mine))
            if relocked is None:
                return None, f"the translation's line {b.line}: its links or codes differ from the English line {a.line}"
            texts.append(relocked)
        out[index] = ("lines", texts)
    if len(english) != len(translated):
        shorter = min(len(english), len(translated))
        where = translated[shorter].line if shorter < len(translated) else (translated[-1].line if translated else 1)
        return None, (f"the translation has {len(translated)} blocks and the English {len(english)}; "
                      f"they differ from the translation's line {where}")
    return out, ""


def page(root, docs_name: str, stem: str, reference: str, lang: str, english_text: str,
         translation_text: str | None) -> Page:
    """The segments of one page for `lang`, with the translation where it lines up."""
    english_units, _ = model.units(english_text)
    state = translations.MISSING
    aligned, reason, tr_meta = None, "", {}
    if translation_text is not None:
        try:
            tr_meta = parse(translation_text).meta
        except FrontMatterError:
            tr_meta = {}
        state = translations.state(source_hash(english_text), tr_meta.get("source_hash"))
        aligned, reason = align(english_units, model.units(translation_text)[0])
        if aligned is None:
            tr_meta = {}
    english_path = f"{docs_name}/{stem}.{reference}.md"
    segments: list[Segment] = []
    meta = _english_meta(english_text)
    for key in FRONT_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            locked = model.lock(value)
            target = tr_meta.get(key) if aligned is not None else None
            relocked = model.relock(target, locked) if isinstance(target, str) else None
            segments.append(Segment(f"{stem}:{key}", locked.text, relocked or "", 1, locked, ("front", key),
                                    [f"front matter: {key}"]))
    for index, unit in enumerate(english_units):
        if unit.kind == "frame":
            continue
        translated = aligned.get(index) if aligned is not None else None
        context = f"{stem}#{unit.section}" if unit.section else stem
        if translated is not None and translated[0] == "block":
            locked = model.lock(" ".join(unit.texts))
            note = (f"one segment for the paragraph ({len(unit.texts)} lines in English): its translation "
                    "does not line up sentence by sentence")
            segments.append(Segment(context, locked.text, translated[1], unit.line, locked, (index, "block"), [note]))
            continue
        if unit.kind == "text" and not model.translatable(" ".join(unit.texts)):
            continue
        for k, text in enumerate(unit.texts):
            if unit.kind != "text" and not model.translatable(text):
                continue
            locked = model.lock(text)
            target = translated[1][k] if translated is not None else ""
            line = unit.line + k if unit.kind == "text" else unit.line + _row_of(unit, k)
            segments.append(Segment(context, locked.text, target or "", line, locked, (index, k)))
    return Page(stem, english_path, source_hash(english_text), state, segments, aligned is not None or
                translation_text is None, reason)


def _row_of(unit: model.Unit, k: int) -> int:
    """The row (0-based line offset) of a table unit that holds its k-th text."""
    count = 0
    for row, cells in enumerate(unit.rows):
        count += cells
        if k < count:
            return row
    return 0


class ComposeError(ValueError):
    """A translated text that cannot go back into the page (one line, names the segment)."""


def compose(english_text: str, translation_text: str | None, texts: dict, words: frozenset[str],
            stamp: str | None) -> str:
    """The translation page: the English skeleton with `texts` ({slot: translated text, codes
    unlocked}) in place, the translation's own front matter (else the English one) with title and
    description replaced, and `source_hash: stamp` (None: keep what the translation records)."""
    english_units, offset = model.units(english_text)
    lines: list[str] = []
    for index, unit in enumerate(english_units):
        if unit.kind == "frame":
            lines.extend(unit.frames)
            continue
        if unit.kind == "text":
            if (index, "block") in texts:
                pieces = [texts[(index, "block")]]
            else:
                pieces = [texts.get((index, k), text) for k, text in enumerate(unit.texts)]
            if any(segment._hard_break(line) for line in unit.block.lines[:-1]):
                lines.extend(model.render(unit, pieces))
            else:
                lines.extend(model.render(unit, segment.sentences(" ".join(p for p in pieces if p), words)
                                          or pieces))
            continue
        lines.extend(model.render(unit, [texts.get((index, k), text) for k, text in enumerate(unit.texts)]))
    head = _front_matter(english_text, translation_text, offset, texts, stamp)
    body = "\n".join(lines)
    return f"{head}\n{body}" if head else body


def _front_matter(english_text: str, translation_text: str | None, offset: int, texts: dict,
                  stamp: str | None) -> str:
    base = translation_text if translation_text is not None else english_text
    _, base_offset, head = segment.body_lines(base)
    if not head:
        if not offset:
            return ""
        _, _, head = segment.body_lines(english_text)
    rows = head.split("\n")
    try:
        current = parse(base).meta
    except FrontMatterError:
        current = {}
    for key in FRONT_KEYS:
        value = texts.get(("front", key))
        if value is None or current.get(key) == value:
            continue
        rows = _set_key(rows, key, f"{key}: {quote(value)}")
    if stamp is not None:
        rows = _set_key(rows, "source_hash", f"source_hash: {stamp}")
    return "\n".join(rows)


def _set_key(rows: list[str], key: str, new: str) -> list[str]:
    """Front matter lines (fences included) with `key`'s line (and its continuation lines) replaced,
    or added before the closing fence."""
    for i, row in enumerate(rows[1:-1], 1):
        if row.startswith(f"{key}:"):
            j = i + 1
            while j < len(rows) - 1 and rows[j][:1] in (" ", "\t") and rows[j].strip():
                j += 1
            return rows[:i] + [new] + rows[j:]
    return rows[:-1] + [new] + rows[-1:]


def expected(english_text: str, stem: str, docs_name: str, reference: str, blocks: set) -> list[Segment]:
    """The English segments of a page as `export` numbered them, with the text units of
    `blocks` (unit indexes) as one segment each."""
    english_units, _ = model.units(english_text)
    full = page(None, docs_name, stem, reference, "", english_text, None).segments
    out = []
    done = set()
    for seg in full:
        index = seg.slot[0]
        if index in blocks:
            if index not in done:
                unit = english_units[index]
                locked = model.lock(" ".join(unit.texts))
                out.append(Segment(seg.context, locked.text, "", unit.line, locked, (index, "block")))
                done.add(index)
            continue
        out.append(seg)
    return out


def numbered(segments: list[Segment]) -> list[tuple[str, Segment]]:
    """(msgctxt, segment): a number is added to the context of a repeated (context, English) pair."""
    seen: dict = {}
    out = []
    for seg in segments:
        key = (seg.context, seg.source)
        seen[key] = seen.get(key, 0) + 1
        out.append((seg.context if seen[key] == 1 else f"{seg.context} ({seen[key]})", seg))
    return out
