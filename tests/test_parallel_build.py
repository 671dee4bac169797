"""`kb site` builds the languages in parallel processes and merges them: the result
must be the sequential build's, file for file and byte for byte."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, build, fixture_config, md
from kbtools import sitebuild
from kbtools.cli import main
from kbtools.frontmatter import source_hash

pytestmark = pytest.mark.build

HOME_EN = md("Home", "Welcome. See [the chapter](chapter.md) and [the list](list.md).")
CHAPTER_EN = md("Chapter", "## Section { #section }\n\nEnglish text of the chapter.\n\n- [ ] a box\n- [x] done")
SAME = md("Same", "## Same { #same }\n\nThe same words in every language.")


def tree_differences(a: Path, b: Path) -> list[str]:
    """What differs between two trees: files only in one, files whose bytes differ."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out = [f"only in {a.name}: {n}" for n in sorted(files_a - files_b)]
    out += [f"only in {b.name}: {n}" for n in sorted(files_b - files_a)]
    out += [f"bytes differ: {n}" for n in sorted(files_a & files_b) if (a / n).read_bytes() != (b / n).read_bytes()]
    return out


def both_ways(root: Path, tmp: Path, jobs: int = 2) -> tuple[Path, Path]:
    sequential, parallel = tmp / "sequential", tmp / "parallel"
    assert main(["site", "--root", str(root), "--sequential", "--site-dir", str(sequential)]) == 0
    assert main(["site", "--root", str(root), "-j", str(jobs), "--site-dir", str(parallel)]) == 0
    return sequential, parallel


def test_fixture_site_parallel_equals_sequential(tmp_path):
    files = {
        "index.en.md": HOME_EN,
        "index.es.md": md("Inicio", "Bienvenida. Vea [el capítulo](chapter.md).", source_hash=source_hash(HOME_EN)),
        "index.fr.md": md("Accueil", "Texte.", source_hash="000000000000"),  # outdated
        "chapter.en.md": CHAPTER_EN,
        "chapter.pt.md": md("Capítulo", "## Seção { #section }\n\nTexto.", source_hash=source_hash(CHAPTER_EN)),
        # Translated with the same words: static-i18n's search deduplication removes them.
        "list.en.md": SAME, "list.es.md": SAME, "list.fr.md": SAME,
        "status.en.md": md("Status", "<!-- kb:translation-status -->"),
        "glossary.en.md": md("Glossary", "<!-- kb:glossary -->"),
        "assets/note.css": "p { color: black }\n",
        "assets/picture.png": "shared",
        "assets/picture.es.png": "only Spanish",
    }
    result = build(tmp_path, files, fixture_config(tmp_path, nav=["index.md", "chapter.md", "list.md",
                                                                  "status.md", "glossary.md"]))
    assert result.returncode == 0, result.stderr
    sequential, parallel = both_ways(tmp_path, tmp_path / "out")
    assert (parallel / "es" / "404.html").is_file() and (parallel / "fr" / "search" / "search_index.json").is_file()
    assert tree_differences(sequential, parallel) == []
    # One process for all four languages gives the same bytes too (a process builds several).
    one = tmp_path / "out" / "one"
    assert main(["site", "--root", str(tmp_path), "-j", "1", "--site-dir", str(one)]) == 0
    assert tree_differences(sequential, one) == []


def test_a_build_replaces_the_previous_site_whole(tmp_path):
    """The previous site is moved aside and removed while the new one is finished: nothing of
    it stays, nothing is left beside it; a failed build keeps it."""
    files = {"index.en.md": HOME_EN, "chapter.en.md": CHAPTER_EN, "list.en.md": SAME, "list.es.md": SAME}
    build(tmp_path, files, fixture_config(tmp_path, nav=["index.md", "chapter.md", "list.md"]))
    out = tmp_path / "out"
    assert main(["site", "--root", str(tmp_path), "-j", "2", "--site-dir", str(out / "site")]) == 0
    first = {p.relative_to(out).as_posix() for p in out.rglob("*")}
    (out / "site" / "stale.html").write_text("from a page since removed", encoding="utf-8")
    (out / "site" / "es" / "gone").mkdir()
    assert main(["site", "--root", str(tmp_path), "-j", "2", "--site-dir", str(out / "site")]) == 0
    assert {p.relative_to(out).as_posix() for p in out.rglob("*")} == first
    (tmp_path / "docs" / "index.es.md").write_text(md("Inicio", "Vea [nada](nowhere.md)."), encoding="utf-8")
    assert main(["site", "--root", str(tmp_path), "-j", "2", "--site-dir", str(out / "site")]) == 1
    assert {p.relative_to(out).as_posix() for p in out.rglob("*")} == first


def test_the_real_site_parallel_equals_sequential(built_site, tmp_path):
    """Both builds of the real sources, fresh (site/ itself has what `kb downloads` placed);
    `built_site` marks the test as one of the site layer's: make test-fast leaves it out."""
    sequential, parallel = both_ways(ROOT, tmp_path)
    assert len(list(parallel.rglob("*.html"))) > 300
    assert tree_differences(sequential, parallel) == []


def test_a_failing_language_fails_the_build_naming_it(tmp_path, capfd):
    files = {"index.en.md": HOME_EN, "index.es.md": md("Inicio", "Vea [nada](nowhere.md)."),
             "chapter.en.md": CHAPTER_EN, "list.en.md": SAME}
    build(tmp_path, files, fixture_config(tmp_path, nav=["index.md", "chapter.md", "list.md"]))
    assert main(["site", "--root", str(tmp_path), "-j", "2"]) == 1
    err = capfd.readouterr().err
    assert "kb site: es:" in err and "nowhere.md" in err
    assert not list(tmp_path.glob(".site-parts-*"))  # the language folders are cleaned up


# --- static-i18n's search deduplication, in linear time --------------------------------

LOCATIONS = ["", "a/", "a/#x", "b/", "b/#y", "c/"]
entry = st.fixed_dictionaries({"location": st.sampled_from(LOCATIONS), "title": st.sampled_from("AB"),
                               "text": st.sampled_from("xy")})


@st.composite
def indexes(draw):
    defaults = draw(st.lists(entry, max_size=6))
    targets = []
    for lang in draw(st.lists(st.sampled_from(["es", "pt", "fr"]), unique=True, max_size=3)):
        for location in draw(st.lists(st.sampled_from(LOCATIONS), unique=True, max_size=6)):
            targets.append({"location": f"{lang}/{location}", "title": draw(st.sampled_from("AB")),
                            "text": draw(st.sampled_from("xy"))})
    return defaults + targets


@settings(max_examples=400, deadline=None)
@given(indexes())
def test_deduplication_is_static_i18ns(entries):
    ours, upstream = copy.deepcopy(entries), copy.deepcopy(entries)
    sitebuild.deduplicate(ours, ["en", "es", "pt", "fr"])
    sitebuild._upstream_deduplicate(upstream, ["en", "es", "pt", "fr"])
    assert ours == upstream


def test_deduplication_passes_over_the_entry_after_each_removal_as_upstream_does():
    page = {"title": "A", "text": "x"}
    entries = [{"location": "", **page}, {"location": "es/", **page}, {"location": "es/b/", **page},
               {"location": "es/c/", **page}]
    ours = copy.deepcopy(entries)
    sitebuild.deduplicate(ours, ["en", "es"])
    # Upstream removes es/, passes over es/b/ (the list shifted under its iterator), removes es/c/.
    assert [e["location"] for e in ours] == ["", "es/b/"]


def test_the_shared_translation_report_is_the_one_each_language_would_read(tmp_path):
    from kbtools import translations

    shared = sitebuild.SharedReport(tmp_path / "report.pickle")
    shared.read_sources(ROOT / "guides", ["en", "es", "fr", "pt"])
    assert shared() == translations.scan(ROOT / "guides", ["en", "es", "fr", "pt"], "en")
    # kb site could not read it: a language's process does not wait, it reads the sources itself.
    broken = sitebuild.SharedReport(tmp_path / "broken.pickle")
    broken.read_sources(ROOT / "guides", [])
    assert broken() is None and not (tmp_path / "broken.pickle").exists()
