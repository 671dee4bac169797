"""The theme contract: every assumption kbtools/theme.py names about Material for
MkDocs and mkdocs-static-i18n holds for the installed versions, and an upgrade
that breaks one fails here, naming it (shown by altering a copy of each)."""
from __future__ import annotations

import re
import shutil
from importlib.metadata import version
from pathlib import Path

import material
import mkdocs_static_i18n
import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT
from kbtools import theme

MATERIAL = Path(material.__file__).parent
I18N = Path(mkdocs_static_i18n.__file__).parent
INSTALLED = {name: version(name) for name in ("mkdocs-material", "mkdocs-static-i18n", "mkdocs")}


def test_every_assumption_holds_for_the_installed_versions():
    assert theme.audit(MATERIAL, I18N, INSTALLED) == []


def test_the_pins_in_requirements_are_the_contracts_versions():
    pins = dict(re.findall(r"^([\w.-]+)==([\w.]+)$", (ROOT / "requirements.txt").read_text(), re.M))
    assert (pins["mkdocs-material"], pins["mkdocs-static-i18n"], pins["mkdocs"]) == \
        (theme.MATERIAL_VERSION, theme.STATIC_I18N_VERSION, theme.MKDOCS_VERSION)


def test_the_overrides_copy_exactly_the_blocks_the_contract_names():
    main = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    blocks = set(re.findall(r"\{% block (\w+) %\}", main))
    assert blocks == set(theme.COPIED_BLOCKS) | set(theme.EXTENDED_BLOCKS)


def test_the_search_input_script_listens_where_the_contract_says():
    script = (ROOT / "guides" / "assets" / "search-input.js").read_text(encoding="utf-8")
    name, value = theme.SEARCH_QUERY_BOX.split("=")
    assert f"[{name}={value.strip(chr(34))}]" in script
    assert 'new KeyboardEvent("keyup")' in script
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- assets/search-input.js" in config


def test_the_lazy_worker_listens_where_the_contract_says_and_loads_before_the_bundle():
    script = (ROOT / "overrides" / "assets" / "javascripts" / "lazy-worker.js").read_text(encoding="utf-8")
    for attribute in (theme.SEARCH_QUERY_BOX, theme.SEARCH_TOGGLE):
        name, value = attribute.split("=")
        assert f"[{name}={value.strip(chr(34))}]" in script, attribute
    assert "window.Worker = LazyWorker" in script
    main = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    config_block = re.search(r"\{% block config %\}(.*?)\{% endblock %\}", main, re.S).group(1)
    # The last element of the copied block: right before the scripts block, whose first is the bundle.
    assert config_block.rstrip().split("{% else %}")[0].rstrip().endswith(
        "<script src=\"{{ 'assets/javascripts/lazy-worker.js' | url }}\"></script>")


def test_the_bundle_patch_makes_the_index_wait_for_the_search_to_open(tmp_path):
    bundle = theme.bundles(MATERIAL / "templates")[0]
    site = tmp_path / "site"
    (site / "assets" / "javascripts").mkdir(parents=True)
    copy = site / "assets" / "javascripts" / bundle.name
    copy.write_bytes(bundle.read_bytes())
    theme.patch_bundle(site)  # the stock search (the bench's stock site): Material's timing
    assert b'location.protocol!=="file:"),' in copy.read_bytes()
    copy.write_bytes(bundle.read_bytes())
    theme.patch_bundle(site, lazy_search=True)
    patched = copy.read_bytes()
    assert not theme.SEARCH_INDEX_ON_OPEN.search(patched) and not theme.SITEMAP_PREFETCH.search(patched)
    assert len(patched) < len(bundle.read_bytes())
    theme.patch_bundle(site, patched_ok=True, lazy_search=True)  # a dirty build finds it patched
    assert copy.read_bytes() == patched
    with pytest.raises(PluginError, match="SEARCH_INDEX_ON_OPEN"):
        copy.write_bytes(theme.SEARCH_INDEX_ON_OPEN.sub(b"", bundle.read_bytes()))
        theme.patch_bundle(site, lazy_search=True)


def test_the_overrides_replace_exactly_the_templates_the_contract_names():
    """Every template in overrides/ is main.html, a replaced Material template, or a
    partial of the project's own (not a copy of one of Material's)."""
    own = {p.relative_to(ROOT / "overrides").as_posix() for p in (ROOT / "overrides").rglob("*.html")}
    replaced = {name for name in own if (MATERIAL / "templates" / name).is_file()}
    assert replaced == {"main.html", *theme.REPLACED_TEMPLATES}


def test_the_nav_override_is_materials_but_for_its_one_change():
    """overrides/partials/nav.html: Material's file with a comment of its own and the
    top-level loop through kb_nav_item, which falls back to Material's line."""
    ours = (ROOT / "overrides" / "partials" / "nav.html").read_text(encoding="utf-8")
    theirs = (MATERIAL / "templates" / "partials" / "nav.html").read_text(encoding="utf-8")
    line = "      {{ item.render(nav_item, path, 1) }}\n"
    change = ("      {% if kb_nav_item is defined %}\n      {{ kb_nav_item(item.render, nav_item, path) }}\n"
              "      {% else %}\n" + line + "      {% endif %}\n")
    comment = re.compile(r"\A\{#-.*?-#\}\n", re.S)
    assert theirs.count(line) == 1 and ours.count(change) == 1
    assert comment.sub("", ours).replace(change, line) == comment.sub("", theirs)


def test_the_worker_speaks_the_protocol_constants():
    worker = (ROOT / "kbtools" / "search" / "worker.js").read_text(encoding="utf-8")
    declared = dict(re.findall(r"(SETUP|READY|QUERY|RESULT) = (\d)", worker))
    assert {name: int(value) for name, value in declared.items()} == theme.WORKER_MESSAGES


@pytest.fixture
def copies(tmp_path):
    """Writable copies of the installed Material and static-i18n packages."""
    material_copy, i18n_copy = tmp_path / "material", tmp_path / "i18n"
    shutil.copytree(MATERIAL / "templates", material_copy / "templates",
                    ignore=shutil.ignore_patterns("*.svg", "*.map", "lunr", "workers", "fonts"))
    for folder in theme.STOCK_SEARCH_FILES:
        (material_copy / "templates" / folder).mkdir(parents=True, exist_ok=True)
    for pattern in theme.SOURCE_MAPS:  # left out of the copy for size: an empty stand-in each
        for source in (MATERIAL / "templates").glob(pattern):
            (material_copy / "templates" / source.relative_to(MATERIAL / "templates")).touch()
    shutil.copytree(I18N, i18n_copy, ignore=shutil.ignore_patterns("__pycache__"))
    (material_copy / theme.SEARCH_PLUGIN).parent.mkdir(parents=True)
    shutil.copy(MATERIAL / theme.SEARCH_PLUGIN, material_copy / theme.SEARCH_PLUGIN)
    assert theme.audit(material_copy, i18n_copy) == []
    return material_copy, i18n_copy


def _edit(path: Path, old: str, new: str, regex: bool = False) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(old, new, text) if regex else text.replace(old, new)
    assert changed != text, f"{old!r} not found in {path.name}"
    path.write_text(changed, encoding="utf-8")


def _bundle(material_copy: Path) -> Path:
    return theme.bundles(material_copy / "templates")[0]


ALTERATIONS = {
    "COPIED_BLOCKS[site_meta]": lambda m, i: _edit(m / "templates/base.html", '<meta name="viewport"',
                                                   '<meta name="viewport" data-x'),
    "COPIED_BLOCKS[config]": lambda m, i: _edit(m / "templates/base.html", '"annotate": _.annotate or none,',
                                                '"annotate": _.annotate or none, "extra": 1,'),
    "REPLACED_TEMPLATES[404.html]": lambda m, i: _edit(m / "templates/404.html", "404 - Not found", "Not found"),
    "REPLACED_TEMPLATES[partials/nav.html]": lambda m, i: _edit(m / "templates/partials/nav.html",
                                                                'data-md-level="0"', 'data-md-level="1"'),
    "NAV_ITEM_PAGE_READS": lambda m, i: _edit(m / "templates/partials/nav-item.html",
                                              '<a href="{{ nav_item.url | url }}" class="md-nav__link">',
                                              '<a href="{{ nav_item.url | url }}" class="md-nav__link" '
                                              'data-from="{{ page.url }}">'),
    "SEARCH_INDEX_LINES": lambda m, i: _edit(m / theme.SEARCH_PLUGIN, "self.search_index.add_entry_from_context(page)",
                                             "self.search_index.add_page(page)"),
    "SEARCH_INDEX_METHOD": lambda m, i: _edit(m / theme.SEARCH_PLUGIN, "parser.feed(page.content)",
                                              "parser.feed(page.html)"),
    "MATERIAL_MARKUP[search-dialog]": lambda m, i: _edit(m / "templates/partials/search.html", 'role="dialog"',
                                                         'role="dialog" aria-label="{{ lang.t(\'search\') }}"'),
    "MATERIAL_MARKUP[nav-tabindex]": lambda m, i: _edit(m / "templates/partials/nav-item.html",
                                                        'tabindex="{{ tabindex }}"', '{{ tabindex }}'),
    "MATERIAL_MARKUP[toc-title-for]": lambda m, i: _edit(m / "templates/partials/toc.html",
                                                         '<label class="md-nav__title" for="__toc">',
                                                         '<div class="md-nav__title">'),
    "EXTENDED_BLOCKS": lambda m, i: _edit(m / "templates/base.html", "{% block content %}", "{% block body %}"),
    "ARTICLE_CLASS": lambda m, i: _edit(m / "templates/base.html", "md-content__inner", "md-content__body"),
    "ARTICLE_FURNITURE": lambda m, i: _edit(m / "templates/partials/feedback.html", "md-feedback", "md-opinion"),
    "SITEMAP_PREFETCH": lambda m, i: _edit(_bundle(m), r"ui\(\{document\$:(\w+)\}\);", r"ux({document$:\1});",
                                           regex=True),
    "WORKER_PROTOCOL_IN_BUNDLE[RESULT]": lambda m, i: _edit(_bundle(m), r"return (\w+)\.type===3\}",
                                                            r"return \1.type===4}", regex=True),
    "WORKER_PROTOCOL_IN_BUNDLE[SETUP]": lambda m, i: _edit(_bundle(m), "type:0,data:{config:", "type:5,data:{config:"),
    "SEARCH_QUERY_KEYUP": lambda m, i: _edit(_bundle(m), r'(\w+)\((\w+),"keyup"\)', r'\1(\2,"keydown")', regex=True),
    "SEARCH_INDEX_ON_OPEN": lambda m, i: _edit(_bundle(m), 'location.protocol!=="file:"', 'location.protocol==="https:"'),
    "SEARCH_WORKER_AT_LOAD": lambda m, i: _edit(_bundle(m), r"=new Worker\((\w+)\)\)", r"=undefined)", regex=True),
    "SEARCH_QUERY_AFTER_READY": lambda m, i: _edit(_bundle(m), r"\(\[(\w+)\.pipe\((\w+)\(zt\)\),(\w+)\]",
                                                   r"([\1.pipe(\2(zt)),\1.pipe(\2(Sr)),\3]", regex=True),
    "SEARCH_TOGGLE": lambda m, i: _edit(m / "templates/base.html", 'data-md-toggle="search"', 'data-md-toggle="find"'),
    "SEARCH_QUERY_BOX": lambda m, i: _edit(m / "templates/partials/search.html", 'data-md-component="search-query"',
                                           'data-md-component="query"'),
    "SOURCE_MAPS": lambda m, i: _edit(_bundle(m), r"//# sourceMappingURL=(bundle\.\w+\.min\.js)\.map",
                                      r"//# sourceMappingURL=maps/\1.map", regex=True),
    "I18N_ALTERNATE_ATTRIBUTE": lambda m, i: _edit(i / "reconfigure.py", r"config\.extra\.alternate(\s*)=",
                                                   r'config.extra["alternate"]\1=', regex=True),
    "I18N_FILE_ATTRIBUTES": lambda m, i: _edit(i / "suffix.py", "file.alternates =", "file.translations ="),
    "I18N_POST_BUILD_PRIORITY": lambda m, i: _edit(i / "plugin.py", "@plugins.event_priority(-100)\n    def on_post_build",
                                                   "@plugins.event_priority(-50)\n    def on_post_build"),
}


@pytest.mark.parametrize("assumption", ALTERATIONS)
def test_an_altered_upstream_fails_naming_the_assumption(copies, assumption):
    material_copy, i18n_copy = copies
    ALTERATIONS[assumption](material_copy, i18n_copy)
    broken = theme.audit(material_copy, i18n_copy)
    assert broken and all(b.startswith(assumption) for b in broken), broken


def test_a_different_version_is_named():
    assert theme.audit(MATERIAL, I18N, {**INSTALLED, "mkdocs-material": "9.9.0"}) == [
        f"version: mkdocs-material 9.9.0 is installed, the contract is for {theme.MATERIAL_VERSION}"]


def test_an_allowed_nu_error_names_markup_material_still_writes(copies, monkeypatch):
    """NU_ALLOWED (empty now) is audited like the rest: an entry whose markup Material no
    longer writes fails by its name."""
    material_copy, i18n_copy = copies
    entry = {"template": "partials/toc.html", "markup": 'data-md-component="toc"',
             "message": "toc", "reason": "demo"}
    monkeypatch.setattr(theme, "NU_ALLOWED", {"toc-label": entry})
    assert theme.audit(material_copy, i18n_copy) == []
    _edit(material_copy / "templates/partials/toc.html", entry["markup"], "<div>")
    broken = theme.audit(material_copy, i18n_copy)
    assert broken and all(b.startswith("NU_ALLOWED[toc-label]") for b in broken), broken
