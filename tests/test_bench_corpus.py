"""The benchmark corpus (kbtools/bench/corpus.py) is the real site grown N times:
a site the project's own checks pass, with the real navigation per copy and
one index of the whole site."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from kbtools.bench import corpus
from kbtools.checks import config as check_config


@pytest.mark.project
def test_corpus_is_the_real_site_grown_with_one_index_of_the_whole_site(tmp_path):
    made = corpus.make(ROOT, tmp_path / "c", copies=3)
    guides = tmp_path / "c" / "guides"
    real_nav = check_config.load(ROOT).nav
    nav = check_config.load(tmp_path / "c").nav
    site_wide = ["tags.md", "translation-status.md"]
    assert set(site_wide) <= set(real_nav)
    # The real navigation, then each further copy's, without the pages that index the whole site.
    assert nav[:len(real_nav)] == real_nav
    for copy in (1, 2):
        part = [p for p in real_nav if p not in site_wide]
        assert [p for p in nav if p.startswith(f"part-{copy:03d}/")] == [f"part-{copy:03d}/{p}" for p in part]
    assert all((guides / path.replace(".md", ".en.md")).is_file() for path in nav)
    for name in site_wide:
        assert (guides / name.replace(".md", ".en.md")).is_file()
        assert not list(guides.glob(f"part-*/{name.replace('.md', '.*.md')}"))
    real_pages = len(list((ROOT / "guides").rglob("*.en.md")))
    assert made["pages_per_language"] == 3 * real_pages - 2 * len(site_wide)
    # The copies' links to those pages go to the first copy's; every link resolves and
    # every translation is as current as the real one: the project's checks find nothing.
    assert "](../tags.md)" in (guides / "part-002" / "index.en.md").read_text(encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kbtools", "check", "--root", str(tmp_path / "c")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and "no findings" in result.stdout + result.stderr, result.stdout + result.stderr
