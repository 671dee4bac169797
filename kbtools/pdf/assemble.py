"""One HTML document per guide and language: cover, contents, chapters.

Every id is prefixed with its chapter's slug so that the chapters' anchors
stay unique in one document; links between chapters of the guide become
links inside the PDF. Links to other pages of the site point at the
published site and print its address (a reader of paper cannot click) when
the site has one (`SiteConfig.published_url`: KB_SITE_URL or mkdocs.yml's
site_url, not a placeholder); without one they are plain text, and the cover
says where the other pages are to be read instead.
"""
from __future__ import annotations

import html
import posixpath
from urllib.parse import urljoin, urlsplit

import lxml.html
from babel.dates import format_date

from kbtools.pdf.collect import Chapter, GuideText
from kbtools.pdf.labels import label
from kbtools.site_config import SiteConfig

_BASE = "https://site.invalid/"  # stands for the site root while resolving relative links
BOX = {False: "\u2610", True: "\u2611"}  # ☐ ☑: checklists as text, readable and searchable


def slug(src: str) -> str:
    return posixpath.splitext(src)[0].replace("/", "-")


def _site_path(url: str) -> str:
    """A resolved URL's path below the site root."""
    return urlsplit(url).path[len(urlsplit(_BASE).path):]


def _page_key(path: str) -> str:
    """'x/index.html' and 'x/' name one page; chapters are looked up by this key."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


def _rewrite_links(section, ch: Chapter, anchors: dict[str, str], site_url: str) -> None:
    """`site_url`: the published address ("" when there is none: links to pages
    outside the document become plain text)."""
    own = slug(ch.src)
    for a in list(section.iter("a")):
        href = a.get("href")
        if href is None:
            continue
        parts = urlsplit(href)
        if parts.scheme in ("http", "https"):
            a.set("class", " ".join(filter(None, [a.get("class"), "ext"]
                                             + (["bare"] if a.text_content().strip() == href else []))))
            continue
        if parts.scheme:  # mailto:, tel:
            continue
        target_path = _site_path(urljoin(_BASE + ch.url, parts.path)) if parts.path else _site_path(_BASE + ch.url)
        key = _page_key(target_path)
        on_site = target_path + (f"#{parts.fragment}" if parts.fragment else "")
        if key in anchors:  # this page or another chapter of the document
            a.set("href", f"#{anchors[key]}--{parts.fragment}" if parts.fragment else f"#ch-{anchors[key]}")
            a.set(_ON_SITE, on_site)  # where it goes should the document lack the place (_dangling)
        else:  # another page of the site
            _to_site(a, site_url, on_site)


_ON_SITE = "data-kb-site-path"


def _dangling(sections, site_url: str) -> None:
    """Links inside the document to a place it does not have (a related term of a glossary
    entry left out of the appendix) go to the site as other pages' links do, or become text."""
    ids = {element.get("id") for section in sections for element in section.iter() if element.get("id")}
    for section in sections:
        for a in section.xpath(f".//a[@{_ON_SITE}]"):
            path = a.attrib.pop(_ON_SITE)
            if a.get("href", "")[1:] not in ids:
                _to_site(a, site_url, path)


def _to_site(a, site_url: str, path: str) -> None:
    """The link `a` to `path` on the published site (its address printed), or, without an
    address to give, its text only: a span that keeps its words, class and language."""
    if site_url:
        a.set("href", site_url + path)
        a.set("class", " ".join(filter(None, [a.get("class"), "ext", "site"])))
        return
    for name in list(a.attrib):
        if name not in ("class", "lang", "id"):
            del a.attrib[name]
    a.tag = "span"
    a.set("class", " ".join(filter(None, [a.get("class"), "site-link"])))


def _prefix_ids(section, own: str) -> None:
    for element in section.xpath(".//*[@id]"):
        element.set("id", f"{own}--{element.get('id')}")


def _checklists(section) -> None:
    """Tick boxes (Material's custom_checkbox label or a bare <input>) become ☐/☑ text."""
    for box in section.xpath(".//input[@type='checkbox']"):
        parent = box.getparent()
        target = parent if parent.tag == "label" and "task-list-control" in (parent.get("class") or "") else box
        span = lxml.html.Element("span", {"class": "task-box"})
        span.text = BOX[box.get("checked") is not None]
        span.tail = target.tail
        target.getparent().replace(target, span)
    for element in section.xpath(".//input | .//label[not(node())]"):
        element.drop_tree()


def _images(section, config: SiteConfig, ch: Chapter) -> None:
    for img in section.iter("img"):
        src = img.get("src") or ""
        if urlsplit(src).scheme in ("", "file"):
            path = _site_path(urljoin(_BASE + ch.url, src))
            img.set("src", (config.site_dir / path).resolve().as_uri())


def _scope_headers(section) -> None:
    """Header cells say what they head (PDF/UA: a TH needs its scope)."""
    for th in section.iter("th"):
        if th.get("scope") is None:
            row = th.getparent()
            in_head = row is not None and row.getparent() is not None and row.getparent().tag == "thead"
            th.set("scope", "col" if in_head or all(c.tag == "th" for c in row) else "row")


GLOSSARY = "glossary.md"  # the glossary page; the terms a guide links to are printed at its end


def glossary_terms(chapters: list[Chapter], glossary_url: str) -> list[str]:
    """Ids of the glossary entries the chapters link to, in order of first use."""
    wanted = _page_key(glossary_url)
    ids: list[str] = []
    for ch in chapters:
        for a in ch.article.iter("a"):
            parts = urlsplit(a.get("href") or "")
            if parts.scheme or not parts.path or not parts.fragment:
                continue
            if _page_key(_site_path(urljoin(_BASE + ch.url, parts.path))) == wanted and parts.fragment not in ids:
                ids.append(parts.fragment)
    return ids


def glossary_appendix(glossary: Chapter, ids: list[str]) -> Chapter:
    """The glossary page cut down to the entries `ids` (each an h2 and what follows it)."""
    article = glossary.article
    keep = []
    for h2 in article.iter("h2"):
        if h2.get("id") in ids:
            keep.append(h2)
            sibling = h2.getnext()
            while sibling is not None and sibling.tag not in ("h1", "h2"):
                keep.append(sibling)
                sibling = sibling.getnext()
    h1 = article.find(".//h1")
    for child in list(article):
        if child is not h1 and child not in keep:
            article.remove(child)
    return glossary


def _chapter_section(ch: Chapter, config: SiteConfig, anchors: dict[str, str]) -> tuple[object, list]:
    own = slug(ch.src)
    section = ch.article
    section.tag = "section"
    section.attrib.clear()
    section.set("class", f"chapter status-{ch.status}")
    _prefix_ids(section, own)
    section.set("id", f"ch-{own}")
    _rewrite_links(section, ch, anchors, config.published_url)
    _checklists(section)
    _images(section, config, ch)
    _scope_headers(section)
    sections = [(h.get("id"), h.text_content().strip()) for h in section.xpath(".//h2[@id]")]
    return section, sections


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def page_style(lang: str) -> str:
    """The running footer in the PDF's language, as CSS content."""
    text = label("page_of", lang, page="\0page\0", pages="\0pages\0")
    tokens = []
    for part in text.split("\0"):
        if part in ("page", "pages"):
            tokens.append(f"counter({part})")
        elif part:
            tokens.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "@page { @bottom-center { content: " + " ".join(tokens) + "; } }"


# The papers PDFs are printed on: key -> (CSS page size, name in the downloads list).
# pdf.css sets A4; a book on another paper gets a page rule of its own.
PAPERS = {"a4": ("A4", "A4"), "letter": ("letter", "US Letter")}


def paper_rule(paper: str | None) -> str:
    return "" if paper in (None, "a4") else f" @page {{ size: {PAPERS[paper][0]}; }}"


def online_edition(config: SiteConfig, url: str, lang: str, short: bool = False) -> str:
    """Where the online edition is, as HTML: its address (the page `url` on the published
    site), or, when the site has none, where to read it instead (`short`: in a few words)."""
    if config.published_url:
        online = _esc(config.published_url + url)
        return f'{_esc(label("online", lang))}: <a class="bare" href="{online}">{online}</a>'
    return _esc(label("online_unknown_short" if short else "online_unknown", lang))


def document(text: GuideText, config: SiteConfig, glossary: Chapter | None = None, paper: str | None = None) -> str:
    """The guide's document; `glossary`, the glossary page of its language, adds an appendix
    of the terms the chapters link to, and those links stay inside the PDF. `paper`: a key
    of PAPERS (A4, pdf.css's size, when None)."""
    lang = text.lang
    ids = glossary_terms(text.chapters, glossary.url) if glossary is not None else []
    if ids:
        text = GuideText(guide=text.guide, lang=text.lang, title=text.title,
                         chapters=[*text.chapters, glossary_appendix(glossary, ids)])
    anchors = {_page_key(ch.url): slug(ch.src) for ch in text.chapters}
    date = text.date
    body, toc = [], []
    for ch in text.chapters:
        section, sections = _chapter_section(ch, config, anchors)
        body.append(section)
        own = slug(ch.src)
        items = "".join(f'<li><a href="#{_esc(i)}">{_esc(t)}</a></li>' for i, t in sections)
        toc.append(f'<li class="toc-chapter"><a href="#ch-{own}">{_esc(ch.title)}</a>'
                   + (f"<ol>{items}</ol>" if items else "") + "</li>")
    _dangling(body, config.published_url)
    site_name = lang.site_name
    return f"""<!doctype html>
<html lang="{lang.code}">
<head>
<meta charset="utf-8">
<title>{_esc(text.title)}</title>
<meta name="author" content="{_esc(site_name)}">
<meta name="generator" content="{_esc(config.site_name)} (kbtools/pdf)">
<meta name="dcterms.created" content="{date.isoformat()}">
<meta name="dcterms.modified" content="{date.isoformat()}">
<style>{page_style(lang.code)}{paper_rule(paper)}</style>
</head>
<body>
<section class="cover">
<p class="cover-site">{_esc(site_name)}</p>
<p class="cover-title" role="heading" aria-level="1">{_esc(text.title)}</p>
<p class="cover-meta">{_esc(label("language", lang.code))}: {_esc(lang.name)}</p>
<p class="cover-meta">{_esc(label("reviewed", lang.code, date=format_date(date, "long", locale=lang.code)))}</p>
<p class="cover-meta">{online_edition(config, text.chapters[0].url, lang.code)}</p>
</section>
<nav class="toc" aria-label="{_esc(label("contents", lang.code))}">
<p class="toc-title" role="heading" aria-level="1">{_esc(label("contents", lang.code))}</p>
<ol>{"".join(toc)}</ol>
</nav>
<main>
{"".join(lxml.html.tostring(section, encoding="unicode") for section in body)}
</main>
</body>
</html>
"""
