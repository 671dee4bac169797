"""A page's Markdown and template context: markers expanded, audience tags, interface text."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

from markupsafe import escape

from kbtools import data, markers, translations, typography

# Front-matter text that Material's templates print. MkDocs renders them
# without autoescaping and Material prints the title raw in <title>, the
# header, the nav, the h1, the footer and the search index.
ESCAPED_META = ("title",)


def audience_tags(meta: dict, lang: str, reference: str, data_dir: Path) -> list[str]:
    """The page's `audience` as tag labels in `lang` (the tags plugin reads page.meta['tags'])."""
    labels = data.load("vocabulary", data_dir).get("audience", {})
    return [labels[a].get(lang, labels[a][reference]) for a in meta.get("audience") or [] if a in labels]


def escape_meta(meta: dict) -> None:
    """Escape the front-matter text Material prints, once, as markupsafe.Markup:
    Material's own `| e` (aria-labels) leaves Markup as it is, and the search
    plugin writes the escaped text, which its results insert as HTML."""
    for key in ESCAPED_META:
        if isinstance(meta.get(key), str):
            meta[key] = escape(meta[key])


def expand(markdown: str, page, lang: str, languages: tuple, names: dict, data_dir: Path,
           report=None) -> str:
    """`markdown` with its `<!-- kb:... -->` markers expanded in `lang` (kbtools/markers.py).
    `report`: gives the translation report (default: scan the page's docs folder)."""
    src = PurePosixPath(page.file.src_path)
    docs_dir = Path(page.file.abs_src_path).parents[len(src.parts) - 1]
    context = markers.Context(
        lang=lang, languages=languages, data_dir=data_dir, country=page.meta.get("country"),
        base=src.parent.as_posix(), names=names,
        report=report or (lambda: translations.scan(docs_dir, languages, languages[0])))
    return markers.expand_all(markdown, context)


def template_context(lang: str, names: dict, search_root: str, data_dir: Path, **values) -> dict:
    """What overrides/ templates show, in the language of the build."""
    # The language's quotes and spaces (data/typography.yml), as on its pages.
    ui = lambda key, **fields: typography.text(data.ui(key, lang, data_dir, **fields), lang, data_dir)  # noqa: E731
    return {
        "lang": lang,
        # Where this language's search index lives, relative to the site root.
        "search_root": search_root,
        "fallback_notice": ui("fallback_notice", language=names.get(lang, lang)),
        "outdated_notice": ui("outdated_notice"),
        "outdated_link": ui("outdated_link"),
        "not_found": {key: ui(f"not_found_{key}") for key in ("title", "text", "home")},
        "quick_exit": {key: ui(f"quick_exit{suffix}")
                       for key, suffix in (("label", ""), ("hint", "_hint"), ("skip", "_skip"),
                                           ("count", "_count"), ("leaving", "_leaving"))},
        **values,
    }
