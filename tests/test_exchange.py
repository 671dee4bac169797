"""Exchange with CAT tools: kb export (PO, TBX) and kb import, on a copy of the real project."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from translate.storage import pypo, tbx

from kbtools import segment
from kbtools.frontmatter import parse, source_hash

pytestmark = pytest.mark.project

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("es", "pt", "fr")


def kb(root: Path, *args):
    return subprocess.run([sys.executable, "-m", "kbtools", *args, "--root", str(root)], capture_output=True,
                          text=True)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's pages, data and mkdocs.yml."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(ROOT / "checks.yml", root / "checks.yml")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "guides", root / "guides")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "guides").rglob("*"))
            if p.is_file()} | {"data/ui.yml": (root / "data/ui.yml").read_bytes(),
                                "mkdocs.yml": (root / "mkdocs.yml").read_bytes()}


def laid_out(rel: str, text: str, root: Path) -> str:
    """The page as the import writes it: one sentence per line. The same as the file once
    the content is laid out so, which `kb check` requires (test_real_content_is_clean)."""
    lang = rel.rsplit(".", 2)[1]
    return segment.fmt(text, segment.abbreviations((lang, "en"), root / "data"))


def export(root: Path, *args) -> Path:
    out = root / "out.po"
    result = kb(root, "export", *args, "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_export_then_import_reproduces_every_page(project, lang):
    before = snapshot(project)
    po = export(project, "--lang", lang)
    result = kb(project, "import", str(po))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    pages = sorted(p for p in before if p.endswith(f".{lang}.md"))
    assert len(pages) == len([p for p in before if p.endswith(".en.md")])
    for rel in pages:
        assert (project / rel).read_text(encoding="utf-8") == laid_out(rel, before[rel].decode("utf-8"), project), rel
    if all(before[rel].decode("utf-8") == laid_out(rel, before[rel].decode("utf-8"), project) for rel in pages):
        assert snapshot(project) == before  # byte for byte, every file
    store = pypo.pofile.parsestring(po.read_bytes())
    translated = [u for u in store.units if not u.isheader() and u.target]
    assert len(translated) > 1000


def test_the_po_file_opens_in_polib_and_translate_toolkit(project):
    po = export(project, "--lang", "es")
    with_polib = polib.pofile(str(po))
    with_toolkit = pypo.pofile.parsestring(po.read_bytes())
    assert with_polib.metadata["Language"] == "es"
    assert with_polib.metadata["X-KB-Kind"] == "pages"
    entries = [e for e in with_polib if e.msgid]
    assert len(entries) == len([u for u in with_toolkit.units if not u.isheader()])
    referral = [e for e in entries if e.msgctxt == "migration/referral#referral"]
    assert referral and all(e.occurrences[0][0] == "guides/migration/referral.en.md" for e in referral)
    linked = next(e for e in referral if "[" in e.msgid)
    assert "({1})" in linked.msgid and "({1})" in linked.msgstr
    assert "../glossary.md#referral" in linked.comment and "../glossary.md" not in linked.msgid
    assert len({(e.msgctxt, e.msgid) for e in entries}) == len(entries)  # no duplicate entries
    # heading ids, admonition types and markers are not in any segment
    assert not any("{ #" in e.msgid or "!!!" in e.msgid or "<!-- kb:" in e.msgid for e in entries)
    titles = [e for e in entries if e.msgctxt.endswith(":title")]
    assert len(titles) == len(list((project / "guides").rglob("*.en.md")))


def _change(po: Path, context: str, old: str, new: str) -> None:
    store = polib.pofile(str(po))
    entry = next(e for e in store if e.msgctxt.startswith(context) and old in e.msgstr)
    entry.msgstr = entry.msgstr.replace(old, new)
    store.save(str(po))


def test_changing_one_segment_changes_exactly_that_sentence(project):
    po = export(project, "--lang", "es", "migration/referral", "safety")
    assert kb(project, "import", str(po)).returncode == 0  # nothing changed: lays pages out if they were not
    before = snapshot(project)
    _change(po, "migration/referral#referral", "es el marco que establece", "es el marco que fija")
    result = kb(project, "import", str(po))
    assert result.returncode == 0, result.stderr
    after = snapshot(project)
    changed = [rel for rel in after if after[rel] != before[rel]]
    assert changed == ["guides/migration/referral.es.md"]
    old, new = before[changed[0]].decode("utf-8"), after[changed[0]].decode("utf-8")
    diff = [(a, b) for a, b in zip(old.split("\n"), new.split("\n")) if a != b]
    assert len(old.split("\n")) == len(new.split("\n"))
    assert len(diff) == 1
    assert diff[0][0].replace("es el marco que establece", "es el marco que fija") == diff[0][1]
    assert parse(new).meta["source_hash"] == source_hash((project / "guides/migration/referral.en.md").read_text())


def test_a_missing_translation_is_written_from_the_english_structure(project):
    (project / "guides/help.pt.md").unlink()
    po = export(project, "--lang", "pt", "--outdated")
    store = polib.pofile(str(po))
    assert {e.msgctxt.split("#")[0].split(":")[0] for e in store} == {"help"}
    assert all(not e.msgstr for e in store)
    for entry in store:
        entry.msgstr = "PT " + entry.msgid
    store.save(str(po))
    result = kb(project, "import", str(po))
    assert result.returncode == 0, result.stderr
    english = (project / "guides/help.en.md").read_text(encoding="utf-8")
    written = (project / "guides/help.pt.md").read_text(encoding="utf-8")
    page = parse(written)
    assert page.meta["source_hash"] == source_hash(english)
    assert page.meta["title"].startswith("PT ")
    assert page.meta["audience"] == parse(english).meta["audience"]
    # the same structure: headings with their ids, boxes, lists, links
    assert re.findall(r"(?m)^(#+) .*?(\{ #[\w-]+ \})?$", written) == \
        re.findall(r"(?m)^(#+) .*?(\{ #[\w-]+ \})?$", english)
    assert re.findall(r"(?m)^ *!!! \w+", written) == re.findall(r"(?m)^ *!!! \w+", english)
    assert written.count("](") == english.count("](")
    check = kb(project, "check", "--disable", "all", "--enable",
               "parity-ids,parity-admonitions,parity-checklists,parity-links,sentence-per-line",
               str(project / "guides/help.pt.md"))
    assert check.returncode == 0, check.stderr


def test_an_outdated_translation_is_exported_fuzzy_and_keeps_its_hash(project):
    english = project / "guides/safety.en.md"
    english.write_text(english.read_text(encoding="utf-8").replace("\n## ", "\nA new sentence.\n\n## ", 1),
                       encoding="utf-8")
    page = project / "guides/safety.fr.md"
    recorded = parse(page.read_text(encoding="utf-8")).meta["source_hash"]
    po = export(project, "--lang", "fr", "--outdated")
    store = polib.pofile(str(po))
    assert {e.msgctxt.split("#")[0].split(":")[0] for e in store} == {"safety"}
    # the English gained a paragraph: the translation no longer lines up, and says so
    assert "not lined up" in store[0].comment
    result = kb(project, "import", str(po))
    assert result.returncode == 0
    assert parse(page.read_text(encoding="utf-8")).meta["source_hash"] == recorded


def test_fuzzy_segments_are_written_but_the_page_stays_outdated(project):
    english = project / "guides/safety.en.md"
    text = english.read_text(encoding="utf-8")
    first = next(line for line in text.split("\n")[10:] if line and line[0].isupper())
    english.write_text(text.replace(first, first.rstrip(".") + " now."), encoding="utf-8")
    page = project / "guides/safety.es.md"
    recorded = parse(page.read_text(encoding="utf-8")).meta["source_hash"]
    po = export(project, "--lang", "es", "--outdated")
    store = polib.pofile(str(po))
    assert store and all("fuzzy" in e.flags for e in store if e.msgstr)
    assert kb(project, "import", str(po)).returncode == 0
    assert parse(page.read_text(encoding="utf-8")).meta["source_hash"] == recorded
    for entry in store:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    store.save(str(po))
    assert kb(project, "import", str(po)).returncode == 0
    assert parse(page.read_text(encoding="utf-8")).meta["source_hash"] == source_hash(english.read_text())


def test_export_names_pages_as_stems_or_files(project):
    po = export(project, "--lang", "pt", "migration/referral", "guides/help.fr.md")
    store = polib.pofile(str(po))
    assert {e.msgctxt.split("#")[0].split(":")[0] for e in store} == {"migration/referral", "help"}
    result = kb(project, "export", "--lang", "pt", "guides/nowhere.en.md", "-o", str(project / "x.po"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "kb export: guides/nowhere.en.md: no such page in guides/ (give it as migration/referral or "
        "guides/migration/referral.en.md)"]
    assert not (project / "x.po").exists()


def _refused(project: Path, po: Path, words: str):
    before = snapshot(project)
    result = kb(project, "import", str(po))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kb import: ") and words in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before


def test_a_malformed_file_is_refused(project):
    po = export(project, "--lang", "es", "migration/referral")
    text = po.read_text(encoding="utf-8")
    (project / "broken.po").write_text(text.replace('msgstr "', 'msgstr "\n', 3), encoding="utf-8")
    _refused(project, project / "broken.po", "not a valid PO file")
    (project / "empty.po").write_text("", encoding="utf-8")
    _refused(project, project / "empty.po", "is empty")
    (project / "binary.po").write_bytes(b"\x00\x01\x02")
    _refused(project, project / "binary.po", "binary")
    (project / "foreign.po").write_text('msgid ""\nmsgstr "Language: es\\n"\n\nmsgid "a"\nmsgstr "b"\n',
                                        encoding="utf-8")
    _refused(project, project / "foreign.po", "X-KB-Kind")
    _refused(project, project / "nowhere.po", "cannot read")


def test_a_file_for_a_page_that_does_not_exist_is_refused(project):
    po = export(project, "--lang", "es", "safety")
    (project / "guides/safety.en.md").unlink()
    _refused(project, po, "does not exist")


def test_a_file_whose_english_changed_is_refused(project):
    po = export(project, "--lang", "fr", "glossary")
    english = project / "guides/glossary.en.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    _refused(project, po, "changed since the export")


def test_an_altered_placeholder_is_refused(project):
    po = export(project, "--lang", "es", "migration/referral")
    _change(po, "migration/referral#referral", "[derivación]({1})", "[derivación](../otra.md)")
    _refused(project, po, "placeholders changed")
    po = export(project, "--lang", "es", "migration/referral")
    _change(po, "migration/referral#referral", "[derivación]({1})", "[derivación] {1}")
    _refused(project, po, "no longer stands where its code works")


def test_a_box_title_with_a_double_quote_is_refused(project):
    po = export(project, "--lang", "es", "migration/referral")
    _change(po, "migration/referral", "Puntos clave", 'Puntos "clave"')
    _refused(project, po, "double quote")


def test_an_edited_source_text_is_refused(project):
    po = export(project, "--lang", "es", "migration/referral")
    store = polib.pofile(str(po))
    entry = next(e for e in store if e.msgctxt == "migration/referral#referral")
    entry.msgid = entry.msgid + " Edited."
    store.save(str(po))
    _refused(project, po, "edited in the file")


def test_a_partly_translated_page_is_left_as_it_is(project):
    (project / "guides/help.fr.md").unlink()
    po = export(project, "--lang", "fr", "--outdated")
    store = polib.pofile(str(po))
    store[0].msgstr = "Aide"
    store.save(str(po))
    result = kb(project, "import", str(po))
    assert result.returncode == 1
    assert "not written" in result.stderr and "help.fr.md" in result.stderr
    assert not (project / "guides/help.fr.md").exists()


def test_interface_strings_round_trip_and_keep_their_placeholders(project):
    before = snapshot(project)
    po = export(project, "--lang", "fr", "--ui")
    store = polib.pofile(str(po))
    count = next(e for e in store if e.msgctxt == "ui:quick_exit_count")
    assert "python-brace-format" in count.flags and "{count}" in count.msgstr
    separator = next(e for e in store if e.msgctxt == "ui:label_separator")
    assert separator.msgstr == " : "
    nav = next(e for e in store if e.msgctxt == "nav:Legal cooperation")
    assert nav.msgstr == "Coopération juridique"
    assert kb(project, "import", str(po)).returncode == 0
    assert snapshot(project) == before
    nav.msgstr = "Coopération judiciaire"
    count.msgstr = count.msgstr.replace("fois sur 3", "fois sur trois")
    store.save(str(po))
    assert kb(project, "import", str(po)).returncode == 0
    mkdocs = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "Legal cooperation: Coopération judiciaire" in mkdocs
    assert mkdocs.replace("Coopération judiciaire", "Coopération juridique") == before["mkdocs.yml"].decode()
    assert "{count} fois sur trois" in (project / "data/ui.yml").read_text(encoding="utf-8")
    count.msgstr = count.msgstr.replace("{count}", "{nombre}")
    store.save(str(po))
    _refused(project, po, "placeholders {count}")


def test_the_termbase_as_tbx(project):
    out = project / "terms.tbx"
    result = kb(project, "export", "--termbase", "-o", str(out))
    assert result.returncode == 0, result.stderr
    store = tbx.tbxfile.parsestring(out.read_bytes())
    import yaml

    terms = yaml.safe_load((project / "data/termbase.yml").read_text(encoding="utf-8"))["terms"]
    assert [u.getid() for u in store.units] == [t["id"] for t in terms]
    for unit, term in zip(store.units, terms):
        assert [t.text for t in unit.get_source_terms()] == [term["en"]["term"]]
        for lang in LANGS:
            found = unit.get_target_terms(lang)
            assert found[0].text == term[lang]["term"] and not found[0].deprecated
            assert found[0].administrative_status == "preferredTerm-admn-sts"
            assert [t.text for t in found[1:]] == list(term[lang].get("avoid") or [])
            assert all(t.deprecated and t.administrative_status == "deprecatedTerm-admn-sts" for t in found[1:])


def test_bad_requests_are_one_line(project):
    for args, words in [(("export",), "--lang"), (("export", "--lang", "xx"), "not configured"),
                        (("export", "--lang", "en"), "reference language"),
                        (("export", "--lang", "es", "--format", "xliff"), "--format po")]:
        result = kb(project, *args)
        assert result.returncode == 2
        assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
