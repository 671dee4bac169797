"""data/ui.yml: every interface text in every language, with the same fields."""
from __future__ import annotations

import re

from conftest import ROOT
from kbtools import data, site_config
from kbtools.pdf import labels

LANGUAGES = [lang.code for lang in site_config.load(ROOT).languages]


def test_every_key_has_every_language_with_the_same_fields():
    ui = data.load("ui")
    assert len(ui) > 30
    for key, texts in ui.items():
        assert set(texts) == set(LANGUAGES), key
        fields = {lang: sorted(re.findall(r"\{(\w+)\}", texts[lang])) for lang in LANGUAGES}
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert len({tuple(f) for f in fields.values()}) == 1, (key, fields)


def test_every_label_has_every_language():
    ui = data.load("ui")
    for key, ui_key in labels.KEYS.items():
        assert set(ui[ui_key]) >= {lang.code for lang in site_config.load(ROOT).languages}, key
        assert all(ui[ui_key][lang.code].strip() for lang in site_config.load(ROOT).languages), key

