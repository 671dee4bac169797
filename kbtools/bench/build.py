"""Bench section `build`: the project's full build against the stock stack, and `make downloads`.

In one run, alternated (ours then stock, stock then ours, ...), median of
`--build-runs`:

- `kb site` (the languages in parallel processes, the project's plugin) against
  `mkdocs build` of the stock configuration generated from the same mkdocs.yml
  (kbtools/bench/stock.py: no `kb` plugin, hooks or overrides; the same
  Markdown extensions, Material, static-i18n), on the real site and on
  corpora of 5 and 15 copies of it (kbtools/bench/corpus.py); at the real
  size also the sequential `kb site --sequential`;
- for each build the wall time, the CPU time of all its processes, and the
  peak memory of the largest single process (getrusage of the children:
  Linux keeps the largest resident set among the descendants waited for);
- `make serve`'s dirty rebuild of one page (kbtools/bench/serve.py);
- `make downloads` end to end in fresh clones (venv, npm, site, PDFs, zips)
  of this commit and of the commit issue 16 measured ("today"), one after
  the other.

Figures to build/bench/build.json; the Markdown table of docs/performance.md
to build/bench/build.md. The machine is described (cores, memory, CPU model,
load average before and after: builds of other people on a shared machine
show there).
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from kbtools import site_config
from kbtools.bench import corpus, serve, stock
from kbtools.bench.machine import describe as machine

MEASURE = """
import json, resource, subprocess, sys, time
command, cwd, env = json.loads(sys.argv[1])
start = time.perf_counter()
result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"exit_status": result.returncode, "seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "peak_rss_kb": usage.ru_maxrss, "stderr": result.stderr[-3000:]}))
"""

# The acceptance of issue 16, on the x5 corpus.
TARGET_RATIO_X5 = 0.6
# The commit issue 16 measured the build and `make downloads` at ("today").
ISSUE_COMMIT = "fbc77fc"


def add_arguments(parser) -> None:
    group = parser.add_argument_group("build")
    group.add_argument("--build-sizes", default="1,5,15",
                       help="build: copies of the real site to build, comma-separated (1: the real site)")
    group.add_argument("--build-runs", type=int, default=3, help="build: runs of each build (median)")
    group.add_argument("--build-jobs", type=int, default=os.cpu_count() or 1,
                       help="build: processes of kb site (default: number of cores)")
    group.add_argument("--no-downloads", action="store_true", help="build: leave out make downloads end to end")
    group.add_argument("--downloads-baseline", metavar="REV",
                       help="build: the revision whose make downloads is today's (default: the commit issue 16 "
                            "measured, " + ISSUE_COMMIT + ")")


def _measure(command: list[str], cwd: Path, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, json.dumps([command, str(cwd), env])],
                         capture_output=True, text=True, check=True)
    figures = json.loads(out.stdout)
    if figures["exit_status"] != 0:
        raise SystemExit(f"bench build: {' '.join(command)} failed:\n{figures['stderr']}")
    figures.pop("stderr")
    return figures


def _median(runs: list[dict]) -> dict:
    return {"seconds": round(statistics.median(r["seconds"] for r in runs), 1),
            "cpu_seconds": round(statistics.median(r["cpu_seconds"] for r in runs), 1),
            "peak_rss_mb": round(statistics.median(r["peak_rss_kb"] for r in runs) / 1024),
            "runs_seconds": [round(r["seconds"], 1) for r in runs]}


def _builds(root: Path, work: Path, copies: int, args, env: dict) -> dict:
    """The designs at one size, alternated."""
    if copies == 1:
        project, made = root, {"copies_of_the_real_site": 1, "pages": None}
    else:
        project = work / f"corpus-x{copies}"
        made = corpus.make(root, project, copies=copies)
    stock_yml = stock.write(project, work / f"stock-x{copies}.yml", work / f"stock-x{copies}-site")
    designs = {
        "ours": [sys.executable, "-m", "kbtools", "site", "--root", str(project), "-j", str(args.build_jobs),
                 "--site-dir", str(work / f"ours-x{copies}-site")],
        "stock": [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(stock_yml)],
    }
    if copies == 1:
        designs["ours_sequential"] = [sys.executable, "-m", "kbtools", "site", "--root", str(project),
                                      "--sequential", "--site-dir", str(work / "ours-seq-x1-site")]
    runs: dict[str, list] = {name: [] for name in designs}
    for run in range(args.build_runs):
        names = list(designs) if run % 2 == 0 else list(reversed(designs))
        for name in names:
            runs[name].append(_measure(designs[name], project, env))
            print(f"bench build x{copies} run {run + 1} {name}: {runs[name][-1]['seconds']:.1f} s", file=sys.stderr)
    html = sum(1 for _ in (work / f"ours-x{copies}-site").rglob("*.html"))
    for name in designs:
        shutil.rmtree(work / f"{name}-x{copies}-site", ignore_errors=True)
    shutil.rmtree(work / f"stock-x{copies}-site", ignore_errors=True)
    shutil.rmtree(work / "ours-seq-x1-site", ignore_errors=True)
    if copies != 1:
        shutil.rmtree(project, ignore_errors=True)
    out = {"corpus": made, "html_files": html, **{name: _median(r) for name, r in runs.items()}}
    out["ours_vs_stock_seconds"] = round(out["ours"]["seconds"] / out["stock"]["seconds"], 2)
    out["ours_vs_stock_cpu"] = round(out["ours"]["cpu_seconds"] / out["stock"]["cpu_seconds"], 2)
    return out


def _commit(root: Path, rev: str, what: str) -> str:
    found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=root,
                           capture_output=True, text=True)
    if found.returncode != 0:
        raise SystemExit(f"bench build: {what} ({rev}) is not in this clone (a shallow clone?); fetch the "
                         "history or give --downloads-baseline")
    return found.stdout.strip()


def _baselines(root: Path, given: str | None) -> dict[str, str]:
    """The commits whose `make downloads` this one is compared with: the one issue 16 measured
    ("today"; the guides and PDFs of that day), and the last before its parallel build, with
    today's content (the parent of the commit that added kbtools/sitebuild.py)."""
    if given:
        return {"given": _commit(root, given, "--downloads-baseline")}
    added = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--", "kbtools/sitebuild.py"],
                           cwd=root, capture_output=True, text=True).stdout.split()
    out = {"issue": _commit(root, ISSUE_COMMIT, "the commit issue 16 measured")}
    if added:
        out["before_parallel_build"] = _commit(root, added[-1] + "^", "the commit before the parallel build")
    return out


def _downloads(root: Path, work: Path, rev: str, name: str) -> dict:
    """`make downloads` in a fresh clone of `rev`: its venv, node_modules, site, PDFs, zips."""
    clone = work / name
    shutil.rmtree(clone, ignore_errors=True)
    sha = subprocess.run(["git", "rev-parse", rev], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(root), str(clone)], check=True)
    subprocess.run(["git", "checkout", "-q", sha], cwd=clone, check=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True,
                            text=True).stdout.strip()
    env = {k: v for k, v in os.environ.items()
           if k not in ("SOURCE_DATE_EPOCH", "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    figures = _measure(["make", "downloads"], clone, env)
    made = sorted((clone / "build" / "downloads").glob("*"))
    shutil.rmtree(clone, ignore_errors=True)
    return {"commit": commit, "seconds": round(figures["seconds"], 1), "cpu_seconds": round(figures["cpu_seconds"], 1),
            "pdfs": sum(1 for f in made if f.suffix == ".pdf"), "zips": sum(1 for f in made if f.suffix == ".zip"),
            "exit_status": figures["exit_status"],
            "peak_rss_mb": round(figures["peak_rss_kb"] / 1024)}


def run(root: Path, args) -> dict:
    work = root / "build" / "bench" / "build"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = site_config.load(root)
    epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True).stdout.strip()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH")
           or epoch or "315532800"}
    figures: dict = {"machine_before": machine(), "runs": args.build_runs, "jobs": args.build_jobs, "sizes": {}}
    partial = root / "build" / "bench" / "build.partial.json"
    for copies in [int(c) for c in args.build_sizes.split(",") if c.strip()]:
        figures["sizes"][f"x{copies}"] = _builds(root, work, copies, args, env)
        # A long run on a shared machine: what is measured is kept as it comes.
        partial.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    sizes = figures["sizes"]
    if "x5" in sizes and "x15" in sizes:
        figures["growth_x5_to_x15"] = {d: round(sizes["x15"][d]["seconds"] / sizes["x5"][d]["seconds"], 2)
                                       for d in ("ours", "stock")}
        figures["growth_x5_to_x15"]["linear"] = 3.0
    if "x5" in sizes:
        x5 = sizes["x5"]
        figures["acceptance_x5"] = {
            "ours_vs_stock_seconds": x5["ours_vs_stock_seconds"], "target": TARGET_RATIO_X5,
            "time_met": x5["ours_vs_stock_seconds"] <= TARGET_RATIO_X5,
            "peak_memory_met": x5["ours"]["peak_rss_mb"] <= x5["stock"]["peak_rss_mb"],
            "growth_met": (figures["growth_x5_to_x15"]["ours"] <= 3.0) if "growth_x5_to_x15" in figures else None,
        }
    lang = next((lang for lang in config.languages if not lang.default), config.reference)
    chapter = config.guides[0].chapters[-1] if config.guides else "index.md"
    page = config.docs_dir / f"{Path(chapter).with_suffix('')}.{lang.code}.md"
    figures["serve_dirty_rebuild"] = serve.rebuilds(root, lang.code, page, times=args.build_runs)
    if not args.no_downloads:
        d = {name: _downloads(root, work, rev, f"clone-{name}")
             for name, rev in _baselines(root, args.downloads_baseline).items()}
        d["this"] = _downloads(root, work, "HEAD", "clone-this")
        for name in [n for n in d if n != "this"]:
            d[f"this_vs_{name}"] = round(d["this"]["seconds"] / d[name]["seconds"], 2)
        figures["make_downloads"] = d
    figures["machine_after"] = machine()
    (root / "build" / "bench" / "build.md").write_text(table(figures), encoding="utf-8")
    return figures


def table(figures: dict) -> str:
    """The Markdown of docs/performance.md's tables."""
    m = figures["machine_before"]
    lines = [f"Machine: {m['cores']} cores ({m['cpu_model']}), {m['memory_gib']} GiB of memory; load average "
             f"{', '.join(f'{x:.1f}' for x in m['load_average'])} before and "
             f"{', '.join(f'{x:.1f}' for x in figures['machine_after']['load_average'])} after "
             f"(a shared machine). Median of {figures['runs']} alternated runs."]
    if figures["sizes"]:
        lines += ["", "| corpus | build | time | CPU time | peak memory (largest process) | time vs stock |",
                  "|---|---|---|---|---|---|"]
    for size, s in figures["sizes"].items():
        pages = s["corpus"].get("pages") or f"{s['html_files']} HTML files"
        for name, label in (("ours", "`kb site` (parallel, all plugins)"), ("ours_sequential", "`kb site --sequential`"),
                            ("stock", "stock MkDocs + Material + static-i18n")):
            if name in s:
                d = s[name]
                ratio = f"{d['seconds'] / s['stock']['seconds']:.2f}×" if name != "stock" else "1"
                lines.append(f"| {size} ({pages}) | {label} | {d['seconds']} s | {d['cpu_seconds']} s | "
                             f"{d['peak_rss_mb']} MB | {ratio} |")
    if "growth_x5_to_x15" in figures:
        g = figures["growth_x5_to_x15"]
        lines += ["", f"Growth from x5 to x15 (linear: 3.0): ours {g['ours']}, stock {g['stock']}."]
    s = figures.get("serve_dirty_rebuild")
    if s:
        lines += ["", f"`make serve ONLY={s['language']}`, `{s['page']}` written again: the browser reloads after "
                      f"{s['rebuild_seconds_median']} s (median; runs {s['rebuild_seconds']}; MkDocs' own figures "
                      f"{s['mkdocs_built_in_seconds']} s)."]
    d = figures.get("make_downloads")
    if d:
        labels = {"issue": "when the issue was filed", "before_parallel_build": "before the parallel build",
                  "given": "the given revision", "this": "this commit"}
        lines += ["", "| `make downloads` in a fresh clone | PDFs, zips | time | CPU time | peak memory | this vs it |",
                  "|---|---|---|---|---|---|"]
        for name, label in labels.items():
            if name in d:
                r = d[name]
                ratio = f"{d['this_vs_' + name]:.2f}" if name != "this" else "1"
                lines.append(f"| {label} ({r['commit']}) | {r.get('pdfs', '?')}, {r.get('zips', '?')} | {r['seconds']} s | "
                             f"{r['cpu_seconds']} s | {r['peak_rss_mb']} MB | {ratio} |")
    return "\n".join(lines) + "\n"
