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


# --- the quick exit on a phone ---------------------------------------------------

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 1}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# A desktop browser's window as narrow as a phone: mouse and keyboard, one column.
NARROW = {"viewport": {"width": 600, "height": 900}}
DEVICES = {"phone": PHONE, "desktop": DESKTOP, "narrow window": NARROW}
# Every element of the article that holds text a reader reads.
TEXT = "article.md-content__inner :is(p, li, h1, h2, h3, h4, dt, dd, td, th, summary)"
# Text whose box meets the exit control's box outside the header's box (what
# the header covers is out of reading already): the control covers it.
COVERED = """selector => {
    const rect = el => el.getBoundingClientRect();
    const exit = rect(document.querySelector('.kb-exit'));
    const header = rect(document.querySelector('.md-header'));
    const covered = [];
    for (const el of document.querySelectorAll(selector)) {
        const r = rect(el);
        const meet = {left: Math.max(r.left, exit.left), right: Math.min(r.right, exit.right),
                      top: Math.max(r.top, exit.top), bottom: Math.min(r.bottom, exit.bottom)};
        if (meet.left >= meet.right || meet.top >= meet.bottom) continue;
        const underHeader = meet.left >= header.left && meet.right <= header.right
            && meet.top >= header.top && meet.bottom <= header.bottom;
        if (!underHeader) covered.push(el.tagName + ': ' + el.textContent.trim().slice(0, 50));
    }
    return covered;
}"""


def covered_at_scroll_positions(p, steps: int = 6) -> dict:
    """{scroll position: [text the exit control covers]} from the top of the page to its end."""
    found = {}
    end = p.evaluate("document.documentElement.scrollHeight - innerHeight")
    assert end > 2000  # a long page: the positions are different screens
    for step in range(steps):
        y = round(end * step / (steps - 1))
        p.evaluate("y => window.scrollTo(0, y)", y)
        p.wait_for_function("y => Math.abs(scrollY - y) < 2", arg=y)
        box = p.locator("#kb-exit").bounding_box()
        viewport = p.viewport_size
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]  # always reachable
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        found[y] = p.evaluate(COVERED, TEXT)
    return found


@pytest.mark.parametrize("device, path", [
    ("phone", CHAPTER), ("phone", "fr/" + CHAPTER), ("phone", "es/tools/first-responder/"),
    ("desktop", CHAPTER), ("desktop", "fr/" + CHAPTER), ("narrow window", "pt/" + CHAPTER),
])
def test_the_exit_control_never_covers_article_text(browser, served_site, device, path):
    context = browser.new_context(**DEVICES[device])
    p = context.new_page()
    p.goto(served_site + path)
    found = covered_at_scroll_positions(p)
    context.close()
    assert {y: text for y, text in found.items() if text} == {}


@pytest.mark.parametrize("device, shown", [("phone", False), ("desktop", True), ("narrow window", False)])
def test_the_shift_hint_shows_only_where_there_is_a_keyboard(browser, served_site, device, shown):
    """Not on a touch screen; not in the header's row of a narrow window either (no room)."""
    context = browser.new_context(**DEVICES[device])
    p = context.new_page()
    p.goto(served_site + CHAPTER)
    assert p.locator("#kb-exit").is_visible()
    assert p.locator("#kb-exit-hint").is_visible() is shown
    context.close()


def _settled_box(p, selector: str) -> dict:
    """The element's box once it stays put for two checks 100 ms apart (after transitions)."""
    before = None
    for _ in range(50):
        box = p.locator(selector).bounding_box()
        if box is not None and box == before:
            return box
        before = box
        p.wait_for_timeout(100)
    raise AssertionError(f"{selector} did not settle in 5 s: {before}")


def test_on_a_phone_the_open_search_box_keeps_its_buttons_clear_of_the_exit(browser, served_site):
    context = browser.new_context(**PHONE)
    p = context.new_page()
    p.goto(served_site + "fr/" + CHAPTER)
    p.tap("label.md-header__button[for=__search]")
    p.keyboard.type("preuve", delay=20)
    p.wait_for_selector(".md-search-result__item")
    exit_box = _settled_box(p, "#kb-exit")  # the search opens with a transition
    for selector in (".md-search__input", ".md-search__options button[type=reset]"):
        box = p.locator(selector).bounding_box()
        assert box["x"] + box["width"] <= exit_box["x"], selector
    # The exit is on top and answers a tap while search is open.
    centre = (exit_box["x"] + exit_box["width"] / 2, exit_box["y"] + exit_box["height"] / 2)
    assert p.evaluate("([x, y]) => document.elementFromPoint(x, y).id", list(centre)) == "kb-exit"
    context.close()


# --- Material's toggles without autocomplete (kbtools/plugin/markup.py) -------------

@pytest.mark.parametrize("toggle", ["drawer", "search"])
def test_back_does_not_reopen_the_drawer_or_the_search(browser, served_site, toggle):
    """Material put autocomplete=off on its toggles (invalid on a checkbox) so that
    Back does not restore them open; their form owner keeps it so, and no query
    comes back either."""
    context = browser.new_context(**PHONE)
    p = context.new_page()
    p.goto(served_site + CHAPTER)
    p.tap(f"label.md-header__button[for=__{toggle}]")
    assert p.is_checked(f"#__{toggle}")
    if toggle == "drawer":
        # The drawer opens on the chapter's guide: the next chapter.
        p.locator("nav.md-nav--primary a.md-nav__link[href='../digital-evidence/']").tap()
    else:
        p.keyboard.type(QUERY, delay=20)
        result_hrefs(p)
        p.locator(".md-search-result__link:has(mark)").first.tap()
    p.wait_for_url(lambda url: url != served_site + CHAPTER)
    p.go_back()
    p.wait_for_load_state("load")
    p.wait_for_timeout(300)  # form state is restored after load, before pageshow
    assert p.url == served_site + CHAPTER
    assert not p.is_checked(f"#__{toggle}")
    assert p.input_value(".md-search__input") == ""
    context.close()
