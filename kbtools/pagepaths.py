"""Which project, language and page an editor's command means.

`kb new-page`, `kb translate`, `kb status --diff` and `kb impact` take page
paths the way editors type them (`guides/migration/referral.en.md`,
`guides/migration/referral`, `migration/referral.es.md`) and language codes;
this turns them into a page stem and a configured language, or a
`CommandError` whose message is one line saying what to do (exit status 2).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from kbtools import site_config, translations


class CommandError(ValueError):
    """Bad input or a state the command cannot work in: one line for the editor, exit status 2."""


@dataclass
class Project:
    root: Path
    config: site_config.SiteConfig

    @property
    def reference(self) -> str:
        return self.config.reference.code

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.config.languages]

    @property
    def targets(self) -> list[str]:
        """The languages pages are translated into."""
        return [code for code in self.codes if code != self.reference]

    @property
    def docs_dir(self) -> Path:
        return self.config.docs_dir

    @property
    def docs_name(self) -> str:
        return self.docs_dir.relative_to(self.root).as_posix()

    def name(self, code: str) -> str:
        return self.config.language(code).name

    def page_file(self, stem: str, code: str) -> Path:
        return self.docs_dir / f"{stem}.{code}.md"

    def rel(self, path: Path) -> str:
        """A path as editors see it: from the project folder, with forward slashes."""
        return Path(os.path.relpath(path, self.root)).as_posix()


def load(root: Path) -> Project:
    """The project at root, from its mkdocs.yml (kbtools/site_config.py)."""
    try:
        return Project(root, site_config.load(root))
    except FileNotFoundError:
        raise CommandError(f"no mkdocs.yml in {root}; run the command in the project folder or give --root") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CommandError(f"cannot read {root / 'mkdocs.yml'}: {first}") from None
    except (KeyError, StopIteration, TypeError, AttributeError):
        raise CommandError(f"{root / 'mkdocs.yml'} has no i18n plugin with its languages; "
                           "the project's mkdocs.yml configures mkdocs-static-i18n") from None


def language(project: Project, code: str | None, *, translation: bool = True) -> str:
    """A configured language code (a translation language unless translation=False)."""
    configured = ", ".join(f"{c} ({project.name(c)})" for c in project.targets)
    if not code:
        raise CommandError(f"say which language with --lang; translation languages: {configured}")
    if code not in project.codes:
        raise CommandError(f"language '{code}' is not configured in mkdocs.yml (plugins: i18n: languages); "
                           f"use one of: {configured}")
    if translation and code == project.reference:
        raise CommandError(f"'{code}' is the reference language ({project.name(code)}): pages are written in it "
                           f"and translated from it; use one of: {configured}")
    return code


def page(project: Project, name: str) -> tuple[str, str | None]:
    """(stem, language code in the name or None) of a page path as an editor types it.

    The page's English file must exist. Accepted: guides/x/page.en.md,
    guides/x/page.es.md, guides/x/page.md, guides/x/page, x/page (below guides/),
    a path from the current folder, or an absolute path inside the project.
    """
    if not name or not name.strip():
        raise CommandError("give a page, e.g. guides/migration/referral.en.md")
    raw = name.strip()
    path = Path(raw)
    docs = project.docs_dir.resolve()
    candidates = [path] if path.is_absolute() else [project.root / path, Path.cwd() / path, project.docs_dir / path]
    rel = None
    for candidate in candidates:
        try:
            rel = PurePosixPath(candidate.resolve().relative_to(docs).as_posix())
            break
        except ValueError:
            continue
    if rel is None or str(rel) in ("", "."):
        raise CommandError(f"'{raw}' is not a page below {project.docs_name}/; give one such as "
                           f"{project.docs_name}/migration/referral.en.md")
    text = str(rel)
    code = None
    named = translations.split_name(text, project.codes)
    if named:
        text, code = named
    elif text.endswith(".md"):
        text = text[:-3]
    if translations.PAGE_NAME.match(str(rel)) and not named:
        suffix = str(rel).rsplit(".", 2)[-2]
        raise CommandError(f"'{raw}' names the language '{suffix}', which is not configured in mkdocs.yml; "
                           f"languages: {', '.join(project.codes)}")
    english = project.page_file(text, project.reference)
    if not english.is_file():
        raise CommandError(f"there is no {project.name(project.reference)} page {project.rel(english)}; check the "
                           f"path (`kb status` counts the pages, the nav of mkdocs.yml lists them)")
    return text, code
