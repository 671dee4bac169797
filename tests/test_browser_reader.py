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
