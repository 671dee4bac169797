"""kb impact --base REV: the Markdown table of the translations a branch's English changes
make outdated, on a temporary repository with a branch that edits two English pages."""
from __future__ import annotations

import pytest

from git_helpers import commit, git, init, kb, page, translation

# Bodies long enough that git does not take one page for a rename of another.
EVIDENCE = page("Evidence", "Collect documents.\n\n" + "Evidence is what a court weighs.\n" * 8)
TRIAL = page("Trial", "Prepare the witness.\n\n" + "A trial tests the evidence in public.\n" * 8)
GLOSSARY = page("Glossary", "Terms.\n\n" + "Each word has one meaning here.\n" * 8)
TRIAL_BEFORE = page("Trial", "An older text.")
SENTENCING = page("Sentencing", "After a conviction.\n\n" + "Sentences follow the law's range.\n" * 8)


@pytest.fixture
def repo(tmp_path):
    """main: evidence (es, pt, fr up to date), trial (es up to date, fr already outdated, no pt),
    glossary (es up to date). Branch `edit`: two English pages edited, Spanish trial updated
    with it, the glossary's front matter touched only."""
    root = init(tmp_path / "kb", {
        "guides/evidence.en.md": EVIDENCE,
        "guides/evidence.es.md": translation(EVIDENCE, "Prueba", "Reúna documentos."),
        "guides/evidence.pt.md": translation(EVIDENCE, "Prova", "Reúna documentos."),
        "guides/evidence.fr.md": translation(EVIDENCE, "Preuve", "Rassemblez les documents."),
        "guides/trial.en.md": TRIAL,
        "guides/trial.es.md": translation(TRIAL, "Juicio", "Prepare al testigo."),
        "guides/trial.fr.md": translation(TRIAL_BEFORE, "Procès", "Un texte plus ancien."),
        "guides/glossary.en.md": GLOSSARY,
        "guides/glossary.es.md": translation(GLOSSARY, "Glosario", "Términos."),
    })
    git(root, "checkout", "-q", "-b", "edit")
    new_trial = TRIAL.replace("witness.", "witness and offer support.")
    commit(root, "Evidence: phone records", {"guides/evidence.en.md": EVIDENCE.replace("documents", "documents "
                                                                                       "and phone records")})
    commit(root, "Trial: support", {"guides/trial.en.md": new_trial,
                                    "guides/trial.es.md": translation(new_trial, "Juicio", "Prepare y apoye.")})
    commit(root, "Glossary: description", {"guides/glossary.en.md": GLOSSARY.replace("About Glossary.",
                                                                                     "The terms used.")})
    return root


def test_the_table_says_which_translations_become_outdated(repo):
    result = kb(repo, "impact", "--base", "main")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "### Translation impact\n"
        "\n"
        "3 English page(s) changed since `main`; 3 translation(s) become outdated. Translators: "
        "`kb translate --diff PAGE --lang xx` shows what changed (docs/translating.md).\n"
        "\n"
        "| English page | change | Español (es) | Português (pt) | Français (fr) |\n"
        "|---|---|---|---|---|\n"
        "| `guides/evidence.en.md` | edited | becomes outdated | becomes outdated | becomes outdated |\n"
        "| `guides/glossary.en.md` | edited (front matter only: no translation affected) | up to date | missing "
        "| missing |\n"
        "| `guides/trial.en.md` | edited | updated too | missing | already outdated |\n")


def test_the_base_may_have_moved_on(repo):
    """Only the branch's own changes count: compared from the merge base, not from main's tip."""
    git(repo, "checkout", "-q", "main")
    commit(repo, "Unrelated English edit on main", {"guides/glossary.en.md": GLOSSARY.replace("Terms.", "Words.")})
    git(repo, "checkout", "-q", "edit")
    out = kb(repo, "impact", "--base", "main").stdout
    assert "| `guides/glossary.en.md` | edited (front matter only" in out
    assert "3 translation(s) become outdated" in out


def test_added_deleted_and_renamed_pages(repo):
    commit(repo, "New page", {"guides/sentencing.en.md": SENTENCING})
    git(repo, "rm", "-q", "guides/glossary.en.md")
    git(repo, "mv", "guides/evidence.en.md", "guides/collecting-evidence.en.md")
    git(repo, "mv", "guides/evidence.es.md", "guides/collecting-evidence.es.md")
    commit(repo, "Remove the glossary, rename evidence")
    out = kb(repo, "impact", "--base", "main").stdout
    rows = {line.split(" | ")[0]: line for line in out.splitlines() if line.startswith("| `")}
    assert rows["| `guides/sentencing.en.md`"].endswith(
        "| added | not translated yet | not translated yet | not translated yet |")
    assert rows["| `guides/glossary.en.md`"].endswith("| deleted | orphaned | — | — |")
    assert rows["| `guides/collecting-evidence.en.md`"].endswith(
        "| renamed | becomes outdated | orphaned (not renamed) | orphaned (not renamed) |")


def test_no_english_change(repo):
    git(repo, "checkout", "-q", "-b", "spanish-only", "main")
    commit(repo, "Spanish wording", {"guides/trial.es.md": translation(TRIAL, "Juicio", "Prepare a la testigo.")})
    result = kb(repo, "impact", "--base", "main")
    assert result.returncode == 0
    assert result.stdout == ("### Translation impact\n\nNo English page changed since `main`: no translation is "
                             "affected.\n")


def test_an_unknown_base_is_a_clear_error(repo):
    result = kb(repo, "impact", "--base", "origin/main")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("kb impact: 'origin/main' is not a revision of this clone; fetch it first (e.g. "
                             "`git fetch origin main`, then --base origin/main)\n")


def test_it_reads_git_objects_not_the_working_tree(repo):
    (repo / "guides" / "evidence.en.md").write_text("uncommitted\n", encoding="utf-8")
    out = kb(repo, "impact", "--base", "main").stdout
    assert "| `guides/evidence.en.md` | edited | becomes outdated |" in out
