"""Checklist boxes with an accessible name.

pymdownx.tasklist (custom_checkbox) writes each box as an <input> inside an
empty <label>: a screen reader announces "checkbox, not checked" with no
name (axe `label`). Each box gets the text of its item as aria-label.
"""
from __future__ import annotations

import html
import re

# The box as pymdownx writes it, with or without custom_checkbox, in a tight or a loose list.
BOX = re.compile(r'(<li class="task-list-item">\s*(?:<p>)?(?:<label class="task-list-control">)?'
                 r'<input type="checkbox"(?: disabled)?(?: checked)?)(/?>)'
                 r'((?:<span class="task-list-indicator"></span></label>)?)(.*?)(?=</li>|</p>|<ul|<ol)', re.S)
TAG = re.compile(r"<[^>]+>")


def name_boxes(content: str) -> str:
    """The page's HTML with every checklist box named after its item's text."""
    if "task-list-item" not in content:
        return content

    def named(match: re.Match) -> str:
        text = " ".join(html.unescape(TAG.sub("", match.group(4))).split())[:200]
        label = html.escape(text, quote=True)
        return f'{match.group(1)} aria-label="{label}"{match.group(2)}{match.group(3)}{match.group(4)}'
    return BOX.sub(named, content)
