"""The runner: worker processes find exactly what one process finds; the checks know
the markers the build knows; --list examples are the checks' own docstrings."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checks_helpers import FIXTURES, copy_fixture, run
from kbtools import checks
from kbtools.checks import markers, runner

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def everything_bad(tmp_path):
    """Every bad fixture side by side, plus the real content."""
    for code in sorted(checks.REGISTRY):
        if code.startswith("nav-") or code in ("link-not-in-nav", "file-line-too-long", "translation-missing"):
            continue  # these need their own mkdocs.yml or checks.yml
        copy_fixture(FIXTURES / code / "bad", tmp_path / "bad" / code)
        for sub in ("guides", "docs"):
            if (tmp_path / "bad" / code / sub).exists():
                shutil.copytree(tmp_path / "bad" / code / sub, tmp_path / "all" / sub / code, dirs_exist_ok=True)
    shutil.copytree(ROOT / "guides", tmp_path / "all" / "guides", dirs_exist_ok=True)
    return tmp_path / "all"


@pytest.mark.project
def test_workers_find_what_one_process_finds(everything_bad, monkeypatch):
    serial = run(everything_bad, raise_errors=False, jobs=1)
    assert len({f.code for f in serial}) > 20
    monkeypatch.setattr(runner, "PARALLEL_FROM", 1)
    for jobs in (2, 3):
        assert run(everything_bad, raise_errors=False, jobs=jobs) == serial


@pytest.mark.project
def test_a_worker_that_dies_is_replaced_by_this_process(everything_bad, monkeypatch):
    import os

    serial = run(everything_bad, raise_errors=False, jobs=1)
    monkeypatch.setattr(runner, "PARALLEL_FROM", 1)
    monkeypatch.setattr(runner, "_worker", lambda *args: os._exit(3))
    assert run(everything_bad, raise_errors=False, jobs=2) == serial


@pytest.mark.parametrize("code", sorted(checks.REGISTRY))
def test_docstring_has_a_summary_and_examples(code):
    check = checks.REGISTRY[code]
    assert check.summary.endswith(".") or check.summary.endswith(")")
    assert check.example("Bad") and check.example("Good")
    assert check.example("Bad") != check.example("Good")
