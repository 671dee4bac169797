"""Property tests: no input makes a check raise, and the front matter is read as MkDocs reads it."""
from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.utils import meta as mkdocs_meta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbtools import frontmatter
from kbtools.checks import REGISTRY, document, markers
from kbtools.checks.config import Config
from kbtools.checks.runner import Project, file_findings, project_findings

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Config(root=ROOT / "tests" / "fixtures", data_dir=ROOT / "data", nav=["index.md", "page.md"])
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of Markdown, YAML and HTML that exercise every part of the parser, in any order.
FRAGMENTS = [
    "---", "...", "title: x", "title: [a, b", "- a", "source_hash: 0123456789ab", "audience: [police]",
    "last_reviewed: 2026-13-45", "country: colombia", "# Title", "## Part { #part }", "###### deep",
    "#hash", "Title\n=====", "Sub\n---", "!!! warning \"Risk\"", "    indented", "- [ ] item", "1. [x] done",
    "```", "```text", "~~~~", "`code", "``double``", "[link](page.md#part)", "[link](../../up.md)",
    "![](img.png)", "![alt](img.png \"t\")", "[ref][r]", "[r]: other.md", "[^1]: note", "[^1]",
    "<script>alert(1)</script>", "<a href='javascript:x'>", "<img src=x onerror=y>", "<!-- kb:glossary -->",
    "<!-- kb:country-facts -->", "<!-- kb:nope -->", "<!--", "-->", "<style>a{b:url(x)}</style>",
    "{ #id .class onclick=x }", "{:", "}", "[", "]", "(", ")", "\\", "&#106;", "&amp;", "<", ">",
    "tráfico de personas", "TODO", "lorem ipsum", "click here", "aquí", "|a|b|\n|---|---|",
    "\ufeff", "\r\n", "\r", "\x00", "\t", " ", "", "é", "e\u0301", "İ", "ß",
]
markdown = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=40).map("\n".join)


def everything(raw: bytes, name: str = "guides/page.es.md") -> None:
    """Parse raw as a page and run every check on it; any exception fails the test."""
    rel = name.split("/", 1)[1]
    key = rel.rsplit(".", 2)
    doc = document.read(raw, name, "site", rel, lang=key[1], stem=key[0], max_line=2000,
                        expand=lambda marker, d: markers.expand(marker, d, CONFIG))
    for code in file_findings(doc, CONFIG, list(REGISTRY), raise_errors=True):
        assert code.path == name
    doc.strip_text()
    english = document.read(raw.replace(b"source_hash", b"x"), "guides/page.en.md", "site", "page.en.md",
                            lang="en", stem="page")
    english.strip_text()
    handbook = document.read(raw, "docs/page.md", "handbook", "page.md")
    project = Project(CONFIG, [doc, english, handbook], {"page.en.md", "page.es.md", "img.png"})
    project_findings(project, list(REGISTRY), raise_errors=True)


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(raw):
    everything(raw)


@SETTINGS
@given(markdown)
def test_random_markdown_never_raises(text):
    everything(text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.dictionaries(st.text(max_size=12), st.one_of(
    st.text(max_size=20), st.integers(), st.dates(), st.lists(st.text(max_size=8), max_size=4), st.none()),
    max_size=6), markdown)
def test_random_front_matter_never_raises(meta, body):
    front = yaml.safe_dump(meta, allow_unicode=True)
    everything(f"---\n{front}---\n{body}".encode("utf-8", "surrogatepass"))


VALUE_CHARS = st.sampled_from(list("abcAZ09 -_:#[],.'\"{}&*!|>%@`?~\t") + ["é", "2026-11-29", "yes", "null"])
lines = st.lists(st.tuples(st.sampled_from(["title", "audience", "a-b", "x_y", "on", "1x", "", " k"]),
                           st.lists(VALUE_CHARS, max_size=14).map("".join)), max_size=6)


def as_the_checks_read_it(text: str) -> document.Document:
    """`kb check`'s reading of a page's front matter (its error raised)."""
    doc = document.read(text.encode("utf-8"), "page.md", "site", "page.md")
    if doc.meta_error is not None:
        raise doc.meta_error
    return doc


@settings(max_examples=500, deadline=None)
@given(lines)
def test_front_matter_reads_as_the_build_reads_it(pairs):
    """The checks and the status report read front matter as MkDocs does for the build,
    and report an error wherever MkDocs would drop it (it logs and keeps no meta)."""
    text = "---\n" + "\n".join(f"{key}: {value}" if value else f"{key}:" for key, value in pairs) + "\n---\nbody\n"
    body, built = mkdocs_meta.get_data(text)
    try:
        empty = yaml.load(text.split("---\n")[1], Loader=frontmatter.LOADER) is None  # noqa: S506
    except yaml.YAMLError:
        empty = False
    dropped = body == text and not empty  # (MkDocs keeps empty front matter in the body; it is blank)
    for reader in (frontmatter.parse, as_the_checks_read_it):
        try:
            ours = reader(text).meta
        except frontmatter.FrontMatterError:
            ours = None
        if dropped:
            assert ours is None, f"{reader.__module__}: MkDocs drops this front matter; we must report it"
        else:
            assert ours == built
            assert [type(v) for v in ours.values()] == [type(v) for v in built.values()]
