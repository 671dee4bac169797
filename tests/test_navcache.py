"""The sidebar's sections a page is not in are rendered once per build
(kbtools/plugin/navcache.py): every page must still get the bytes Material's loop
writes for it, with its own relative links."""
from __future__ import annotations

from types import SimpleNamespace

from jinja2 import DictLoader, Environment
from mkdocs.utils.templates import url_filter

from kbtools.plugin import navcache

# nav.html's loop and a render macro that, like nav-item.html's, reads the page only
# to mark the active item, and links through the `url` filter.
TEMPLATES = {
    "item.html": """{% macro render(nav_item, path, level) %}{% set _ = calls.append(nav_item.title) %}
<li id="{{ path }}"{% if nav_item.active %} class="active"{% endif %}>
<a href="{{ nav_item.url | url }}">{{ nav_item.title }}</a>
{% for child in nav_item.children or [] %}{{ render(child, path ~ "_" ~ loop.index, level + 1) }}{% endfor %}
</li>{% endmacro %}""",
    "nav.html": """{% import "item.html" as item with context %}<ul>
{% for nav_item in nav %}{% set path = "__nav_" ~ loop.index %}
{% if kb_nav_item is defined %}{{ kb_nav_item(item.render, nav_item, path) }}
{% else %}{{ item.render(nav_item, path, 1) }}
{% endif %}{% endfor %}</ul>""",
}


def _item(title, url, children=None):
    return SimpleNamespace(title=title, url=url, children=children, active=False)


def _environment(cached: bool) -> Environment:
    env = Environment(loader=DictLoader(TEMPLATES))
    env.filters["url"] = url_filter
    if cached:
        navcache.install(env)
    return env


def _render_all(env, nav, pages) -> tuple[list[str], list[str]]:
    calls, out = [], []
    for page in pages:
        for item in nav:  # what MkDocs does: the page and the sections that hold it are active
            item.active = item is page or page in (item.children or [])
        out.append(env.get_template("nav.html").render(nav=nav, page=page, base_url=".", calls=calls))
    return out, calls


def test_each_page_gets_the_uncached_markup_and_an_inactive_section_is_rendered_once():
    home = _item("Home", "")
    chapter, deep = _item("Chapter", "guides/a/chapter/"), _item("Deep", "guides/a/b/deep/")
    guide = _item("Guide", "guides/a/", [chapter, deep])
    other = _item("Other", "tools/x/", [_item("Tool", "tools/x/tool/"), _item("File", "tools/x/list.html")])
    nav = [home, guide, other]
    pages = [home, chapter, deep, home, chapter]
    plain, plain_calls = _render_all(_environment(False), nav, pages)
    cached, cached_calls = _render_all(_environment(True), nav, pages)
    assert cached == plain
    assert plain[0] != plain[1] != plain[2]  # the links are relative to each page
    assert 'href="../../../tools/x/tool/"' in cached[1] and 'href="tools/x/tool/"' in cached[0]
    # "Other" and its two children once; "Guide" on each of the 3 pages it is active on,
    # and once for the 2 it is not.
    assert cached_calls.count("Other") == 1 and cached_calls.count("Tool") == 1
    assert plain_calls.count("Other") == len(pages)
    assert cached_calls.count("Guide") == 3 + 1


def test_installing_twice_wraps_mkdocs_filter_once():
    env = _environment(True)
    navcache.install(env)
    assert env.filters["url"].__self__.url is url_filter


def test_a_fragment_with_a_delimiter_of_its_own_is_rendered_each_time():
    nav = [_item("Odd\x00title", "odd/"), _item("Home", "")]
    out, calls = _render_all(_environment(True), nav, [None, None])
    assert out == _render_all(_environment(False), nav, [None, None])[0]
    assert calls.count("Odd\x00title") == 1 + 2  # the attempt to store it, then each page
