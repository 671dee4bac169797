"""The `kb` MkDocs plugin: what the knowledge base adds to a multilingual Material site.

Split the way Material's own plugins are: `config.py` (options), `plugin.py`
(the MkDocs events, each a line or two that hands the work to a module), and
one module per concern:

- status.py     translation status, text language and hreflang of each page
- pages.py      markers expanded, audience tags, titles escaped, interface text for templates
- tasks.py      checklist boxes named for screen readers
- notfound.py   one 404 page per language, its switcher to each home page
- markup.py     Material's own markup faults (dialog name, tabindex, autocomplete) fixed
- sitemaps.py   one sitemap per language, real translations only
- kbtools/page_security.py  the refusal of foreign script, and the CSP
- kbtools/search/           the prebuilt lunr index per language
- kbtools/theme.py          every assumption made about Material and static-i18n
"""
