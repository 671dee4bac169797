"""Benchmarks of the project's tools: `kb bench [section]` (or `make bench`).

One module per section; each has `add_arguments(parser)` and `run(root, args)`
returning the figures, which are printed and written to build/bench/<section>.json.
Add a section (search, pdf, build, ...) by adding its module to SECTIONS.
"""
from __future__ import annotations

import json
from pathlib import Path

from kbtools.bench import build, checks, pdf, search

SECTIONS = {"checks": checks, "search": search, "pdf": pdf, "build": build}


def main(sections, root: Path, args) -> int:
    for name in sections or list(SECTIONS):
        figures = SECTIONS[name].run(root, args)
        out = root / "build" / "bench" / f"{name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{name}: " + json.dumps(figures, indent=2, sort_keys=True))
        print(f"wrote {out}")
    return 0
