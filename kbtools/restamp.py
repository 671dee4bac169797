"""One-off: move translations' `source_hash` to the hash that ignores white space inside paragraphs.

`source_hash` (kbtools/frontmatter.py) stopped counting the line breaks inside
a paragraph in December 2026. A translation that recorded the old hash of its
English page *as it is now* was up to date, so it gets the new hash of the
same text; any other translation keeps what it records (it was outdated and
stays outdated; `kb translate --diff` still finds its English revision).
Only the `source_hash:` line changes. Running it again changes nothing.

    python -m kbtools.restamp [--root DIR]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from kbtools import translations
from kbtools.frontmatter import FrontMatterError, legacy_source_hash, parse, source_hash

LINE = re.compile(r"^source_hash:[ \t]*['\"]?([0-9a-f]+)['\"]?[ \t]*$", re.M)


def restamp(root: Path) -> list[Path]:
    from kbtools.checks import load

    config = load(root)
    docs = root / config.site_dir
    changed = []
    for path in sorted(docs.rglob("*.md")):
        key = translations.split_name(path.relative_to(docs).as_posix(), config.languages)
        if key is None or key[1] == config.reference:
            continue
        english = docs / f"{key[0]}.{config.reference}.md"
        if not english.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        try:
            recorded = str(parse(text).meta.get("source_hash") or "").strip()
        except FrontMatterError:
            continue
        english_text = english.read_text(encoding="utf-8")
        old, new = legacy_source_hash(english_text), source_hash(english_text)
        if recorded != old or old == new:
            continue
        end = text.find("\n---", 3)
        match = LINE.search(text, 0, end if end > 0 else len(text))
        if match is None:
            continue
        path.write_text(text[:match.start(1)] + new + text[match.end(1):], encoding="utf-8")
        changed.append(path)
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kbtools.restamp", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=".", help="project folder (default: the current one)")
    args = parser.parse_args(argv)
    changed = restamp(Path(args.root).resolve())
    for path in changed:
        print(f"restamped {path}")
    print(f"{len(changed)} translation(s) restamped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
