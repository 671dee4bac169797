"""The command line: `python -m kbtools check|status`, output formats, exit status, --list."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checks_helpers import page, write
from kbtools import checks
from kbtools.frontmatter import source_hash

ROOT = Path(__file__).resolve().parent.parent


def kb(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kbtools", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT)


@pytest.fixture
def project(tmp_path):
    english = page("Page", "See [the other page](other.md#sectoin).\n\nTODO: finish.")
    write(tmp_path, {
        "guides/page.en.md": english,
        "guides/page.es.md": page("Página", "Vea [la otra página](other.md#sectoin).", "es",
                                  source_hash="0123456789ab"),
        "guides/other.en.md": page("Other", "## Section { #section }"),
        "guides/clean.en.md": page("Clean", "Nothing wrong."),
    })
    return tmp_path


def test_text_output_grouped_by_file_with_summary_and_exit_1(project):
    result = kb("check", "--root", str(project))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[:-1] == [
        "guides/page.en.md:11:5: anchor-missing #sectoin is not an id in guides/other.en.md (did you mean "
        "'section'?); link to an existing heading id, or give the heading that id: ## Title { #sectoin }",
        "guides/page.en.md:13:1: placeholder placeholder \"TODO\" in a published page; write the text, "
        "or remove the placeholder and keep the unfinished part out of the page",
        "guides/page.es.md:7:1: translation-outdated translation is out of date: it records source_hash "
        f"0123456789ab but guides/page.en.md is now {source_hash(english_text(project))}; bring the "
        "translation in line with the English page, then set source_hash: "
        f"{source_hash(english_text(project))}",
        "guides/page.es.md:12:5: anchor-missing #sectoin is not an id in guides/other.en.md (did you mean "
        "'section'?); link to an existing heading id, or give the heading that id: ## Title { #sectoin }",
    ]
    assert lines[-1].startswith("4 files checked in ")
    assert lines[-1].endswith("3 errors and 1 warning in 2 files (anchor-missing 2, placeholder 1, "
                              "translation-outdated 1)")
    assert result.stdout == ""


def english_text(project):
    return (project / "guides/page.en.md").read_text(encoding="utf-8")


def test_clean_project_exits_0(tmp_path):
    write(tmp_path, {"guides/index.en.md": page("Index", "Text.")})
    result = kb("check", "--root", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no findings" in result.stderr


def test_warnings_alone_exit_0_unless_strict(tmp_path):
    write(tmp_path, {"guides/page.en.md": page("Page", "Text."),
                     "guides/page.es.md": page("Página", "Texto.", "es", source_hash="0123456789ab")})
    assert kb("check", "--root", str(tmp_path)).returncode == 0
    assert kb("check", "--root", str(tmp_path), "--strict").returncode == 1


def test_json_output(project):
    result = kb("check", "--root", str(project), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert {f["code"] for f in data["findings"]} == {"anchor-missing", "placeholder", "translation-outdated"}
    first = data["findings"][0]
    assert set(first) == {"path", "line", "col", "code", "severity", "message"}
    assert data["summary"].startswith("4 files checked")


def test_github_annotations(project):
    result = kb("check", "--root", str(project), "--format", "github")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=guides/page.en.md,line=11,col=5,title=anchor-missing::#sectoin is not")
    assert any(line.startswith("::warning file=guides/page.es.md,line=7,col=1,title=translation-outdated::")
               for line in lines)
    assert len(lines) == 4


def test_enable_disable_and_only_some(project):
    result = kb("check", "--root", str(project), "--disable", "anchor-missing,placeholder")
    assert "anchor-missing" not in result.stderr and "placeholder" not in result.stderr
    result = kb("check", "--root", str(project), "--disable", "all", "--enable", "placeholder")
    assert result.stderr.count(": placeholder ") == 1 and "anchor-missing" not in result.stderr
    # translation-missing is off in checks.yml of the project; --enable runs it
    result = kb("check", "--root", str(project), "--enable", "translation-missing")
    assert "translation-missing no Español translation" in result.stderr or \
        "translation-missing no es translation" in result.stderr


def test_paths_limit_the_report(project):
    result = kb("check", "--root", str(project), str(project / "guides/page.es.md"))
    assert result.stderr.count("guides/page.es.md:") == 2
    assert "guides/page.en.md:" not in result.stderr
    assert "1 files checked" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["check", "--enable", "no-such-check"], "unknown check(s) no-such-check"),
    (["check", "--format", "xml"], "invalid choice"),
    (["check", "no/such/file.md"], "no such file or folder"),
    (["nothing"], "invalid choice"),
])
def test_usage_errors_exit_2(args, message, project):
    result = kb(*args, cwd=project)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("config, message", [
    ("severity:\n  link-brokn: error\n", "unknown check 'link-brokn'"),
    ("severity:\n  link-broken: fatal\n", "use one of error, warning, off"),
    ("colour: blue\n", "unknown setting(s) colour"),
    ("severity: [\n", "cannot read it"),
])
def test_bad_config_is_a_usage_error(config, message, project):
    (project / "checks.yml").write_text(config, encoding="utf-8")
    result = kb("check", "--root", str(project))
    assert result.returncode == 2
    assert message in result.stderr


def test_severity_from_config(project):
    (project / "checks.yml").write_text("severity:\n  anchor-missing: warning\n  placeholder: off\n",
                                        encoding="utf-8")
    result = kb("check", "--root", str(project), "--format", "json")
    found = {(f["code"], f["severity"]) for f in json.loads(result.stdout)["findings"]}
    assert found == {("anchor-missing", "warning"), ("translation-outdated", "warning")}
    assert result.returncode == 0


def test_list_describes_every_check_with_bad_and_good_examples():
    result = kb("check", "--list")
    assert result.returncode == 0
    blocks = result.stdout.strip().split("\n\n")
    assert [b.split(" ", 1)[0] for b in blocks] == sorted(checks.REGISTRY)
    for block in blocks:
        lines = block.splitlines()
        assert lines[0].split(" (")[1].split(";")[0] in ("error", "warning", "off")
        assert lines[1].strip()
        assert any(line.strip().startswith("Bad:") and len(line.strip()) > 6 for line in lines), block
        assert any(line.strip().startswith("Good:") and len(line.strip()) > 7 for line in lines), block


def test_config_file_names_every_check():
    """checks.yml states the severity of every check, so editors see them all in one place."""
    import yaml

    config = yaml.safe_load((ROOT / "checks.yml").read_text(encoding="utf-8"))
    assert set(config["severity"]) == set(checks.REGISTRY)


def test_console_script_and_module_agree():
    kb_script = Path(sys.executable).with_name("kb")
    assert kb_script.exists(), "the kb console script is missing: `make test` installs the project (pip install -e .)"
    result = subprocess.run([str(kb_script), "check", "--list"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and result.stdout == kb("check", "--list").stdout


def test_status_prints_a_table_and_writes_json(project, tmp_path):
    (project / "guides/other.es.md").write_text(
        page("Otra", "## Sección { #section }", "es",
             source_hash=source_hash((project / "guides/other.en.md").read_text())), encoding="utf-8")
    out = tmp_path / "status.json"
    result = kb("status", "--root", str(project), "--json", str(out))
    assert result.returncode == 0
    table = result.stdout.splitlines()
    assert table[0].split() == ["language", "translated", "outdated", "missing", "orphan", "%"]
    assert table[1].split() == ["en", "3", "0", "0", "0", "100%"]
    assert table[2].split() == ["es", "1", "1", "1", "0", "33%"]
    assert table[3].split() == ["pt", "0", "0", "3", "0", "0%"]
    data = json.loads(out.read_text())
    assert data["languages"]["es"]["pages"] == {"clean": "missing", "other": "translated", "page": "outdated"}
    assert data["languages"]["es"]["percent"] == 33
