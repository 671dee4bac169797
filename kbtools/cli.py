"""The project's command line: `python -m kbtools <command>` (or `kb <command>`).

Each command's docstring is its help. Exit status: 0 clean, 1 findings (or a
failed step), 2 usage error.
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _root(value: str | None) -> Path:
    if value:
        return Path(value).resolve()
    cwd = Path.cwd()
    return cwd if (cwd / "mkdocs.yml").exists() else ROOT


def _codes(values) -> list[str]:
    return [code.strip() for value in values or [] for code in value.split(",") if code.strip()]


def cmd_check(args) -> int:
    """Validate the sources in guides/ and docs/: links, anchors, translations, structure parity,
    front matter, terminology, unsafe HTML, accessibility, placeholders, file encoding.

    Findings go to stderr as `path:line:col: code message`, grouped by file, then
    a summary line. Exit 0 when no check at severity `error` found anything
    (warnings are reported; --strict makes them fail too), 1 otherwise.
    Severities come from checks.yml; --list describes every check.
    """
    from kbtools import checks
    from kbtools.checks import report

    if args.list:
        return _list(args)
    root = _root(args.root)
    try:
        config = checks.load(root, Path(args.config) if args.config else None)
    except checks.ConfigError as exc:
        print(f"kb check: {exc}", file=sys.stderr)
        return 2
    enable, disable = _codes(args.enable), _codes(args.disable)
    unknown = sorted(set(enable + disable) - set(checks.REGISTRY) - {"all"})
    if unknown:
        print(f"kb check: unknown check(s) {', '.join(unknown)}; see `kb check --list`", file=sys.stderr)
        return 2
    codes = checks.selected(config, enable=[c for c in enable if c != "all"], disable=[c for c in disable if c != "all"])
    if "all" in disable:
        codes = [c for c in checks.REGISTRY if c in enable]
    elif "all" in enable:
        codes = [c for c in checks.REGISTRY if c not in disable]
    for code in enable:  # an enabled check that is `off` in checks.yml runs as an error
        if code != "all" and config.severity_of(code) == "off":
            config.severity[code] = "error"
    paths = None
    if args.paths:
        paths = []
        for name in args.paths:
            path = Path(name).resolve()
            if not path.exists():
                print(f"kb check: {name}: no such file or folder", file=sys.stderr)
                return 2
            try:
                paths.append(path.relative_to(root).as_posix())
            except ValueError:
                print(f"kb check: {name} is outside the project at {root}", file=sys.stderr)
                return 2
    start = time.perf_counter()
    findings, project = checks.run(config, codes, paths=paths, jobs=args.jobs)
    files = len(project.index) if paths is None else sum(
        1 for d in project.index if any(d.path == p or d.path.startswith(p.rstrip("/") + "/") for p in paths))
    line = report.summary(findings, files, time.perf_counter() - start)
    if args.format == "json":
        sys.stdout.write(report.as_json(findings, line))
    elif args.format == "github":
        sys.stdout.write(report.github(findings))
        print(line, file=sys.stderr)
    else:
        sys.stderr.write(report.text(findings))
        print(line, file=sys.stderr)
    failing = [f for f in findings if f.severity == "error" or args.strict]
    return 1 if failing else 0


def _list(args) -> int:
    from kbtools import checks

    try:
        config = checks.load(_root(args.root), Path(args.config) if args.config else None)
    except checks.ConfigError as exc:
        print(f"kb check: {exc}", file=sys.stderr)
        return 2
    for code, check in sorted(checks.REGISTRY.items()):
        print(f"{code} ({config.severity_of(code)}; {', '.join(k.replace('site', 'guides/').replace('handbook', 'docs/') for k in check.kinds)})")
        print(f"    {check.summary}")
        for label in ("Bad", "Good"):
            example = check.example(label).replace("\n", "\n          ")
            print(f"    {label + ':':5} {example}")
        print()
    return 0


def cmd_status(args) -> int:
    """Translation status: per language, pages translated, outdated (English changed since),
    missing (readers get English) and orphaned, as a table on stdout and a JSON file."""
    from kbtools import checks, translations

    if args.diff:
        from kbtools import history

        return history.cmd_status_diff(args)
    if args.lang:
        print("kb status: --lang goes with --diff (the table counts every language)", file=sys.stderr)
        return 2
    root = _root(args.root)
    try:
        config = checks.load(root)
    except checks.ConfigError as exc:
        print(f"kb status: {exc}", file=sys.stderr)
        return 2
    report = translations.scan(root / config.site_dir, config.languages, config.reference)
    rows = [("language", "translated", "outdated", "missing", "orphan", "%")]
    for lang in report.languages:
        c = report.counts(lang)
        rows.append((lang, c["translated"], c["outdated"], c["missing"], c["orphan"], f"{c['percent']}%"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths))))
    out = Path(args.json) if args.json else root / "build" / "translation-status.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


def cmd_bench(args) -> int:
    """Time the project's tools on generated data and write the figures to build/bench/<section>.json.
    Sections: see `kb bench --help`; without a section, all of them."""
    from kbtools import bench

    return bench.main(args.sections, _root(args.root), args)


def cmd_search(args) -> int:
    """Search the built site as a reader of one language would (same index, same
    code as the browser): prints the pages found, best first."""
    from kbtools import search, site_config

    root = _root(args.root)
    config = site_config.load(root)
    codes = [lang.code for lang in config.languages]
    if args.lang not in codes:
        print(f"kb search: no language '{args.lang}' in mkdocs.yml; languages: {', '.join(codes)}", file=sys.stderr)
        return 2
    try:
        results = search.query(config.site_dir, config.language(args.lang).prefix, " ".join(args.query))
    except search.SearchError as exc:
        print(f"kb search: {exc}", file=sys.stderr)
        return 2
    results = results[:args.limit]
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        for rank, item in enumerate(results, 1):
            print(f"{rank:2}. {item['location'] or './'}  {item['title']}")
        if not results:
            print("no results")
    return 0


def cmd_pdf(args) -> int:
    """Render each guide in each language from site/ to build/downloads/ as a PDF.

    Needs a built site (make site). PDFs whose inputs did not change are not
    rendered again (--force renders all). Exit 0 when every PDF is there, 1
    when one failed.
    """
    from kbtools.pdf import collect, fonts, run

    try:
        result = run.build(_root(args.root), jobs=max(1, args.jobs), langs=args.lang, guides=args.guide,
                           force=args.force, progress=not args.no_progress)
    except (collect.CollectError, fonts.FontError) as exc:
        print(f"kb pdf: {exc}", file=sys.stderr)
        return 1
    rendered = sum(pages for _, pages, _ in result.rendered)
    print(f"PDFs: {len(result.rendered)} rendered ({rendered} pages), {len(result.fresh)} up to date, "
          f"{result.pages} pages in all, {result.seconds:.1f} s", file=sys.stderr)
    return 0


def cmd_offline(args) -> int:
    """Per language, a zip of the site built for file:// with that language's PDFs,
    in build/downloads/ (needs `kb pdf` first). Unchanged zips are not rebuilt."""
    from kbtools import offline

    return offline.build(_root(args.root), langs=args.lang, force=args.force, jobs=max(1, args.jobs))


def cmd_site(args) -> int:
    """Build every language into site/ (strict: a broken link or nav entry fails).

    The languages are built in parallel processes (-j, default: one per core)
    and merged into the same bytes as the sequential build (--sequential,
    static-i18n's own way: one language after another in one process).
    site/ depends on the sources only (guides/, data/, overrides/, mkdocs.yml),
    never on what `kb pdf`, `kb offline` or `kb downloads` made."""
    from kbtools import sitebuild

    root = _root(args.root)
    started = time.perf_counter()
    try:
        site_dir = Path(args.site_dir).resolve() if args.site_dir else None
        if args.sequential:
            sitebuild.build_sequential(root, site_dir=site_dir, verbose=args.verbose)
        else:
            figures = sitebuild.build_parallel(root, site_dir=site_dir, jobs=args.jobs, verbose=args.verbose)
            if args.verbose:
                print(f"kb site: {json.dumps(figures)}", file=sys.stderr)
    except sitebuild.BuildError as exc:
        print(f"kb site: {exc}", file=sys.stderr)
        return 1
    if args.verbose:
        print(f"kb site: built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def cmd_downloads(args) -> int:
    """List the PDFs and offline zips (build/downloads.json) on each language's downloads
    page in site/, and place the files beside it: the last step of the pipeline
    (site, then pdf and offline, then this)."""
    from kbtools import downloads, site_config

    root = _root(args.root)
    config = site_config.load(root)
    manifest = root / downloads.MANIFEST
    if not downloads.load(manifest):
        print(f"kb downloads: {manifest} lists no files; run `kb pdf` and `kb offline` first", file=sys.stderr)
        return 1
    try:
        pages = downloads.place_all(config.site_dir, manifest, config.languages,
                                    directory_urls=config.directory_urls)
    except downloads.DownloadsError as exc:
        print(f"kb downloads: {exc}", file=sys.stderr)
        return 1
    for page in pages:
        print(f"listed on {page.relative_to(root)}", file=sys.stderr)
    return 0


def cmd_hash(args) -> int:
    """Print the source hash of reference-language pages, the value a translation records
    as `source_hash:` once it matches that text (docs/translating.md)."""
    from kbtools.frontmatter import source_hash

    status = 0
    for name in args.pages:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"kb hash: {name}: cannot read it ({exc.__class__.__name__}: {exc})", file=sys.stderr)
            status = 2
            continue
        print(f"{source_hash(text)}  {name}")
    return status


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="kb", description=__doc__.split("\n\n")[0],
                                          formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = main_parser.add_subparsers(dest="command", metavar="command", required=True)

    def add(name, function):
        doc = inspect.cleandoc(function.__doc__)
        command = sub.add_parser(name, help=" ".join(doc.split("\n\n")[0].split()), description=doc,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        command.set_defaults(func=function)
        command.add_argument("--root", help="project folder (default: this one, or the repository's)")
        return command

    check = add("check", cmd_check)
    check.add_argument("paths", nargs="*", help="report only on these files or folders (default: all)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("--list", action="store_true", help="describe every check with a bad and a good example")
    check.add_argument("--enable", action="append", metavar="CODES",
                       help="also run these checks (comma-separated; 'all' for every check)")
    check.add_argument("--disable", action="append", metavar="CODES",
                       help="do not run these checks (comma-separated; 'all', then --enable, to run only some)")
    check.add_argument("--config", help="severities file (default: checks.yml in the project folder)")
    check.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per CPU)")
    check.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")

    status = add("status", cmd_status)
    status.add_argument("--json", help="where to write the JSON (default: build/translation-status.json)")
    status.add_argument("--diff", action="store_true",
                        help="instead of the table: for every outdated translation, the English changes since it "
                             "was translated (from git history)")
    status.add_argument("--lang", help="with --diff: only this language (default: every translation language)")

    def add_build_options(command, unit):
        command.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                             help=f"{unit} at once, one process each (default: number of cores)")
        command.add_argument("--lang", action="append", help="only this language (repeatable)")
        command.add_argument("--force", action="store_true", help="rebuild even when the inputs did not change")

    pdf = add("pdf", cmd_pdf)
    add_build_options(pdf, "PDFs rendered")
    pdf.add_argument("--guide", action="append", help="only this guide folder (repeatable)")
    pdf.add_argument("--no-progress", action="store_true", help="no progress bars, one line per file")

    offline = add("offline", cmd_offline)
    add_build_options(offline, "zips made")

    site = add("site", cmd_site)
    site.add_argument("-v", "--verbose", action="store_true", help="MkDocs' own progress messages")
    site.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                      help="languages built at once, one process each (default: number of cores)")
    site.add_argument("--site-dir", help="build into this folder instead of mkdocs.yml's site_dir")
    site.add_argument("--sequential", action="store_true",
                      help="one language after another in this process (static-i18n's own way; same bytes)")

    add("downloads", cmd_downloads)

    page_hash = add("hash", cmd_hash)
    page_hash.add_argument("pages", nargs="+", metavar="PAGE", help="an English page, e.g. guides/migration/referral.en.md")

    search = add("search", cmd_search)
    search.add_argument("query", nargs="+", help="words as a reader would type them")
    search.add_argument("--lang", required=True, help="a language code of mkdocs.yml")
    search.add_argument("--limit", type=int, default=10, help="results to show (default: 10)")
    search.add_argument("--json", action="store_true", help="print the results as JSON")

    # The editors' commands: start a guide, a chapter or a translation, follow the English.
    from kbtools import exchange, fmt, impact, scaffold

    scaffold.register(add)
    impact.register(add)
    fmt.register(add)
    exchange.register(add)

    bench = add("bench", cmd_bench)
    from kbtools.bench import SECTIONS

    bench.add_argument("sections", nargs="*", metavar="section",
                       help=f"what to time: {', '.join(SECTIONS)} (default: all)")
    for option in SECTIONS.values():
        option.add_arguments(bench)
    return main_parser


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if args.command == "bench":
        from kbtools.bench import SECTIONS

        unknown = [s for s in args.sections if s not in SECTIONS]
        if unknown:
            print(f"kb bench: unknown section(s) {', '.join(unknown)}; known: {', '.join(SECTIONS)}", file=sys.stderr)
            return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
