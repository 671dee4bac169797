"""Bench section `search`: the prebuilt per-language index against Material's stock search.

Per language: the index a reader downloads (raw and gzip) and the time from
navigation start to the first search results in Chromium with the CPU slowed
4x, for both designs on the same content; ratios stock / ours. The stock site
is built once into build/bench/stock-site with KB_PREBUILT_SEARCH=false.
"""
from __future__ import annotations

import gzip
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from kbtools import data, site_config
from kbtools.localserver import serve

# A word both designs find without folding, so both draw a full result list: the
# first word of each language's term for trafficking in persons (data/termbase.yml).
QUERY_TERM = "trafficking-in-persons"
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")


def add_arguments(parser):
    parser.add_argument("--runs", type=int, default=3, help="page loads per language and design (median)")


def _size(path: Path) -> dict:
    raw = path.read_bytes()
    return {"raw_bytes": len(raw), "gzip_bytes": len(gzip.compress(raw, 9, mtime=0))}


def _first_results_ms(browser, url: str, query: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(url, wait_until="load")
    # From the load event: the query arrives at once (no typing speed in the
    # figure) and waits for whatever index the design has to get ready.
    start = time.perf_counter()
    page.fill(".md-search__input", query)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=120_000)
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed


def run(root: Path, args) -> dict:
    from playwright.sync_api import sync_playwright

    site = root / "site"
    stock = root / "build" / "bench" / "stock-site"
    if not (site / "search" / "search_index.json").exists():
        raise SystemExit("bench search: site/ is not built; run `make site` first")
    env = {**os.environ, "KB_PREBUILT_SEARCH": "false", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(stock)], cwd=root, env=env, check=True)

    figures = {"stock_combined_index": _size(stock / "search" / "search_index.json"), "languages": {}}
    with serve(site) as ours_url, serve(stock) as stock_url:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"])
            config = site_config.load(root)
            term = next(t for t in data.load("termbase")["terms"] if t["id"] == QUERY_TERM)
            for lang, prefix in ((lang.code, lang.prefix) for lang in config.languages):
                query = (term.get(lang) or term[config.reference.code])["term"].split()[0]
                ours_ms = [_first_results_ms(browser, ours_url + prefix, query) for _ in range(args.runs)]
                stock_ms = [_first_results_ms(browser, stock_url + prefix, query) for _ in range(args.runs)]
                size = _size(site / prefix / "search" / "search_index.json")
                ours, theirs = statistics.median(ours_ms), statistics.median(stock_ms)
                figures["languages"][lang] = {
                    "index": size,
                    "first_results_ms": round(ours, 1),
                    "stock_first_results_ms": round(theirs, 1),
                    "speedup_vs_stock": round(theirs / ours, 2),
                    "index_vs_stock_combined_raw": round(size["raw_bytes"] / figures["stock_combined_index"]["raw_bytes"], 3),
                    "index_vs_stock_combined_gzip": round(size["gzip_bytes"] / figures["stock_combined_index"]["gzip_bytes"], 3),
                }
            browser.close()
    figures["cpu_throttling"] = 4
    figures["runs"] = args.runs
    return figures
