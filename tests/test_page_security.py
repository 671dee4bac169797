"""The build's own guards: no foreign script published, external links that
leak nothing, a CSP that hashes exactly the inline scripts of the page."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import build, fixture_config, md, page
from kbtools import page_security


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>",
    '<p onclick="steal()">Hi</p>',
    "[Open](javascript:alert(1))",
    "## Heading { onclick=\"alert(1)\" }",
    '<iframe src="https://example.org/"></iframe>',
])
@pytest.mark.build
def test_build_refuses_a_page_carrying_script(tmp_path, body):
    files = {"index.en.md": md("Home", "Welcome."), "page.en.md": md("Page", body)}
    result = build(tmp_path, files, fixture_config(tmp_path, nav=["index.md", "page.md"]))
    assert result.returncode != 0
    assert "page.en.md" in result.stderr and "refusing to publish" in result.stderr


@pytest.mark.build
def test_build_refuses_the_feature_that_puts_search_words_in_urls(tmp_path):
    """search.highlight gives every result link ?h=<the words searched>: history keeps them."""
    config = fixture_config(tmp_path, nav=["index.md"])
    config["theme"]["features"] = ["navigation.footer", "search.highlight"]
    result = build(tmp_path, {"index.en.md": md("Home", "Welcome.")}, config)
    assert result.returncode != 0
    assert "search.highlight" in result.stderr and "history" in result.stderr


def test_external_links_leak_nothing_and_pages_send_no_referrer(built_site):
    external = 0
    for path in sorted(built_site.rglob("*.html"))[:400]:
        doc = page(path)
        if doc.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        assert doc.find("meta", attrs={"name": "referrer"})["content"] == "no-referrer", path
        for a in doc.select("a[href^='http']"):
            if urlparse(a["href"]).hostname != "kb.example.org":
                external += 1
                assert {"noopener", "noreferrer"} <= set(a.get("rel", [])), (path, a["href"])
    assert external > 50


def test_csp_lists_the_hash_of_every_inline_script_and_nothing_unsafe(built_site):
    for path in (built_site / "index.html", built_site / "es/investigation/evidence/index.html", built_site / "404.html"):
        html = path.read_text(encoding="utf-8")
        doc = page(html)
        policy = doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        inline = [s.string for s in doc.find_all("script") if not s.get("src") and s.string and s.string.strip()
                  and s.get("type", "").strip().lower() in page_security.EXECUTABLE_TYPES]
        assert inline and all(page_security.script_hash(text) in script_src for text in inline)


# --- the scan parses a page as the reader's browser does ----------------------------

# Chromium's DOMParser: the browser's HTML parser, without running or loading anything.
# Its scripting flag is off, so <noscript> holds elements there as in Lexbor; a reader's
# browser would see text there, which only makes the scan stricter.
BROWSER_SCAN = """(html) => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const attrs = (el) => Object.fromEntries([...el.attributes].map((a) => [a.name.toLowerCase(), a.value]));
  const scripts = [...doc.querySelectorAll('script')].map((s) => [attrs(s), s.textContent]);
  const content = [...doc.querySelectorAll('article, article *')].map((el) => [el.localName, attrs(el)]);
  return {scripts, content};
}"""

EXECUTABLE = page_security.EXECUTABLE_TYPES


def browser_scan(p, html: str) -> tuple:
    """What the scan reports, worked out from the DOM Chromium builds of `html`."""
    seen = p.evaluate(BROWSER_SCAN, html)
    srcs = [a["src"] for a, _ in seen["scripts"] if a.get("src")]
    inline = [text for a, text in seen["scripts"]
              if not a.get("src") and a.get("type", "").strip().lower() in EXECUTABLE and text.strip()]
    return inline, srcs, page_security.content_problems((tag, attrs) for tag, attrs in seen["content"])


def lexbor_scan(html: str) -> tuple:
    found = page_security.scan(html)
    return found.inline_scripts, found.script_srcs, found.problems


PAGE = ('<!doctype html><html><head><meta charset="utf-8"><title>T</title>\n'
        '<script>var a=1</script>\n<script src="assets/x.js"></script>{head}</head><body>'
        '<nav><a href="a/">A</a></nav><article class="md-content__inner">{article}</article>'
        '<script>var b=2</script></body></html>')

TRICKY = [
    ("", "<p>text</p>"),
    ("<!-- <script>var hidden=1</script> -->", "<p>text</p>"),
    ('<meta name="x" content="<script>var c=3</script>">', ""),
    ("<title>x <script>var d=4</script></title>", ""),
    ("<style>p{}</style><script>var e=5</script>", '<p onclick="x()">bad</p>'),
    ("text <script>var f=6</script>", "<script>var g=7</script>"),
    ("<script>var h='</scr'+'ipt>'</script>", ""),
    ("<SCRIPT type=module>var i=8</SCRIPT >", ""),
    ("<script>var j=1;\r\nvar k=2</script>", ""),  # the browser hashes the text with \n
    ("", "<p>x</article><p onclick=\"y()\">after a stray end tag</p>"),
    ("", "</p></div></article><img src=x onerror=\"z()\">"),
    ("", '<svg><script>alert(1)</script><a xlink:href="javascript:alert(2)">s</a></svg>'),
    ("", "<math><mtext><script>alert(3)</script></mtext></math>"),
    ("", "<table><tr><td><a href=\"JaVa&#x09;ScRiPt:alert(4)\">t</a></td></tr></table>"),
    ("", "<template><script>alert(5)</script></template>"),
    ("", "<noscript><p onmouseover=\"w()\">n</p></noscript>"),
    ("", "<textarea><script>not(6)</script></textarea><p style=\"background:url(x)\">s</p>"),
    ("", "<article><p onfocus=\"v()\">nested</p></article><p>rest</p>"),
    ("<script type=\"text/plain\">not run</script><script type=\" TEXT/JavaScript \">run()</script>", ""),
]


@pytest.mark.parametrize("head, article", TRICKY)
def test_page_scan_finds_what_the_browser_builds(browser, head, article):
    html = PAGE.format(head=head, article=article)
    p = browser.new_page()
    try:
        assert lexbor_scan(html) == browser_scan(p, html)
    finally:
        p.close()


def test_page_scan_of_every_built_page_matches_the_browser(browser, built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 300
    p = browser.new_page()
    try:
        for path in pages:
            html = path.read_text(encoding="utf-8")
            ours = lexbor_scan(html)
            assert ours == browser_scan(p, html), path
            assert ours[0] and not ours[2], path  # Material's inline scripts; nothing in the content
    finally:
        p.close()


def test_scan_refuses_what_hides_in_the_content():
    found = page_security.scan(PAGE.format(head="", article=(
        "<p>ok</p><template><p>inert</p></template><img src=x onerror=\"z()\">"
        "<a href=\" javascript:alert(1)\">a</a><iframe></iframe>")))
    assert found.problems == [
        "<template> in the page's content",
        "event handler attribute onerror= on <img> in the page's content",
        "href=' javascript:alert(1)' on <a> in the page's content",
        "<iframe> in the page's content",
    ]
    assert found.inline_scripts == ["var a=1", "var b=2"] and found.script_srcs == ["assets/x.js"]
