"""One sentence per line: the splitter, `kb fmt`, the check, and the source hash that ignores line breaks."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from kbtools import segment
from kbtools.frontmatter import legacy_source_hash, source_hash, split

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ROOT / "guides"
EN = segment.abbreviations(("en",), ROOT / "data")
ALL = segment.abbreviations(None, ROOT / "data")
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
              "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist", "pymdownx.tilde"]


@pytest.mark.parametrize("text, expected", [
    ("One. Two.", ["One.", "Two."]),
    ("Is it? Yes! Fine… Next.", ["Is it?", "Yes!", "Fine…", "Next."]),
    ('He said "Stop." Then left.', ['He said "Stop."', "Then left."]),
    ("**Bold lead.** Then the rest.", ["**Bold lead.**", "Then the rest."]),
    ("(See art. 7.) Next one.", ["(See art. 7.)", "Next one."]),
    ("¿Qué es? «Nada.» Sigue.", ["¿Qué es?", "«Nada.»", "Sigue."]),
    ("Quoi ? Rien ! Bon.", ["Quoi ?", "Rien !", "Bon."]),
    ("A [link. With Two](x.md#a.b). Next.", ["A [link. With Two](x.md#a.b).", "Next."]),
])
def test_sentences_end_at_terminal_punctuation_before_a_capital(text, expected):
    assert segment.sentences(text, ALL) == expected


@pytest.mark.parametrize("text", [
    "Under art. 18 and arts. 5 and 6, para. 3 of No. 12, e.g. Mexico, i.e. Peru, cf. Chile.",
    "See p. 12, pp. 3-4, vol. 2, etc. Then it goes on.",  # etc. is never an end: conservative
    "El Sr. Pérez y la Dra. Gómez, n.º 5, págs. 3 y 4.",
    "Smith et al. Report, par. 4, al. 2.",
    "Initials: J. Smith and the U.S. Department.",
    "Numbers stay whole: 18(15) and 6.1.c. Next words.",
    "Code `stop. Go` and {: .note. Class } and <kbd>A. B</kbd> stay whole.",
    "A [national referral mechanism. Still](../glossary.md#x. Y) here.",
    "(A bracket. Holds) (two. Sentences) together.",
    "Then 2002. 18 States signed.",  # a sentence never starts with a digit here
])
def test_sentences_never_split_inside_codes_numbers_or_after_abbreviations(text):
    assert segment.sentences(text, ALL) == [text.strip()]


def test_a_page_uses_its_own_language_and_the_reference_abbreviations():
    spanish = segment.abbreviations(("es", "en"), ROOT / "data")
    assert "párr." in spanish and "art." in spanish and "Art." in spanish
    assert "párr." not in EN


PAGE = """---
title: Page
description: About.
---

# Title with. Two { #t }

The Protocol defines trafficking. It has
three elements.

- An item that goes on
  and ends. A second sentence.
- [ ] A task. Another.

!!! note "Box. Title"

    Ask first. Then listen.

| Cell. Two. | B |
|---|---|

```text
Code. Stays.
```
"""

FORMATTED = """---
title: Page
description: About.
---

# Title with. Two { #t }

The Protocol defines trafficking.
It has three elements.

- An item that goes on and ends.
  A second sentence.
- [ ] A task.
      Another.

!!! note "Box. Title"

    Ask first.
    Then listen.

| Cell. Two. | B |
|---|---|

```text
Code. Stays.
```
"""


def test_fmt_rewrites_text_blocks_only_and_is_idempotent():
    assert segment.fmt(PAGE, EN) == FORMATTED
    assert segment.fmt(FORMATTED, EN) == FORMATTED


def test_check_reports_each_problem_at_its_line():
    found = segment.check_lines(PAGE, EN)
    assert [line for line, _ in found] == [8, 11, 12, 13, 17]
    assert "holds 2 sentences" in dict(found)[8]
    assert "broken across" in dict(found)[11] and "holds 2 sentences" in dict(found)[12]
    assert segment.check_lines(FORMATTED, EN) == []


def test_source_hash_ignores_line_breaks_inside_a_paragraph_but_not_words():
    assert source_hash(PAGE) == source_hash(FORMATTED)
    assert legacy_source_hash(PAGE) != legacy_source_hash(FORMATTED)
    assert source_hash(PAGE.replace("three elements", "four elements")) != source_hash(PAGE)
    assert source_hash(PAGE.replace("| B |", "| C |")) != source_hash(PAGE)
    assert source_hash(PAGE.replace("Code. Stays.", "Code.\nStays.")) != source_hash(PAGE)
    # A list item split in two is a change of structure, not of layout.
    assert source_hash(PAGE.replace("- [ ] A task. Another.", "- [ ] A task.\n- [ ] Another.")) != source_hash(PAGE)


def _render(text: str) -> str:
    _, body, _ = split(text)
    return re.sub(r"\s+", " ", markdown.markdown(body, extensions=EXTENSIONS)).replace("> <", "><")


def _pages():
    return sorted(GUIDES.rglob("*.md"))


@pytest.mark.project
def test_fmt_keeps_every_real_page_as_it_renders_and_its_hash():
    """On every page in every language: the same HTML but for white space, the same source hash,
    and a second run changes nothing."""
    for path in _pages():
        lang = path.name.rsplit(".", 2)[1]
        text = path.read_text(encoding="utf-8")
        words = segment.abbreviations((lang, "en"), ROOT / "data")
        new = segment.fmt(text, words)
        assert segment.fmt(new, words) == new, path
        assert source_hash(new) == source_hash(text), path
        assert _render(new) == _render(text), path
        assert segment.check_lines(new, words) == [], path


def _kb(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kbtools", *args], capture_output=True, text=True, cwd=cwd)


def test_kb_fmt_check_lists_files_and_fmt_fixes_them(tmp_path):
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "guides").mkdir()
    page = tmp_path / "guides" / "page.en.md"
    page.write_text(PAGE, encoding="utf-8")
    (tmp_path / "guides" / "clean.en.md").write_text(FORMATTED, encoding="utf-8")
    result = _kb("fmt", "--root", str(tmp_path), "--check", str(tmp_path / "guides"))
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["would reformat guides/page.en.md"]
    assert page.read_text(encoding="utf-8") == PAGE  # --check writes nothing
    assert _kb("fmt", "--root", str(tmp_path), str(page)).returncode == 0
    assert page.read_text(encoding="utf-8") == FORMATTED
    assert _kb("fmt", "--root", str(tmp_path), "--check", str(tmp_path / "guides")).returncode == 0
    missing = _kb("fmt", "--root", str(tmp_path), str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
