"""Bench section `search`: the split, lazily fetched index against Material's stock search.

At the real size (x1: site/, as `make site` built it) and on corpora of 5 and
15 copies of the real site (kbtools/bench/corpus.py), each built both ways:
ours (`kb site`) and stock (the same project with KB_PREBUILT_SEARCH=false:
Material's own search, its worker building a lunr index of every language in
the reader's browser). Both served gzip-compressed (kbtools/localserver.py) to
Debian's Chromium with the CPU slowed 4x, a fresh browser context per page
load, for a chapter page of each language:

- bytes transferred before any interaction (the page loaded and the network
  quiet), and how many of them are search files;
- bytes transferred until the first results of a query, and how many of them
  are search files (index, shards, worker, lunr);
- the time from the load event to the first results (the query inserted at
  once, so no typing speed is in it), median of `--runs` (on the corpora
  `--large-runs` for `--large-langs`: stock Material's index of x15 takes
  minutes to build in each page).

Bytes are what Chromium reports for each finished request (headers and the
encoded body, Playwright's `Request.sizes()`), requests of the worker
included; not sums of files. Figures to build/bench/search.json, and the
Markdown table of docs/performance.md to build/bench/search.md.
"""
from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from kbtools import data, search, site_config
from kbtools.bench import corpus
from kbtools.bench.machine import describe as machine
from kbtools.localserver import serve

# A word both designs find without folding, so both draw a full result list: the
# first word of each language's term for trafficking in persons (data/termbase.yml).
# It is on most pages: the most results, the most shards, the worst case of ours.
QUERY_TERM = "trafficking-in-persons"
CHAPTER = "investigation/evidence/"
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CPU_THROTTLING = 4
# Search files of either design: an index or its shards, a worker, lunr.
SEARCH_FILE = re.compile(r"/search/|/kb-search/|/javascripts/workers/|/javascripts/lunr/")
# The acceptance (#15), in bytes and as a share of stock Material's time.
TARGETS = {"page_bytes_before_interaction": 120_000, "search_bytes_to_first_results": {1: 150_000, 15: 400_000},
           "first_results_vs_stock": 1 / 3}


def add_arguments(parser):
    group = parser.add_argument_group("search")
    group.add_argument("--runs", type=int, default=3, help="search: page loads per language and design (median)")
    group.add_argument("--search-sizes", default="1,5,15",
                       help="search: copies of the real site, comma-separated (1: the real site/)")
    group.add_argument("--search-langs", default="",
                       help="search: language codes, comma-separated (default: every language)")
    group.add_argument("--large-runs", type=int, default=1,
                       help="search: page loads per language and design on the corpora (x5, x15): stock Material "
                            "builds an index of every language in the page, minutes each at x15")
    group.add_argument("--large-langs", default="",
                       help="search: language codes on the corpora (default: the reference language)")


def _build(project: Path, site_dir: Path, stock: bool) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if stock:
        env["KB_PREBUILT_SEARCH"] = "false"
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)]
    else:
        command = [sys.executable, "-m", "kbtools", "site", "--root", str(project), "--site-dir", str(site_dir)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench search: {' '.join(command)} failed:\n{result.stderr[-3000:]}")
    print(f"bench search: built {site_dir} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _throttled_page(browser):
    """A fresh context (no cache) and its page, the CPU slowed CPU_THROTTLING times."""
    context = browser.new_context()
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLING})
    return context, page


def _search(page, query: str) -> None:
    """Insert `query` in the search box at once and wait for the first results."""
    page.fill(".md-search__input", query)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=600_000)


def _visit(browser, url: str, query: str) -> dict:
    """One reader: a fresh context loads `url`, waits for quiet, then searches `query`."""
    context, page = _throttled_page(browser)
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    before = list(finished)
    _search(page, query)
    until = list(finished)

    def count(requests) -> dict:
        sizes = [(r.url, r.sizes()) for r in requests]
        total = sum(s["responseBodySize"] + s["responseHeadersSize"] for _, s in sizes)
        search = sum(s["responseBodySize"] + s["responseHeadersSize"] for u, s in sizes if SEARCH_FILE.search(u))
        return {"bytes": total, "search_bytes": search, "requests": len(sizes),
                "search_requests": sum(1 for u, _ in sizes if SEARCH_FILE.search(u))}
    figures = {"before_interaction": count(before), "to_first_results": count(until)}
    context.close()
    return figures


def _first_results_ms(browser, url: str, query: str) -> float:
    """The time from the load event to the first results: a load of its own, without the
    wait for quiet of `_visit` (the stock design builds its index meanwhile)."""
    context, page = _throttled_page(browser)
    page.goto(url, wait_until="load")
    start = time.perf_counter()
    _search(page, query)
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed


def _median_visit(visits: list[dict]) -> dict:
    out = {}
    for stage in ("before_interaction", "to_first_results"):
        out[stage] = {key: int(statistics.median(v[stage][key] for v in visits)) for key in visits[0][stage]}
    return out


def _measure_size(browser, ours: Path, stock: Path, languages, query_of, runs: int) -> dict:
    figures = {}
    with serve(ours, compress=True) as ours_url, serve(stock, compress=True) as stock_url:
        for lang in languages:
            query = query_of(lang.code)
            row = {"query": query}
            for name, base in (("ours", ours_url), ("stock", stock_url)):
                url = base + lang.prefix + CHAPTER
                visits = [_visit(browser, url, query) for _ in range(runs)]
                times = [_first_results_ms(browser, url, query) for _ in range(runs)]
                row[name] = {**_median_visit(visits), "first_results_ms": round(statistics.median(times), 1),
                             "runs_ms": [round(t) for t in times]}
                print(f"bench search {lang.code} {name}: {row[name]['first_results_ms']:.0f} ms, "
                      f"{row[name]['to_first_results']['search_bytes'] // 1000} kB of search data",
                      file=sys.stderr)
            row["speedup_vs_stock"] = round(row["stock"]["first_results_ms"] / row["ours"]["first_results_ms"], 2)
            figures[lang.code] = row
    return figures


def _verdict(sizes: dict) -> dict:
    """Each target of the issue, met or not, with the worst language's figure."""
    out = {}
    for size, langs in sizes.items():
        copies = int(size[1:])
        rows = langs["languages"].values()
        page = max(r["ours"]["before_interaction"]["bytes"] for r in rows)
        page_search = max(r["ours"]["before_interaction"]["search_bytes"] for r in rows)
        search = max(r["ours"]["to_first_results"]["search_bytes"] for r in rows)
        ratio = max(r["ours"]["first_results_ms"] / r["stock"]["first_results_ms"] for r in rows)
        verdict = {"page_bytes_before_interaction": page, "page_search_bytes_before_interaction": page_search,
                   "page_met": page <= TARGETS["page_bytes_before_interaction"] and page_search == 0,
                   "search_bytes_to_first_results": search,
                   "time_vs_stock": round(ratio, 3), "time_met": ratio <= TARGETS["first_results_vs_stock"]}
        limit = TARGETS["search_bytes_to_first_results"].get(copies)
        if limit:
            verdict["search_bytes_limit"] = limit
            verdict["search_met"] = search <= limit
        out[size] = verdict
    return out


def _table(sizes: dict) -> str:
    lines = ["| corpus | language | design | page before interaction (search) | to first results (search) | "
             "requests to first results | first results (CPU 4x) |",
             "|---|---|---|---|---|---|---|"]
    kb = lambda n: f"{n / 1000:.0f} kB"  # noqa: E731
    for size, block in sizes.items():
        for lang, row in block["languages"].items():
            for name in ("ours", "stock"):
                r = row[name]
                lines.append(f"| {size} | {lang} | {name} | {kb(r['before_interaction']['bytes'])} "
                             f"({kb(r['before_interaction']['search_bytes'])}) | {kb(r['to_first_results']['bytes'])} "
                             f"({kb(r['to_first_results']['search_bytes'])}) | {r['to_first_results']['requests']} | "
                             f"{r['first_results_ms'] / 1000:.2f} s |")
    return "\n".join(lines) + "\n"


def _languages(config, codes: str, default: list[str]) -> list:
    """The languages of mkdocs.yml named in `codes` (comma-separated; `default` when empty)."""
    wanted = [c.strip() for c in codes.split(",") if c.strip()] or default
    unknown = sorted(set(wanted) - {lang.code for lang in config.languages})
    if unknown:
        raise SystemExit(f"bench search: no language {', '.join(unknown)} in mkdocs.yml")
    return [lang for lang in config.languages if lang.code in wanted]


def run(root: Path, args) -> dict:
    from playwright.sync_api import sync_playwright

    if not (root / "site" / "search" / "search_index.json").exists():
        raise SystemExit("bench search: site/ is not built; run `make site` first")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"bench search: no Chromium at {CHROMIUM}: run `make browser` as root")
    try:
        sizes = [int(s) for s in args.search_sizes.split(",") if s.strip()]
    except ValueError:
        raise SystemExit(f"bench search: --search-sizes wants copies like 1,5,15, not {args.search_sizes!r}") from None
    if not sizes or min(sizes) < 1:
        raise SystemExit("bench search: --search-sizes wants one or more numbers of copies, 1 or more")
    if args.runs < 1 or args.large_runs < 1:
        raise SystemExit("bench search: --runs and --large-runs want 1 or more page loads")
    config = site_config.load(root)
    languages = _languages(config, args.search_langs, [lang.code for lang in config.languages])
    languages_large = _languages(config, args.large_langs, [config.reference.code])
    term = next(t for t in data.load("termbase")["terms"] if t["id"] == QUERY_TERM)

    def query_of(code: str) -> str:
        return (term.get(code) or term[config.reference.code])["term"].split()[0]

    work = root / "build" / "bench" / "search"
    work.mkdir(parents=True, exist_ok=True)
    figures = {"cpu_throttling": CPU_THROTTLING, "runs": args.runs, "chapter": CHAPTER, "gzip_level": 6,
               "targets": {"page_bytes_before_interaction": TARGETS["page_bytes_before_interaction"],
                           "search_bytes_to_first_results": {f"x{k}": v for k, v in
                                                             TARGETS["search_bytes_to_first_results"].items()},
                           "first_results_vs_stock": round(TARGETS["first_results_vs_stock"], 3)},
               "machine_before": machine(), "sizes": {}}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-background-networking"])
        for copies in sizes:
            if copies == 1:
                project, ours = root, root / "site"
            else:
                project = work / f"corpus-x{copies}"
                corpus.make(root, project, copies=copies)
                ours = work / f"ours-x{copies}-site"
                _build(project, ours, stock=False)
            stock = work / f"stock-x{copies}-site"
            _build(project, stock, stock=True)
            documents = len(search.documents(ours, config.reference.prefix))
            runs = args.runs if copies == 1 else args.large_runs
            block = {"documents_per_language": documents, "runs": runs,
                     "languages": _measure_size(browser, ours, stock, languages if copies == 1 else languages_large,
                                                query_of, runs)}
            figures["sizes"][f"x{copies}"] = block
            for path in (stock, ours if copies != 1 else None, project if copies != 1 else None):
                if path is not None:
                    shutil.rmtree(path, ignore_errors=True)
        browser.close()
    figures["machine_after"] = machine()
    figures["acceptance"] = _verdict(figures["sizes"])
    table = work.parent / "search.md"
    table.write_text(_table(figures["sizes"]), encoding="utf-8")
    print(f"bench search: table in {table}", file=sys.stderr)
    return figures
