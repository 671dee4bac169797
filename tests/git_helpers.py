"""Tiny projects in temporary git repositories, for the commands that read history
(kb translate --diff, kb status --diff, kb impact)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from kbtools.frontmatter import source_hash

# Git that ignores the user's and the system's configuration, with a fixed identity.
ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "Editor",
       "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
       "GIT_COMMITTER_EMAIL": "editor@example.org", "GIT_AUTHOR_DATE": "2026-11-29T12:00:00Z",
       "GIT_COMMITTER_DATE": "2026-11-29T12:00:00Z"}


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def mkdocs_yml(languages=("en", "es", "pt", "fr")) -> str:
    names = {"en": "English", "es": "Español", "pt": "Português", "fr": "Français"}
    return yaml.safe_dump({
        "site_name": "Test", "docs_dir": "guides",
        "plugins": [{"i18n": {"docs_structure": "suffix", "languages": [
            {"locale": code, "name": names[code], "default": code == languages[0], "build": True}
            for code in languages]}}],
        "nav": [{"Home": "index.md"}],
    }, allow_unicode=True, sort_keys=False)


def page(title: str, body: str, **meta) -> str:
    front = "".join(f"{k}: {v}\n" for k, v in {"title": title, "description": f"About {title}.",
                                                "audience": "[police]", "topics": "[evidence]",
                                                "last_reviewed": "2026-11-29", **meta}.items())
    return f"---\n{front}---\n\n# {title}\n\n{body}\n"


def translation(english: str, title: str, body: str) -> str:
    """A translation of the English text `english`, stamped with its hash."""
    return page(title, body, source_hash=source_hash(english))


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit(root: Path, message: str, files: dict[str, str] | None = None) -> str:
    write(root, files or {})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def init(root: Path, files: dict[str, str], languages=("en", "es", "pt", "fr")) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start", {"mkdocs.yml": mkdocs_yml(languages), **files})
    return root


def kb(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The command line, as an editor runs it in the project folder."""
    return subprocess.run([sys.executable, "-m", "kbtools", *args], cwd=root, env=ENV, capture_output=True,
                          text=True)
