"""Material's search entries, from each page parsed by Lexbor instead of html.parser.

Material's search plugin divides a page's HTML into sections with its `Parser`,
an `html.parser.HTMLParser`: a tokenizer in pure Python that took 15% of a
language's build. Here the same `Parser`'s handlers are called from Lexbor's tree
of the page (selectolax): each start tag, text and end tag in document order, as
html.parser would call them for the well-formed HTML that Markdown writes. The
sections and entries are made by Material's own code; only the tokenizer differs.
The kb plugin puts this index in place of Material's (kbtools/theme.py
SEARCH_INDEX_*), and tests/test_material_equivalence.py compares the two on
pages written to tell them apart, on generated pages and on a language of the
real site.
"""
from __future__ import annotations

from material.plugins.search.plugin import Parser
from material.plugins.search.plugin import SearchIndex as MaterialSearchIndex
from selectolax.lexbor import LexborHTMLParser

def sections(html: str) -> Parser:
    """Material's Parser, fed `html` (a page's content) through Lexbor's tree."""
    parser = Parser()
    node = LexborHTMLParser(html, is_fragment=True).root
    open_elements = []
    while node is not None:
        if node.is_text_node:
            parser.handle_data(node.text_content)
        elif node.is_element_node:
            parser.handle_starttag(node.tag, list(node.attributes.items()))
            if node.child is not None:
                open_elements.append(node)
                node = node.child
                continue
            # An empty element ends at once. For a void one (<br>) Material's handler
            # ignores the end, as it does for html.parser's <br/>: it never opened it.
            parser.handle_endtag(node.tag)
        while node.next is None and open_elements:
            node = open_elements.pop()
            parser.handle_endtag(node.tag)
        node = node.next
    return parser


class SearchIndex(MaterialSearchIndex):
    """Material's index, with each page's sections found by `sections`."""

    @classmethod
    def replacing(cls, index: MaterialSearchIndex) -> "SearchIndex":
        ours = cls(**index.config)
        ours.entries = index.entries
        return ours

    # Material's add_entry_from_context, with `sections` for its Parser.feed.
    def add_entry_from_context(self, page):
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        for section in sections(page.content).data:
            if not section.is_excluded():
                self.create_entry_for_section(section, page.toc, page.url, page)
