"""What the project's tools need from mkdocs.yml: languages, site names, guides, nav.

The one reader of mkdocs.yml outside MkDocs (checks, PDF, offline, tests).
It uses PyYAML with the `!ENV` tag read as MkDocs reads it, instead of MkDocs'
own loader, which would import every plugin: the tools must start fast.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import yaml

# This project's folder: its mkdocs.yml is the default configuration of the tools.
PROJECT = Path(__file__).resolve().parent.parent
# The nav section whose sub-sections are the guides (one folder each).
GUIDES_SECTION = "Guides"
# The nav section of printable tools (a page each; each also a one- or two-page PDF).
TOOLS_SECTION = "Tools"
# The nav section of training material, printed as one PDF per language like a guide.
TRAINING_SECTION = "Training"
# Domain names reserved for examples and tests (RFC 2606, RFC 6761): a site_url
# under one of them is a placeholder (mkdocs.yml's default when KB_SITE_URL is
# not set), not an address a reader can visit.
PLACEHOLDER_DOMAINS = ("example", "invalid", "test", "localhost", "example.com", "example.net", "example.org")


def is_placeholder(url: str) -> bool:
    """True for no address, or one under a domain reserved for examples."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    return not host or any(host == d or host.endswith("." + d) for d in PLACEHOLDER_DOMAINS)


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own language, as the language switcher shows it
    site_name: str
    default: bool
    nav_translations: tuple[tuple[str, str], ...] = ()  # (English section name, translated)

    @property
    def prefix(self) -> str:
        """Folder of the language below the site root ('' for the default language)."""
        return "" if self.default else f"{self.code}/"


@dataclass(frozen=True)
class Guide:
    slug: str  # the folder below guides/
    chapters: tuple[str, ...]  # source paths without language, in nav order (index first)


@dataclass
class SiteConfig:
    root: Path
    site_name: str
    site_url: str
    site_dir: Path
    docs_dir: Path
    directory_urls: bool
    languages: list[Language] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)  # source paths of the tool pages (overview left out)
    training: Guide | None = None  # the training section, overview first

    @property
    def published_url(self) -> str:
        """site_url where it is a real address (KB_SITE_URL or mkdocs.yml), else "":
        what documents that leave the site (the PDFs) may print and link to."""
        return "" if is_placeholder(self.site_url) else self.site_url

    @property
    def books(self) -> list[Guide]:
        """What is printed as a PDF book per language: the guides, then the training kit."""
        return self.guides + ([self.training] if self.training else [])

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def reference(self) -> Language:
        return next(lang for lang in self.languages if lang.default)

    def page_url(self, src: str, lang: Language) -> str:
        """Site path of the built page for a source path ('investigation/evidence.md')."""
        stem = PurePosixPath(src).with_suffix("")
        if self.directory_urls:
            url = "" if stem.name == "index" else f"{stem.name}/"
            parent = stem.parent.as_posix()
            url = (f"{parent}/" if parent != "." else "") + url
        else:
            url = f"{stem.as_posix()}.html"
        return lang.prefix + url

    def page_file(self, src: str, lang: Language) -> Path:
        url = self.page_url(src, lang)
        return self.site_dir / (url + "index.html" if url.endswith("/") or not url else url)


class TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: `!ENV [NAME, ..., default]` gives the first
    variable that is set, else the default; any other tag gives its plain value."""


def _tagged(loader, suffix, node):
    if isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:
        value = loader.construct_scalar(node)
    if suffix == "ENV":
        names = value if isinstance(value, list) else [value]
        for name in names[:-1] if len(names) > 1 else names:
            if isinstance(name, str) and name in os.environ:
                return yaml.safe_load(os.environ[name])  # "false" -> False, as MkDocs does
        return names[-1] if len(names) > 1 else None
    return value


TolerantLoader.add_multi_constructor("!", _tagged)


def read_yaml(path: Path):
    """A YAML file read with TolerantLoader (raises OSError, UnicodeDecodeError, yaml.YAMLError)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=TolerantLoader)  # noqa: S506 (SafeLoader subclass)


def _guides(nav) -> list[Guide]:
    section = next((item[GUIDES_SECTION] for item in nav or []
                    if isinstance(item, dict) and GUIDES_SECTION in item), [])
    guides = []
    for entry in section:
        if not isinstance(entry, dict):
            continue
        (_, pages), = entry.items()
        paths = [p if isinstance(p, str) else next(iter(p.values())) for p in pages]
        slug = PurePosixPath(paths[0]).parent.as_posix()
        guides.append(Guide(slug, tuple(paths)))
    return guides


def _training(nav) -> Guide | None:
    section = next((item[TRAINING_SECTION] for item in nav or []
                    if isinstance(item, dict) and TRAINING_SECTION in item), [])
    paths = [p if isinstance(p, str) else next(iter(p.values())) for p in section]
    paths = [p for p in paths if isinstance(p, str)]
    return Guide(PurePosixPath(paths[0]).parent.as_posix(), tuple(paths)) if paths else None


def _tools(nav) -> list[str]:
    section = next((item[TOOLS_SECTION] for item in nav or []
                    if isinstance(item, dict) and TOOLS_SECTION in item), [])
    paths = [p if isinstance(p, str) else next(iter(p.values())) for p in section]
    return [p for p in paths if isinstance(p, str) and PurePosixPath(p).stem != "index"]


def load(root: Path, config_file: str = "mkdocs.yml") -> SiteConfig:
    raw = read_yaml(root / config_file)
    i18n = next(p["i18n"] for p in raw.get("plugins", []) if isinstance(p, dict) and "i18n" in p)
    site_name = raw["site_name"]
    languages = [Language(code=lang["locale"], name=lang.get("name", lang["locale"]),
                          site_name=lang.get("site_name") or site_name, default=bool(lang.get("default")),
                          nav_translations=tuple((lang.get("nav_translations") or {}).items()))
                 for lang in i18n["languages"] if lang.get("build", True)]
    directory_urls = raw.get("use_directory_urls", True)
    if isinstance(directory_urls, str):
        directory_urls = directory_urls.lower() not in ("false", "0", "no")
    return SiteConfig(
        root=root, site_name=site_name,
        site_url=raw.get("site_url") or "",
        site_dir=root / raw.get("site_dir", "site"), docs_dir=root / raw.get("docs_dir", "docs"),
        directory_urls=bool(directory_urls), languages=languages, guides=_guides(raw.get("nav")),
        tools=_tools(raw.get("nav")), training=_training(raw.get("nav")))
