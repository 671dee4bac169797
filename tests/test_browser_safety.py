"""Reader safety in real Chromium: quick exit, same-origin requests, CSP,
language switch and phone-sized rendering. axe-core over these pages (PAGES)
and every other: tests/test_accessibility_all.py."""
from __future__ import annotations


import pytest

from kbtools import data
from conftest import ROOT, build, fixture_config, md

pytestmark = pytest.mark.browser

LANGS = {"en": "", "es": "es/", "pt": "pt/", "fr": "fr/"}
NEUTRAL = "https://www.wikipedia.org/"  # extra.quick_exit_url in mkdocs.yml
ARTIFACTS = ROOT / "test-artifacts"
CHAPTER = "investigation/evidence/"
# Pages a reader of each kind meets; visited in every language.
PAGES = {
    "home": "",
    "guide overview": "migration/",
    "chapter": CHAPTER,
    "glossary": "glossary/",
    "country profile": "countries/peru/",
    "downloads": "downloads/",
    "checklist chapter": "investigation/child-victims/",
    "law comparison": "countries/comparison/",
    "case law": "case-law/",
    "tool form": "tools/referral-consent/",
    "indicator card": "tools/indicators-border/",
    "self-check": "training/migration/",
    "mock trial": "training/mock-trial/",
}
EXIT_LABELS = {"en": "Exit this page", "es": "Salir de esta página",
               "pt": "Sair desta página", "fr": "Quitter cette page"}
# What the live region says after two presses: the page fills {count} into data/ui.yml's text.
COUNT_TEXT = {lang: data.ui("quick_exit_count", lang).replace("{count}", "2") for lang in LANGS}


@pytest.fixture
def neutral_stub(recorded_page):
    """The neutral site, answered locally: the test never leaves the machine."""
    hits = []

    def answer(route):
        hits.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>neutral</title><p>neutral</p>")
    recorded_page.page.context.route(NEUTRAL + "**", answer)
    return hits


def assert_left_for_good(p, site: str) -> None:
    """On the neutral site, and Back does not bring the page back (location.replace)."""
    p.wait_for_url(NEUTRAL)
    p.go_back()
    assert not p.url.startswith(site)


@pytest.mark.parametrize("lang", LANGS)
def test_quick_exit_button_blanks_at_once_and_back_does_not_return(served_site, recorded_page, neutral_stub, lang):
    p = recorded_page.page
    p.goto(served_site + LANGS[lang] + CHAPTER)
    button = p.locator("#kb-exit")
    assert button.inner_text() == EXIT_LABELS[lang]
    state = p.evaluate("""() => { document.getElementById('kb-exit').click();
        return [document.documentElement.classList.contains('kb-exiting'),
                getComputedStyle(document.body).display, document.title]; }""")
    assert state == [True, "none", ""]
    assert_left_for_good(p, served_site)


@pytest.mark.parametrize("lang", LANGS)
def test_shift_three_times_exits_and_announces_the_count(served_site, recorded_page, neutral_stub, lang):
    p = recorded_page.page
    p.goto(served_site + LANGS[lang])
    p.keyboard.press("Shift")
    p.keyboard.press("Shift")
    assert p.locator(".kb-exit__status").inner_text() == COUNT_TEXT[lang]
    p.keyboard.press("Shift")
    assert_left_for_good(p, served_site)


@pytest.mark.parametrize("lang", LANGS)
def test_other_keys_reset_the_shift_count(served_site, recorded_page, neutral_stub, lang):
    p = recorded_page.page
    p.goto(served_site + LANGS[lang])
    for key in ("Shift", "Shift", "a", "Shift", "Tab", "Shift"):
        p.keyboard.press(key)
    p.wait_for_timeout(300)
    assert p.url.startswith(served_site) and neutral_stub == []


def test_shift_presses_more_than_five_seconds_apart_do_not_exit(served_site, recorded_page, neutral_stub):
    p = recorded_page.page
    p.clock.install()
    p.goto(served_site)
    p.keyboard.press("Shift")
    p.keyboard.press("Shift")
    p.clock.run_for(5100)
    p.keyboard.press("Shift")
    p.wait_for_timeout(300)
    assert p.url.startswith(served_site) and neutral_stub == []


def test_page_restored_from_back_forward_cache_leaves_again(served_site, recorded_page):
    """pageshow with persisted=true after an exit replaces the location again."""
    p = recorded_page.page
    attempts = []
    # 204 No Content: the browser stays on the (blanked) page, as if Back had restored it.
    p.context.route(NEUTRAL + "**", lambda route: (attempts.append(1), route.fulfill(status=204)))
    p.goto(served_site)
    p.evaluate("document.getElementById('kb-exit').click()")
    p.wait_for_timeout(300)
    p.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    p.wait_for_timeout(300)
    assert len(attempts) == 2
    assert p.evaluate("document.documentElement.classList.contains('kb-exiting')")


@pytest.mark.parametrize("lang", LANGS)
def test_every_request_is_same_origin_without_csp_violation_or_console_error(served_site, recorded_page, lang):
    p = recorded_page.page
    p.add_init_script("""window.__csp = [];
        document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));""")
    violations = []
    for path in PAGES.values():
        p.goto(served_site + LANGS[lang] + path)
        p.wait_for_load_state("networkidle")
        violations += p.evaluate("window.__csp")
    # Search loads its worker and index: exercise it too.
    p.click(".md-search__input", force=True)
    p.keyboard.type("victim", delay=20)
    p.wait_for_selector(".md-search-result__item")
    violations += p.evaluate("window.__csp")
    assert violations == []
    assert recorded_page.console_errors == []
    assert recorded_page.failed == []
    foreign = [url for url in recorded_page.requests if not url.startswith(served_site)]
    assert foreign == []
    assert len(recorded_page.requests) > len(PAGES)


@pytest.mark.parametrize("source, target", [("en", "es"), ("es", "pt"), ("pt", "fr"), ("fr", "en")])
def test_language_switcher_lands_on_the_same_page(served_site, recorded_page, source, target):
    p = recorded_page.page
    p.goto(served_site + LANGS[source] + CHAPTER)
    p.hover(".md-header__option .md-select")
    p.click(f"a.md-select__link[hreflang={target}]")
    p.wait_for_load_state()
    assert p.url == served_site + LANGS[target] + CHAPTER
    assert p.locator("html").get_attribute("lang") == target


def test_fallback_page_shows_its_notice(browser, tmp_path):
    """A page missing in Portuguese, served and opened in Chromium."""
    from kbtools.localserver import serve

    home = md("Home", "Hello.")
    result = build(tmp_path, {"index.en.md": home, "chapter.en.md": md("Chapter", "English only.")},
                   fixture_config(tmp_path, nav=["index.md", "chapter.md"]))
    assert result.returncode == 0, result.stderr
    with serve(tmp_path / "site") as url:
        p = browser.new_page()
        p.goto(url + "pt/chapter/")
        notice = p.locator("[data-kb-notice=fallback]")
        assert notice.is_visible()
        assert notice.inner_text().strip() == (
            "Esta página ainda não está disponível em Português; você está lendo a versão em inglês.")
        p.close()


@pytest.mark.parametrize("lang", LANGS)
def test_phone_viewport_keeps_the_exit_button_on_screen(browser, served_site, lang):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
    p = context.new_page()
    for name, path in (("home", ""), ("chapter", CHAPTER)):
        p.goto(served_site + LANGS[lang] + path)
        p.mouse.wheel(0, 3000)  # still there after scrolling
        p.wait_for_timeout(200)
        box = p.locator("#kb-exit").bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844
        p.screenshot(path=str(ARTIFACTS / f"phone-{lang}-{name}.png"))
    context.close()
