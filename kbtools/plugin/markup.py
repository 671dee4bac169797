"""Material's own markup faults that validators report, fixed in each built page.

Cheaper than copying the templates that write them; kbtools/theme.py
(MATERIAL_MARKUP) names each with the template it comes from, and the theme
contract checks that it is still written that way.

- The search dialog (`role="dialog"`) has no accessible name (axe
  `aria-dialog-name`): it gets an aria-label in the page's language.
- A section's label in the nav carries `tabindex=""` (Nu: bad value): the
  attribute goes, which is what the empty value meant.
- The drawer and search toggles carry `autocomplete="off"`, which a checkbox
  may not have (Nu). Material puts it there so that Back does not bring an
  open drawer or search back; the toggles get an empty form with
  autocomplete="off" as their owner instead, which keeps the browser from
  restoring them just the same.
- The table of contents' title is a `<label for="__toc">` (on a phone it
  closes the contents), but the `__toc` toggle is written only beside a page
  that is a link of the nav: a section's index page (navigation.indexes,
  the guides' overviews) has the label and no toggle, a label for nothing
  (Nu). There the `for` goes; the title stays as it looks.
"""
from __future__ import annotations

import html
import re

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAV_LABEL_TABINDEX = re.compile(r'(<label class="md-nav__link[^"]*" for="[^"]*" id="[^"]*") tabindex=""')
TOGGLE = re.compile(r'<input class="md-toggle" data-md-toggle="(\w+)" type="checkbox" id="(\w+)" autocomplete="off">')
TOGGLES_FORM = "__kb_toggles"
TOC_TITLE = '<label class="md-nav__title" for="__toc">'
TOC_TOGGLE = re.compile(r'<input [^>]*\bid="__toc"')


def fix(page: str, search_label: str) -> str:
    """`page` with Material's markup faults fixed (the ones it has)."""
    page = page.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{html.escape(search_label)}">', 1)
    page = NAV_LABEL_TABINDEX.sub(r"\1", page)
    if TOC_TITLE in page and not TOC_TOGGLE.search(page):
        page = page.replace(TOC_TITLE, '<label class="md-nav__title">')
    owner = f'<form id="{TOGGLES_FORM}" autocomplete="off" hidden></form>'
    toggles = [0]

    def owned(match: re.Match) -> str:
        toggles[0] += 1
        before = owner if toggles[0] == 1 else ""
        return (f'{before}<input class="md-toggle" data-md-toggle="{match.group(1)}" type="checkbox" '
                f'id="{match.group(2)}" form="{TOGGLES_FORM}">')
    return TOGGLE.sub(owned, page)
