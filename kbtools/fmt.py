"""`kb fmt`: rewrite pages one sentence per line (kbtools/segment.py says how).

Only text blocks change (paragraphs, list items, definitions, box bodies,
quotes); headings, tables, code, HTML and front matter stay as written. The
rendered HTML is the same but for the white space between sentences, which a
test checks on every real page.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from kbtools import segment, translations


def _pages(paths: list[Path]) -> list[Path]:
    out = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*.md") if p.is_file())
        else:
            out.append(path)
    return out


def cmd_fmt(args) -> int:
    """Rewrite pages one sentence per line: paragraphs, list items (continuation lines
    indented to the item's text) and box bodies; headings, tables, code, HTML and
    front matter stay as they are. Running it twice changes nothing.

    With --check, nothing is written: the files that would change are listed and
    the exit status is 1 if there is one. Default PATH: the pages folder (guides/).
    """
    from kbtools.checks import ConfigError, load
    from kbtools.cli import _root

    root = _root(args.root)
    try:
        config = load(root)
    except ConfigError as exc:
        print(f"kb fmt: {exc}", file=sys.stderr)
        return 2
    targets = [Path(p) for p in args.paths] or [root / config.site_dir]
    for target in targets:
        if not target.exists():
            print(f"kb fmt: {target}: no such file or folder", file=sys.stderr)
            return 2
    changed = []
    for path in _pages(targets):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"kb fmt: {path}: cannot read it ({exc.__class__.__name__}); fix the file first", file=sys.stderr)
            return 2
        key = translations.split_name(path.name, config.languages)
        words = segment.abbreviations((key[1], config.reference) if key else None, config.data_dir)
        new = segment.fmt(text, words)
        if new == text:
            continue
        changed.append(path)
        if not args.check:
            tmp = path.with_name(f".{path.name}.kbfmt")
            tmp.write_text(new, encoding="utf-8")
            os.replace(tmp, path)
    for path in changed:
        print(f"{'would reformat' if args.check else 'reformatted'} {_shown(path, root)}")
    if args.check and changed:
        print(f"kb fmt: {len(changed)} file(s) not one sentence per line; run `kb fmt` on them", file=sys.stderr)
        return 1
    return 0


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def register(add) -> None:
    """Add `kb fmt` to the `kb` parser (kbtools/cli.py calls this with its `add`)."""
    command = add("fmt", cmd_fmt)
    command.add_argument("paths", nargs="*", metavar="PATH", help="pages or folders (default: guides/)")
    command.add_argument("--check", action="store_true", help="write nothing; list the files that would change "
                         "and exit 1 if there is one")
