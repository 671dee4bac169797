"""`python -m scripts.pdf`: render each guide in each language from site/ to build/downloads/.

Needs a built site (`make site`). Files whose inputs did not change are not
rendered again (--force renders all). Exit 0 when every PDF is there, 1 when
one failed, 2 on a usage error.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from scripts.pdf import collect, fonts, run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.pdf", description=__doc__.split("\n\n")[0])
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="PDFs rendered at once, one process each (default: number of cores)")
    parser.add_argument("--lang", action="append", help="only this language (repeatable)")
    parser.add_argument("--guide", action="append", help="only this guide folder (repeatable)")
    parser.add_argument("--force", action="store_true", help="render even when the inputs did not change")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars, one line per file")
    args = parser.parse_args(argv)
    root = Path.cwd()
    try:
        result = run.build(root, jobs=max(1, args.jobs), langs=args.lang, guides=args.guide,
                           force=args.force, progress=not args.no_progress)
    except (collect.CollectError, fonts.FontError) as exc:
        print(f"kb pdf: {exc}", file=sys.stderr)
        return 1
    rendered = sum(pages for _, pages, _ in result.rendered)
    print(f"PDFs: {len(result.rendered)} rendered ({rendered} pages), {len(result.fresh)} up to date, "
          f"{result.pages} pages in all, {result.seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
