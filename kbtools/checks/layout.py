"""Layout: one sentence per line (kbtools/segment.py), the form `kb fmt` writes.

Diffs then show the sentence that changed, and a CAT tool's segments are the
lines of the page (docs/translating.md).
"""
from __future__ import annotations

from kbtools import segment
from kbtools.checks.registry import check


@check("sentence-per-line")
def sentence_per_line(doc, config):
    """A line of a paragraph, list item or box holds two sentences, or a sentence is broken across lines.

    Bad:  The Protocol defines trafficking. It has three elements.
          A [national referral
          mechanism](glossary.md#national-referral-mechanism) coordinates the services.
    Good: The Protocol defines trafficking.
          It has three elements.
          A [national referral mechanism](glossary.md#national-referral-mechanism) coordinates the services.
    """
    words = segment.abbreviations((doc.lang, config.reference) if doc.lang else None, config.data_dir)
    for line, problem in segment.check_lines(doc.text, words):
        yield line, 1, f"{problem} (`kb fmt {doc.path}` rewrites the file so)"
