"""Mutation test: the real content with one defect of each kind injected; each is found
at the line where it was put, and nothing else changes."""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from checks_helpers import run

pytestmark = pytest.mark.project

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("es", "pt", "fr")


def findings(root: Path) -> Counter:
    return Counter((f.path, f.line, f.code) for f in run(root, raise_errors=False))


def append(path: Path, text: str) -> int:
    """Add a paragraph at the end of a page; return its line number."""
    body = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{body}\n\n{text}\n", encoding="utf-8")
    return body.count("\n") + 3


def line_of(path: Path, start: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if line.startswith(start))


@pytest.fixture
def copy(tmp_path):
    for name in ("guides", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("mkdocs.yml", "checks.yml"):
        shutil.copyfile(ROOT / name, tmp_path / name)
    return tmp_path


def test_real_content_is_clean():
    """What `make check` runs: the published sources have no finding at all."""
    assert [f.text() for f in run(ROOT, raise_errors=False)] == []


def test_each_injected_defect_is_found_at_its_line_and_nothing_else(copy):
    guides = copy / "guides"
    pages = {name: guides / name for name in (
        "investigation/evidence.es.md", "cooperation/coordination.es.md", "migration/referral.en.md",
        "investigation/trial.es.md", "tourism/company-policy.es.md", "lgbtiq/vulnerabilities.es.md",
        "legal-frameworks/criminalisation.es.md", "countries/peru.es.md", "help.es.md")}
    for path in pages.values():
        assert path.exists(), f"{path} is part of the real content this test mutates"
    before = findings(copy)
    expected = Counter()

    line = append(pages["investigation/evidence.es.md"], "Vea [la guía de sentencias](sentencing.md).")
    expected[("guides/investigation/evidence.es.md", line, "link-broken")] += 1

    line = append(pages["cooperation/coordination.es.md"], "Vea [la coordinación](coordination.md#no-such-anchor).")
    expected[("guides/cooperation/coordination.es.md", line, "anchor-missing")] += 1

    # The English page changes: each of its translations is now outdated.
    append(pages["migration/referral.en.md"], "Review the referral routes every year.")
    for lang in LANGUAGES:
        translation = guides / f"migration/referral.{lang}.md"
        if translation.exists():
            expected[(f"guides/migration/referral.{lang}.md", line_of(translation, "source_hash:"),
                      "translation-outdated")] += 1

    # A translation whose English page does not exist.
    shutil.copyfile(pages["investigation/trial.es.md"], guides / "investigation/sentencing-old.es.md")
    expected[("guides/investigation/sentencing-old.es.md", 1, "translation-orphan")] += 1

    policy = pages["tourism/company-policy.es.md"]
    text = policy.read_text(encoding="utf-8")
    policy.write_text("".join(line for line in text.splitlines(keepends=True)
                              if not line.startswith("description:")), encoding="utf-8")
    expected[("guides/tourism/company-policy.es.md", 1, "frontmatter-missing-key")] += 1

    line = append(pages["lgbtiq/vulnerabilities.es.md"], "El tráfico de personas afecta a todas las personas.")
    expected[("guides/lgbtiq/vulnerabilities.es.md", line, "term-wrong")] += 1

    line = append(pages["legal-frameworks/criminalisation.es.md"], "<script>alert(1)</script>")
    expected[("guides/legal-frameworks/criminalisation.es.md", line, "unsafe-html")] += 1

    (guides / "assets").mkdir(exist_ok=True)
    (guides / "assets" / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    line = append(pages["countries/peru.es.md"], "![](../assets/diagram.png)")
    expected[("guides/countries/peru.es.md", line, "a11y-img-alt")] += 1

    line = append(pages["help.es.md"], "TODO: revisar esta sección.")
    expected[("guides/help.es.md", line, "placeholder")] += 1

    after = findings(copy)
    assert after - before == expected
    assert not before - after, "an injected defect hid a finding that was there before"


def test_a_non_approved_term_in_a_translated_paragraph_is_found_at_its_line(copy):
    """term-drift on the real content: a translation that swaps the approved term for another
    equivalent (none of them on the termbase's `avoid` lists) is reported on that line."""
    cases = [  # page, approved term, a non-approved equivalent
        ("cooperation/coordination.pt.md", "mecanismo nacional de encaminhamento", "mecanismo nacional de referenciamento"),
        ("cooperation/coordination.es.md", "trabajo forzoso", "trabajo forzado"),
        ("cooperation/mutual-legal-assistance.fr.md", "commission rogatoire", "lettre rogatoire"),
    ]
    before = findings(copy)
    expected = Counter()
    for name, approved, other in cases:
        path = copy / "guides" / name
        lines = path.read_text(encoding="utf-8").split("\n")
        where = [number for number, line in enumerate(lines, 1) if approved in line]
        assert len(where) == 1, f"{name} is part of the real content this test mutates, with one '{approved}'"
        lines[where[0] - 1] = lines[where[0] - 1].replace(approved, other)
        path.write_text("\n".join(lines), encoding="utf-8")
        expected[(f"guides/{name}", where[0], "term-drift")] += 1
    after = findings(copy)
    assert after - before == expected
    assert not before - after
