"""The PDF editions: every guide in every language, opened with pypdf (make test
runs `make pdf` first), and the pipeline on a tiny fixture site: fallback
chapters, links, incremental rebuilds, identical bytes, the downloads page."""
from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from conftest import ROOT, page
from kbtools import data, downloads, frontmatter
from kbtools import site_config
from kbtools.pdf import assemble, labels, run
from kbtools.pdf import tools as tool_pdfs

CONFIG = site_config.load(ROOT)
# Every test here reads the real PDFs (make pdf).
pytestmark = [pytest.mark.pdf, pytest.mark.usefixtures("built_pdfs")]
FILES = ROOT / downloads.FILES
CASES = [(g.slug, lang.code) for g in CONFIG.books for lang in CONFIG.languages]
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
    for src in next(g for g in CONFIG.books if g.slug == guide).chapters:
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
    assert len(internal) >= len(next(g for g in CONFIG.books if g.slug == guide).chapters)


def link_targets(reader) -> tuple[list[str], list[str]]:
    """(named destinations of internal links, URIs of external links) on every page."""
    internal, external = [], []
    for p in reader.pages:
        for annot in p.get("/Annots") or []:
            a = annot.get_object()
            action = a.get("/A")
            if "/Dest" in a:
                internal.append(str(a["/Dest"]))
            elif action is not None and action.get("/S") == "/GoTo":
                internal.append(str(action.get("/D")))
            elif action is not None and "/URI" in action:
                external.append(str(action["/URI"]))
    return internal, external


@pytest.mark.parametrize("guide,lang", [(g.slug, lang.code) for g in CONFIG.guides for lang in CONFIG.languages])
def test_guide_pdf_ends_with_the_glossary_terms_it_links_to_and_links_them_inside(readers, guide, lang):
    reader = readers(guide, lang)
    glossary_title = chapter_title("glossary.md", CONFIG.language(lang))
    assert outline_titles(reader)[-1] != glossary_title  # entries are sections of the appendix, listed after it
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top[-1] == glossary_title
    internal, external = link_targets(reader)
    assert any(d.startswith("glossary--") for d in internal)
    glossary_page = CONFIG.published_url + CONFIG.page_url("glossary.md", CONFIG.language(lang))
    # Every entry printed in the appendix is reached inside the PDF, not on the website.
    printed = {d.split("--", 1)[1] for d in internal if d.startswith("glossary--")}
    assert not [u for u in external if u.startswith(glossary_page + "#") and u.split("#", 1)[1] in printed]


@pytest.mark.parametrize("guide,lang", CASES)
def test_pdf_is_tagged_for_pdf_ua(readers, guide, lang):
    root = readers(guide, lang).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode("utf-8")


def on_the_site(uri: str) -> bool:
    return bool(CONFIG.published_url) and uri.startswith(CONFIG.published_url)


def test_external_links_show_their_address():
    reader = PdfReader(pdf_path("investigation", "en"))
    uris = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots") or []
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]
    assert any(u.startswith("https://") and not on_the_site(u) for u in uris)
    text = flat(" ".join(p.extract_text() for p in reader.pages))
    shown = [u for u in uris if not on_the_site(u) and u.replace(" ", "") in text.replace(" ", "")]
    assert shown, "no external address printed next to its link"


# --- the site's address: only where it is set ---------------------------------------

# Every PDF the manifest lists: books (A4, and the training kit on US Letter too) and tools.
ALL_PDFS = sorted({run.file_name(g.slug, lang.code, paper) for g in CONFIG.books for lang in CONFIG.languages
                   for paper in run.book_papers(CONFIG, g)}
                  | {tool_pdfs.file_name(src, lang.code, paper) for src in CONFIG.tools
                     for lang in CONFIG.languages for paper in assemble.PAPERS})


def test_the_site_url_counts_only_where_it_is_set(monkeypatch):
    """mkdocs.yml's default (no KB_SITE_URL) is a placeholder under a reserved domain."""
    monkeypatch.delenv("KB_SITE_URL", raising=False)
    default = site_config.load(ROOT)
    assert site_config.is_placeholder(default.site_url) and default.published_url == ""
    monkeypatch.setenv("KB_SITE_URL", "https://trafficking-kb.publisher.net/")
    assert site_config.load(ROOT).published_url == "https://trafficking-kb.publisher.net/"
    for placeholder in ("", "https://kb.example.org/", "http://example.com/x/", "https://kb.test/",
                        "http://localhost:8000/", "https://docs.invalid/"):
        assert site_config.is_placeholder(placeholder), placeholder
    assert not site_config.is_placeholder("https://kb.example-org.net/")


@pytest.mark.parametrize("name", ALL_PDFS)
def test_no_pdf_names_a_placeholder_address_and_each_says_where_the_online_edition_is(name):
    """Neither the text nor a link of any PDF gives an address the reader cannot visit;
    without a site_url, the first page says where the other pages are to be read."""
    reader = PdfReader(FILES / name)
    text = unicodedata.normalize("NFKC", flat(" ".join(p.extract_text() for p in reader.pages)))  # no ligatures
    uris = [str(a.get_object()["/A"]["/URI"]) for p in reader.pages for a in p.get("/Annots") or []
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]
    assert "example.org" not in text and "example.org" not in " ".join(uris)
    assert [u for u in uris if u.startswith("http") and site_config.is_placeholder(u)] == []
    lang = reader.trailer["/Root"]["/Lang"]
    first = unicodedata.normalize("NFKC", flat(reader.pages[0].extract_text()))
    if CONFIG.published_url:
        assert CONFIG.published_url in first.replace(" ", "")
    else:
        key = "online_unknown_short" if name.startswith("kb-tool-") else "online_unknown"
        assert flat(labels.label(key, lang)) in first


@pytest.mark.parametrize("guide,lang", CASES)
def test_links_to_chapters_and_sections_of_the_pdf_are_internal_links(readers, guide, lang):
    """Every link the document makes to a place inside itself is a PDF link to a
    destination the PDF has (not to the website)."""
    reader = readers(guide, lang)
    jobs, _ = run.plan(CONFIG, langs=[lang], guides=[guide])
    doc = page(jobs[0].html)
    targets = {a["href"][1:] for a in doc.select("main a[href^='#']")}
    assert targets, "no link inside the document"
    assert {element.get("id") for element in doc.select("main [id]")} >= targets  # none dangles
    internal, _ = link_targets(reader)
    assert set(internal) <= set(reader.named_destinations)
    assert targets <= set(internal), sorted(targets - set(internal))[:10]


def test_the_training_kit_is_printed_on_a4_and_on_us_letter(readers):
    for lang in CONFIG.languages:
        a4 = readers("training", lang.code)
        letter = PdfReader(FILES / run.file_name("training", lang.code, "letter"))
        assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in a4.pages} == {(595, 842)}
        assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in letter.pages} == {
            (612, 792)}
        assert outline_titles(letter) == outline_titles(a4)
        assert letter.metadata.title == a4.metadata.title and letter.trailer["/Root"]["/Lang"] == lang.code
        entry = next(e for e in downloads.load(ROOT / downloads.MANIFEST)
                     if e["name"] == run.file_name("training", lang.code, "letter"))
        assert entry["title"].endswith("(US Letter)") and entry["pages"] == len(letter.pages)


def test_manifest_lists_every_pdf_with_its_checksum():
    entries = {e["name"]: e for e in downloads.load(ROOT / downloads.MANIFEST)}
    books = {g.slug: g for g in CONFIG.books}
    for guide, lang in CASES:
        for paper in run.book_papers(CONFIG, books[guide]):
            e = entries[run.file_name(guide, lang, paper)]
            path = FILES / run.file_name(guide, lang, paper)
            assert (e["lang"], e["kind"], e["guide"]) == (lang, "pdf", guide)
            assert e["bytes"] == path.stat().st_size and e["sha256"] == downloads.sha256(path)
            assert e["pages"] == len(PdfReader(path).pages)


# --- the printable tools ----------------------------------------------------------

# A4 and US Letter in points, as WeasyPrint writes them (rounded).
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}
TOOL_CASES = [(src, lang.code, paper) for src in CONFIG.tools for lang in CONFIG.languages
              for paper in assemble.PAPERS]


def tool_source(src: str, lang: str) -> str:
    return (CONFIG.docs_dir / src.replace(".md", f".{lang}.md")).read_text(encoding="utf-8")


def test_there_are_at_least_twelve_tools_each_in_every_language():
    assert len(CONFIG.tools) >= 12
    for src in CONFIG.tools:
        for lang in CONFIG.languages:
            assert (CONFIG.docs_dir / src.replace(".md", f".{lang.code}.md")).is_file(), (src, lang.code)


@pytest.mark.parametrize("src,lang,paper", TOOL_CASES)
def test_tool_pdf_is_one_or_two_pages_of_its_paper_in_its_language(src, lang, paper):
    path = FILES / tool_pdfs.file_name(src, lang, paper)
    reader = PdfReader(path)
    assert 1 <= len(reader.pages) <= 2, f"{path.name}: {len(reader.pages)} pages"
    for p in reader.pages:
        assert (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == PAPER_POINTS[paper]
    assert reader.trailer["/Root"]["/Lang"] == lang
    fonts = [font for p in reader.pages for font in fonts_of(p.get("/Resources"))]
    assert fonts and all(embedded(f) for f in fonts)
    title = flat(chapter_title(src, CONFIG.language(lang)))
    assert title in flat(reader.pages[0].extract_text())
    entry = next(e for e in downloads.load(ROOT / downloads.MANIFEST) if e["name"] == path.name)
    assert (entry["lang"], entry["kind"], entry["guide"], entry["pages"]) == (lang, "pdf", src, len(reader.pages))


@pytest.mark.parametrize("src,lang,paper", TOOL_CASES)
def test_a_form_tool_has_a_named_field_for_every_blank_and_tick_box(src, lang, paper):
    text = tool_source(src, lang)
    form = re.search(r"^form: true$", text, re.M) is not None
    body = text.split("\n---\n", 1)[1]
    blanks = len(re.findall(r"_{6,}", body))
    ticks = len(re.findall(r"^\s*[-*] \[[ xX]\] ", body, re.M))
    fields = PdfReader(FILES / tool_pdfs.file_name(src, lang, paper)).get_fields() or {}
    if not form:
        assert fields == {}
        return
    prefix = "tools-" + src.split("/")[-1].removesuffix(".md") + "-"
    assert all(name.startswith(prefix) for name in fields)
    assert sum(1 for f in fields.values() if f.get("/FT") == "/Tx") == blanks
    assert sum(1 for f in fields.values() if f.get("/FT") == "/Btn") == ticks


def test_every_header_cell_in_the_pdf_documents_has_a_scope(built_site):
    jobs, _ = run.plan(CONFIG, langs=["en"], guides=["investigation"])
    cells = [th for job in jobs for th in page(job.html).select("th")]
    assert cells and all(th.get("scope") in ("col", "row") for th in cells)
