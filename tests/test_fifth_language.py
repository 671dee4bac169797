"""A language is added by configuration and content alone: a copy of the project
gets a fifth language in mkdocs.yml and a home page in it, and everything else
(fallback notices, search index, 404 page, sitemap, status report, kb check)
follows with no code change. And no language code is written in the tooling."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, page
from kbtools import search
from kbtools.cli import main
from kbtools.frontmatter import source_hash

NEW = "de"  # any language lunr-languages has a stemmer for; the project has none of its pages

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("fifth")
    for name in ("guides", "data", "overrides"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("mkdocs.yml", "checks.yml"):
        shutil.copy(ROOT / name, root / name)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    entry = (f"        - locale: {NEW}\n          name: Deutsch\n          build: true\n"
             f"          site_name: Wissensdatenbank gegen Menschenhandel\n")
    config = re.sub(r"(\n      languages:\n(?:        .*\n|          .*\n)+)", lambda m: m.group(1) + entry, config, count=1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    # The home page "translated": the English page's structure (the checks compare it), new title.
    english = (root / "guides" / "index.en.md").read_text(encoding="utf-8")
    front, body = english.split("\n---\n", 1)
    front = re.sub(r"^title: .*$", "title: Startseite", front, flags=re.M)
    body = re.sub(r"^# .*$", "# Startseite", body, count=1, flags=re.M)
    (root / "guides" / f"index.{NEW}.md").write_text(
        f"{front}\nsource_hash: {source_hash(english)}\n---\n{body}", encoding="utf-8")
    assert main(["site", "--root", str(root)]) == 0
    return root


def test_the_new_language_is_configured_and_built(project):
    languages = yaml.safe_load(re.sub(r"!ENV \[[^\]]*\]", "x", (project / "mkdocs.yml").read_text()))
    locales = [lang["locale"] for plugin in languages["plugins"] if isinstance(plugin, dict) and "i18n" in plugin
               for lang in plugin["i18n"]["languages"]]
    assert locales[-1] == NEW and len(locales) == 5
    home = page(project / "site" / NEW / "index.html")
    assert home.html["lang"] == NEW
    assert home.find("meta", attrs={"name": "translation-status"})["content"] == "translated"
    assert home.find("h1").find(string=True, recursive=False).strip() == "Startseite"


def test_other_pages_fall_back_with_the_notice_in_english_text(project):
    chapter = page(project / "site" / NEW / "investigation" / "legal-elements" / "index.html")
    assert chapter.find("meta", attrs={"name": "translation-status"})["content"] == "fallback"
    assert chapter.select_one("[data-kb-notice=fallback]") is not None
    assert chapter.select_one("div[lang=en] h1") is not None


def test_search_404_and_sitemap_of_the_new_language(project):
    index = json.loads((project / "site" / NEW / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [NEW] and index["config"]["pack"] == f"lunr.{NEW}.min.js"
    docs = search.documents(project / "site", f"{NEW}/")  # the split index's documents
    assert {doc["location"].split("#")[0] for doc in docs} == {""}  # fallbacks are not indexed
    assert (project / "site" / "assets" / "kb-search" / f"lunr.{NEW}.min.js").is_file()
    assert page(project / "site" / NEW / "404.html").html["lang"] == NEW
    sitemap = (project / "site" / NEW / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") == 1 and f"/{NEW}/</loc>" in sitemap


def test_status_and_check_know_the_new_language(project, capsys):
    assert main(["status", "--root", str(project), "--json", str(project / "status.json")]) == 0
    status = json.loads((project / "status.json").read_text(encoding="utf-8"))
    assert status["languages"][NEW]["translated"] == 1
    assert status["languages"][NEW]["missing"] == status["languages"]["en"]["total"] - 1
    capsys.readouterr()
    assert main(["check", "--root", str(project)]) == 0, capsys.readouterr().err


LANGUAGE_LITERAL = re.compile(r"""(?<![\w-])["'](en|es|pt|fr)["'](?![\w-])""")


def test_no_language_code_is_written_in_the_tooling():
    """Languages come from mkdocs.yml (and the data files keyed by them), never from code."""
    found = []
    for path in sorted([*(ROOT / "kbtools").rglob("*.py"), *(ROOT / "kbtools").rglob("*.js"),
                        *(ROOT / "overrides").rglob("*.html"), *(ROOT / "guides" / "assets").rglob("*.js")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # A two-letter string that is something else (an English plural ending) says so.
            if LANGUAGE_LITERAL.search(line) and "# not a language code" not in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
