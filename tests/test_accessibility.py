"""Markup the project controls, made accessible at build time (fixture sites)."""
from __future__ import annotations

import pytest

from conftest import build, fixture_config, md, page

pytestmark = pytest.mark.build

TIGHT = "- [ ] Every migrant was screened in private.\n- [x] The child was referred to *child protection*.\n"
LOOSE = "- [ ] First, a loose item.\n\n- [ ] Second item, with a [link](https://example.org/) & more.\n\n    - [ ] A nested item.\n"


def test_every_checklist_box_is_named_after_its_item(tmp_path):
    result = build(tmp_path, {"index.en.md": md("Home", TIGHT + "\nText.\n\n" + LOOSE)},
                   fixture_config(tmp_path, nav=["index.md"]))
    assert result.returncode == 0, result.stderr
    boxes = page(tmp_path / "site" / "index.html").select("article input[type=checkbox]")
    assert [box.get("aria-label") for box in boxes] == [
        "Every migrant was screened in private.",
        "The child was referred to child protection.",
        "First, a loose item.",
        "Second item, with a link & more.",
        "A nested item.",
    ]
