"""The PDF editions: every guide in every language, opened with pypdf (make test
runs `make pdf` first), and the pipeline on a tiny fixture site: fallback
chapters, links, incremental rebuilds, identical bytes, the downloads page."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from conftest import ROOT, build, fixture_config, md, page
from kbtools import data, downloads, frontmatter
from kbtools import site_config
from kbtools.pdf import labels, run

CONFIG = site_config.load(ROOT)
FILES = ROOT / downloads.FILES
CASES = [(g.slug, lang.code) for g in CONFIG.guides for lang in CONFIG.languages]
FOOTER = {"en": "page 3 of {n}", "es": "página 3 de {n}", "pt": "página 3 de {n}", "fr": "page 3 sur {n}"}


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_path(guide: str, lang: str) -> Path:
    path = FILES / run.file_name(guide, lang)
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make test` (which runs `make pdf` first)")
    return path


@pytest.fixture(scope="module")
def readers():
    cache = {}

    def get(guide, lang):
        if (guide, lang) not in cache:
            cache[guide, lang] = PdfReader(pdf_path(guide, lang))
        return cache[guide, lang]
    return get


def outline_titles(reader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(flat(item.title))
    walk(reader.outline)
    return titles


def chapter_title(src: str, lang) -> str:
    """The chapter's <h1> as the built site shows it in that language."""
    h1 = page(CONFIG.page_file(src, lang)).select_one("article h1")
    for permalink in h1.select("a.headerlink"):
        permalink.decompose()
    return flat(h1.get_text())


def guide_title(guide: str, lang: str) -> str:
    """The overview page's title in the language (English where it is not translated)."""
    for code in (lang, "en"):
        path = ROOT / "guides" / guide / f"index.{code}.md"
        if path.exists():
            meta, _, _ = frontmatter.split(path.read_text(encoding="utf-8"))
            return flat(yaml.safe_load(meta)["title"])
    raise AssertionError(f"guides/{guide}/index.en.md is missing")


def fonts_of(resources, seen=None) -> list:
    """Every font dictionary reachable from a resources dictionary (pages and form XObjects)."""
    seen = seen if seen is not None else set()
    found = []
    resources = resources.get_object() if isinstance(resources, IndirectObject) else resources
    if not resources:
        return found
    for font in (resources.get("/Font") or {}).values():
        found.append(font.get_object())
    for xobject in (resources.get("/XObject") or {}).values():
        ref = getattr(xobject, "idnum", id(xobject))
        if ref in seen:
            continue
        seen.add(ref)
        obj = xobject.get_object()
        if obj.get("/Resources"):
            found += fonts_of(obj["/Resources"], seen)
    return found


def embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by the font's own content streams
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


# --- every real PDF ------------------------------------------------------------

@pytest.mark.parametrize("guide,lang", CASES)
def test_pdf_has_pages_chapters_title_language_and_embedded_fonts(readers, guide, lang):
    reader = readers(guide, lang)
    assert len(reader.pages) > 5
    titles = outline_titles(reader)
    language = CONFIG.language(lang)
    for src in next(g for g in CONFIG.guides if g.slug == guide).chapters:
        assert chapter_title(src, language) in titles, f"{src} missing from the outline of {guide}/{lang}"
    expected = guide_title(guide, lang)
    assert expected in flat(reader.pages[0].extract_text())
    assert reader.metadata.title == expected
    assert reader.trailer["/Root"]["/Lang"] == lang
    fonts = [font for p in reader.pages for font in fonts_of(p.get("/Resources"))]
    assert fonts
    not_embedded = sorted({str(f.get("/BaseFont")) for f in fonts if not embedded(f)})
    assert not_embedded == []
    # Only the fonts the project ships (no fallback font picked for a missing glyph).
    assert {str(f["/BaseFont"]).split("+")[-1] for f in fonts} <= {
        "DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique", "DejaVu-Sans-BoldOblique",
        "DejaVu-Sans-Mono", "DejaVu-Sans-Mono-Bold"}


@pytest.mark.parametrize("guide,lang", CASES)
def test_pdf_footer_is_in_its_language_and_contents_link_inside(readers, guide, lang):
    reader = readers(guide, lang)
    assert FOOTER[lang].format(n=len(reader.pages)) in flat(reader.pages[2].extract_text())
    contents = reader.pages[1]
    assert labels.label("contents", lang) in flat(contents.extract_text())
    links = [a.get_object() for a in contents.get("/Annots") or []]
    internal = [a for a in links if a.get("/Subtype") == "/Link" and ("/Dest" in a or "/A" in a and
                                                                     a["/A"].get("/S") == "/GoTo")]
    assert len(internal) >= len(next(g for g in CONFIG.guides if g.slug == guide).chapters)


@pytest.mark.parametrize("guide,lang", CASES)
def test_pdf_is_tagged_for_pdf_ua(readers, guide, lang):
    root = readers(guide, lang).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode("utf-8")


def test_external_links_show_their_address():
    reader = PdfReader(pdf_path("investigation", "en"))
    uris = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots") or []
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]
    assert any(u.startswith("https://") and not u.startswith(CONFIG.site_url) for u in uris)
    text = flat(" ".join(p.extract_text() for p in reader.pages))
    shown = [u for u in uris if not u.startswith(CONFIG.site_url) and u.replace(" ", "") in text.replace(" ", "")]
    assert shown, "no external address printed next to its link"


def test_manifest_lists_every_pdf_with_its_checksum():
    entries = {e["name"]: e for e in downloads.load(ROOT / downloads.MANIFEST)}
    for guide, lang in CASES:
        e = entries[run.file_name(guide, lang)]
        path = pdf_path(guide, lang)
        assert (e["lang"], e["kind"], e["guide"]) == (lang, "pdf", guide)
        assert e["bytes"] == path.stat().st_size and e["sha256"] == downloads.sha256(path)
        assert e["pages"] == len(PdfReader(path).pages)


def test_every_label_has_every_language():
    ui = data.load("ui")
    for key, ui_key in labels.KEYS.items():
        assert set(ui[ui_key]) >= {lang.code for lang in CONFIG.languages}, key
        assert all(ui[ui_key][lang.code].strip() for lang in CONFIG.languages), key


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
    home = doc.select_one(f'a[href="{config.site_url}es/"]')  # outside the guide: its address
    assert home is not None and "ext" in home["class"]
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
