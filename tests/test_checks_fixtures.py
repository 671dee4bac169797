"""Every check on its own fixtures (tests/fixtures/checks/<code>/): the bad project
gives exactly the findings its expected.txt lists, the good project gives none."""
from __future__ import annotations

import pytest

from checks_helpers import FIXTURES, copy_fixture, expected, run
from kbtools import checks

CODES = sorted(checks.REGISTRY)


def test_every_check_has_fixtures():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == CODES
    for code in CODES:
        assert expected(code), f"{code}: expected.txt lists no finding"


@pytest.mark.parametrize("code", CODES)
def test_bad_fixture_gives_the_expected_findings(code, tmp_path):
    root = copy_fixture(FIXTURES / code / "bad", tmp_path / "bad")
    found = sorted((f.path, f.line, f.code) for f in run(root, only=[code]))
    assert found == expected(code)


@pytest.mark.parametrize("code", CODES)
def test_good_fixture_gives_nothing(code, tmp_path):
    root = copy_fixture(FIXTURES / code / "good", tmp_path / "good")
    assert run(root, only=[code]) == []


@pytest.mark.parametrize("code", CODES)
def test_good_fixture_passes_every_check(code, tmp_path):
    """The good fixtures are realistic pages: no other check objects to them either."""
    root = copy_fixture(FIXTURES / code / "good", tmp_path / "good")
    assert [f.text() for f in run(root)] == []


@pytest.mark.parametrize("code", CODES)
def test_messages_say_what_and_how(code, tmp_path):
    """One message per finding, naming what is wrong and what to do (a verb after ';' or ':')."""
    root = copy_fixture(FIXTURES / code / "bad", tmp_path / "bad")
    for finding in run(root, only=[code]):
        assert "\n" not in finding.message
        assert len(finding.message) > 30, finding.message
        assert ";" in finding.message or "; " in finding.message, finding.message
