"""Python-Markdown extension: links to other sites open without leaking the page.

Every link whose target is on another origin gets rel="noopener noreferrer",
so the site the reader goes to learns neither the page nor the window.
"""
from __future__ import annotations

from urllib.parse import urlparse

from markdown import Extension
from markdown.treeprocessors import Treeprocessor


class ExternalLinks(Treeprocessor):
    def run(self, root):
        for element in root.iter("a"):
            href = element.get("href", "")
            if urlparse(href).scheme in ("http", "https") or href.startswith("//"):
                rel = set(element.get("rel", "").split()) | {"noopener", "noreferrer"}
                element.set("rel", " ".join(sorted(rel)))


class ExternalLinksExtension(Extension):
    def extendMarkdown(self, md):
        # After inline parsing (priority < 20) so that every <a> exists.
        md.treeprocessors.register(ExternalLinks(md), "kb_external_links", 5)
