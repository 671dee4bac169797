"""A malformed file never stops the run and never shows a traceback: it gives one
finding with its path, and every other file is still checked."""
from __future__ import annotations

import subprocess
import sys

import pytest

from checks_helpers import page, run, write
from kbtools.checks import runner

GOOD = page("Good", "See [the missing page](missing.md).")  # still checked: one link-broken

BAD = {
    "invalid-utf8": (page("Latin", "Acción").encode("latin-1"), "file-encoding", 11),
    "bom": ("\ufeff" + page("Bom", "Text."), "file-bom", 1),
    "crlf": (page("Crlf", "Text.").replace("\n", "\r\n").encode(), "file-crlf", 1),
    "empty": (b"", "file-empty", 1),
    "binary": (bytes(range(256)) * 4, "file-encoding", 1),
    "not-a-mapping": ("---\n- a list\n- not keys\n---\n\n# Title\n", "frontmatter-yaml", 2),
    "scalar": ("---\njust text\n---\n\n# Title\n", "frontmatter-yaml", 2),
    "unterminated": ("---\ntitle: Open\n\n# Open\n\nText.\n", "frontmatter-yaml", 1),
    "huge-line": (b"x" * 5_000_000, "file-line-too-long", 1),
    "huge-line-after-front-matter": (page("Huge", "y" * 5_000_000), "file-line-too-long", 11),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_gives_one_finding_and_the_run_goes_on(name, tmp_path):
    content, code, line = BAD[name]
    write(tmp_path, {f"guides/{name}.en.md": content, "guides/good.en.md": GOOD})
    findings = run(tmp_path, raise_errors=True)
    mine = [f for f in findings if f.path == f"guides/{name}.en.md"]
    assert [(f.code, f.line) for f in mine] == [(code, line)], [f.text() for f in mine]
    assert [f.code for f in findings if f.path == "guides/good.en.md"] == ["link-broken"]


def test_all_bad_files_at_once_through_the_command_line(tmp_path):
    write(tmp_path, {f"guides/{name}.en.md": content for name, (content, _, _) in BAD.items()})
    write(tmp_path, {"guides/good.en.md": GOOD})
    result = subprocess.run([sys.executable, "-m", "kbtools", "check", "--root", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name, (_, code, line) in BAD.items():
        assert f"guides/{name}.en.md:{line}:" in result.stderr and code in result.stderr
    assert "guides/good.en.md:11:5: link-broken" in result.stderr


def test_bad_files_in_parallel_workers(tmp_path, monkeypatch):
    """The worker processes handle bad input the same way (and report, not crash)."""
    write(tmp_path, {f"guides/{name}.en.md": content for name, (content, _, _) in BAD.items()})
    write(tmp_path, {"guides/good.en.md": GOOD})
    serial = run(tmp_path, raise_errors=False, jobs=1)
    monkeypatch.setattr(runner, "PARALLEL_FROM", 1)
    parallel = run(tmp_path, raise_errors=False, jobs=2)
    assert parallel == serial
    assert "internal-error" not in {f.code for f in serial}


def test_unreadable_file_is_a_finding(tmp_path):
    write(tmp_path, {"guides/good.en.md": page("Good", "Text.")})
    (tmp_path / "guides" / "gone.en.md").symlink_to(tmp_path / "nowhere.md")
    findings = run(tmp_path)
    assert [(f.path, f.code) for f in findings] == [("guides/gone.en.md", "file-encoding")]


def test_a_crashing_check_is_a_finding_not_a_traceback(tmp_path, monkeypatch):
    from kbtools.checks import registry

    def broken(doc, config):
        raise ZeroDivisionError("boom")
        yield

    original = registry.REGISTRY["placeholder"]
    monkeypatch.setitem(registry.REGISTRY, "placeholder", registry.Check(
        "placeholder", broken, original.scope, original.kinds, original.severity))
    write(tmp_path, {"guides/good.en.md": page("Good", "Text.")})
    findings = run(tmp_path, raise_errors=False)
    assert [(f.code, f.path) for f in findings] == [("internal-error", "guides/good.en.md")]
    assert "placeholder" in findings[0].message and "ZeroDivisionError" in findings[0].message
