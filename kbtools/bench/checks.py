"""Bench section `checks`: `make check` on a generated corpus, against LinkChecker.

- `kb check` over a corpus of N pages per language (kbtools/bench/corpus.py),
  target under 10 s for 4,000 pages x 4 languages on a 2-core machine;
- `kb check` over the real sources, for scale;
- the two design choices of the checks, each against the simpler way
  (keep what these figures prove, delete what they do not): the parallel
  runner (`kb check --jobs 1` on the same corpus) and the front matter read
  with libyaml as MkDocs does (against PyYAML's pure-Python loader);
- LinkChecker (the PyPI package, pinned in requirements.txt) over a copy of
  the real built site/ through file://, the usual way to check a static site
  for broken links. Building the 16,000-page corpus with MkDocs would take far
  longer than checking it, so the comparison is per page.

Wall and CPU seconds are both recorded: the machine may be shared, and CPU
seconds show the work done whatever else runs.
"""
from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kbtools.bench import corpus
from kbtools.bench.machine import describe as machine

TARGET_SECONDS = 10.0


def add_arguments(parser) -> None:
    group = parser.add_argument_group("checks")
    group.add_argument("--pages", type=int, default=4000, help="pages per language in the generated corpus")
    group.add_argument("--keep", metavar="DIR", help="generate the corpus into DIR and keep it")
    group.add_argument("--no-linkchecker", action="store_true", help="skip the LinkChecker comparison")


def _timed(command: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run command; return the result, wall seconds and CPU seconds (user + system, children included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, round(wall, 2), round(cpu, 2)


def _check(root: Path, *extra: str) -> dict:
    result, wall, cpu = _timed([sys.executable, "-m", "kbtools", "check", "--root", str(root), "--format", "json",
                                *extra])
    try:
        findings = len(json.loads(result.stdout)["findings"])
    except (ValueError, KeyError):
        findings = None
    files = re.search(r"(\d+) files checked", result.stdout)
    return {"seconds": wall, "cpu_seconds": cpu, "exit_status": result.returncode, "findings": findings,
            "files": int(files.group(1)) if files else None}


def _front_matter_read(root: Path) -> dict:
    """Seconds to read every page's front matter with libyaml and with pure-Python PyYAML."""
    import yaml

    from kbtools.frontmatter import split
    texts = [meta for path in sorted(root.rglob("*.md"))
             for meta in [split(path.read_text(encoding="utf-8"))[0]] if meta]
    figures = {"pages": len(texts)}
    for name, loader in (("libyaml", getattr(yaml, "CSafeLoader", None)), ("pure_python", yaml.SafeLoader)):
        if loader is None:
            figures[name] = "not available in this PyYAML"
            continue
        start = time.process_time()
        for text in texts:
            yaml.load(text, Loader=loader)  # noqa: S506 (safe loaders)
        figures[f"{name}_cpu_seconds"] = round(time.process_time() - start, 3)
    if "libyaml_cpu_seconds" in figures:
        figures["pure_python_over_libyaml"] = round(
            figures["pure_python_cpu_seconds"] / max(figures["libyaml_cpu_seconds"], 1e-9), 1)
    return figures


def _linkchecker(site: Path, work: Path) -> dict:
    binary = Path(sys.executable).with_name("linkchecker")
    if not binary.exists():
        return {"skipped": "linkchecker is not installed (pip install -r requirements.txt)"}
    if not (site / "index.html").exists():
        return {"skipped": "site/ is not built (make site)"}
    copy = work / "site"
    shutil.copytree(site, copy)  # a copy: a build running meanwhile must not change what is checked
    for path in [work, *copy.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # LinkChecker run as root drops to `nobody`
    work.chmod(0o755)
    pages = sum(1 for _ in copy.rglob("*.html"))
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    result, wall, cpu = _timed([str(binary), "--no-status", "-o", "text", f"file://{copy}/index.html"])
    summary = re.search(r"(\d+) links? in (\d+) URLs? checked.*?(\d+) warnings? found.*?(\d+) errors? found",
                        result.stdout, re.S)
    return {"version": version, "html_pages": pages, "seconds": wall, "cpu_seconds": cpu,
            "exit_status": result.returncode,
            "urls_checked": int(summary.group(2)) if summary else None,
            "errors": int(summary.group(4)) if summary else None}


def run(root: Path, args) -> dict:
    pages = getattr(args, "pages", 4000)
    figures = {"machine_before": machine()}
    work = Path(tempfile.mkdtemp(prefix="kb-bench-checks-"))
    work.chmod(0o755)  # LinkChecker, run as root, reads the copy as `nobody`
    try:
        target = Path(args.keep) if getattr(args, "keep", None) else work / "corpus"
        made = corpus.make(root, target, pages)
        figures["corpus"] = made
        figures["check_corpus"] = {**_check(target), "target_seconds": TARGET_SECONDS}
        figures["check_corpus"]["under_target"] = figures["check_corpus"]["seconds"] < TARGET_SECONDS
        serial = _check(target, "--jobs", "1")
        figures["check_corpus_one_process"] = serial
        figures["parallel_runner"] = {
            "one_process_over_parallel_wall": round(serial["seconds"] / max(figures["check_corpus"]["seconds"], 1e-9), 2),
            "note": "the runner forks one worker per CPU from 400 files; on a busy machine read the wall ratio "
                    "with the load average"}
        figures["front_matter_read"] = _front_matter_read(target)
        figures["check_real_sources"] = _check(root)
        if not getattr(args, "no_linkchecker", False):
            lc = _linkchecker(root / "site", work / "linkchecker")
            figures["linkchecker_real_site"] = lc
            if "seconds" in lc and lc.get("html_pages"):
                ours = figures["check_corpus"]["seconds"] / made["pages"]
                theirs = lc["seconds"] / lc["html_pages"]
                figures["per_page"] = {
                    "check_ms": round(1000 * ours, 3),
                    "linkchecker_ms": round(1000 * theirs, 3),
                    "linkchecker_over_check": round(theirs / ours, 1) if ours else None,
                    "linkchecker_seconds_for_the_corpus_estimated": round(theirs * made["pages"]),
                }
        figures["machine_after"] = machine()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return figures
