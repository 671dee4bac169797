"""Python-Markdown extension: each language's typography, from plain source text.

Pages are written with straight quotes "..." and plain spaces (a CAT tool and
a diff see plain text); data/typography.yml says, per language, which quotes
replace "..." and which space goes before ; : ! ? (French) and inside « ».
The kb plugin registers the extension and sets `language` before each page
is rendered (a fallback page is English and gets English typography); the
interface text the templates show goes through `text()`.

Only text changes: never code, pre, <kbd>, script or style elements, never an
attribute, and never an address written in the text (https://..., www....).
It runs after the table of contents is made (ids do not change; the TOC's
own copy of a heading keeps plain quotes). A straight quote that must stay
straight is written &quot; (an entity is not text to this extension).
"""
from __future__ import annotations

import re
from pathlib import Path

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from kbtools import data

SKIP = {"code", "pre", "kbd", "script", "style", "samp", "math", "svg"}
# Text that is not prose: addresses, character references, and Python-Markdown's placeholders
# for stashed HTML and for "&" (\x02...\x03; the TOC's permalink is one: "\x02amp\x03para;").
PROTECT = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|\x02[^\x03]*\x03(?:#?\w+;)?|\S+@\S+\.\w+|&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
SPACES = "[ \u00a0\u202f]*"
OPENING_AFTER = " \t\n\u00a0\u202f([{—–/-"


class Rules:
    def __init__(self, settings: dict):
        quotes = settings.get("quotes") or []
        self.quotes = (str(quotes[0]), str(quotes[1])) if len(quotes) == 2 else None
        self.inside = str(settings.get("inside_quotes") or "")
        self.before = {str(k): str(v) for k, v in (settings.get("space_before") or {}).items()}
        marks = "".join(re.escape(k) for k in self.before)
        # A mark after a word (or a closing quote/bracket), then a space, the end, or closing punctuation.
        self.punctuation = re.compile(rf"(?<=[^\s\u00a0\u202f]){SPACES}([{marks}])(?=[\s)»”\"'\]]|$)") if marks else None
        self.inside_open = re.compile(rf"({re.escape(self.quotes[0])}){SPACES}") if self.quotes and self.inside else None
        self.inside_close = re.compile(rf"{SPACES}({re.escape(self.quotes[1])})") if self.quotes and self.inside else None
        # The characters a rule acts on: text without any of them is left as it is (most text).
        acted_on = ('"' if self.quotes else "") + ("".join(self.quotes) if self.inside_open else "") + \
            ("".join(self.before) if self.punctuation else "")
        self.acted_on = re.compile(f"[{re.escape(acted_on)}]") if acted_on else None

    def apply(self, text: str, previous: str) -> str:
        """`text` with the rules applied; `previous` is the character before it in the paragraph."""
        if self.acted_on is None or not self.acted_on.search(text):
            return text
        return self._apply(text, previous)

    def _apply(self, text: str, previous: str) -> str:
        out, last = [], 0
        for match in PROTECT.finditer(text):
            out.append(self._prose(text[last:match.start()], previous if last == 0 else text[last - 1]))
            out.append(match.group(0))
            last = match.end()
        out.append(self._prose(text[last:], previous if last == 0 else text[last - 1]))
        return "".join(out)

    def _prose(self, text: str, previous: str) -> str:
        if not text:
            return text
        lead = previous[-1:] or ""
        text = lead + text  # the character before decides, e.g. a mark right after an inline element
        if self.quotes and '"' in text:
            chars = list(text)
            for i in range(len(lead), len(chars)):
                if chars[i] == '"':
                    before = chars[i - 1] if i else ""
                    after = chars[i + 1] if i + 1 < len(chars) else ""
                    opening = not before or before in OPENING_AFTER or (
                        before in "'’" and after and not after.isspace())  # l'"exploitation"
                    chars[i] = self.quotes[0] if opening else self.quotes[1]
            text = "".join(chars)
        # The lead is context only: a change that starts inside it would shift the text
        # returned (it once doubled a closing quote into the list around a paragraph).
        start = len(lead)

        def guarded(replace):
            return lambda m: replace(m) if m.start() >= start else m.group(0)
        if self.inside_open is not None:
            text = self.inside_open.sub(guarded(lambda m: m.group(1) + self.inside), text)
            text = self.inside_close.sub(guarded(lambda m: self.inside + m.group(1)), text)
        if self.punctuation is not None:
            text = self.punctuation.sub(guarded(lambda m: self.before[m.group(1)] + m.group(1)), text)
        return text[start:]


class Typography(Treeprocessor):
    def __init__(self, md, extension):
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        rules = self.extension.rules()
        if rules is not None:
            self._walk(root, rules, [""])

    def _walk(self, element, rules: Rules, previous: list) -> None:
        if element.tag in SKIP:
            previous[0] = "x"
        else:
            if element.text and not _atomic(element.text):
                element.text = rules.apply(element.text, previous[0])
            if element.text:
                previous[0] = element.text[-1]
            for child in element:
                self._walk(child, rules, previous)
                if child.tail and not _atomic(child.tail):
                    child.tail = rules.apply(child.tail, previous[0])
                if child.tail:
                    previous[0] = child.tail[-1]


def _atomic(text) -> bool:
    return type(text).__name__ == "AtomicString"


def rules(language: str | None, data_dir: Path | None = None) -> Rules | None:
    """The rules of a language (None: nothing to change)."""
    if not language:
        return None
    try:
        table = data.load("typography", data_dir)
    except data.DataError:
        return None
    settings = table.get(language)
    return Rules(settings) if isinstance(settings, dict) else None


def text(value: str, language: str | None, data_dir: Path | None = None) -> str:
    """Plain interface text (data/ui.yml, shown by the templates) with the language's typography."""
    found = rules(language, data_dir)
    return found.apply(value, "") if found is not None else value


class TypographyExtension(Extension):
    """`language` is set by the caller before each page; `data_dir` holds typography.yml."""

    def __init__(self, data_dir: Path | None = None, language: str | None = None, **kwargs):
        self.data_dir = data_dir
        self.language = language
        super().__init__(**kwargs)

    def rules(self) -> Rules | None:
        return rules(self.language, self.data_dir)

    def extendMarkdown(self, md):
        # After the table of contents (5): heading ids stay as they were.
        md.treeprocessors.register(Typography(md, self), "kb_typography", 3)
