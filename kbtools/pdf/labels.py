"""Text the PDFs and the downloads list show, per language, from data/ui.yml
(the one home of interface text; tests/test_ui_strings.py and the pt/fr
interface test read it there). `{page}`/`{pages}` become CSS page counters
in the running footer.
"""
from __future__ import annotations

from kbtools import data

# Short names used by the PDF and downloads code -> keys in data/ui.yml.
KEYS = {'contents': 'pdf_contents', 'page_of': 'pdf_page_of', 'reviewed': 'pdf_reviewed', 'language': 'pdf_language', 'online': 'pdf_online', 'online_unknown': 'pdf_online_unknown', 'online_unknown_short': 'pdf_online_unknown_short', 'file': 'downloads_file', 'size': 'downloads_size', 'pages': 'downloads_pages', 'date': 'downloads_date', 'guides_pdf': 'downloads_guides_pdf', 'offline_zip': 'downloads_offline_zip', 'offline_how': 'downloads_offline_how', 'offline_included': 'downloads_offline_included', 'checksum': 'downloads_checksum'}


def label(key: str, lang: str, **fields) -> str:
    return data.ui(KEYS[key], lang, **fields)
