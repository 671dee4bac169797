"""The split, lazily fetched search in real Chromium: a page loads no search
file; opening the search and typing fetch only the files the query needs (as
`kb search` reads them for the same words), each once; text inserted without
key events is answered online and from file:// (the offline zip)."""
from __future__ import annotations

import re
import time

import pytest

from kbtools import search

pytestmark = pytest.mark.browser

CHAPTER = "investigation/evidence/"
LANGS = {"en": "", "es": "es/", "pt": "pt/", "fr": "fr/"}
# Words the guides use that no address holds (a result can only come from the index).
QUERIES = {"en": "passport", "es": "pasaporte", "pt": "passaporte", "fr": "passeport"}
SEARCH_FILE = re.compile(r"(?:^|/)(?:search|kb-search)/")


def search_files(urls: list[str], base: str) -> list[str]:
    """The search files among `urls`, relative to `base` (the site's root)."""
    return [url[len(base):] for url in urls if url.startswith(base) and SEARCH_FILE.search(url[len(base):])]


def libraries(lang: str) -> set[str]:
    names = ["worker.js", "lunr.min.js", "lunr.stemmer.support.min.js", "core.js"]
    if search.pack(lang):
        names.append(search.pack(lang))
    return {f"assets/kb-search/{name}" for name in names}


def settled(p, files, needed: set[str], timeout: float = 20.0, quiet: float = 1.0) -> list[str]:
    """files() once it holds `needed` and has not grown for `quiet` seconds (or at `timeout`)."""
    deadline, last, since = time.monotonic() + timeout, None, time.monotonic()
    while time.monotonic() < deadline:
        now = files()
        if now != last:
            last, since = now, time.monotonic()
        elif needed <= set(now) and time.monotonic() - since >= quiet:
            break
        p.wait_for_timeout(100)
    return last


def results(p) -> list[str]:
    p.wait_for_selector(".md-search-result__item", timeout=20_000)
    return [a.get_attribute("href") for a in p.query_selector_all(".md-search-result__link")]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_chapter_page_load_fetches_no_search_file(served_site, recorded_page, lang):
    p = recorded_page.page
    p.goto(served_site + LANGS[lang] + CHAPTER)
    p.wait_for_load_state("networkidle")
    p.mouse.wheel(0, 2000)  # reading: scrolling starts nothing either
    p.wait_for_timeout(500)
    assert search_files(recorded_page.requests, served_site) == []
    assert recorded_page.requests[0] == served_site + LANGS[lang] + CHAPTER
    assert recorded_page.failed == [] and recorded_page.console_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_typing_a_query_fetches_only_the_files_it_needs_once(built_site, served_site, recorded_page, lang):
    p = recorded_page.page
    p.goto(served_site + LANGS[lang] + CHAPTER)
    p.wait_for_load_state("networkidle")
    loaded = len(recorded_page.requests)
    p.click(".md-search__input", force=True)
    query = QUERIES[lang]
    p.keyboard.type(query, delay=40)
    hrefs = results(p)
    assert hrefs and all(h.startswith(served_site + LANGS[lang]) for h in hrefs), hrefs
    root = LANGS[lang] + "search/"
    # What answering the whole word reads, and what answering each prefix typed on the way may.
    needed = libraries(lang) | {root + "search_index.json"} | {root + f for f in search.files_for(built_site, LANGS[lang], query)}
    allowed = set(needed)
    for end in range(1, len(query)):
        allowed |= {root + f for f in search.files_for(built_site, LANGS[lang], query[:end])}
    # The first results may be a prefix's: wait until the whole word's files came and the
    # search has fetched nothing more for a second (the page's networkidle was reached at
    # load, so waiting for it again returns at once).
    fetched = settled(p, lambda: search_files(recorded_page.requests[loaded:], served_site), needed)
    assert needed <= set(fetched), sorted(needed - set(fetched))
    assert set(fetched) <= allowed, sorted(set(fetched) - allowed)
    # Each file once; the manifest (under 1 kB) twice: the worker fetches it as it starts,
    # while Material's bundle fetches it to hand it over (kbtools/search/worker.js).
    manifest = root + "search_index.json"
    assert fetched.count(manifest) == 2
    others = [f for f in fetched if f != manifest]
    assert len(others) == len(set(others)), sorted(f for f in others if others.count(f) > 1)
    # A small part of the index: not every term shard, not every page's text.
    shards = search.shard_files(built_site / root)
    for folder in ("terms", "text"):
        mine = [f for f in fetched if f.startswith(f"{root}{folder}/")]
        total = [s for s in shards if s.parent.name == folder]
        assert 0 < len(mine) < len(total) / 2, (folder, mine)
    assert recorded_page.failed == [] and recorded_page.console_errors == []


@pytest.mark.parametrize("where", ["online", "offline"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_query_inserted_without_key_events_is_answered(request, recorded_page, where, lang):
    """Dictation or a paste: an input event and no key, straight after the search opens."""
    p = recorded_page.page
    if where == "online":
        base = request.getfixturevalue("served_site")
        p.goto(base + LANGS[lang] + CHAPTER)
    else:
        tree = request.getfixturevalue("offline_copy")(lang)  # the language's offline zip
        base = tree.as_uri() + "/"
        p.goto((tree / LANGS[lang] / CHAPTER / "index.html").as_uri())
    p.wait_for_load_state("networkidle")
    assert search_files(recorded_page.requests, base) == []
    p.click(".md-search__input", force=True)
    p.keyboard.insert_text(QUERIES[lang])
    hrefs = results(p)
    resolved = [p.evaluate("h => new URL(h, document.baseURI).href", h) for h in hrefs]
    assert resolved and all(url.startswith(base + LANGS[lang]) for url in resolved), resolved
    assert p.locator(".md-search-result__link mark").count() > 0
    if where == "offline":
        assert all(url.startswith("file://") for url in recorded_page.requests)
        # The shards came as their script twins (file:// allows no fetch).
        assert any(re.search(r"/search/terms/\d+\.js$", url) for url in recorded_page.requests)
    assert recorded_page.failed == [] and recorded_page.console_errors == []
