"""term-drift (kbtools/checks/drift.py): the matching rule, the termbase definitions, bad
termbases, and that the result does not depend on the order or the processes pages are read in.
The good and bad fixtures are in tests/fixtures/checks/term-drift; the real content, mutated,
in tests/test_checks_mutation.py."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checks_helpers import FIXTURES, copy_fixture, page, run, write
from kbtools import checks
from kbtools.checks import drift, runner

ROOT = Path(__file__).resolve().parent.parent
BASE = drift.termbase(checks.load(ROOT))
ENTRIES = BASE.by_id()


def has(text: str, term: str, lang: str, *match) -> bool:
    """Whether a translation's text has the term (the lenient rule)."""
    folded = drift.Text(text)
    return any(drift.find(folded, form, False) for form in drift.forms_of(term, lang, match))


@pytest.mark.parametrize("text,term,lang,match", [(*case, ()) if len(case) == 3 else (*case[:3], case[3:]) for case in [
    ("Las víctimas declararon.", "víctima", "es"),  # plural
    ("LAS VICTIMAS DECLARARON.", "víctima", "es"),  # case and accents
    ("Las vi\u0301ctimas declararon.", "víctima", "es"),  # decomposed accent
    ("los trabajos forzosos", "trabajo forzoso", "es"),
    ("les travaux forcés", "travail forcé", "fr"),  # -ail / -aux
    ("des mécanismes nationaux d'orientation", "mécanisme national d'orientation", "fr"),
    ("orienter la personne", "orientation", "fr"),  # a derived form
    ("derivar a la persona", "derivación", "es"),
    ("as infrações transnacionais", "infração transnacional", "pt"),  # -ão / -ões, -al / -ais
    ("abuso de la situación de vulnerabilidad", "abuso de una situación de vulnerabilidad", "es"),  # articles
    ("la trata de muchas otras personas", "trata de personas", "es"),  # two words between
    ("los migrantes LGBTIQ+", "personas LGBTIQ+", "es", "LGBTIQ+"),  # a `match:` form
    ("el Protocolo de Palermo", "Protocolo contra la trata de personas (Protocolo de Palermo)", "es"),  # "A (B)"
]])
def test_a_translation_has_the_approved_term_inflected(text, term, lang, match):
    assert has(text, term, lang, *match)


@pytest.mark.parametrize("text,term,lang", [
    ("el trabajo forzado", "trabajo forzoso", "es"),  # forza- is not forzo-
    ("o mecanismo nacional de referenciamento", "mecanismo nacional de encaminhamento", "pt"),
    ("la assistance juridique mutuelle", "entraide judiciaire", "fr"),
    ("la trata y la explotación de las personas", "trata de personas", "es"),  # four words between
    ("las personas LGBTI", "personas LGBTIQ+", "es"),  # an acronym is matched whole
    ("el principio de devolución", "principio de no devolución", "es"),  # a short word is required
    ("superviviente", "sobreviviente", "es"),
])
def test_another_equivalent_is_not_the_approved_term(text, term, lang):
    assert not has(text, term, lang)


def uses(text: str) -> list[tuple[str, str]]:
    """(term id, text as written) of the English terms the text uses (the strict rule)."""
    folded = drift.Text(text)
    return [(term_id, folded.written(start, end)) for start, end, term_id in drift.english_uses(folded, BASE.entries, "en")]


@pytest.mark.parametrize("text,found", [
    ("Victims have rights.", [("victim", "Victims")]),
    ("the victim's family", [("victim", "victim")]),
    ("Both central authorities agreed.", [("central-authority", "central authorities")]),
    ("The indicator was present.", [("indicator", "indicator")]),
    # The longer term wins where two overlap.
    ("The Trafficking in Persons Protocol applies.", [("palermo-protocol", "Trafficking in Persons Protocol")]),
    ("forced or compulsory labour", []),  # only articles, of, and, or between English words
    ("It indicates a risk.", []),  # not a plural of "indicator"
    ("revictimisation", [("revictimisation", "revictimisation")]),  # not "victim"
    # Not the term: another sense (`other_senses:`), or a common term in the title of a work.
    ("Threats and confiscation of documents are common.", []),
    ("UNODC, Manual on Mutual Legal Assistance and Extradition (2012).", []),
    ("IOM, Handbook on Direct Assistance for Victims of Trafficking (2007).", []),
    ("Mutual legal assistance is slow.", [("mutual-legal-assistance", "Mutual legal assistance")]),
    ("Victims can complain.", [("victim", "Victims")]),
    ("It was sent to UNODC. Extradition followed.", [("extradition", "Extradition")]),
    ("They asked for extradition. Victims were heard.", [("extradition", "extradition"), ("victim", "Victims")]),
])
def test_where_the_english_page_uses_a_term(text, found):
    assert uses(text) == found


def test_generic_terms_are_skipped_and_say_why():
    generic = {entry.id: entry.generic for entry in BASE.entries if entry.generic}
    assert set(generic) >= {"child", "consent"}
    assert all(len(why.split()) > 10 for why in generic.values())


# --- a small project with its own termbase ------------------------------------------------------

TERMBASE = """terms:
  - id: victim
    en:
      term: victim
      definition: A person harmed by a crime such as forced labour.
    es:
      term: víctima
      definition: >-
        Persona que sufrió un daño por un delito como el trabajo obligatorio.
  - id: forced-labour
    en:
      term: forced labour
      definition: Work demanded under threat. A victim of it has rights.
    es:
      term: trabajo forzoso
      definition: >-
        Trabajo exigido bajo amenaza. Quien lo sufre tiene derechos.
"""


def project(root: Path, termbase: str, files: dict | None = None) -> Path:
    """A project with its own data/termbase.yml (and the project's interface strings and mkdocs.yml)."""
    write(root, {"data/termbase.yml": termbase, "guides/glossary.en.md": page("Glossary", "<!-- kb:glossary -->"),
                 **(files or {})})
    shutil.copyfile(ROOT / "data" / "ui.yml", root / "data" / "ui.yml")
    shutil.copyfile(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.lstrip().startswith(start))


def test_definitions_are_checked_like_pages_and_need_not_repeat_their_own_term(tmp_path):
    found = run(project(tmp_path, TERMBASE), only=["term-drift"])
    # The es definition of victim says "trabajo obligatorio" where English says "forced labour";
    # the one of forced labour need not say "trabajo forzoso" (its own term), and "Quien lo sufre"
    # for "A victim of it" is drift too.
    assert [(f.path, f.line) for f in found] == [
        ("data/termbase.yml", line_of(TERMBASE, "definition: >-")),
        ("data/termbase.yml", TERMBASE.split("\n").index("      definition: >-", 10) + 1),
    ]
    assert 'write "trabajo forzoso"' in found[0].message and 'write "víctima"' in found[1].message


@pytest.mark.parametrize("text,line,words", [
    ("terms:\n  - id: [unclosed\n", 3, "not valid YAML"),
    ("entries: []\n", 1, "no list of entries"),
    ("terms: {victim: 1}\n", 1, "no list of entries"),
    ("terms:\n  - just a string\n", 2, "not a mapping"),
    ("terms:\n  - en: {term: victim}\n", 2, "no valid `id`"),
    ("terms:\n  - id: victim\n    en: {term: victim}\n  - id: victim\n    en: {term: victim}\n", 4, "used twice"),
    ("terms:\n  - id: victim\n    generic: true\n    en: {term: victim}\n", 3, "not a reason"),
    ("terms:\n  - id: victim\n    en: {term: victim}\n    es: {term: víctima, match: víctimas}\n", 4, "not a list"),
    ("terms:\n  - id: victim\n    en: {term: victim}\n    es: {term: 12}\n", 4, "no `term`"),
    ("terms:\n  - id: victim\n    en: {term: victim}\n    es: {term: la}\n", 4, "no word to search for"),
])
def test_a_malformed_termbase_is_one_clear_finding_not_a_traceback(tmp_path, text, line, words):
    root = project(tmp_path, text, {"guides/page.en.md": page("Page", "The victim."),
                                    "guides/page.es.md": page("Página", "El herido.", lang="es")})
    found = run(root, only=["term-drift"], raise_errors=True)
    assert [(f.path, f.line, f.code) for f in found] == [("data/termbase.yml", line, "term-drift")]
    assert words in found[0].message and ";" in found[0].message


def test_an_unusable_entry_leaves_the_others_checked(tmp_path):
    text = TERMBASE + "  - id: broken\n    en: {term: 7}\n"
    english = page("Page", "## Work { #work }\n\nForced labour is a crime.")
    spanish = page("Página", "## Trabajo { #work }\n\nEl trabajo forzado es un delito.", lang="es",
                   source_hash=checks_hash(english))
    found = run(project(tmp_path, text, {"guides/page.en.md": english, "guides/page.es.md": spanish}),
                only=["term-drift"])
    assert ("guides/page.es.md", 14) in [(f.path, f.line) for f in found]
    assert any(f.path == "data/termbase.yml" and "broken" in f.message for f in found)


def checks_hash(text: str) -> str:
    from kbtools.frontmatter import source_hash

    return source_hash(text)


def test_outdated_and_unfinished_translations_are_not_compared(tmp_path):
    english = page("Page", "## Work { #work }\n\nForced labour is a crime.")
    drifted = "## Trabajo { #work }\n\nEl trabajo forzado es un delito."
    files = {
        "guides/page.en.md": english,
        "guides/page.es.md": page("Página", drifted, lang="es", source_hash="0123456789ab"),  # outdated
        "guides/page.pt.md": page("Página", "<!-- untranslated: kb translate copied the English text -->\n\n"
                                  "## Work { #work }\n\nForced labour is a crime.", lang="pt",
                                  source_hash=checks_hash(english)),  # unfinished
        "guides/page.fr.md": page("Page", "## Travail { #work }\n\nLe travail obligatoire est une infraction.",
                                  lang="fr", source_hash=checks_hash(english)),  # up to date: checked
    }
    found = run(project(tmp_path, TERMBASE.replace("  - id: forced", "  - id: forced").replace(
        "    es:\n      term: trabajo forzoso", "    fr:\n      term: travail forcé\n    es:\n      term: trabajo forzoso"),
        files), only=["term-drift"])
    assert [f.path for f in found if f.path.startswith("guides/")] == ["guides/page.fr.md"]


def test_the_same_findings_whatever_order_or_processes_read_the_pages(tmp_path, monkeypatch):
    """Translations look only for the terms their English page uses when it was read first; read
    the other way round, or in worker processes, they look for all of them: same findings."""
    root = copy_fixture(FIXTURES / "term-drift" / "bad", tmp_path / "bad")
    serial = run(root, only=["term-drift"])
    assert serial
    config = checks.load(root)
    items, site_files = runner.discover(config)
    drift._USED.clear()
    docs = []
    for item in reversed(items):  # every translation before its English page
        doc = runner.read_document(config, *item)
        runner.file_findings(doc, config, ["term-drift"], raise_errors=True)
        doc.strip_text()
        docs.append(doc)
    project_ = runner.Project(config, docs, site_files)
    assert sorted(runner.project_findings(project_, ["term-drift"], raise_errors=True)) == serial
    monkeypatch.setattr(runner, "PARALLEL_FROM", 1)
    assert run(root, only=["term-drift"], raise_errors=False, jobs=2) == serial
