"""The pipeline flows one way: sources -> site -> pdf, offline -> downloads.

site/ is a pure function of the sources (the PDF and offline steps leave
nothing that a later site build reads), and the last step lists every file
with its size and SHA-256 on the downloads page of its language."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest


import re
import shutil

import yaml
from pypdf import PdfReader

from conftest import build, fixture_config, md, page
from kbtools import data, downloads, site_config
from kbtools.cli import main
from kbtools.pdf import run
from test_pdf import flat, outline_titles

# PDFs of a tiny fixture site: WeasyPrint and the fonts, no real build needed.
pytestmark = pytest.mark.pdf


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_site_is_a_function_of_the_sources_and_downloads_come_last(tmp_path):
    fixture_site(tmp_path, fixture_files())  # writes docs/ and mkdocs.yml, and builds once
    root = ["--root", str(tmp_path)]
    assert main(["site", *root]) == 0
    before = tree(tmp_path / "site")
    assert main(["pdf", "-j", "1", "--no-progress", *root]) == 0
    assert main(["offline", *root]) == 0
    assert main(["site", *root]) == 0
    assert tree(tmp_path / "site") == before  # nothing the later steps made reached the site build

    assert main(["downloads", *root]) == 0
    config = site_config.load(tmp_path)
    manifest = downloads.load(tmp_path / downloads.MANIFEST)
    assert {e["kind"] for e in manifest} == {"pdf", "zip"}
    for lang in config.languages:
        listing = page(downloads.downloads_page(tmp_path / "site", lang.prefix, True))
        mine = [e for e in manifest if e["lang"] == lang.code]
        assert mine, lang.code
        for e in mine:
            row = listing.select_one(f'a[href="{e["name"]}"]').find_parent("tr")
            cells = [td.get_text(strip=True) for td in row.select("td")]
            assert cells[4] == e["sha256"] == downloads.sha256(tmp_path / "site" / lang.prefix / "downloads" / e["name"])
            assert e["bytes"] == (tmp_path / downloads.FILES / e["name"]).stat().st_size
            assert cells[2].endswith(("kB", "MB"))


def test_downloads_before_pdf_is_a_clear_error(tmp_path, capsys):
    fixture_site(tmp_path, fixture_files())
    assert main(["downloads", "--root", str(tmp_path)]) == 1
    assert "run `kb pdf` and `kb offline` first" in capsys.readouterr().err


# --- the pipeline on a fixture site ---------------------------------------------------

LANGS = [{"locale": "en", "name": "English", "default": True, "build": True},
         {"locale": "es", "name": "Español", "build": True}]


def fixture_files(two_es: bool = False) -> dict:
    files = {
        "index.en.md": md("Home", "[Demo](demo/index.md)"),
        "index.es.md": md("Inicio", "[Demo](demo/index.md)"),
        "downloads.en.md": md("Downloads", "<!-- kb:downloads -->"),
        "downloads.es.md": md("Descargas", "<!-- kb:downloads -->"),
        "demo/index.en.md": md("Demo guide", "See [one](one.md#sec) and [home](../index.md).\n\n"
                               "Read [the protocol](https://example.org/protocol)."),
        "demo/index.es.md": md("Guía de demostración", "Vea [uno](one.md#sec) y [inicio](../index.md)."),
        "demo/one.en.md": md("One", "## Section { #sec }\n\n- [ ] first item\n- [x] done item\n\n"
                             "!!! warning \"Careful\"\n\n    Keep the file safe."),
        "demo/one.es.md": md("Uno", "## Sección { #sec }\n\n- [ ] primer punto"),
        "demo/two.en.md": md("Two", "## Only in English { #english }\n\nText."),
    }
    if two_es:
        files["demo/two.es.md"] = md("Dos", "## Solo en español { #english }\n\nTexto.")
    return files


def fixture_site(tmp_path: Path, files: dict) -> None:
    config = fixture_config(tmp_path, nav=[
        {"Home": "index.md"},
        {"Guides": [{"Demo": ["demo/index.md", "demo/one.md", "demo/two.md"]}]},
        {"Downloads": "downloads.md"},
    ], markdown_extensions=["admonition", "attr_list", "toc", "pymdownx.tasklist"])
    next(p for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)["i18n"]["languages"] = LANGS
    result = build(tmp_path, files, config)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("pdfsite")
    fixture_site(tmp_path, fixture_files())
    first = run.build(tmp_path, jobs=1, progress=False)
    return tmp_path, first


def test_fixture_fallback_chapter_is_included_in_english_with_the_notice(fixture_project):
    tmp_path, _ = fixture_project
    reader = PdfReader(tmp_path / "build" / "downloads" / "kb-demo-es.pdf")
    assert outline_titles(reader)[:3] == ["Guía de demostración", "Uno", "Sección"]
    assert "Two" in outline_titles(reader)
    text = flat(" ".join(p.extract_text() for p in reader.pages))
    notice = flat(data.ui("fallback_notice", "es", language="Español"))
    assert notice in text
    assert "Only in English" in text
    assert reader.trailer["/Root"]["/Lang"] == "es"


def test_fixture_document_links_checklists_and_languages(fixture_project):
    tmp_path, _ = fixture_project
    config = site_config.load(tmp_path)
    jobs, _ = run.plan(config, langs=["es"])
    doc = page(jobs[0].html)
    assert doc.html["lang"] == "es"
    assert doc.select_one('a[href="#demo-one--sec"]') is not None  # to a section of another chapter
    # Outside the guide, and the fixture's site_url is a placeholder: the link's text only.
    assert config.site_url == "https://kb.example.org/" and config.published_url == ""
    home = [span for span in doc.select("span.site-link") if span.get_text() == "inicio"]
    assert home and "href" not in home[0].attrs and not doc.select('a[href$="/es/"]')
    assert "example.org" not in jobs[0].html
    assert flat(data.ui("pdf_online_unknown", "es")) in flat(doc.select_one(".cover").get_text())
    two = doc.select_one("section#ch-demo-two")
    assert two.select_one("aside.kb-notice--fallback") is not None
    assert two.select_one("div[lang=en] h1").get_text(strip=True) == "Two"
    assert [b.get_text() for b in doc.select("section#ch-demo-one .task-box")] == ["\u2610"]
    assert doc.select("input") == [] and doc.select(".headerlink") == []
    en = page(run.plan(config, langs=["en"])[0][0].html)
    assert [b.get_text() for b in en.select(".task-box")] == ["\u2610", "\u2611"]
    assert en.select_one('a.ext[href="https://example.org/protocol"]') is not None
    assert en.select_one(".admonition.warning .admonition-title").get_text() == "Careful"


def test_fixture_second_run_renders_nothing_and_a_change_renders_one_file(fixture_project):
    tmp_path, first = fixture_project
    assert sorted(name for name, *_ in first.rendered) == ["kb-demo-en.pdf", "kb-demo-es.pdf"]
    again = run.build(tmp_path, jobs=1, progress=False)
    assert again.rendered == [] and sorted(again.fresh) == ["kb-demo-en.pdf", "kb-demo-es.pdf"]
    before = downloads.sha256(tmp_path / "build" / "downloads" / "kb-demo-en.pdf")
    forced = run.build(tmp_path, jobs=1, langs=["en"], force=True, progress=False)
    assert [name for name, *_ in forced.rendered] == ["kb-demo-en.pdf"]
    assert downloads.sha256(tmp_path / "build" / "downloads" / "kb-demo-en.pdf") == before  # same bytes
    fixture_site(tmp_path, fixture_files(two_es=True))
    changed = run.build(tmp_path, jobs=1, progress=False)
    assert [name for name, *_ in changed.rendered] == ["kb-demo-es.pdf"]
    assert "Dos" in outline_titles(PdfReader(tmp_path / "build" / "downloads" / "kb-demo-es.pdf"))


def test_fixture_downloads_page_lists_each_file_with_size_pages_date_and_checksum(fixture_project):
    tmp_path, _ = fixture_project
    config = site_config.load(tmp_path)
    manifest = tmp_path / "build" / "downloads.json"
    english_page = tmp_path / "site" / "downloads" / "index.html"
    assert data.ui("downloads_none", "en") in page(english_page).get_text()  # the build lists nothing
    downloads.place_all(config.site_dir, manifest, config.languages, directory_urls=True)
    entry = next(e for e in downloads.load(manifest) if e["name"] == "kb-demo-es.pdf")
    listing = page(tmp_path / "site" / "es" / "downloads" / "index.html")
    row = next(tr for tr in listing.select("table tr") if tr.select_one('a[href="kb-demo-es.pdf"]'))
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells[1] == str(entry["pages"]) and cells[4] == entry["sha256"]
    assert re.fullmatch(r"[\d,.]+ kB", cells[2])
    assert [th["scope"] for th in listing.select("table th")] == ["col"] * 5
    assert (tmp_path / "site" / "es" / "downloads" / "kb-demo-es.pdf").read_bytes() == \
        (tmp_path / "build" / "downloads" / "kb-demo-es.pdf").read_bytes()
    assert page(english_page).select_one('a[href="kb-demo-en.pdf"]')
    # Placing again changes nothing (the step can be re-run).
    before = english_page.read_bytes()
    downloads.place_all(config.site_dir, manifest, config.languages, directory_urls=True)
    assert english_page.read_bytes() == before


def test_fixture_offline_tree_lists_only_its_languages_pdfs(fixture_project, tmp_path):
    project, _ = fixture_project
    offline = {**yaml.safe_load((project / "mkdocs.yml").read_text()), "use_directory_urls": False,
               "site_dir": str(tmp_path / "copy")}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(offline), encoding="utf-8")
    shutil.copytree(project / "docs", tmp_path / "docs")
    result = build(tmp_path, {}, offline)
    assert result.returncode == 0, result.stderr
    es = [e for e in downloads.load(project / "build" / "downloads.json") if e["lang"] == "es"]
    downloads.place(tmp_path / "copy", "es/", "es", es, project / "build" / "downloads",
                    directory_urls=False, offline=True)
    assert page(tmp_path / "copy" / "es" / "downloads.html").select_one('a[href="downloads/kb-demo-es.pdf"]')
    english = page(tmp_path / "copy" / "downloads.html")
    assert english.select("table") == []
    assert data.ui("downloads_none", "en") in english.get_text()


def test_fixture_pdf_bytes_do_not_depend_on_the_build_time(fixture_project, monkeypatch):
    tmp_path, _ = fixture_project
    path = tmp_path / "build" / "downloads" / "kb-demo-en.pdf"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # last_reviewed dates the content
    run.build(tmp_path, jobs=1, langs=["en"], force=True, progress=False)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


PUBLISHED = "https://knowledge.anti-trafficking.net/kb/"  # not a reserved example domain


def test_fixture_pdf_with_a_site_url_links_other_pages_to_it(fixture_project, tmp_path, monkeypatch):
    """With KB_SITE_URL set, links to pages outside the guide and the cover's online
    edition point at it; links between the guide's chapters stay inside the PDF."""
    project, _ = fixture_project
    shutil.copytree(project / "site", tmp_path / "site")
    config_text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config_text, count = re.subn(r"^site_url: .*$", 'site_url: !ENV [KB_SITE_URL, "https://kb.example.org/"]',
                                 config_text, flags=re.M)
    assert count == 1
    (tmp_path / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    monkeypatch.setenv("KB_SITE_URL", PUBLISHED)
    assert site_config.load(tmp_path).published_url == PUBLISHED
    run.build(tmp_path, jobs=1, langs=["es"], out_dir=tmp_path / "out", record=False, progress=False)
    reader = PdfReader(tmp_path / "out" / "kb-demo-es.pdf")
    uris, internal = [], []
    for p in reader.pages:
        for annot in p.get("/Annots") or []:
            a = annot.get_object()
            action = a.get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
            elif "/Dest" in a or (action is not None and action.get("/S") == "/GoTo"):
                internal.append(a)
    assert PUBLISHED + "es/" in uris  # the home page, outside the guide
    assert PUBLISHED + "es/demo/" in uris  # the cover's online edition
    assert internal  # the link to a section of another chapter
    text = flat(" ".join(p.extract_text() for p in reader.pages))
    assert "example.org" not in text and not [u for u in uris if "example.org" in u]
    assert flat(data.ui("pdf_online_unknown", "es")) not in text
