"""The stock configuration the `build` bench compares against: mkdocs.yml without the project.

Same site, same Markdown extensions, Material, its search and tags plugins,
static-i18n with the same languages; without the `kb` plugin, any `hooks:`
and the theme overrides (`custom_dir`). Not strict: without the plugin, the
anchors that markers would have written are missing, which is a warning.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from kbtools import site_config

PROJECT_PLUGINS = ("kb",)


def config(root: Path, site_dir: Path) -> dict:
    raw = site_config.read_yaml(root / "mkdocs.yml")
    raw.pop("hooks", None)
    raw["strict"] = False
    raw["site_dir"] = str(site_dir)
    raw["docs_dir"] = str(root / raw.get("docs_dir", "docs"))
    theme = dict(raw.get("theme") or {})
    theme.pop("custom_dir", None)
    raw["theme"] = theme
    plugins = []
    for plugin in raw.get("plugins", []):
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name in PROJECT_PLUGINS:
            continue
        if name == "i18n":  # one language or all: the environment does not choose
            plugin = {"i18n": {k: v for k, v in plugin["i18n"].items() if k != "build_only_locale"}}
        plugins.append(plugin)
    raw["plugins"] = plugins
    return raw


def write(root: Path, out: Path, site_dir: Path) -> Path:
    """The stock mkdocs.yml for the project at `root`, written to `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(config(root, site_dir), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out
