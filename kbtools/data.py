"""The project's data files (data/*.yml): termbase, vocabulary, countries, interface text.

Pages, templates and checks all read these, so a fact or a term is corrected
in one place.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from kbtools.frontmatter import LOADER  # libyaml's safe loader, as for front matter

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


class DataError(ValueError):
    """A data file that is missing or malformed; the message names the file."""


@lru_cache(maxsize=None)
def _load(path: str, mtime: float) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            value = yaml.load(fh, Loader=LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(value, dict):
        raise DataError(f"{path}: expected a mapping at the top level")
    return value


def load(name: str, data_dir: Path | None = None) -> dict:
    """Load data/<name>.yml (cached until the file changes)."""
    path = (data_dir or DATA_DIR) / f"{name}.yml"
    if not path.exists():
        raise DataError(f"{path}: data file is missing")
    return _load(str(path), path.stat().st_mtime)


@lru_cache(maxsize=None)
def _reference(config_file: str) -> str:
    from kbtools import site_config

    return site_config.load(Path(config_file).parent, Path(config_file).name).reference.code


def reference(data_dir: Path | None = None) -> str:
    """The reference language of the project whose data folder this is (its mkdocs.yml says)."""
    return _reference(str((data_dir or DATA_DIR).parent / "mkdocs.yml"))


def ui(key: str, lang: str, data_dir: Path | None = None, **fields) -> str:
    """Interface text in `lang`, falling back to the reference language, with {fields} filled in."""
    entry = load("ui", data_dir).get(key)
    if not isinstance(entry, dict):
        raise DataError(f"data/ui.yml: no text for '{key}'")
    text = entry.get(lang) or entry[reference(data_dir)]
    return text.format(**fields) if fields else text

