"""The check configuration (checks.yml) and what mkdocs.yml says about the site.

checks.yml sets each check's severity (error, warning, off) and the few
allow-lists; mkdocs.yml gives the content folder, the languages and the nav,
so they are written once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kbtools.site_config import read_yaml

from kbtools.checks.registry import REGISTRY, SEVERITIES


class ConfigError(ValueError):
    """A configuration the checks cannot run with (exit status 2)."""


def _load_yaml(path: Path, tolerant: bool = False) -> dict:
    try:
        value = read_yaml(path) if tolerant else yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read it: {exc}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return value


def _nav_pages(nav) -> list[str]:
    """Every page path listed in a nav, in order (external links left out)."""
    out = []
    items = nav if isinstance(nav, list) else [nav]
    for item in items:
        if isinstance(item, str):
            if "://" not in item:
                out.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                out.extend(_nav_pages(value))
        elif isinstance(item, list):
            out.extend(_nav_pages(item))
    return out


@dataclass
class Config:
    root: Path
    site_dir: str = "guides"  # mkdocs docs_dir, relative to root
    handbook_dirs: list[str] = field(default_factory=lambda: ["docs"])
    # From mkdocs.yml; a checked folder without one gets the project's own (load()).
    languages: list[str] = field(default_factory=list)
    reference: str = ""
    language_names: dict[str, str] = field(default_factory=dict)
    nav: list[str] | None = None  # None: no nav in mkdocs.yml (MkDocs lists every page)
    nav_file: str = "mkdocs.yml"
    outside_nav: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    max_line_length: int = 10_000
    required_languages: list[str] = field(default_factory=list)
    extra_front_matter_keys: list[str] = field(default_factory=list)
    data_dir: Path | None = None

    def severity_of(self, code: str) -> str:
        return self.severity.get(code, REGISTRY[code].severity)


def load(root: Path, config_file: Path | None = None) -> Config:
    """Read mkdocs.yml (if present) and checks.yml (if present) under root."""
    root = Path(root)
    config = Config(root=root, data_dir=root / "data" if (root / "data").is_dir() else None)
    mkdocs_file = root / "mkdocs.yml"
    if mkdocs_file.exists():
        _read_mkdocs(config, _load_yaml(mkdocs_file, tolerant=True))
    if not config.languages:
        from kbtools import site_config

        project = site_config.load(site_config.PROJECT)
        config.languages = [lang.code for lang in project.languages]
        config.reference = project.reference.code
        config.language_names = {lang.code: lang.name for lang in project.languages}
    config_file = config_file or root / "checks.yml"
    if config_file.exists():
        _read_checks(config, _load_yaml(config_file), config_file)
    elif config_file != root / "checks.yml":
        raise ConfigError(f"{config_file}: no such file")
    return config


def _read_mkdocs(config: Config, mkdocs: dict) -> None:
    config.site_dir = str(mkdocs.get("docs_dir") or "docs")
    if "nav" in mkdocs:
        config.nav = _nav_pages(mkdocs["nav"])
    not_in_nav = mkdocs.get("not_in_nav")
    if isinstance(not_in_nav, str):
        config.outside_nav.extend(line.strip() for line in not_in_nav.splitlines() if line.strip())
    for plugin in mkdocs.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
            languages = plugin["i18n"].get("languages") or []
            locales = [lang.get("locale") for lang in languages if isinstance(lang, dict) and lang.get("locale")]
            if locales:
                config.languages = locales
                config.language_names = {lang["locale"]: lang.get("name", lang["locale"]) for lang in languages
                                         if isinstance(lang, dict) and lang.get("locale")}
                default = [lang["locale"] for lang in languages if isinstance(lang, dict) and lang.get("default")]
                config.reference = default[0] if default else locales[0]
        if isinstance(plugin, dict) and isinstance(plugin.get("kb"), dict) and plugin["kb"].get("data_dir"):
            config.data_dir = config.root / plugin["kb"]["data_dir"]


def _read_checks(config: Config, values: dict, path: Path) -> None:
    known = {"severity", "outside_nav", "handbook", "max_line_length", "required_languages",
             "extra_front_matter_keys"}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    for code, severity in (values.get("severity") or {}).items():
        if severity is False:  # YAML 1.1 reads a bare `off` as false
            severity = "off"
        if code not in REGISTRY:
            raise ConfigError(f"{path}: severity for unknown check '{code}' (see --list)")
        if severity not in SEVERITIES:
            raise ConfigError(f"{path}: severity of {code} is '{severity}'; use one of {', '.join(SEVERITIES)}")
        config.severity[code] = severity
    config.outside_nav.extend(values.get("outside_nav") or [])
    if "handbook" in values:
        config.handbook_dirs = list(values["handbook"] or [])
    config.max_line_length = int(values.get("max_line_length") or config.max_line_length)
    config.required_languages = list(values.get("required_languages") or [])
    config.extra_front_matter_keys = list(values.get("extra_front_matter_keys") or [])
