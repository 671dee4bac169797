"""The built site in real Chromium: no failed request, no console error."""
from __future__ import annotations

import pytest

PAGES = ["", "investigation/evidence/", "glossary/"]


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "es/", "pt/", "fr/"])
def test_pages_load_without_errors_or_failed_requests(served_site, recorded_page, prefix):
    for path in PAGES:
        recorded_page.page.goto(served_site + prefix + path)
        recorded_page.page.wait_for_load_state("networkidle")
    assert recorded_page.failed == []
    assert recorded_page.console_errors == []
    assert all(url.startswith(served_site) for url in recorded_page.requests)


@pytest.mark.browser
def test_language_switcher_lands_on_the_same_page(served_site, recorded_page):
    p = recorded_page.page
    p.goto(served_site + "investigation/evidence/")
    p.click("button[aria-label='Select language']", force=True)
    p.click("a.md-select__link[hreflang=es]")
    p.wait_for_load_state()
    assert p.url == served_site + "es/investigation/evidence/"
    assert p.locator("html").get_attribute("lang") == "es"
