"""The one registry of `<!-- kb:name -->` markers: where a page has them, and what each becomes.

A marker is an HTML comment alone on its line, outside code: the build
(kbtools/plugin/pages.py) and the checks (kbtools/checks/markers.py) both find
markers with `locate`, which blanks code with the checks' own rules (closed
fences, code spans), and both expand them with `render`, so a marker in a
fenced example is left as text by both and an unknown name fails both.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

MARKER = re.compile(r"<!--[ \t]*kb:([a-z-]+)[ \t]*-->[ \t]*(?=\n|$)")


class MarkerError(ValueError):
    """A marker that cannot be expanded; the message says how to fix it."""


@dataclass(frozen=True)
class Context:
    """What a marker's Markdown depends on, for one page."""
    lang: str  # language of the page's text
    languages: tuple[str, ...]  # every site language, the reference language first
    data_dir: Path | None = None
    country: object = None  # the page's `country:` front matter
    base: str = ""  # folder of the page below guides/, for relative links
    names: dict = field(default_factory=dict)  # language code -> its name
    # The translation report (kbtools.translations.Report) for kb:translation-status;
    # None gives the table's headings and ids only (what the checks need).
    report: Callable[[], object] | None = None


def _glossary(ctx: Context) -> str:
    from kbtools import render

    return render.glossary(ctx.lang, ctx.languages, ctx.data_dir)


def _country_facts(ctx: Context) -> str:
    from kbtools import render

    if not ctx.country or not isinstance(ctx.country, str):
        raise MarkerError("a <!-- kb:country-facts --> page has no `country:` in its front matter; "
                          "add `country: <id>` with an id from data/countries.yml")
    return render.country_facts(ctx.country, ctx.lang, ctx.data_dir)


def _country_list(ctx: Context) -> str:
    from kbtools import render

    return render.country_list(ctx.lang, ctx.data_dir)


def _law_comparison(ctx: Context) -> str:
    from kbtools import render

    return render.law_comparison(ctx.lang, ctx.data_dir)


def _downloads(ctx: Context) -> str:
    from kbtools import downloads

    return downloads.slot(ctx.lang, ctx.data_dir)


def _translation_status(ctx: Context) -> str:
    from kbtools import render, translations

    report = ctx.report() if ctx.report else translations.Report(ctx.languages[0], list(ctx.languages))
    return render.translation_status(ctx.lang, report, ctx.names, ctx.base, ctx.data_dir)


RENDERERS: dict[str, Callable[[Context], str]] = {
    "glossary": _glossary,
    "country-facts": _country_facts,
    "country-list": _country_list,
    "law-comparison": _law_comparison,
    "downloads": _downloads,
    "translation-status": _translation_status,
}


def render(name: str, ctx: Context) -> str:
    """The Markdown `<!-- kb:name -->` stands for; raises MarkerError with a how-to-fix."""
    renderer = RENDERERS.get(name)
    if renderer is None:
        close = difflib.get_close_matches(name, RENDERERS, n=1)
        hint = f"did you mean kb:{close[0]}? " if close else ""
        raise MarkerError(f"unknown marker <!-- kb:{name} -->; {hint}markers are: {', '.join(RENDERERS)}")
    from kbtools import data, render as renderers

    try:
        return renderer(ctx)
    except (renderers.RenderError, data.DataError, KeyError, TypeError, AttributeError) as exc:
        raise MarkerError(f"<!-- kb:{name} --> cannot be rendered: {exc}") from None


def locate(markdown: str, start: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, name) of every marker of `markdown`, code excluded, as the checks see it."""
    if "kb:" not in markdown:
        return []
    from kbtools.checks.scan import mask_code

    masked = mask_code(markdown, start)
    return [(m.start(), m.end(), m.group(1)) for m in MARKER.finditer(masked, start)
            if m.start() == 0 or masked[m.start() - 1] == "\n"]


def expand_all(markdown: str, ctx: Context) -> str:
    """`markdown` with every marker replaced by what it stands for."""
    out, last = [], 0
    for begin, end, name in locate(markdown):
        out += [markdown[last:begin], render(name, ctx)]
        last = end
    return "".join(out) + markdown[last:]
