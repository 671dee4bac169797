"""The `kb` plugin's events. Each hands its work to the module named in kbtools/plugin/__init__.py.

static-i18n builds the default language, then, from that build's
on_post_build, every other language with the same plugin instances: every
event below runs once per language, and the state that spans languages is
reset in on_pre_build of the first language's build.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from kbtools import data, markers, page_security, search, theme, translations
from kbtools.markdown_links import ExternalLinksExtension
from kbtools.search import entries as search_entries
from kbtools.plugin import markup, navcache, notfound, pages, sitemaps, status, tasks
from kbtools.typography import TypographyExtension
from kbtools.plugin.config import KnowledgeBaseConfig

log = get_plugin_logger(__name__)

# Material features that write the search query into an address: refused.
PRIVATE_FEATURES = {"search.highlight"}


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    dirty = False
    shared_report = None  # () -> the translation report or None, given by kb site

    # `mkdocs serve --dirty` (make serve) rebuilds only the pages that changed; this
    # instance then lives from one rebuild to the next (MkDocs keeps a plugin that has
    # on_startup), and what it knows of the other pages stays valid.
    def on_startup(self, *, command, dirty):
        self.dirty = dirty
        self.pending_search = None  # a dirty rebuild's search indexes, still being written

    def on_shutdown(self):
        self.stop_pending_search()

    def stop_pending_search(self) -> None:
        if getattr(self, "pending_search", None) is not None:
            for error in self.pending_search.stop():
                log.warning(f"search: {error}")
            self.pending_search = None

    # Templates compiled once per process, not once per language or rebuild (the same
    # bytecode: Jinja keys it by the template's source).
    def on_env(self, env, config, files):
        if self.config.enabled and env.bytecode_cache is None:
            env.bytecode_cache = TEMPLATE_CACHE
        # The sidebar's sections a page is not in, rendered once per build (navcache.py).
        if self.config.enabled and self.config.nav_cache:
            navcache.install(env)
        return env

    # Languages and the reference language come from static-i18n's
    # configuration in mkdocs.yml, the one place they are written.
    def on_config(self, config):
        if not self.config.enabled:
            return config
        self.data_dir = Path(config.config_file_path).parent / self.config.data_dir
        self.i18n = config.plugins.get("i18n")
        if self.i18n is None:
            raise PluginError("the kb plugin needs the i18n (mkdocs-static-i18n) plugin")
        self.reference = self.i18n.default_language
        built = [lang for lang in self.i18n.config.languages if lang.build]
        self.names = {lang.locale: lang.name for lang in built}
        self.languages = (self.reference, *[code for code in self.names if code != self.reference])
        self.prefixes = {code: "" if code == self.reference else f"{code}/" for code in self.names}
        leaking = PRIVATE_FEATURES & set(config.theme.get("features") or [])
        if leaking:
            raise PluginError(f"theme.features: {', '.join(sorted(leaking))} puts the words a reader "
                              "searched for into result URLs (?h=...) and so into the browser history; "
                              "remove it from mkdocs.yml")
        if self.config.language:
            self.build_one_language(self.config.language)
        if not any(isinstance(ext, ExternalLinksExtension) for ext in config.markdown_extensions):
            config.markdown_extensions.append(ExternalLinksExtension())
        # Each language's quotes and spaces (data/typography.yml); the language is set per page below.
        self.typography = next((ext for ext in config.markdown_extensions if isinstance(ext, TypographyExtension)),
                               None)
        if self.typography is None:
            self.typography = TypographyExtension(data_dir=self.data_dir)
            config.markdown_extensions.append(self.typography)
        # Material's search index, its pages divided into sections through Lexbor's tree
        # rather than html.parser (kbtools/search/entries.py).
        material_search = config.plugins.get("material/search")
        if self.config.search_parser == "lexbor" and material_search is not None \
                and getattr(material_search, "search_index", None) is not None:
            material_search.search_index = search_entries.SearchIndex.replacing(material_search.search_index)
        # Script files the project ships: the theme's and extra_javascript.
        self.allowed_scripts = {Path(str(js)).name for js in config.extra_javascript}
        for theme_dir in config.theme.dirs:
            self.allowed_scripts |= {p.name for p in Path(theme_dir, "assets", "javascripts").glob("*.js")}
        return config

    def build_one_language(self, code: str) -> None:
        """Build `code` alone, where the whole build puts it: static-i18n starts at that
        language and, told that it is already building, does not chain the others."""
        if code not in self.names:
            raise PluginError(f"kb: language '{code}' is not one of mkdocs.yml's: {', '.join(self.names)}")
        self.i18n.current_language = code
        self.i18n.building = True

    # Once per command, before the first language: state that spans languages.
    def on_pre_build(self, config):
        if self.config.enabled and (self.config.language or not self.i18n.building):
            self.stop_pending_search()
            if not (self.dirty and hasattr(self, "pages_by_lang")):
                self.pages_by_lang: dict = {}  # lang -> [(site path, status, {lang: site path})]
            self.pages_404: dict = {}  # lang -> HTML
            # The translation report: the same sources for every language. `kb site` reads it
            # once for every language's process (sitebuild.SharedReport).
            self.report = None
            self.static_context: dict = {}  # lang -> the interface text of template_context

    @property
    def lang(self) -> str:
        return self.i18n.current_language or self.reference

    # Before the tags plugin (which reads page.meta["tags"]) and static-i18n.
    @event_priority(100)
    def on_page_markdown(self, markdown, page, config, files):
        if not self.config.enabled:
            return markdown
        pages.escape_meta(page.meta)
        content_lang = status.content_language(page.file, self.lang)
        self.typography.language = content_lang  # the page is rendered right after this event
        page.meta["kb_status"] = status.page_status(page.file, self.lang, self.reference,
                                                    lambda: self.translation_report(config.docs_dir))
        page.meta["kb_content_lang"] = content_lang
        page.meta["tags"] = pages.audience_tags(page.meta, self.lang, self.reference, self.data_dir)
        try:
            return pages.expand(markdown, page, content_lang, self.languages, self.names, self.data_dir,
                                report=lambda: self.translation_report(config.docs_dir))
        except markers.MarkerError as exc:
            raise PluginError(f"{page.file.src_uri}: {exc}") from None

    def translation_report(self, docs_dir: str):
        if self.report is None:
            shared = self.shared_report() if self.shared_report else None
            self.report = shared or translations.scan(Path(docs_dir), self.languages, self.reference)
        return self.report

    # The page's HTML before the theme: name the checklist boxes.
    def on_page_content(self, html, page, config, files):
        return tasks.name_boxes(html) if self.config.enabled else html

    def on_page_context(self, context, page, config, nav):
        if not self.config.enabled:
            return context
        page_status = page.meta.get("kb_status", status.TRANSLATED)
        urls, hreflang = status.alternates(page.file, config.site_url or "", self.reference)
        url = status.site_path(page.file.url)
        entries = self.pages_by_lang.setdefault(self.lang, [])
        if self.dirty:  # the page's entry of the previous build is replaced
            entries[:] = [entry for entry in entries if entry[0] != url]
        entries.append((url, page_status, urls))
        english = status.real_translations(page.file).get(self.reference)
        context["kb"] = self.template_context(
            status=page_status, content_lang=page.meta.get("kb_content_lang", self.lang),
            hreflang=hreflang, english_url=english.url if english else None)
        return context

    # The 404 page is a theme template, not a page: give it the same context,
    # and a language switcher to each language's home page (notfound.py).
    def on_template_context(self, context, template_name, config):
        if self.config.enabled and template_name == "404.html":
            homes = notfound.home_links(config.site_url, self.prefixes, self.names, config.use_directory_urls)
            self.saved_alternate = notfound.set_alternate(config.extra, homes)
            context["kb"] = self.template_context(
                status=status.TRANSLATED, content_lang=self.lang, hreflang=[], english_url=None,
                home_url=next(home["link"] for home in homes if home["lang"] == self.lang))
        return context

    def template_context(self, **values) -> dict:
        lang = self.lang
        if lang not in self.static_context:
            self.static_context[lang] = pages.template_context(
                lang, self.names, self.prefixes[lang], self.data_dir,
                prebuilt_search=self.config.prebuilt_search, reference=self.reference)
        return {**self.static_context[lang], **values}

    # Last, when the HTML is final: fix Material's markup faults, refuse
    # foreign script, then add the CSP.
    @event_priority(-200)
    def on_post_page(self, output, page, config):
        if not self.config.enabled:
            return output
        output = markup.fix(output, self.search_label)
        return page_security.secure(output, page.file.src_uri, self.allowed_scripts)

    @property
    def search_label(self) -> str:
        return data.ui("search_dialog", self.lang, self.data_dir)

    # Every language's build writes site/404.html over the previous one: keep each.
    def on_post_template(self, output, template_name, config):
        if self.config.enabled and template_name == "404.html":
            notfound.restore_alternate(config.extra, self.saved_alternate)
            output = markup.fix(output, self.search_label)
            output = page_security.secure(output, "404.html", self.allowed_scripts)
            self.pages_404[self.lang] = output
        return output

    # After static-i18n's post-build, from which it builds the other
    # languages: when it returns (building is False), every language is in site/.
    # With `language` set (one language of a parallel build), this language's
    # 404 and sitemap only: kb site merges the languages and then finishes the
    # site with `finish` below, as this does for the sequential build.
    @event_priority(theme.I18N_POST_BUILD_PRIORITY - 100)
    def on_post_build(self, config):
        if not self.config.enabled or (self.i18n.building and not self.config.language):
            return
        site = Path(config.site_dir)
        notfound.write(site, self.pages_404, self.prefixes)
        sitemaps.write(site, self.pages_by_lang, self.prefixes, config.site_url or "", self.reference)
        if self.config.language:
            return
        combined = search.read_combined(site) if self.config.prebuilt_search else None
        self.pending_search = finish(site, self.languages, self.reference, self.fallbacks(), combined,
                                     dirty=self.dirty)

    def fallbacks(self) -> dict[str, list[str]]:
        """lang -> the site paths of its fallback pages (left out of its search index)."""
        return {lang: sorted({url for url, page_status, _ in entries if page_status == status.FALLBACK})
                for lang, entries in self.pages_by_lang.items()}


def finish(site: Path, languages, reference: str, fallbacks: dict, combined: dict | None,
           jobs: int = 1, dirty: bool = False):
    """What follows the build of every language, once: the bundle patch, Material's
    source maps removed and, with
    `combined` (the stock search index of every language), a lunr index per
    language in place of Material's search files. `fallbacks`: lang -> fallback
    site paths, as `KnowledgeBasePlugin.fallbacks` gives them. A dirty build (the
    dev server) does not wait for the indexes: the `search.Background` is returned."""
    # A dirty build copies the bundle only when it changed. The index is requested when the
    # search opens only where it is ours (kbtools/search/): the bench's stock site keeps Material's.
    theme.patch_bundle(site, patched_ok=dirty, lazy_search=combined is not None)
    theme.remove_source_maps(site)  # for a debugger, not a reader
    if combined is None:
        return None
    built = [lang for lang in languages if lang in fallbacks]
    # Material's own search files (lunr language packs, wordcut, its worker) serve nothing.
    for folder in theme.STOCK_SEARCH_FILES:
        shutil.rmtree(site / folder, ignore_errors=True)
    try:
        running = search.build_indexes(site, built, reference, {lang: set(urls) for lang, urls in fallbacks.items()},
                                       combined=combined, jobs=jobs, background=dirty)
    except search.SearchError as exc:
        raise PluginError(f"search: {exc}") from None
    return running if dirty else None


class _MemoryBytecodeCache(BytecodeCache):
    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = _MemoryBytecodeCache()
