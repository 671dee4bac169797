"""Options of the `kb` plugin (mkdocs.yml `plugins: - kb:`)."""
from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class KnowledgeBaseConfig(Config):
    enabled = c.Type(bool, default=True)
    # Folder of the data files, relative to mkdocs.yml.
    data_dir = c.Type(str, default="data")
    # A lunr index per language, prebuilt with kbtools/search (off: Material's
    # stock search, for the benchmark that compares them).
    prebuilt_search = c.Type(bool, default=True)
    # Build only this language, in its place in the whole site (its folder,
    # the reference language as fallback, every language in the switcher):
    # `kb site` sets it, as an argument of each process's build, to build the
    # languages in parallel and merge them (kbtools/sitebuild.py). static-i18n's
    # own `build_only_locale` makes the language the site's only and default
    # one instead, which is what `make serve ONLY=xx` wants, not a part of the site.
    language = c.Optional(c.Type(str))
    # Render the sidebar's sections a page is not in once per build (navcache.py);
    # off: Material's loop for every page, for the test that compares the two.
    nav_cache = c.Type(bool, default=True)
    # How Material's search index divides each page into sections: its Parser fed from
    # Lexbor's tree (kbtools/search/entries.py), or Material's own html.parser, for the
    # test that compares the two.
    search_parser = c.Choice(("lexbor", "html.parser"), default="lexbor")
