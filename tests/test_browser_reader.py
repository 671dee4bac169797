"""A reader's search and reading on the built site in real Chromium: what they
searched for stays out of URLs and history, and text that arrives without key
events (dictation, paste) is searched too."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

CHAPTER = "investigation/evidence/"
# A word the guides use but no page address or heading id holds, so that it can
# only reach a URL through the search itself.
QUERY = "passport"


def open_search(p) -> None:
    p.click(".md-search__input", force=True)


def result_hrefs(p) -> list[str]:
    p.wait_for_selector(".md-search-result__item")
    return [a.get_attribute("href") for a in p.query_selector_all(".md-search-result__link")]


def test_search_words_reach_no_url_or_history_entry(served_site, recorded_page):
    p = recorded_page.page
    p.goto(served_site + CHAPTER)
    before = p.evaluate("history.length")
    open_search(p)
    p.keyboard.type(QUERY, delay=20)
    hrefs = result_hrefs(p)
    # Every result link: nothing of the query in its address (Material's
    # search.highlight adds ?h=<words>).
    assert [h for h in hrefs if QUERY in h.lower() or "?" in h] == []
    # A result where the word was found (Material gave those ?h=<words>).
    p.locator(".md-search-result__link:has(mark)").first.click()
    p.wait_for_load_state()
    assert p.url != served_site + CHAPTER
    visited = [p.url]
    assert p.evaluate("history.length") == before + 1
    # Walk back through every entry this tab has, then forward again.
    for _ in range(before):
        p.go_back()
        visited.append(p.url)
    for _ in range(before):
        p.go_forward()
        visited.append(p.url)
    assert visited[1] == served_site + CHAPTER
    assert [url for url in visited if QUERY in url.lower() or urlsplit(url).query] == []
    assert recorded_page.console_errors == []


def search_answered(p, text: str) -> None:
    """Wait until the result list says `text` (a key of Material's search translations)."""
    p.wait_for_function("""key => {
        const words = JSON.parse(document.getElementById('__config').textContent).translations[key];
        return document.querySelector('.md-search-result__meta').textContent.trim() === words;
    }""", arg=text)


def insert_query(p, how: str, query: str) -> None:
    """Replace the search box's text the way dictation or a paste does: no key events."""
    if how == "fill":
        p.fill(".md-search__input", query)
    else:
        p.evaluate("document.querySelector('.md-search__input').select()")
        p.keyboard.insert_text(query)


@pytest.mark.parametrize("how", ["fill", "insert_text"])
def test_text_inserted_without_key_events_is_searched(served_site, recorded_page, how):
    p = recorded_page.page
    p.goto(served_site + CHAPTER)
    open_search(p)
    # First a typed word that finds nothing: the worker is ready and has
    # answered, so its READY (which makes Material read the box) is past.
    p.keyboard.type("zqxj", delay=20)
    search_answered(p, "search.result.none")
    insert_query(p, how, QUERY)
    assert p.input_value(".md-search__input") == QUERY
    hrefs = result_hrefs(p)
    assert hrefs and p.locator(".md-search-result__link mark").count() > 0
    assert recorded_page.console_errors == []


@pytest.mark.parametrize("prefix", ["", "es/"])
def test_404_page_searches_its_language_on_this_host(served_site, recorded_page, prefix):
    """A 404 page's links are absolute: its search base was //es/, another host."""
    p = recorded_page.page
    p.goto(served_site + prefix + "404.html")
    open_search(p)
    p.keyboard.type(QUERY if not prefix else "pasaporte", delay=20)
    hrefs = result_hrefs(p)
    assert all(h.startswith(served_site + prefix) for h in hrefs), hrefs
    assert [url for url in recorded_page.requests if not url.startswith(served_site)] == []
    assert recorded_page.console_errors == [] and recorded_page.failed == []
