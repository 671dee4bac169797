"""A guide's chapters in one language, taken from the built site.

The PDF shows what the site shows: the text of each page's <article>, with
the translation notice the site puts above a fallback or outdated page, and
the language the text is really in. Theme furniture (permalinks, tags, edit
buttons, the quick exit, header, nav, search) is outside <article> or removed.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import lxml.html
import yaml

from kbtools import frontmatter, theme
from kbtools.site_config import Guide, Language, SiteConfig

def _cls(name: str) -> str:
    """XPath test for one class among several (lxml without the cssselect package)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# Inside <article> but not content: permalink pilcrows, tag chips, edit/view buttons.
DROP = " | ".join([
    f".//a[{_cls('headerlink')}]", *(f".//*[{_cls(name)}]" for name in theme.ARTICLE_FURNITURE),
    ".//form", ".//button", ".//script", ".//noscript", ".//style", ".//iframe",
])


# libyaml's loader when present: front matter of ~200 pages is read on every run.
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CollectError(RuntimeError):
    pass


@dataclass
class Chapter:
    src: str  # 'investigation/evidence.md'
    url: str  # site path of the built page, e.g. 'es/investigation/evidence/'
    title: str  # text of the page's <h1>
    status: str  # translated | outdated | fallback
    content_lang: str  # language of the text shown
    article: lxml.html.HtmlElement
    reviewed: dt.date | None


@dataclass
class GuideText:
    guide: Guide
    lang: Language
    title: str  # the guide's title in this language (its overview page's title)
    chapters: list[Chapter]

    @property
    def date(self) -> dt.date:
        """The content's date: the latest review of a chapter, else SOURCE_DATE_EPOCH."""
        dates = [c.reviewed for c in self.chapters if c.reviewed]
        if dates:
            return max(dates)
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
        return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date()


def _drop_furniture(article) -> None:
    for element in article.xpath(DROP):
        element.drop_tree()


def _parts(path: Path):
    """The page's <html>+<head> and its <article>, parsed apart: parsing only these
    two slices is five times faster than the whole page (nav, icons), which
    keeps a `make pdf` with nothing to do under two seconds."""
    raw = path.read_text(encoding="utf-8")
    head_end, start, end = raw.find("</head>"), raw.find("<article"), raw.rfind("</article>")
    if head_end < 0 or start < 0 or end < start:
        raise CollectError(f"{path}: no <head> or <article>; is this a page built by `make site`?")
    head = lxml.html.document_fromstring(raw[:head_end] + "</head></html>")
    article = lxml.html.fragment_fromstring(raw[start:end + len("</article>")])
    if theme.ARTICLE_CLASS not in (article.get("class") or "").split():
        raise CollectError(f"{path}: first <article> is not Material's {theme.ARTICLE_CLASS}; "
                           "see ARTICLE_CLASS in kbtools/theme.py")
    return head, article


def _front_matter(config: SiteConfig, src: str, lang: str) -> dict:
    path = config.docs_dir / PurePosixPath(src).with_suffix(f".{lang}.md")
    try:
        meta_text, _, _ = frontmatter.split(path.read_text(encoding="utf-8"))
        return yaml.load(meta_text or "", Loader=_YAML) or {}  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError, frontmatter.FrontMatterError):
        return {}


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def chapter(config: SiteConfig, src: str, lang: Language) -> tuple[Chapter, dict]:
    path = config.page_file(src, lang)
    if not path.exists():
        raise CollectError(f"{path}: built page for {src} ({lang.code}) is missing; run `make site` first")
    head, article = _parts(path)
    _drop_furniture(article)
    for details in article.iter("details"):  # paper has no click: answers and notes print open
        details.set("open", "open")
    status = (head.xpath("string(//meta[@name='translation-status']/@content)") or "translated").strip()
    lang_div = article.xpath("./div[@lang]")
    content_lang = lang_div[0].get("lang") if lang_div else (head.get("lang") or lang.code)
    h1 = article.find(".//h1")
    if h1 is None:
        raise CollectError(f"{path}: page has no <h1> title")
    meta = _front_matter(config, src, content_lang)
    return Chapter(src=src, url=config.page_url(src, lang), title=h1.text_content().strip(),
                   status=status, content_lang=content_lang, article=article,
                   reviewed=_as_date(meta.get("last_reviewed"))), meta


def guide(config: SiteConfig, guide: Guide, lang: Language) -> GuideText:
    chapters, title = [], None
    for src in guide.chapters:
        ch, meta = chapter(config, src, lang)
        if title is None:
            title = meta.get("title") or ch.title
        chapters.append(ch)
    return GuideText(guide=guide, lang=lang, title=title or guide.slug, chapters=chapters)
