"""Bench section `pdf`: PDF pages per second, time for all PDFs, time of a
`make pdf` with nothing to do (target: under 2 s).

All PDFs are rendered from the built site into build/bench/pdf/ with the
cache bypassed, so the figures do not depend on what `make pdf` left; the
no-op figure is the real `make pdf`, run once to be up to date, then timed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from kbtools.bench.machine import describe as machine

NOOP_TARGET_SECONDS = 2.0


def add_arguments(parser):
    parser.add_argument("--pdf-jobs", type=int, default=os.cpu_count() or 1,
                        help="pdf: processes for the full render (default: number of cores)")


def _make_pdf(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", "-s", "pdf"], cwd=root, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(root: Path, args) -> dict:
    from kbtools.pdf import run as pdf_run

    before = machine()
    jobs = max(1, getattr(args, "pdf_jobs", None) or os.cpu_count() or 1)
    out = root / "build" / "bench" / "pdf"
    shutil.rmtree(out, ignore_errors=True)
    result = pdf_run.build(root, jobs=jobs, force=True, out_dir=out, record=False, progress=False)
    rendered = sum(pages for _, pages, _ in result.rendered)
    shutil.rmtree(out, ignore_errors=True)
    _make_pdf(root)  # bring `make pdf` up to date (renders what changed, if anything)
    noop = min(_make_pdf(root) for _ in range(3))
    return {
        "pdf_files": len(result.rendered),
        "pdf_pages": rendered,
        "jobs": jobs,
        "all_pdfs_seconds": round(result.seconds, 2),
        "pages_per_second": round(rendered / result.seconds, 1) if result.seconds else None,
        "pages_per_second_per_job": round(rendered / result.seconds / jobs, 1) if result.seconds else None,
        "slowest_pdf_seconds": round(max((s for *_, s in result.rendered), default=0), 2),
        "make_pdf_unchanged_seconds": round(noop, 3),
        "make_pdf_unchanged_target_seconds": NOOP_TARGET_SECONDS,
        "exit_status": 0 if noop < NOOP_TARGET_SECONDS else 1,
        "machine_before": before,
        "machine_after": machine(),
    }
