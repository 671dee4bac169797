"""Approved-term drift: where the English page uses a termbase term, the translation
uses that language's approved term for it, section by section.

`term-wrong` (terms.py) only knows the renderings the termbase lists to `avoid`;
this check catches any other equivalent, by asking for the approved term itself.

What counts as a use, in the English page
    The English term of an entry of data/termbase.yml, or a link to its entry on
    the glossary page (`../glossary.md#<id>`, whatever the link text). Where one
    term lies inside a longer one ("trafficking in persons" inside "Trafficking in
    Persons Protocol"), only the longer one counts. Not a use: a phrase the entry
    lists under `other_senses:` ("confiscation of documents" is not the
    confiscation of proceeds), and a common term capitalized as in the title of a
    work ("Manual on Mutual Legal Assistance and Extradition"), since a title is
    cited by its official version, which may word the term otherwise.

Where the approved term must be
    Somewhere in the same section of the translation: the part of the page under
    the heading with the same `{ #id }` (up to the next heading with an id), or
    the opening part before the first one. A section is the smallest part that
    every translation shares with its English page; a sentence or paragraph may
    be recast, so the term is not required in the same one. The finding is put
    on the translation's link to the glossary entry, else on the paragraph (list
    item, table row) in the place of the English one, and on the same line of it
    when both have as many lines, else on the section's heading. Only up-to-date,
    finished translations are compared (an outdated one is expected to differ).
    The termbase definitions are compared the same way, each language's
    definition of an entry against the English one (which need not repeat its
    own term), and reported in data/termbase.yml by the check of the English
    page that shows the glossary, with anything that makes the termbase unusable.

How a term is matched (folding as the search does, kbtools/search/core.js)
    Text and term are split into words (letters and digits; hyphens and
    apostrophes separate words) and folded: accents dropped, case ignored.
    - Articles, "de/of" and their contractions, and "and/or" in a term (data/stopwords.yml) are
      not required. A term written "A (B)" is matched as A or as B (a name and its
      short name); `match:` in the termbase lists other accepted forms (the two
      genders of "survivant, survivante", "no devolución" for "principio de no
      devolución", an official treaty wording).
    - In a translation, a word of the term is matched by any word that begins with
      its first half (at least 5 letters; the whole word if it has 4 or 5; exactly,
      if it has 3 or fewer or is an acronym such as UNTOC), so inflected and
      derived forms count: "víctimas" for "víctima", "trabajos forzosos" for
      "trabajo forzoso", "nationaux" for "national", "orienter" for "orientation";
      but "trabajo forzado" is not "trabajo forzoso" ("forzo-" against "forza-")
      and "referenciamento" is not "encaminhamento". Up to three other words may
      stand between two words of the term ("abuso de la situación de
      vulnerabilidad"). The English term itself also counts (a work cited by its
      English title), except an English acronym.
    - In the English page the match is strict, since it decides where a term is
      required: the word itself or its plural (-s, -es, -y to -ies), with only
      articles, "of", "and" and "or" between the words.
    Lenient in the translation, strict in English: a doubtful case lets some
    drift through rather than report a correct translation.

Which terms are checked
    Every entry but those the termbase marks `generic: <why>`: words English also
    uses in an everyday sense or as another part of speech, which a translation
    rightly renders otherwise ("child": niño, menor, infantil; "consent": the verb
    consentir), so that a finding would more often be wrong than right.
"""
from __future__ import annotations

import math
import posixpath
import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

from kbtools import data, translations
from kbtools.checks.registry import check

CODE = "term-drift"
WORD = re.compile(r"[^\W_]+")  # a word: letters and digits
GAP = 3  # at most this many other words between two words of a term
WINDOW = 400  # characters in which GAP words surely fit (links and code are blanked to spaces)


@lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset:
    """Not required in a term, and (in the reference language) the only words allowed
    between its words: data/stopwords.yml, by language."""
    try:
        return frozenset(str(w) for w in data.load("stopwords").get(lang) or ())
    except data.DataError:
        return frozenset()


ALTERNATIVE = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")  # "Name (short name)"


MARKS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """As the search folds text (kbtools/search/core.js): accents dropped, then lower case."""
    return text.lower() if text.isascii() else MARKS.sub("", unicodedata.normalize("NFD", text)).lower()


class Word(NamedTuple):
    text: str  # folded
    exact: bool  # an acronym or a short word: matched as it is
    stem: str  # the letters a translation's word must begin with (lenient match)


class Form(NamedTuple):
    words: tuple  # the required words (Word), in order
    needles: tuple  # (lenient, strict): how each word of a match begins


class Entry(NamedTuple):
    id: str
    line: int
    generic: str | None  # why the entry is not checked, or None
    names: dict  # lang -> the approved term as written
    forms: dict  # lang -> (Form, ...)
    others: dict  # lang -> (Form, ...) of phrases where the word has another sense (`other_senses:`)
    definitions: dict  # lang -> (text, line of `definition:`)


class Termbase(NamedTuple):
    path: str  # as reported (relative to the project root when inside it)
    entries: tuple
    problems: tuple  # (line, message): entries that cannot be used, or a file that cannot be read

    def by_id(self) -> dict:
        return {entry.id: entry for entry in self.entries}


def _need(word: str) -> int:
    """How many first letters of a term word a translation's word must share with it."""
    return len(word) if len(word) <= 5 else max(5, math.ceil(len(word) / 2))


def form_of(term: str, lang: str) -> Form | None:
    """The words a term is searched by; None if it has none (only articles and the like)."""
    stop = stopwords(lang)
    words = []
    for match in WORD.finditer(term):
        raw = match.group(0)
        word = fold(raw)
        if word in stop:
            continue
        exact = (len(raw) >= 2 and raw.isupper()) or len(word) <= 3  # an acronym, or a short word
        words.append(Word(word, exact, word if exact else word[:_need(word)]))
    if not words:
        return None
    lenient = tuple(w.stem for w in words)
    strict = tuple(w.text if w.exact or not w.text.endswith("y") else w.text[:-1] for w in words)
    return Form(tuple(words), (lenient, strict))


def forms_of(term: str, lang: str, extra=()) -> tuple:
    """The forms a term is accepted in: "A (B)" as A or B, plus the listed `match:` forms."""
    texts = []
    alternative = ALTERNATIVE.match(term.strip())
    texts += [alternative.group(1), alternative.group(2)] if alternative else [term]
    texts += list(extra)
    out = []
    for text in texts:
        form = form_of(text, lang)
        if form is not None and form not in out:
            out.append(form)
    return tuple(out)


# --- the termbase, with line numbers -------------------------------------------------------------

def _scalar(node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str") else None


def _mapping(node) -> dict:
    """{key: value node} of a mapping node (later keys win, as in YAML loading)."""
    return {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


@lru_cache(maxsize=8)
def _load(path: str, stamp, display: str) -> Termbase:
    def problem(message, line=1):
        return Termbase(display, (), ((line, message),))

    try:
        with open(path, encoding="utf-8") as fh:
            root = yaml.compose(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        return problem(f"cannot read the termbase ({exc.strerror or exc}); restore {display}")
    except UnicodeDecodeError:
        return problem(f"{display} is not valid UTF-8; save it as UTF-8")
    except (yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        return problem(f"the termbase is not valid YAML ({reason}); correct the line", line)
    terms = _mapping(root).get("terms") if isinstance(root, yaml.MappingNode) else None
    if not isinstance(terms, yaml.SequenceNode):
        line = terms.start_mark.line + 1 if terms is not None else 1
        return problem("the termbase has no list of entries under `terms:`; write `terms:` and one "
                       "`- id: ...` entry per concept (see the comment at the top of the file)", line)
    entries, problems, seen = [], [], set()
    for node in terms.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append((line, "this termbase entry is not a mapping; write `- id: ...` with one "
                                   "mapping per language"))
            continue
        fields = _mapping(node)
        term_id = _scalar(fields["id"]) if "id" in fields else None
        if not term_id or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", term_id):
            problems.append((line, "this termbase entry has no valid `id` (lower-case letters, digits, "
                                   "hyphens: its glossary anchor); give it one"))
            continue
        if term_id in seen:
            problems.append((line, f"the termbase id {term_id} is used twice; give each entry its own id"))
            continue
        seen.add(term_id)
        generic = None
        if "generic" in fields:
            generic = _scalar(fields["generic"])
            if not generic or not generic.strip():
                problems.append((fields["generic"].start_mark.line + 1,
                                 f"`generic` of {term_id} is not a reason; write why the term is too generic "
                                 "to check, as text, or remove the key"))
                generic = None
        names, forms, others, definitions = {}, {}, {}, {}
        for lang, value in fields.items():
            if lang in ("id", "source", "related", "generic") or not isinstance(value, yaml.MappingNode):
                continue
            entry = _mapping(value)
            term = _scalar(entry["term"]) if "term" in entry else None
            where = value.start_mark.line + 1
            if not term or not term.strip():
                problems.append((where, f"{term_id} has no `term` in {lang}; write the approved term as text"))
                continue
            lists = {}
            for key, example in (("match", "match: [survivant, survivante]"),
                                 ("other_senses", "other_senses: [confiscation of documents]")):
                if key not in entry:
                    continue
                listed = entry[key]
                items = [_scalar(item) for item in listed.value] if isinstance(listed, yaml.SequenceNode) else None
                if items is None or not all(items):
                    problems.append((listed.start_mark.line + 1, f"`{key}` of {term_id} in {lang} is not a list "
                                     f"of phrases; write e.g. {example}"))
                else:
                    lists[key] = items
            others[lang] = tuple(form for form in map(lambda text: form_of(text, lang), lists.get("other_senses", ()))
                                 if form is not None)
            found = forms_of(term, lang, lists.get("match", ()))
            if not found:
                problems.append((where, f"the {lang} term of {term_id} has no word to search for; write the "
                                        "term itself, not only articles"))
                continue
            names[lang], forms[lang] = term.strip(), found
            if "definition" in entry:
                text = _scalar(entry["definition"])
                if text is not None:
                    definitions[lang] = (text, entry["definition"].start_mark.line + 1)
        entries.append(Entry(term_id, line, generic, names, forms, others, definitions))
    return Termbase(display, tuple(entries), tuple(problems))


@lru_cache(maxsize=8)
def _where_termbase(data_dir: str, root: str) -> tuple[Path, str]:
    path = Path(data_dir) / "termbase.yml"
    try:
        return path, path.resolve().relative_to(Path(root).resolve()).as_posix()
    except (ValueError, OSError):
        return path, str(path)


def termbase(config) -> Termbase:
    """The termbase of the checked project (its data/ folder, else the project's own), never raising."""
    path, display = _where_termbase(str(config.data_dir or data.DATA_DIR), str(config.root))
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    return _load(str(path), stamp, display)


# --- matching -----------------------------------------------------------------------------------

NEWLINE = re.compile("\n")


class Text:
    """A text folded as the search folds it, each character to one, so that an offset in the
    folded text is one in the text. Words are found with str.find, which is much faster on long
    pages than splitting every word."""

    def __init__(self, text: str, start: int = 0, end: int | None = None, first_line: int = 1):
        segment = text[start:end]
        folded = fold(segment)
        if len(folded) != len(segment):  # decomposed accents, or a letter that folds to two
            segment = unicodedata.normalize("NFC", segment)
            folded = fold(segment)
            if len(folded) != len(segment):
                folded = "".join(fold(c)[:1] or c for c in segment)
        self.text, self.folded, self.first_line = segment, folded, first_line
        self._lines = None

    def _newlines(self) -> list[int]:
        if self._lines is None:
            self._lines = [m.start() for m in NEWLINE.finditer(self.text)]
        return self._lines

    def line(self, offset: int) -> int:
        return self.first_line + bisect_right(self._newlines(), offset - 1)

    def offset(self, line: int) -> int:
        """Offset of the start of a line (of the text's own numbering)."""
        newlines = self._newlines()
        index = line - self.first_line - 1
        return 0 if index < 0 else newlines[index] + 1 if index < len(newlines) else len(self.text)

    def starting(self, prefix: str, offset: int) -> int:
        """Offset of the first word from `offset` on that begins with `prefix`; -1 if none."""
        folded = self.folded
        at = folded.find(prefix, offset)
        while at > 0 and folded[at - 1].isalnum():
            at = folded.find(prefix, at + 1)
        return at

    def words(self, start: int, end: int | None = None):
        return WORD.finditer(self.folded, start, len(self.folded) if end is None else end)

    def written(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end].split())



def _lenient(word: Word, candidate: str) -> bool:
    return candidate == word.text if word.exact else candidate.startswith(word.stem)


def _strict(word: Word, candidate: str) -> bool:
    text = word.text
    if candidate == text:
        return True
    if word.exact:
        return False
    return candidate in (text + "s", text + "es") or (text.endswith("y") and candidate == text[:-1] + "ies")  # not a language code


def _beside(text: Text, offset: int, wanted: Word, needle: str, same, strict: bool, stop, after: bool):
    """The word matching `wanted` among the GAP + 1 words after (or before) `offset`, or None.
    In English (`strict`) only stop words may stand between."""
    folded = text.folded
    low, high = (offset, offset + WINDOW) if after else (max(0, offset - WINDOW), offset)
    at = folded.find(needle, low, high) if after else folded.rfind(needle, low, high)
    while at >= 0:  # the nearest places where its letters are, nearest first
        if at == 0 or not folded[at - 1].isalnum():
            word = WORD.match(folded, at)
            between = WORD.findall(folded, word.end(), offset) if not after else WORD.findall(folded, offset, at)
            if len(between) > GAP or (strict and not all(w in stop for w in between)):
                return None  # too far (any other place is farther)
            if same(wanted, word.group()):
                return word
        at = folded.find(needle, at + 1, high) if after else folded.rfind(needle, low, at)
    return None


def find(text: Text, form: Form, strict: bool, stop=frozenset(), resume=None) -> list[tuple[int, int]]:
    """[(start, end)] of each occurrence of the form in the text (non-overlapping, in order).

    `strict` (the English page): each word as it is or in its plural, with only `stop` words
    between; otherwise (a translation): each word by its first letters, up to GAP words between.
    The search starts from the form's word whose letters are the rarest in the text, and looks
    for the others around it. `resume(end)`: where to look on after an occurrence.
    """
    needles, anchor, folded = form.needles[strict], 0, text.folded
    if len(needles) > 1:
        if not all(needle in folded for needle in needles):
            return []  # a word of the form is not in the text at all (the usual case)
        # Start from the word whose letters are the rarest here; short words are everywhere.
        counts = [folded.count(needle) if len(needle) > 3 else math.inf for needle in needles]
        anchor = counts.index(min(counts))
    same = _strict if strict else _lenient
    out, offset = [], 0
    while (at := text.starting(needles[anchor], offset)) >= 0:
        offset = at + 1
        word = WORD.match(text.folded, at)
        if not same(form.words[anchor], word.group()):
            continue
        end = word.end()
        for wanted, needle in zip(form.words[anchor + 1:], needles[anchor + 1:]):
            word = _beside(text, end, wanted, needle, same, strict, stop, True)
            if word is None:
                break
            end = word.end()
        else:
            start = at
            for wanted, needle in zip(form.words[anchor - 1::-1] if anchor else (),
                                      needles[anchor - 1::-1] if anchor else ()):
                word = _beside(text, start, wanted, needle, same, strict, stop, False)
                if word is None:
                    break
                start = word.start()
            else:
                if not out or start >= out[-1][1]:
                    out.append((start, end))
                    offset = resume(end) if resume else end
    return out


def _in_title(text: Text, start: int, end: int, stop) -> bool:
    """Whether the words in text[start:end] are capitalized as in the title of a work ("Handbook on
    Direct Assistance for Victims of Trafficking"): all of them, and for a single word also the
    word before it or after it, stop words aside, in the same sentence (else it may just start one)."""
    def capital(offset: int) -> bool:
        return text.text[offset].isupper()

    words = [w for w in text.words(start, end) if w.group() not in stop]
    if not all(capital(w.start()) for w in words):
        return False
    if len(words) > 1:
        return True

    def same_sentence(low: int, high: int) -> bool:
        return not SENTENCE_END.search(text.text, low, high)

    before = [w for w in text.words(max(0, start - 80), start) if w.group() not in stop]
    after = next((w for i, w in enumerate(text.words(end)) if i < 3 and w.group() not in stop), None)
    return ((bool(before) and capital(before[-1].start()) and same_sentence(before[-1].end(), start))
            or (after is not None and capital(after.start()) and same_sentence(end, after.start())))


SENTENCE_END = re.compile(r"[.!?:;]|\n[ \t]*\n")


def english_uses(text: Text, entries, lang: str, group=None) -> list[tuple[int, int, str]]:
    """[(start, end, term id)] of the first use of each English term in the text, or in each part
    of it (`group(offset)` names the part, e.g. the section), the longer term winning where two
    overlap. A phrase listed under `other_senses:` is not a use ("confiscation of documents" is
    not the confiscation of proceeds), nor is a common term ("mutual legal assistance")
    capitalized as in the title of a work ("Manual on Mutual Legal Assistance and Extradition"):
    a title is cited by its official version, which may word the term otherwise."""
    stop = stopwords(lang)
    found, common = [], {}
    for entry in entries:
        common[entry.id] = not entry.names.get(lang, "")[:1].isupper()  # not a name, nor an acronym
        for form in entry.forms.get(lang, ()):
            found += [(start, end, entry.id, True) for start, end in find(text, form, True, stop)]
        for form in entry.others.get(lang, ()):
            found += [(start, end, entry.id, False) for start, end in find(text, form, True, stop)]
    found.sort(key=lambda m: (m[0] - m[1], m[0]))  # longest first
    starts, ends, kept = [], [], []
    for start, end, term_id, use in found:
        index = bisect_left(starts, end) - 1  # the last kept one that starts before this one ends
        if index >= 0 and ends[index] > start:
            continue
        starts.insert(index + 1, start)
        ends.insert(index + 1, end)
        if use:
            kept.append((start, end, term_id))
    out, seen = [], set()
    for start, end, term_id in sorted(kept):
        key = (group(start) if group else None, term_id)
        if key in seen or (common[term_id] and _in_title(text, start, end, stop)):
            continue
        seen.add(key)
        out.append((start, end, term_id))
    return out


def _acronym(form: Form) -> bool:
    return len(form.words) == 1 and form.words[0].exact


def approved_in(text: Text, entry: Entry, lang: str, resume=None) -> list[tuple[int, int]]:
    """Where a translation has the entry's approved term in `lang`. `resume`: as for find()."""
    return [span for form in entry.forms.get(lang, ()) for span in find(text, form, False, resume=resume)]


def english_in(text: Text, entry: Entry, reference: str, resume=None) -> list[tuple[int, int]]:
    """Where a translation has the entry's English term itself, as in a work cited by its English
    title (an English acronym does not count: UNTOC is not "Convención de Palermo")."""
    stop = stopwords(reference)
    return [span for form in entry.forms.get(reference, ()) if not _acronym(form)
            for span in find(text, form, True, stop, resume)]


# --- what phase 1 keeps of each page ------------------------------------------------------------

class Section(NamedTuple):
    id: str  # explicit heading id; "" for the opening part
    line: int  # of its heading (the first body line for the opening part)
    units: tuple  # (first line, last line) of each paragraph, list item, table row or heading
    uses: dict  # English page: term id -> (line, unit index, text as written) of its first use
    found: frozenset  # translation: ids whose approved term it has
    links: tuple  # (term id, line, col, page stem, unit index) of each link to a #<term id>


class Prepared(NamedTuple):
    sections: tuple
    glossary_page: bool  # the page shows the termbase (kb:glossary marker)
    unfinished: bool  # a translation still in English (translation-unfinished)


UNIT_START = re.compile(r"[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|\||#|!!!|\?\?\?)")


def _units(lines: list[str], first: int) -> list[tuple[int, int]]:
    """(first, last line) of each unit (paragraph, list item, table row, heading) in lines."""
    out, blank = [], True
    for number, line in enumerate(lines, first):
        if not line.strip():
            blank = True
            continue
        if blank or UNIT_START.match(line):
            out.append([number, number])
        out[-1][1] = number
        blank = False
    return [tuple(unit) for unit in out]


def _term_links(doc, ids) -> list[tuple[int, int, str, str]]:
    """[(line, col, page stem, term id)] of the links to another page whose anchor is a termbase id."""
    out = []
    for link in doc.links:
        if link.image or link.kind in ("marker", "definition") or "#" not in link.target or "://" in link.target:
            continue
        path, anchor = link.target.split("#", 1)
        if anchor not in ids or not path.endswith(".md"):
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(doc.rel), path))
        out.append((link.line, link.col, target[:-3], anchor))
    return out


# The terms each English page uses, as phase 1 saw it: (root, stem) -> (the page's hash, {term id:
# ids of the sections that use it}). The runner reads every language of a page in one process,
# the English page first (its name sorts first), so a translation needs to look for those terms
# only, and for a term's English form only where the approved one is missing; when this is not
# known (another order), it looks for everything. The result is the same, only slower.
_USED: dict = {}


def prepare(doc, config) -> Prepared | None:
    """Phase 1: the sections of a page and the terms each uses (English) or has (translation)."""
    if doc.stem is None or doc.lang is None:
        return None
    base = termbase(config)
    glossary_page = any(name == "glossary" for _, name in doc.markers)
    reference = doc.lang == config.reference
    unfinished = (not reference and translations.UNTRANSLATED in doc.code_masked
                  and bool(translations.UNTRANSLATED_LINE.search(doc.code_masked)))
    entries, used = base.entries, None
    if not reference and (known := _USED.get((str(config.root), doc.stem))) is not None:
        recorded = doc.meta.get("source_hash") if isinstance(doc.meta, dict) else None
        if translations.state(known[0], recorded) != translations.TRANSLATED:
            return Prepared((), glossary_page, unfinished)  # outdated: not compared
        used = known[1]
        entries = tuple(entry for entry in entries if entry.id in used)
    if not base.entries or unfinished:
        return Prepared((), glossary_page, unfinished)
    prose = doc.prose
    text = Text(prose, doc.body_offset, first_line=doc.body_line)
    firsts = [doc.body_line] + [h.line for h in doc.headings if h.explicit_id]
    keys = [""] + [h.explicit_id for h in doc.headings if h.explicit_id]
    lines = prose.split("\n")
    units = [_units(lines[first - 1:(firsts[i + 1] - 1 if i + 1 < len(firsts) else len(lines))], first)
             for i, first in enumerate(firsts)]

    def place(line: int) -> tuple[int, int]:
        """(section, unit) of a line."""
        section = max(bisect_right(firsts, line) - 1, 0)
        return section, max(bisect_right(units[section], (line, math.inf)) - 1, 0)

    uses = [{} for _ in firsts]
    found = [set() for _ in firsts]
    links = [[] for _ in firsts]
    for line, col, stem, term_id in _term_links(doc, {entry.id for entry in base.entries}):
        section, unit = place(line)
        links[section].append((term_id, line, col, stem, unit))
    if reference:
        for start, end, term_id in english_uses(text, base.entries, doc.lang, lambda at: place(text.line(at))[0]):
            line = text.line(start)
            section, unit = place(line)
            uses[section].setdefault(term_id, (line, unit, text.written(start, end)))
        if len(_USED) > 100_000:
            _USED.clear()
        used = {}
        for section, key in enumerate(keys):
            for term_id in list(uses[section]) + [link[0] for link in links[section]]:
                used.setdefault(term_id, set()).add(key)
        _USED[(str(config.root), doc.stem)] = (doc.hash, used)
    else:
        # Whether a section has the term is all that counts: after one, look on from the next section.
        starts = [text.offset(first) for first in firsts[1:]]

        def next_section(end: int) -> int:
            index = bisect_right(starts, end)
            return starts[index] if index < len(starts) else len(text.text)

        numbers = {key: number for number, key in enumerate(keys)}
        for entry in entries:
            spans = approved_in(text, entry, doc.lang, next_section)
            for start, _ in spans:
                found[place(text.line(start))[0]].add(entry.id)
            if used is None or any(entry.id not in found[numbers[key]] for key in used[entry.id] if key in numbers):
                for start, _ in english_in(text, entry, config.reference, next_section):
                    found[place(text.line(start))[0]].add(entry.id)
    if units[0]:  # the opening part is reported on its first line (the title), not on a blank one
        firsts[0] = units[0][0][0]
    sections = tuple(Section(key, first, tuple(units[i]), uses[i], frozenset(found[i]), tuple(links[i]))
                     for i, (first, key) in enumerate(zip(firsts, keys)))
    return Prepared(sections, glossary_page, unfinished)


# --- the check ----------------------------------------------------------------------------------

def _glossary_stems(project, base) -> set:
    """Pages that show every termbase entry (their ids include every term id): the glossary."""
    key = (CODE, "glossary")
    if key not in project.cache:
        ids = {entry.id for entry in base.entries}
        project.cache[key] = {stem for stem, by_lang in project.pages.items()
                              if (page := by_lang.get(project.config.reference)) is not None
                              and ids and ids <= set(page.ids)}
    return project.cache[key]


def _english_uses(section: Section, glossary: set) -> dict:
    """term id -> (line, unit, text or None) of the first use in an English section: the term
    itself, or a link to its glossary entry."""
    uses = dict(section.uses)
    for term_id, line, _, stem, unit in section.links:
        if stem in glossary and (term_id not in uses or uses[term_id][0] > line):
            uses[term_id] = (line, unit, None)
    return uses


def _where(section: Section, english: Section, term_id: str, line: int, unit: int,
           glossary: set) -> tuple[int, int]:
    """Where the approved term belongs in the translation's section: its link to the glossary
    entry; else the paragraph (list item, table row) in the place of the English one, and in it
    the line in the place of the English line when both have as many lines; else the heading."""
    for linked, at, col, stem, _ in section.links:
        if linked == term_id and stem in glossary:
            return at, col
    if len(section.units) == len(english.units) and unit < len(section.units):
        (first, last), (english_first, english_last) = section.units[unit], english.units[unit]
        if last - first == english_last - english_first:
            return first + line - english_first, 1
        return first, 1
    return section.line, 1


def _message(entry, what: str, written: str | None, here: str, lang_name: str, approved: str) -> str:
    use = f'says "{written}"' if written else f"links to the glossary entry {entry.id}"
    alternative = ALTERNATIVE.match(approved)
    term = f'"{alternative.group(1)}" or "{alternative.group(2)}"' if alternative else f'"{approved}"'
    return (f"the English of {what} {use}, but {here} lacks the approved term in {lang_name}; "
            f"write {term} (or an inflected form) in it (data/termbase.yml, {entry.id})")


def _definitions(base: Termbase, config) -> list:
    """(path, line, col, message) for each definition that lacks an approved term its English one uses."""
    out, reference, entries = [], config.reference, base.by_id()
    for entry in base.entries:
        english = entry.definitions.get(reference)
        if english is None:
            continue
        text = Text(english[0])
        uses = {}
        for start, end, term_id in english_uses(text, base.entries, reference):
            if term_id != entry.id:  # a definition need not repeat its own term
                uses.setdefault(term_id, text.written(start, end))
        for lang, (translated, line) in sorted(entry.definitions.items()):
            if lang == reference:
                continue
            ours = Text(translated)
            for term_id, written in uses.items():
                used = entries[term_id]
                if (used.generic or lang not in used.forms or approved_in(ours, used, lang)
                        or english_in(ours, used, reference)):
                    continue
                what = f'the definition of "{entry.names.get(reference, entry.id)}"'
                name = config.language_names.get(lang, lang)
                out.append((base.path, line, 1, _message(used, what, written, "this definition", name,
                                                         used.names[lang])))
    return out


@check(CODE, scope="project", prepare=prepare)
def term_drift(doc, project):
    """A translated section that lacks the approved term for a termbase term its English section uses.

    Bad:  ## Coordenação { #coordination }  ... o mecanismo nacional de referenciamento ...
          (English: ## Coordination { #coordination } ... the national referral mechanism ...)
    Good: ## Coordenação { #coordination }  ... o mecanismo nacional de encaminhamento ...
    """
    config = project.config
    prepared = doc.prepared.get(CODE)
    if prepared is None:
        return
    base = termbase(config)
    if doc.lang == config.reference:
        if prepared.glossary_page:  # the page that shows the termbase reports on it, once
            for line, message in base.problems:
                yield base.path, line, 1, message
            yield from _definitions(base, config)
        return
    if prepared.unfinished or not base.entries or project.state(doc) != translations.TRANSLATED:
        return
    ref = project.full(project.reference(doc))
    ref_prepared = ref.prepared.get(CODE) if ref is not None else None
    if ref_prepared is None:
        return
    entries, glossary = base.by_id(), _glossary_stems(project, base)
    name = config.language_names.get(doc.lang, doc.lang)
    ours = {section.id: section for section in prepared.sections}
    for english in ref_prepared.sections:
        section = ours.get(english.id)
        if section is None:
            continue  # a heading id missing here: parity-ids reports it
        for term_id, (line, unit, written) in sorted(_english_uses(english, glossary).items(),
                                                     key=lambda item: item[1][:2]):
            entry = entries.get(term_id)
            if entry is None or entry.generic or doc.lang not in entry.forms or term_id in section.found:
                continue
            at, col = _where(section, english, term_id, line, unit, glossary)
            what = (f"section #{english.id}" if english.id else "the opening section") + f" ({ref.path}:{line})"
            yield at, col, _message(entry, what, written, "this section", name, entry.names[doc.lang])
