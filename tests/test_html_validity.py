"""The Nu Html Checker over every HTML file of the built site, every language, in
one Java process: no error in markup the project controls. Errors of Material's
own markup that the project leaves as they are would be allowed by name in
kbtools/theme.py NU_ALLOWED (empty: all are fixed in kbtools/plugin/markup.py),
and an allowed error that no longer occurs fails, so the list only shrinks."""
from __future__ import annotations

import time
from pathlib import Path

from conftest import _needs
from kbtools import nu, theme


def test_every_page_of_the_site_is_valid_html(built_site):
    _needs("the Nu Html Checker", nu.missing() is None, nu.missing() or "")
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 300  # every language, 404s included
    started = time.perf_counter()
    found = nu.check(built_site)
    seconds = time.perf_counter() - started
    errors = nu.unexpected(found, theme.NU_ALLOWED)
    assert not errors, (f"{len(errors)} Nu Html Checker errors in {len(pages)} pages ({seconds:.0f} s):\n"
                        + "\n".join(str(f) for f in errors[:200]))
    assert nu.stale(found, theme.NU_ALLOWED) == [], "fixed: drop these entries of theme.NU_ALLOWED"


# --- the report, on made-up checker output (no Java needed) -----------------------

REPORT = {"messages": [
    {"type": "error", "url": "file:/srv/site/es/guide/index.html", "lastLine": 12,
     "message": "The value of the \u201cfor\u201d attribute of the \u201clabel\u201d element must be the ID of a "
                "non-hidden form control."},
    {"type": "info", "subType": "warning", "url": "file:/srv/site/index.html", "lastLine": 3,
     "message": "Inline script violates Content Security Policy."},
    {"type": "info", "url": "file:/srv/site/index.html", "message": "Trailing slash on void elements."},
    {"type": "non-document-error", "subType": "io", "url": "file:/srv/site/broken%20page.html",
     "message": "File not found."},
]}


def test_the_report_lists_errors_as_path_line_message():
    found = nu.findings(REPORT, Path("/srv/site"))
    assert [str(f) for f in found] == [
        "broken page.html:0: File not found.",
        "es/guide/index.html:12: The value of the \u201cfor\u201d attribute of the \u201clabel\u201d element must "
        "be the ID of a non-hidden form control.",
    ]


def test_an_allowed_error_passes_and_a_stale_allowance_is_named():
    found = nu.findings(REPORT, Path("/srv/site"))
    allowed = {"label-for": {"template": "partials/toc.html", "markup": "for=", "reason": "demo",
                             "message": r"attribute of the .label. element"},
               "gone": {"template": "base.html", "markup": "x", "reason": "demo", "message": "no such message"}}
    assert [f.message for f in nu.unexpected(found, allowed)] == ["File not found."]
    assert nu.stale(found, allowed) == ["gone"]


def test_every_allowed_error_says_where_and_why():
    for name, entry in theme.NU_ALLOWED.items():
        assert set(entry) == {"template", "markup", "message", "reason"} and entry["reason"].strip(), name
