"""WeasyPrint, called the same way for every PDF: local files only, tagged
PDF/UA-1, a fixed file identifier so that the same input gives the same bytes."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

# Options passed to write_pdf; part of every cache key (cache.py).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "optimize_images": True}
# fontTools stamps each embedded font subset with SOURCE_DATE_EPOCH (or the
# clock). The PDF's own dates come from the content (last_reviewed), so the
# fonts get a fixed stamp: the same content gives the same bytes on any day.
FONT_EPOCH = "315532800"


class FetchRefused(ValueError):
    pass


def local_only(url: str, *args, **kwargs):
    """No request leaves the machine: only file: and data: URLs are read."""
    from weasyprint import default_url_fetcher

    if urlsplit(url).scheme not in ("file", "data"):
        raise FetchRefused(f"refusing to fetch {url}: the PDF build reads local files only")
    return default_url_fetcher(url, *args, **kwargs)


class _StepHandler(logging.Handler):
    """Turns WeasyPrint's progress log ('Step 5 - Creating layout - Page 3') into calls."""

    def __init__(self, report):
        super().__init__(logging.INFO)
        self.report = report

    def emit(self, record):
        template = str(record.msg)
        if template.startswith("Step "):
            step = int(template.split()[1])
            new_page = "Page %d" in template and "up-to-date" not in template
            self.report(step, record.args[0] if new_page and record.args else None)


def render(html: str, stylesheets: list[str], out: Path, identifier: bytes, base_url: str,
           report=None, forms: bool = False) -> int:
    """Write the PDF to `out`; returns its page count."""
    from weasyprint import CSS, HTML
    from weasyprint.logger import PROGRESS_LOGGER

    handler = _StepHandler(report) if report else None
    if handler:
        PROGRESS_LOGGER.addHandler(handler)
        PROGRESS_LOGGER.setLevel(logging.INFO)
    try:
        # forms: <input> elements become fillable PDF fields (printable tools).
        options = {**PDF_OPTIONS, "pdf_forms": True} if forms else PDF_OPTIONS
        document = HTML(string=html, base_url=base_url, url_fetcher=local_only).render(
            stylesheets=[CSS(string=text, url_fetcher=local_only) for text in stylesheets], **options)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
        try:
            document.write_pdf(tmp, pdf_identifier=identifier, **options)
        finally:
            if saved is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved
        tmp.replace(out)  # never leave a half-written PDF under the final name
        return len(document.pages)
    finally:
        if handler:
            PROGRESS_LOGGER.removeHandler(handler)
