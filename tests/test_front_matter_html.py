"""Front-matter text reaches the HTML escaped, in every place it is shown.

MkDocs renders templates without autoescaping and Material prints a page's
title and our description as they are: a quote in a description used to end
the `content` attribute and turn the rest into attributes. A fixture page
whose front matter holds quotes, `<`, `&` and an attribute breakout is
built, and each place is read back with an HTML parser."""
from __future__ import annotations

import html

import pytest
import yaml

from conftest import build, fixture_config, md, page
from kbtools import render, search

pytestmark = pytest.mark.build

BREAKOUT = '"><img src=x onerror=alert(1)>'
TITLE = f"Quotes \"double\" 'single' <b>bold</b> & more {BREAKOUT}"
DESCRIPTION = f'What "extradite or prosecute" asks when a person is < 18 & abroad {BREAKOUT}'


def tricky_page() -> str:
    """No h1 in the body: Material writes the page's title as its h1."""
    front = {"title": TITLE, "description": DESCRIPTION, "audience": ["police"],
             "topics": ["investigation"], "last_reviewed": "2026-11-29"}
    return "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\nEnglish text of the page.\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("escaping")
    files = {"index.en.md": md("Home", "Welcome."), "tricky.en.md": tricky_page(),
             "after.en.md": md("After", "The page after.")}
    config = fixture_config(tmp, nav=["index.md", "tricky.md", "after.md"])
    config["theme"]["features"] = ["navigation.footer"]  # previous/next links, as on the site
    result = build(tmp, files, config)
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def no_injected_markup(doc) -> None:
    assert doc.find("img", src="x") is None
    assert doc.find("b", string="bold") is None
    assert [tag.name for tag in doc.find_all(attrs={"onerror": True})] == []


@pytest.mark.parametrize("path", ["tricky/index.html", "es/tricky/index.html"])
def test_title_and_description_are_intact_wherever_the_page_shows_them(site, path):
    doc = page(site / path)
    no_injected_markup(doc)
    assert doc.find("meta", attrs={"name": "description"})["content"] == DESCRIPTION
    assert doc.title.get_text() == f"{TITLE} - Fixture"
    assert doc.select_one("article h1").get_text(strip=True) == TITLE
    # The header's page title, the nav entry, the next page's "previous" link.
    assert doc.select(".md-header__topic .md-ellipsis")[-1].get_text(strip=True) == TITLE
    nav = [a.get_text(" ", strip=True) for a in doc.select("nav.md-nav--primary a.md-nav__link")]
    assert TITLE in nav


def test_the_neighbouring_page_shows_the_title_intact(site):
    doc = page(site / "after/index.html")
    no_injected_markup(doc)
    previous = doc.select_one("a.md-footer__link--prev")
    assert previous.select_one(".md-ellipsis").get_text(strip=True) == TITLE
    assert previous["aria-label"].endswith(f": {TITLE}")
    nav = [a.get_text(" ", strip=True) for a in doc.select("nav.md-nav--primary a.md-nav__link")]
    assert TITLE in nav


def test_the_search_index_holds_the_title_as_html_that_shows_it_intact(site):
    """Material's results insert an entry's title as HTML: it must be escaped text."""
    docs = search.documents(site, "")  # the split index's documents
    entry = next(d for d in docs if d["location"] == "tricky/")
    assert "<" not in entry["title"] and ">" not in entry["title"]
    assert html.unescape(entry["title"]) == TITLE


def test_the_translation_status_table_shows_titles_as_text():
    """Titles written into generated Markdown (kbtools/render.py) stay text there too."""
    import markdown

    rendered = markdown.markdown(f"| a |\n|---|\n| [{render.plain_text(TITLE)}](tricky.md) |",
                                 extensions=["tables"])
    doc = page(rendered)
    no_injected_markup(doc)
    assert doc.select_one("td a").get_text() == TITLE
