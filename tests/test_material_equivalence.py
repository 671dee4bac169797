"""Two places where the build runs Material's own logic faster, each of which must give
Material's bytes: the sidebar's sections a page is not in, rendered once per build
(kbtools/plugin/navcache.py, unit tests in test_navcache.py), and the search index's
sections found through Lexbor's tree instead of html.parser (kbtools/search/entries.py)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser

from conftest import ROOT
from kbtools import sitebuild
from kbtools.search.entries import sections
from test_parallel_build import tree_differences


def _materials(html: str) -> Parser:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return parser


def _dump(parse, html: str) -> list:
    """The sections, or the error: Material's own Parser fails on some nestings of an
    excluded block (ValueError from its end-tag handler), and so must ours."""
    try:
        parser = parse(html)
    except ValueError as exc:
        return [("error", str(exc))]
    return [(repr(s), s.id, s.title, s.text, s.depth, s.is_excluded()) for s in parser.data]


PAGES = {
    "title, permalink, code, list": '<h1 id="t">Title<a class="headerlink" href="#t">¶</a></h1>\n'
                                    '<p>Intro &amp; more <code>x&lt;y</code></p>\n<h2 id="a">A</h2>\n'
                                    '<ul>\n<li>one</li>\n<li><p>two</p></li>\n</ul>',
    "preface, excluded block": '<p>preface</p><h2 id="b">B</h2><div data-search-exclude><p>hidden</p></div><p>after</p>',
    "heading in an admonition, pre": '<h2 id="b">B first</h2><pre><code>line1\n  line2\n</code></pre>'
                                     '<div class="admonition"><h3 id="n">Nested</h3><p>in</p></div><p>out</p>',
    "leading space, table, empty paragraphs": '  <h1 id="x">X</h1><table><thead><tr><th>a</th></tr></thead><tbody>'
                                              '<tr><td>b<br>c</td></tr></tbody></table><p></p><p> </p><sub>s</sub>',
    "details, script, style, image": '<details><summary>S</summary><p>d</p></details><script>var x=1;</script>'
                                     '<style>p{}</style><p>e<img src="x" alt="y">f</p>',
    "line numbers, heading without id": '<h3>No id</h3><table class="highlighttable"><tbody><tr><td class="linenos">'
                                        '<div class="linenodiv"><pre>1\n2</pre></div></td><td><pre>a\nb</pre></td>'
                                        '</tr></tbody></table><h2 id="z">Z &lt;&gt;</h2><ol><li>x</li></ol>',
}


@pytest.mark.parametrize("html", PAGES.values(), ids=PAGES.keys())
def test_the_sections_are_materials(html):
    assert _dump(sections, html) == _dump(_materials, html)


# Well-formed HTML as Markdown writes it: headings (with and without ids, with a
# permalink), paragraphs, lists, code, excluded blocks, text with entities and spaces.
_text = st.text(alphabet=st.sampled_from("ab &<>\"'\n\t é"), max_size=12).map(
    lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
_inline = st.recursive(_text, lambda inner: st.one_of(
    st.tuples(st.sampled_from(["code", "strong", "em", "sub", "a"]), st.lists(inner, max_size=3)).map(
        lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"),
    st.lists(inner, max_size=3).map(lambda parts: "<br>".join(parts))), max_leaves=6)


def _heading(level, ident, inner, permalink):
    anchor = f'<a class="headerlink" href="#{ident}">¶</a>' if permalink and ident else ""
    id_attr = f' id="{ident}"' if ident else ""
    return f"<h{level}{id_attr}>{inner}{anchor}</h{level}>"


_block = st.recursive(
    st.one_of(
        st.builds(_heading, st.integers(1, 4), st.sampled_from(["", "a", "b-1"]), _inline, st.booleans()),
        _inline.map(lambda t: f"<p>{t}</p>"),
        _text.map(lambda t: f"<pre><code>{t}</code></pre>"),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
        st.tuples(st.sampled_from(['<div class="admonition">', "<div data-search-exclude>", "<details>",
                                   "<blockquote>"]), st.lists(inner, max_size=3)).map(
            lambda t: t[0] + "\n".join(t[1]) + "</" + t[0][1:].split()[0].rstrip(">") + ">")),
    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(_block, max_size=6).map("\n".join))
def test_generated_pages_give_materials_sections(html):
    assert _dump(sections, html) == _dump(_materials, html)


@pytest.mark.build
def test_the_real_site_is_the_same_with_materials_own_code(tmp_path):
    """One language of the real sources, built with the nav cache and the search index's
    Lexbor sections (the defaults), then with Material's loop and html.parser: every
    file, every byte (the search index included)."""
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for out, options in ((ours, {}), (theirs, {"nav_cache": False, "search_parser": "html.parser"})):
        result = sitebuild.build_language(str(ROOT), "es", str(out), options=options)
        assert "error" not in result, result
    assert len(list(ours.rglob("*.html"))) > 50  # the whole language, not a stub
    entries = json.loads((ours / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert len(entries) > 500
    assert tree_differences(ours, theirs) == []
