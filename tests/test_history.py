"""kb translate --diff and kb status --diff: the English changes since the revision whose text
the translation's source_hash records, found in git history; clear refusals when the
history is too shallow or no revision has that text (exit 2, one line, no traceback)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from git_helpers import commit, git, init, kb, page, translation, write
from kbtools.frontmatter import source_hash

REV1 = page("Evidence", "Collect documents.\n\nTalk to witnesses.")
REV2 = page("Evidence", "Collect documents and phone records.\n\nTalk to witnesses.")
REV3 = page("Evidence", "Collect documents and phone records.\n\nTalk to witnesses in private, with an interpreter.")
SPANISH = translation(REV2, "Prueba", "Reúna documentos y registros telefónicos.\n\nHable con los testigos.")


@pytest.fixture
def repo(tmp_path):
    """Three English revisions; the Spanish translation was made from the second."""
    root = init(tmp_path / "kb", {"guides/index.en.md": page("Home", "Welcome."), "guides/evidence.en.md": REV1})
    revisions = [git(root, "rev-parse", "HEAD")]
    revisions.append(commit(root, "Evidence: phone records", {"guides/evidence.en.md": REV2}))
    commit(root, "Evidence in Spanish", {"guides/evidence.es.md": SPANISH})
    revisions.append(commit(root, "Evidence: interviews in private", {"guides/evidence.en.md": REV3}))
    return SimpleNamespace(path=root, revisions=revisions)


def diff_body(out: str) -> list[str]:
    return [line for line in out.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_diff_since_the_revision_the_translation_records(repo):
    result = kb(repo.path, "translate", "--diff", "guides/evidence.en.md", "--lang", "es")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    second = repo.revisions[1][:10]
    assert out.splitlines()[0] == (f"guides/evidence.es.md (Español) translates guides/evidence.en.md as it was at "
                                   f"{second} (2026-11-29, \"Evidence: phone records\").")
    assert out.splitlines()[1] == "The English text changed since in 1 commit(s):"
    assert out.splitlines()[2] == f"  {repo.revisions[2][:10]} 2026-11-29 Evidence: interviews in private"
    assert f"--- guides/evidence.en.md @ {second} (translated)" in out
    assert "+++ guides/evidence.en.md (now)" in out
    # Since the second revision, not the first: phone records are not news.
    assert diff_body(out) == ["-Talk to witnesses.", "+Talk to witnesses in private, with an interpreter."]
    assert out.rstrip().endswith("kb translate --stamp guides/evidence.en.md --lang es")


def test_the_page_may_be_named_in_other_ways(repo):
    for name in ("guides/evidence.es.md", "evidence", "guides/evidence"):
        args = ["translate", "--diff", name] + ([] if name.endswith(".es.md") else ["--lang", "es"])
        result = kb(repo.path, *args)
        assert result.returncode == 0 and diff_body(result.stdout)[0] == "-Talk to witnesses.", result.stderr


def test_uncommitted_english_changes_count_too(repo):
    write(repo.path, {"guides/evidence.en.md": REV3.replace("in private", "alone")})
    out = kb(repo.path, "translate", "--diff", "guides/evidence.en.md", "--lang", "es").stdout
    assert "changed since in 1 commit(s) and in changes not committed yet:" in out
    assert diff_body(out)[-1] == "+Talk to witnesses alone, with an interpreter."


def test_an_up_to_date_translation_says_so(repo):
    commit(repo.path, "Spanish updated", {"guides/evidence.es.md": translation(REV3, "Prueba", "Actualizada.")})
    result = kb(repo.path, "translate", "--diff", "guides/evidence.en.md", "--lang", "es")
    assert result.returncode == 0
    assert result.stdout.strip() == (f"guides/evidence.es.md is up to date: it records source_hash {source_hash(REV3)}, "
                                     "the hash of guides/evidence.en.md now.")


def test_renames_are_followed(repo):
    git(repo.path, "mv", "guides/evidence.en.md", "guides/collecting-evidence.en.md")
    git(repo.path, "mv", "guides/evidence.es.md", "guides/collecting-evidence.es.md")
    commit(repo.path, "Rename evidence")
    commit(repo.path, "More on documents", {"guides/collecting-evidence.en.md": REV3.replace("Collect", "Copy and collect")})
    result = kb(repo.path, "translate", "--diff", "guides/collecting-evidence.en.md", "--lang", "es")
    assert result.returncode == 0, result.stderr
    assert f"--- guides/evidence.en.md @ {repo.revisions[1][:10]} (translated)" in result.stdout
    assert "changed since in 3 commit(s)" in result.stdout
    assert diff_body(result.stdout) == [
        "-Collect documents and phone records.", "+Copy and collect documents and phone records.",
        "-Talk to witnesses.", "+Talk to witnesses in private, with an interpreter."]


def test_a_shallow_clone_says_to_fetch_more_history(repo, tmp_path):
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"
    result = kb(clone, "translate", "--diff", "guides/evidence.en.md", "--lang", "es")
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"kb translate: source_hash {source_hash(REV2)} is in none of the 1 revision(s) "
                                    "of guides/evidence.en.md this clone holds, and the clone is shallow")
    assert "`git fetch --unshallow`" in result.stderr
    # After fetching the history, it works.
    git(clone, "fetch", "-q", "--unshallow")
    assert kb(clone, "translate", "--diff", "guides/evidence.en.md", "--lang", "es").returncode == 0


def test_a_hash_in_no_revision_is_a_clear_error(repo):
    commit(repo.path, "Hash typed by hand", {"guides/evidence.es.md": SPANISH.replace(source_hash(REV2), "0123456789ab")})
    result = kb(repo.path, "translate", "--diff", "guides/evidence.en.md", "--lang", "es")
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("kb translate: no revision of guides/evidence.en.md in the git history has the "
                                    "text whose hash is 0123456789ab")


def test_a_text_on_another_branch_is_found(repo):
    """A translator worked from a branch's English text that main never had."""
    git(repo.path, "checkout", "-q", "-b", "draft")
    draft = REV3.replace("an interpreter", "a trusted interpreter")
    commit(repo.path, "Draft wording", {"guides/evidence.en.md": draft})
    git(repo.path, "checkout", "-q", "main")
    commit(repo.path, "Spanish from the draft", {"guides/evidence.es.md": translation(draft, "Prueba", "Borrador.")})
    result = kb(repo.path, "translate", "--diff", "guides/evidence.en.md", "--lang", "es")
    assert result.returncode == 0, result.stderr
    assert diff_body(result.stdout) == ["-Talk to witnesses in private, with a trusted interpreter.",
                                        "+Talk to witnesses in private, with an interpreter."]


def test_no_translation_and_no_source_hash(repo):
    result = kb(repo.path, "translate", "--diff", "guides/index.en.md", "--lang", "es")
    assert result.returncode == 2 and "there is no Español translation guides/index.es.md" in result.stderr
    commit(repo.path, "No hash", {"guides/evidence.es.md": page("Prueba", "Texto.")})
    result = kb(repo.path, "translate", "--diff", "guides/evidence.en.md", "--lang", "es")
    assert result.returncode == 2 and "records no source_hash" in result.stderr


def test_status_diff_covers_every_outdated_page_of_a_language(repo):
    other = page("Trial", "Prepare the witness.")
    commit(repo.path, "Trial", {"guides/trial.en.md": other, "guides/trial.es.md": translation(other, "Juicio", "Prepare."),
                           "guides/trial.fr.md": translation(other, "Procès", "Préparez.")})
    commit(repo.path, "Trial: support", {"guides/trial.en.md": other.replace("witness.", "witness and offer support.")})
    result = kb(repo.path, "status", "--diff", "--lang", "es")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Español (es): 2 outdated translation(s)\n")
    assert "guides/evidence.es.md (Español) translates" in out and "guides/trial.es.md (Español) translates" in out
    assert "+Prepare the witness and offer support." in out
    everything = kb(repo.path, "status", "--diff").stdout
    assert "# Français (fr): 1 outdated translation(s)" in everything
    assert "# Português (pt): 0 outdated translation(s)" in everything


def test_status_diff_reports_pages_it_cannot_explain_and_exits_2(repo):
    commit(repo.path, "Hash typed by hand", {"guides/evidence.es.md": SPANISH.replace(source_hash(REV2), "0123456789ab")})
    result = kb(repo.path, "status", "--diff", "--lang", "es")
    assert result.returncode == 2
    assert result.stderr.startswith("kb status: guides/evidence.es.md: no revision of guides/evidence.en.md")
    assert "Traceback" not in result.stderr


def test_outside_a_repository(tmp_path):
    root = tmp_path / "plain"
    write(root, {"mkdocs.yml": "site_name: T\ndocs_dir: guides\nplugins:\n  - i18n:\n      languages:\n"
                               "        - {locale: en, default: true}\n        - {locale: es}\n",
                 "guides/evidence.en.md": REV3, "guides/evidence.es.md": SPANISH})
    result = kb(root, "translate", "--diff", "guides/evidence.en.md", "--lang", "es")
    assert result.returncode == 2 and "is not a git repository" in result.stderr and "Traceback" not in result.stderr


def test_output_cut_short_by_the_reader_is_no_error(repo):
    """`kb status --diff | head -1`: the pipe closes early; no traceback."""
    import subprocess
    import sys

    result = subprocess.run(f"{sys.executable} -m kbtools status --diff | head -1", shell=True, cwd=repo.path,
                            capture_output=True, text=True)
    assert result.stdout.startswith("# Español (es)") and "Traceback" not in result.stderr, result.stderr


def test_a_translation_recording_the_old_kind_of_hash_still_finds_its_revision(repo):
    """Translations outdated before source_hash left out line breaks record the old hash
    (kbtools.frontmatter.legacy_source_hash): --diff still finds the revision they translate."""
    from kbtools.frontmatter import legacy_source_hash

    old = SPANISH.replace(source_hash(REV2), legacy_source_hash(REV2))
    assert old != SPANISH
    commit(repo.path, "Spanish with the old hash", {"guides/evidence.es.md": old})
    result = kb(repo.path, "translate", "--diff", "guides/evidence.en.md", "--lang", "es")
    assert result.returncode == 0, result.stderr
    assert diff_body(result.stdout) == ["-Talk to witnesses.", "+Talk to witnesses in private, with an interpreter."]
