"""One sitemap per language: its real pages (no fallbacks), with hreflang alternates.

static-i18n writes none per language, and Material's language switcher no
longer looks for them (kbtools/theme.py, the bundle patch).
"""
from __future__ import annotations

import gzip
import io
from pathlib import Path
from xml.sax.saxutils import escape


def write(site: Path, pages_by_lang: dict, prefixes: dict, site_url: str, reference: str) -> None:
    """`pages_by_lang`: lang -> [(site path, status, {lang: site path of real translations})]."""
    for lang, pages in sorted(pages_by_lang.items()):
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
            if reference in alts:
                out.write(f'    <xhtml:link rel="alternate" hreflang="x-default" href="{escape(site_url + alts[reference])}"/>\n')
            out.write("  </url>\n")
        out.write("</urlset>\n")
        target = site / prefixes[lang]
        target.mkdir(parents=True, exist_ok=True)
        body = out.getvalue().encode("utf-8")
        (target / "sitemap.xml").write_bytes(body)
        with open(target / "sitemap.xml.gz", "wb") as fh:
            with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
                gz.write(body)
