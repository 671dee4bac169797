"""kb new-guide, kb new-page, kb translate (and --stamp) on a copy of the real project:
the files they write, mkdocs.yml edited as text (comments and !ENV tags kept, loadable by
the tools and by MkDocs), `kb check` clean afterwards, and bad input refused with one line,
exit status 2 and nothing written."""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtools import cli, mkdocs_edit, site_config
from kbtools.frontmatter import parse, source_hash

pytestmark = pytest.mark.project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The real guides/, data/, mkdocs.yml and checks.yml in a temporary folder (the editor's
    current folder); overrides/ and kbtools/ linked so that MkDocs can load the config."""
    root = tmp_path / "kb"
    root.mkdir()
    for name in ("guides", "data"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("mkdocs.yml", "checks.yml"):
        shutil.copyfile(ROOT / name, root / name)
    for name in ("overrides", "kbtools"):
        (root / name).symlink_to(ROOT / name)
    monkeypatch.chdir(root)
    return root


def kb(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and "kbtools" not in p.relative_to(root).parts[:1]
            and "overrides" not in p.relative_to(root).parts[:1]}


def check(capsys, root: Path) -> tuple[int, str]:
    code, _, err = kb(capsys, "check", "--root", str(root))
    return code, err


def only_added_lines(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`; fails if any line of `before` was changed or removed."""
    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert not [line for line in diff if line.startswith("- ")], "lines of mkdocs.yml were changed or removed"
    return [line[2:] for line in diff if line.startswith("+ ")]


def loads_with_mkdocs(root: Path):
    """mkdocs.yml read by MkDocs itself (its YAML loader, then the validated config)."""
    from mkdocs.config import load_config
    from mkdocs.utils import yaml_load

    with open(root / "mkdocs.yml", encoding="utf-8") as fh:
        raw = yaml_load(fh)
    return raw, load_config(str(root / "mkdocs.yml"))


TITLES = ['Human rights: the "basics" of it', "Children's rights", "Yes", "2026", "Q&A: a 50% rule, or not?",
          "Trata de personas: niñas, niños y adolescentes", "# not a heading".lstrip("# ")]


# --- kb new-guide --------------------------------------------------------------

@pytest.mark.parametrize("title", TITLES)
def test_new_guide_writes_overview_chapter_nav_and_nav_translations(project, capsys, title):
    before = (project / "mkdocs.yml").read_text(encoding="utf-8")
    code, out, err = kb(capsys, "new-guide", "human-rights", "--title", title, "--topics", "legislation,victim-protection")
    assert code == 0, err
    assert out.splitlines()[:3] == ["wrote guides/human-rights/index.en.md", "wrote guides/human-rights/first-steps.en.md",
                                    "wrote mkdocs.yml"]
    overview = parse((project / "guides/human-rights/index.en.md").read_text(encoding="utf-8"))
    assert overview.meta["title"] == title and overview.meta["topics"] == ["legislation", "victim-protection"]
    assert overview.meta["audience"] == ["all-readers"]
    assert f"\n# {title}\n" in overview.body and "[First steps](first-steps.md)" in overview.body
    chapter = parse((project / "guides/human-rights/first-steps.en.md").read_text(encoding="utf-8"))
    assert chapter.meta["title"] == "First steps"

    after = (project / "mkdocs.yml").read_text(encoding="utf-8")
    added = only_added_lines(before, after)
    assert len(added) == 3 + 3  # the section with two pages; one nav_translations line per translation language
    config = site_config.load(project)
    assert config.guides[-1] == site_config.Guide("human-rights", ("human-rights/index.md", "human-rights/first-steps.md"))
    for lang in config.languages:
        if not lang.default:
            assert dict(lang.nav_translations)[title] == title
    assert "!ENV [KB_SITE_URL" in after and "# Not navigation.instant" in after

    raw, mkdocs_config = loads_with_mkdocs(project)
    assert raw["nav"][1]["Guides"][-1] == {title: ["human-rights/index.md", "human-rights/first-steps.md"]}
    assert mkdocs_config["nav"][1]["Guides"][-1] == {title: ["human-rights/index.md", "human-rights/first-steps.md"]}
    i18n = mkdocs_config.plugins["i18n"].config["languages"]
    assert [lang["nav_translations"].get(title) for lang in i18n if not lang["default"]] == [title] * 3

    code, findings = check(capsys, project)
    assert code == 0 and findings.strip().endswith("no findings"), findings


def test_new_guide_options(project, capsys):
    code, _, err = kb(capsys, "new-guide", "returns", "--title", "Safe return and reintegration", "--nav-title", "Returns",
                      "--topics", "victim-protection", "--audience", "migration-officers,ngos", "--description",
                      "How to plan a safe return.", "--chapter", "planning", "--chapter-title", "Planning a return")
    assert code == 0, err
    overview = parse((project / "guides/returns/index.en.md").read_text(encoding="utf-8"))
    assert overview.meta["description"] == "How to plan a safe return."
    assert overview.meta["audience"] == ["migration-officers", "ngos"]
    assert "[Planning a return](planning.md)" in overview.body
    config = site_config.load(project)
    assert config.guides[-1].chapters == ("returns/index.md", "returns/planning.md")
    assert dict(config.language("es").nav_translations)["Returns"] == "Returns"
    assert check(capsys, project)[1].strip().endswith("no findings")


# --- kb new-page ----------------------------------------------------------------

def test_new_page_adds_a_chapter_at_the_end_of_its_guide(project, capsys):
    before = (project / "mkdocs.yml").read_text(encoding="utf-8")
    code, out, err = kb(capsys, "new-page", "guides/migration/returns", "--title", "Returns: what to check first")
    assert code == 0, err
    assert out.splitlines()[:2] == ["wrote guides/migration/returns.en.md", "wrote mkdocs.yml"]
    page = parse((project / "guides/migration/returns.en.md").read_text(encoding="utf-8"))
    overview = parse((project / "guides/migration/index.en.md").read_text(encoding="utf-8"))
    assert page.meta["title"] == "Returns: what to check first"
    assert page.meta["audience"] == overview.meta["audience"] and page.meta["topics"] == overview.meta["topics"]
    assert only_added_lines(before, (project / "mkdocs.yml").read_text(encoding="utf-8")) == [
        "          - migration/returns.md"]
    migration = next(g for g in site_config.load(project).guides if g.slug == "migration")
    assert migration.chapters[-2:] == ("migration/sexual-violence.md", "migration/returns.md")
    assert loads_with_mkdocs(project)[1]["nav"][1]["Guides"][1]["Migration officers"][-1] == "migration/returns.md"
    assert check(capsys, project)[1].strip().endswith("no findings")


@pytest.mark.parametrize("name", ["guides/migration/returns.en.md", "migration/returns", "guides/migration/returns.md"])
def test_new_page_accepts_the_usual_spellings(project, capsys, name):
    assert kb(capsys, "new-page", name, "--title", "Returns")[0] == 0
    assert (project / "guides/migration/returns.en.md").is_file()


def test_new_page_in_a_new_guide(project, capsys):
    assert kb(capsys, "new-guide", "returns", "--title", "Returns", "--topics", "victim-protection")[0] == 0
    assert kb(capsys, "new-page", "guides/returns/reintegration", "--title", "Reintegration")[0] == 0
    assert site_config.load(project).guides[-1].chapters == (
        "returns/index.md", "returns/first-steps.md", "returns/reintegration.md")
    assert check(capsys, project)[1].strip().endswith("no findings")


# --- kb translate -----------------------------------------------------------------

def test_translate_copies_the_english_page_stamped_and_marked(project, capsys):
    english = project / "guides/migration/referral.en.md"
    target = project / "guides/migration/referral.fr.md"
    target.unlink()
    code, out, err = kb(capsys, "translate", "guides/migration/referral.en.md", "--lang", "fr")
    assert code == 0, err
    assert out.startswith("wrote guides/migration/referral.fr.md\n")
    text = target.read_text(encoding="utf-8")
    en = parse(english.read_text(encoding="utf-8"))
    fr = parse(text)
    assert fr.meta == {**en.meta, "source_hash": source_hash(english.read_text(encoding="utf-8"))}
    marker, rest = fr.body.lstrip("\n").split("\n", 1)
    assert marker.startswith("<!-- untranslated:") and "Français" in marker and marker.endswith("-->")
    assert rest.strip() == en.body.strip()

    # kb check: no error; the one warning says the text is still English.
    code, findings = check(capsys, project)
    assert code == 0
    lines = findings.strip().splitlines()
    assert lines[0].startswith("guides/migration/referral.fr.md:10:1: translation-unfinished ")
    assert lines[-1].endswith("0 errors and 1 warning in 1 file (translation-unfinished 1)")
    # Stamping is refused while the marker is there.
    code, _, err = kb(capsys, "translate", "--stamp", "guides/migration/referral.en.md", "--lang", "fr")
    assert code == 2 and "line 10 still says the text is untranslated" in err

    # The translator translates and deletes the marker line: clean.
    target.write_text(text.replace(marker + "\n\n", "").replace("# Referral to protection", "# Orientation"),
                      encoding="utf-8")
    assert check(capsys, project)[1].strip().endswith("no findings")


def test_translate_takes_the_page_in_other_spellings(project, capsys):
    (project / "guides/help.pt.md").unlink()
    assert kb(capsys, "translate", "help", "--lang", "pt")[0] == 0
    (project / "guides/help.pt.md").unlink()
    assert kb(capsys, "translate", str(project / "guides/help.en.md"), "--lang", "pt")[0] == 0


def test_stamp_records_the_current_hash_and_changes_nothing_else(project, capsys):
    english = project / "guides/migration/referral.en.md"
    spanish = project / "guides/migration/referral.es.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    code, findings = check(capsys, project)
    assert code == 0 and "translation-outdated" in findings
    before = spanish.read_text(encoding="utf-8")
    old = parse(before).meta["source_hash"]
    code, out, _ = kb(capsys, "translate", "--stamp", "guides/migration/referral.en.md", "--lang", "es")
    new = source_hash(english.read_text(encoding="utf-8"))
    assert code == 0 and out.strip() == f"guides/migration/referral.es.md: source_hash {old} -> {new}"
    after = spanish.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [(f"source_hash: {old}", f"source_hash: {new}")]
    assert len(before.splitlines()) == len(after.splitlines()) and after.endswith("\n")
    findings = check(capsys, project)[1].strip().splitlines()
    assert [line.split(":")[0] for line in findings[:-1]] == [
        "guides/migration/referral.fr.md", "guides/migration/referral.pt.md"]  # still to update
    # Again: nothing to do, nothing written.
    code, out, _ = kb(capsys, "translate", "--stamp", "guides/migration/referral.es.md")
    assert code == 0 and "nothing to do" in out and spanish.read_text(encoding="utf-8") == after


def test_stamp_adds_a_missing_source_hash_at_the_end_of_the_front_matter(project, capsys):
    spanish = project / "guides/help.es.md"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace(
        "source_hash: " + parse(spanish.read_text(encoding="utf-8")).meta["source_hash"] + "\n", ""), encoding="utf-8")
    assert kb(capsys, "translate", "--stamp", "guides/help.en.md", "--lang", "es")[0] == 0
    meta_lines = spanish.read_text(encoding="utf-8").split("---\n")[1].splitlines()
    assert meta_lines[-1] == f"source_hash: {source_hash((project / 'guides/help.en.md').read_text(encoding='utf-8'))}"
    assert check(capsys, project)[1].strip().endswith("no findings")


# --- bad input: one line, exit 2, nothing written --------------------------------------

BAD = {
    "slug with spaces": (["new-guide", "Human rights", "--title", "Human rights", "--topics", "legislation"],
                         "the slug 'Human rights' may hold only lower-case letters a-z, digits and single hyphens"),
    "slug in upper case": (["new-guide", "Human-Rights", "--title", "Human rights", "--topics", "legislation"],
                           "e.g. 'human-rights'"),
    "slug that is a language code": (["new-guide", "fr", "--title", "French law", "--topics", "legislation"],
                                     "is a language code"),
    "guide that exists": (["new-guide", "migration", "--title", "Migration", "--topics", "legislation"],
                          "guides/migration already exists"),
    "section name taken": (["new-guide", "reference-two", "--title", "Reference", "--topics", "legislation"],
                           "already has a nav section or a nav_translations entry 'Reference'"),
    "no topics": (["new-guide", "human-rights", "--title", "Human rights"], "say what the guide is about with --topics"),
    "unknown topic": (["new-guide", "human-rights", "--title", "Human rights", "--topics", "human-rights"],
                      "--topics human-rights: not in data/vocabulary.yml"),
    "empty title": (["new-guide", "human-rights", "--title", "  ", "--topics", "legislation"], "give a title"),
    "title on two lines": (["new-guide", "human-rights", "--title", "Human\nrights", "--topics", "legislation"],
                           "must be one line of text"),
    "title with markup": (["new-guide", "human-rights", "--title", "Rights <em>now</em>", "--topics", "legislation"],
                          "which Markdown would turn into markup"),
    "title with a closing hash": (["new-guide", "human-rights", "--title", "Rights #", "--topics", "legislation"],
                                  "starts or ends with '#'"),
    "page of no guide": (["new-page", "guides/human-rights/remedies", "--title", "Remedies"],
                         "there is no guide 'human-rights'"),
    "page with upper case": (["new-page", "guides/migration/Returns", "--title", "Returns"],
                             "the page name 'Returns' may hold only lower-case"),
    "page that exists": (["new-page", "guides/migration/referral", "--title", "Referral"],
                         "guides/migration/referral.en.md already exists"),
    "page at the top": (["new-page", "guides/returns", "--title", "Returns"], "give the new chapter as guides/GUIDE/PAGE"),
    "translate a page that does not exist": (["translate", "guides/migration/returns.en.md", "--lang", "es"],
                                             "there is no English page guides/migration/returns.en.md"),
    "translate into an unconfigured language": (["translate", "guides/migration/referral.en.md", "--lang", "de"],
                                                "language 'de' is not configured in mkdocs.yml"),
    "translate into the reference language": (["translate", "guides/migration/referral.en.md", "--lang", "en"],
                                              "'en' is the reference language"),
    "translate without a language": (["translate", "guides/migration/referral.en.md"], "say which language with --lang"),
    "translation that exists": (["translate", "guides/migration/referral.en.md", "--lang", "es"],
                                "guides/migration/referral.es.md already exists and is not overwritten"),
    "page outside guides": (["translate", "../elsewhere.en.md", "--lang", "es"], "is not a page below guides/"),
    "stamp with an unconfigured language": (["translate", "--stamp", "guides/help.en.md", "--lang", "xx"],
                                            "language 'xx' is not configured"),
    "diff outside git": (["translate", "--diff", "guides/help.en.md", "--lang", "es"], None),
    "status diff of an unconfigured language": (["status", "--diff", "--lang", "de"], "language 'de' is not configured"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_line_exit_2_and_nothing_written(project, capsys, case):
    args, message = BAD[case]
    if case == "diff outside git":  # an outdated translation, in a folder that is no clone
        english = project / "guides/help.en.md"
        english.write_text(english.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
        message = "is not a git repository"
    before = snapshot(project)
    code, out, err = kb(capsys, *args)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith(f"kb {args[0]}: "), err
    assert message in err, err
    assert "Traceback" not in err and out == ""
    assert snapshot(project) == before


# --- mkdocs.yml edited as text -----------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=40))
def test_quote_reads_back_as_the_same_string_as_key_value_and_item(value):
    quoted = mkdocs_edit.quote(value)
    assert yaml.safe_load(f"k: {quoted}") == {"k": value}
    assert yaml.safe_load(f"{quoted}: v") == {value: "v"}
    assert yaml.safe_load(f"- {quoted}") == [value]


def test_plain_titles_stay_plain():
    assert mkdocs_edit.quote("LGBTIQ+ victims") == "LGBTIQ+ victims"
    assert mkdocs_edit.quote("Travel and tourism") == "Travel and tourism"
    assert mkdocs_edit.quote("Evidence: what to collect") == '"Evidence: what to collect"'
    assert mkdocs_edit.quote("yes") == '"yes"'


def test_a_language_without_nav_translations_gets_the_key(tmp_path):
    text = ("site_name: X  # a comment\nsite_url: !ENV [KB_SITE_URL, \"https://x.org/\"]\nplugins:\n  - i18n:\n"
            "      languages:\n        - locale: en\n          default: true\n        - locale: es\n"
            "          name: Español\nnav:\n  - Home: index.md\n  - Guides:\n      - One:\n          - one/index.md\n")
    edited = mkdocs_edit.add_guide(text, "Two: more", ["two/index.md"])
    assert edited == text.replace("          name: Español\n", "          name: Español\n          nav_translations:\n"
                                  f"            \"Two: more\": \"Two: more\"  {mkdocs_edit.TRANSLATE_COMMENT}\n") + \
        "      - \"Two: more\":\n          - two/index.md\n"
    (tmp_path / "mkdocs.yml").write_text(edited, encoding="utf-8")
    assert site_config.load(tmp_path).language("es").nav_translations[-1] == ("Two: more", "Two: more")


def test_a_nav_in_flow_style_is_refused_not_rewritten():
    text = "site_name: X\nplugins:\n  - i18n:\n      languages:\n        - locale: en\n          default: true\n" \
           "nav: [{Guides: [{One: [one/index.md]}]}]\n"
    with pytest.raises(mkdocs_edit.EditError, match="flow style"):
        mkdocs_edit.add_guide(text, "Two", ["two/index.md"])


def test_line_ends_are_kept(project, capsys):
    """A file saved with Windows line ends keeps them: only the intended lines change."""
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_bytes(mkdocs.read_bytes().replace(b"\n", b"\r\n"))
    assert kb(capsys, "new-page", "guides/migration/returns", "--title", "Returns")[0] == 0
    raw = mkdocs.read_bytes()
    assert b"          - migration/returns.md\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    spanish = project / "guides/help.es.md"
    english = project / "guides/help.en.md"
    spanish.write_bytes(spanish.read_bytes().replace(b"\n", b"\r\n"))
    english.write_text(english.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    before = spanish.read_bytes()
    assert kb(capsys, "translate", "--stamp", "guides/help.en.md", "--lang", "es")[0] == 0
    after = spanish.read_bytes()
    assert after.count(b"\r\n") == before.count(b"\r\n") and len(after) == len(before)
