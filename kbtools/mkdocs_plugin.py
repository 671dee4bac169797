"""MkDocs plugin `kb`: what the knowledge base adds to a multilingual Material site.

Per page it decides the translation status (translated, outdated, fallback),
the language of the text actually shown, the hreflang alternates that are real
translations, the audience tags, and it expands data markers (glossary,
country facts). After the build it writes what static-i18n leaves out: a 404
page and a sitemap per language.
"""
from __future__ import annotations

import gzip
import io
import re
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import escape

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from kbtools import data, page_security, render, search
from kbtools.markdown_links import ExternalLinksExtension

log = get_plugin_logger(__name__)

# Material's language switcher fetches sitemap.xml next to every
# <link rel=alternate> of a page, to map the page into another language. With
# page-level alternates (static-i18n) those files never exist, so every page
# logged 404s; and static-i18n already points the switcher at the same page.
# The call that starts it is removed from the bundle the site serves.
SITEMAP_PREFETCH = re.compile(rb"\bui\(\{document\$:\w+\}\);")


class KnowledgeBaseConfig(Config):
    enabled = c.Type(bool, default=True)
    # Folder of the data files, relative to mkdocs.yml.
    data_dir = c.Type(str, default="data")
    # Language whose pages translations are made from and compared against.
    reference_language = c.Type(str, default="en")
    # A lunr index per language, prebuilt with kbtools/search (off: Material's
    # stock search, for the benchmark that compares them).
    prebuilt_search = c.Type(bool, default=True)


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    def on_config(self, config):
        if not self.config.enabled:
            return config
        self.data_dir = Path(config.config_file_path).parent / self.config.data_dir
        self.ref = self.config.reference_language
        self.i18n = config.plugins.get("i18n")
        if self.i18n is None:
            raise PluginError("the kb plugin needs the i18n (mkdocs-static-i18n) plugin")
        # language -> [(page url, {lang: url of real translations})], for sitemaps
        self.pages_by_lang = getattr(self, "pages_by_lang", {})
        if not any(isinstance(ext, ExternalLinksExtension) for ext in config.markdown_extensions):
            config.markdown_extensions.append(ExternalLinksExtension())
        # Script files the project ships: the theme's and extra_javascript.
        self.allowed_scripts = {Path(str(js)).name for js in config.extra_javascript}
        for theme_dir in config.theme.dirs:
            self.allowed_scripts |= {p.name for p in Path(theme_dir, "assets", "javascripts").glob("*.js")}
        return config

    # --- helpers -------------------------------------------------------

    @property
    def lang(self) -> str:
        return self.i18n.current_language or self.ref

    def language_names(self) -> dict:
        return {lang.locale: lang.name for lang in self.i18n.config.languages}

    @staticmethod
    def site_path(url: str) -> str:
        """A file's URL as a path below the site root ('./' for the home page is '')."""
        return "" if url in (".", "./") else url

    def real_translations(self, file) -> dict:
        """{lang: File} of the languages this page really exists in (no fallbacks)."""
        alternates = getattr(file, "alternates", {}) or {}
        return {lang: f for lang, f in sorted(alternates.items()) if getattr(f, "locale", lang) == lang}

    def reference_path(self, file, config) -> Path:
        stem = PurePosixPath(file.norm_src_uri).with_suffix("")
        return Path(config.docs_dir) / f"{stem}.{self.ref}.md"

    def status(self, page, config) -> str:
        from kbtools import translations  # the one definition of translated/outdated

        file_locale = getattr(page.file, "locale", self.lang)
        if file_locale != self.lang:
            return "fallback"
        if self.lang == self.ref:
            return "translated"
        state = translations.file_state(self.reference_path(page.file, config), page.meta)
        # An orphan (no English page) is shown as translated: `make check` reports it.
        return "outdated" if state == translations.OUTDATED else "translated"

    # --- page events ---------------------------------------------------

    # Before the tags plugin (which reads page.meta["tags"]) and static-i18n.
    @event_priority(100)
    def on_page_markdown(self, markdown, page, config, files):
        if not self.config.enabled:
            return markdown
        content_lang = getattr(page.file, "locale", self.lang)
        page.meta["kb_status"] = self.status(page, config)
        page.meta["kb_content_lang"] = content_lang
        vocabulary = data.load("vocabulary", self.data_dir)
        labels = vocabulary.get("audience", {})
        page.meta["tags"] = [labels[a].get(self.lang, labels[a][self.ref])
                             for a in page.meta.get("audience") or [] if a in labels]
        return render.MARKER.sub(lambda m: self.expand(m.group(1), page, content_lang), markdown)

    def expand(self, name: str, page, lang: str) -> str:
        try:
            if name == "glossary":
                return render.glossary(lang, self.data_dir)
            if name == "country-facts":
                country = page.meta.get("country")
                if not country:
                    raise render.RenderError("a kb:country-facts page needs `country:` in its front matter")
                return render.country_facts(country, lang, self.data_dir)
            if name == "country-list":
                return render.country_list(lang, self.data_dir)
            if name == "downloads":
                return render.downloads(self.lang, self.data_dir)
            if name == "translation-status":
                from kbtools import translations

                src = PurePosixPath(page.file.src_path)
                docs_dir = Path(page.file.abs_src_path).parents[len(src.parts) - 1]
                report = translations.scan(docs_dir, self.language_names(), self.ref)
                return render.translation_status(lang, report, self.language_names(),
                                                 src.parent.as_posix(), self.data_dir)
        except (render.RenderError, data.DataError, KeyError) as exc:
            raise PluginError(f"{page.file.src_uri}: kb:{name}: {exc}") from None
        raise PluginError(f"{page.file.src_uri}: unknown marker <!-- kb:{name} -->; "
                          "known: glossary, country-facts, country-list, downloads, translation-status")

    def on_page_context(self, context, page, config, nav):
        if not self.config.enabled:
            return context
        status = page.meta.get("kb_status", "translated")
        real = self.real_translations(page.file)
        site_url = config.site_url or ""
        urls = {lang: self.site_path(f.url) for lang, f in real.items()}
        hreflang = [(lang, site_url + url) for lang, url in urls.items()]
        if self.ref in urls:
            hreflang.append(("x-default", site_url + urls[self.ref]))
        self.pages_by_lang.setdefault(self.lang, []).append(
            (self.site_path(page.file.url), status, urls))
        english = real.get(self.ref)
        context["kb"] = self.template_context(
            status=status, content_lang=page.meta.get("kb_content_lang", self.lang),
            hreflang=hreflang, english_url=english.url if english else None)
        return context

    # The 404 page is a theme template, not a page: give it the same context.
    def on_template_context(self, context, template_name, config):
        if self.config.enabled and template_name == "404.html":
            context["kb"] = self.template_context(status="translated", content_lang=self.lang,
                                                  hreflang=[], english_url=None)
        return context

    def template_context(self, **values) -> dict:
        """What overrides/ templates show, in the language of the build."""
        names = self.language_names()
        ui = lambda key, **fields: data.ui(key, self.lang, self.data_dir, **fields)  # noqa: E731
        return {
            "lang": self.lang,
            # Where this language's search index lives, relative to the site root.
            "search_root": "" if self.lang == self.i18n.default_language else f"{self.lang}/",
            "prebuilt_search": self.config.prebuilt_search,
            "fallback_notice": ui("fallback_notice", language=names.get(self.lang, self.lang)),
            "outdated_notice": ui("outdated_notice"),
            "outdated_link": ui("outdated_link"),
            "quick_exit": {key: ui(f"quick_exit{suffix}")
                           for key, suffix in (("label", ""), ("hint", "_hint"), ("skip", "_skip"),
                                               ("count", "_count"), ("leaving", "_leaving"))},
            **values,
        }

    # --- after each language's build ----------------------------------

    # Last, when the HTML is final: refuse foreign script, then add the CSP.
    @event_priority(-200)
    def on_post_page(self, output, page, config):
        if not self.config.enabled:
            return output
        return self.secure(output, page.file.src_uri)

    def secure(self, html: str, source: str) -> str:
        scanner = page_security.scan(html)
        problems = scanner.problems + page_security.foreign_scripts(scanner, self.allowed_scripts)
        if problems:
            raise PluginError(f"{source}: refusing to publish a page with script the project did "
                              f"not put there: {'; '.join(problems)}. Remove it from the source "
                              "(make check shows the line).")
        return page_security.with_policy(html, scanner)

    def on_post_template(self, output, template_name, config):
        # Every language's build writes site/404.html over the previous one;
        # keep each language's copy to write it to its own folder at the end.
        if self.config.enabled and template_name == "404.html":
            output = self.secure(output, "404.html")
            self.pages_404 = {**getattr(self, "pages_404", {}), self.lang: output}
        return output

    # After static-i18n (-100), whose call in the first build builds the
    # other languages: when it returns, every language is in site/.
    @event_priority(-200)
    def on_post_build(self, config):
        if not self.config.enabled or self.i18n.building:
            return
        site = Path(config.site_dir)
        default = self.i18n.default_language
        for lang, output in getattr(self, "pages_404", {}).items():
            target = site if lang == default else site / lang
            target.mkdir(parents=True, exist_ok=True)
            (target / "404.html").write_text(output, encoding="utf-8")
        self.write_sitemaps(site, config)
        self.patch_bundle(site)
        if self.config.prebuilt_search:
            self.build_search(site, config)
        self.pages_by_lang, self.pages_404 = {}, {}

    def build_search(self, site: Path, config) -> None:
        languages = [lang.locale for lang in self.i18n.config.languages if lang.build]
        languages = [lang for lang in languages if lang in self.pages_by_lang]
        skip = {lang: {url for url, status, _ in pages if status == "fallback"}
                for lang, pages in self.pages_by_lang.items()}
        offline = any(name.endswith("offline") and plugin.config.get("enabled", True)
                      for name, plugin in config.plugins.items())
        try:
            search.build_indexes(site, languages, self.i18n.default_language, skip, offline=offline)
        except search.SearchError as exc:
            raise PluginError(f"search: {exc}") from None

    def write_sitemaps(self, site: Path, config) -> None:
        """One sitemap per language, listing real pages only, with hreflang alternates."""
        site_url = config.site_url or ""
        default = self.i18n.default_language
        for lang, pages in sorted(self.pages_by_lang.items()):
            out = io.StringIO()
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                      'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')
            for url, status, alternates in sorted(set((u, s, tuple(sorted(a.items()))) for u, s, a in pages)):
                if status == "fallback" or url.endswith("404.html"):
                    continue
                out.write(f"  <url>\n    <loc>{escape(site_url + url)}</loc>\n")
                alts = dict(alternates)
                for alt_lang, alt_url in sorted(alts.items()):
                    out.write(f'    <xhtml:link rel="alternate" hreflang="{alt_lang}" href="{escape(site_url + alt_url)}"/>\n')
                if self.ref in alts:
                    out.write(f'    <xhtml:link rel="alternate" hreflang="x-default" href="{escape(site_url + alts[self.ref])}"/>\n')
                out.write("  </url>\n")
            out.write("</urlset>\n")
            target = site if lang == default else site / lang
            target.mkdir(parents=True, exist_ok=True)
            body = out.getvalue().encode("utf-8")
            (target / "sitemap.xml").write_bytes(body)
            with open(target / "sitemap.xml.gz", "wb") as fh:
                with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
                    gz.write(body)

    def patch_bundle(self, site: Path) -> None:
        bundles = sorted((site / "assets" / "javascripts").glob("bundle.*.min.js"))
        for bundle in bundles:
            code = bundle.read_bytes()
            patched, count = SITEMAP_PREFETCH.subn(b"", code)
            if count != 1:
                raise PluginError(
                    f"{bundle}: expected one language-switch sitemap prefetch in Material's "
                    f"bundle, found {count}; update SITEMAP_PREFETCH in kbtools/mkdocs_plugin.py")
            bundle.write_bytes(patched)
