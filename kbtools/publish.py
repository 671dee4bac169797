"""`python -m kbtools.publish merge PARTS`: join the downloads rendered in parallel.

The publish workflow (.github/workflows/publish.yml) renders each language's
PDFs and offline zip in a job of its own; each job hands over a folder with
its files and its build/downloads.json. This puts every file into
build/downloads/ and every entry into build/downloads.json (kbtools/downloads.py),
so that `kb downloads`, the pipeline's last step, lists them all on the
downloads pages of the built site and places them beside those pages.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from kbtools import downloads


class MergeError(ValueError):
    """A part that cannot be merged (no manifest, a listed file missing)."""


def merge(parts: Path, root: Path) -> list[str]:
    """Merge every folder below `parts` holding a downloads.json; returns the file names merged."""
    manifests = sorted(Path(parts).rglob("downloads.json"))
    if not manifests:
        raise MergeError(f"no downloads.json below {parts}; did the download jobs upload their parts?")
    target = root / downloads.MANIFEST
    files = target.parent / downloads.FILES.name
    files.mkdir(parents=True, exist_ok=True)
    entries = []
    for manifest in manifests:
        try:
            listed = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
        except (OSError, ValueError) as exc:
            raise MergeError(f"{manifest}: cannot read it ({exc})") from None
        for entry in listed:
            source = manifest.parent / entry["name"]
            if not source.is_file():
                continue  # another language's file, listed by a manifest that was not reset
            shutil.copyfile(source, files / entry["name"])
            entries.append(entry)
    if not entries:
        raise MergeError(f"the manifests below {parts} list no file that is there")
    downloads.save(entries, target)
    return sorted(e["name"] for e in entries)


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "merge":
        print("usage: python -m kbtools.publish merge PARTS_FOLDER", file=sys.stderr)
        return 2
    try:
        names = merge(Path(args[1]), Path.cwd())
    except MergeError as exc:
        print(f"kbtools.publish: {exc}", file=sys.stderr)
        return 2
    print(f"merged {len(names)} files into {downloads.FILES}/: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
