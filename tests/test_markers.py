"""One registry of <!-- kb:... --> markers (kbtools/markers.py): the build and the
checks find the same markers with the same code rules and refuse the same mistakes."""
from __future__ import annotations

import pytest

from conftest import build, fixture_config, md, page
from checks_helpers import run, write
from kbtools import markers

FENCED = "Write the marker alone on its line:\n\n```markdown\n<!-- kb:glossary -->\n```\n"
SPAN = "The marker `<!-- kb:glosary -->` is an example.\n"


def test_locate_skips_code_and_indented_or_inline_markers():
    text = "<!-- kb:glossary -->\n\n" + FENCED + "\n" + SPAN + "\n  <!-- kb:country-list -->\n<!-- kb:downloads -->  \n"
    assert [name for *_, name in markers.locate(text)] == ["glossary", "downloads"]


def test_an_unknown_marker_names_the_closest_known_one():
    with pytest.raises(markers.MarkerError, match="did you mean kb:glossary"):
        markers.render("glosary", markers.Context(lang="en", languages=("en",)))


@pytest.mark.build
def test_build_and_checks_agree_on_a_marker_inside_code(tmp_path):
    files = {"index.en.md": md("Home", FENCED + "\n" + SPAN)}
    result = build(tmp_path / "site", files, fixture_config(tmp_path / "site", nav=["index.md"]))
    assert result.returncode == 0, result.stderr
    code = page(tmp_path / "site" / "site" / "index.html").select_one("article pre code").get_text()
    assert code.strip() == "<!-- kb:glossary -->"  # left as text, not expanded
    root = write(tmp_path / "checks", {"guides/index.en.md": md("Home", FENCED + "\n" + SPAN)})
    assert [f for f in run(root) if f.code == "marker-invalid"] == []


@pytest.mark.build
def test_build_and_checks_refuse_the_same_unknown_marker(tmp_path):
    body = "Intro.\n\n<!-- kb:glosary -->\n"
    result = build(tmp_path / "site", {"index.en.md": md("Home", body)},
                   fixture_config(tmp_path / "site", nav=["index.md"]))
    assert result.returncode != 0
    assert "index.en.md" in result.stderr and "did you mean kb:glossary" in result.stderr
    text = md("Home", body)
    root = write(tmp_path / "checks", {"guides/index.en.md": text})
    found = [f for f in run(root) if f.code == "marker-invalid"]
    line = text.splitlines().index("<!-- kb:glosary -->") + 1
    assert [(f.path, f.line) for f in found] == [("guides/index.en.md", line)]
    assert "did you mean kb:glossary" in found[0].message
