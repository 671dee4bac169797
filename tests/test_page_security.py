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
        inline = page_security.scan(html).inline_scripts
        assert inline and all(page_security.script_hash(text) in script_src for text in inline)
