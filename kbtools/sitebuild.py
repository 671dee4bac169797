"""`kb site`: every language of mkdocs.yml into site/, in parallel processes or one after another.

The sequential build is MkDocs' own: static-i18n builds the reference
language, then from its post-build every other language into the same
folder, and the `kb` plugin finishes the site once all are there.

The parallel build (the default) gets the same bytes another way:

1. Each language is built alone in a fresh process (spawn), into a folder of
   its own, by setting the `kb` plugin's `language` option on that process's
   configuration. static-i18n then builds that language where the whole
   build puts it (`es/...`, English as fallback, every language in the
   switcher); the plugin writes the language's 404 page and sitemap.
2. The folders are merged as the sequential build would have written them:
   the reference language's tree, then each language's own folder, and of
   the files every language writes at the root (the theme's assets, the
   docs' shared files) the last build's copy. The root 404 page, sitemap and
   search index that each language's theme writes are not taken: the
   sequential build overwrites them too.
3. The site is finished once, as the plugin's post-build does (kbtools/plugin/plugin.py
   `finish`): the bundle patch, and the search indexes from every language's
   search entries, put together in build order and deduplicated by
   static-i18n's own code, then built by Node, one process per core.

tests/test_parallel_build.py builds a fixture site and the real site both
ways and compares every file's bytes.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path
from types import SimpleNamespace

# Written at the root by every language's build; the finishing step writes them for the site.
ROOT_FILES_REWRITTEN = ("404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json")


class BuildError(RuntimeError):
    pass


def _logging(verbose: bool) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)-7s -  %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.INFO if verbose else logging.WARNING)


def _run(config, dirty: bool = False) -> None:
    from mkdocs.commands.build import build

    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()


def _errors():
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    return Abort, ConfigurationError, PluginError


def build_sequential(root: Path, site_dir: Path | None = None, verbose: bool = False, **overrides) -> None:
    """MkDocs' build of every language, one after another (static-i18n's own way)."""
    from mkdocs.config import load_config

    _logging(verbose)
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir)
    try:
        config = load_config(str(root / "mkdocs.yml"), strict=True, **overrides)
        _run(config)
    except _errors() as exc:
        raise BuildError(str(exc)) from None


def build_language(root: str, lang: str, out: str, verbose: bool = False, report=None,
                   options: dict | None = None) -> dict:
    """One language alone into `out` (run in its own process). What the merge needs
    back: its prefix, its fallback pages, and whether its search index is wanted.
    `report`: gives the translation report of the sources, read once for every language
    (a `SharedReport`); `options`: the kb plugin's, over mkdocs.yml's."""
    from mkdocs.config import load_config

    _logging(verbose)
    started = time.perf_counter()
    try:
        config = load_config(str(Path(root) / "mkdocs.yml"), strict=True, site_dir=out)
        kb = config.plugins["kb"]
        kb.config.language = lang  # an argument of this process's build, not of mkdocs.yml
        kb.shared_report = report
        for name, value in (options or {}).items():
            setattr(kb.config, name, value)
        _run(config)
    except _errors() as exc:
        return {"lang": lang, "error": str(exc)}
    peak_kb = _peak_kb()
    return {"lang": lang, "prefix": kb.prefixes[lang], "fallbacks": kb.fallbacks(),
            "prebuilt_search": kb.config.prebuilt_search, "languages": list(kb.languages),
            "reference": kb.reference, "peak_rss_kb": peak_kb,
            "seconds": round(time.perf_counter() - started, 2)}


class SharedReport:
    """The translation report of the sources, read by `kb site` once for every language and
    handed to each language's process through a file: the process takes it when a page
    first needs it (kbtools/plugin/plugin.py `translation_report`), which is after the
    seconds it spends importing MkDocs, so in practice it never waits."""

    WAIT_SECONDS = 120.0

    def __init__(self, path: Path):
        self.path = Path(path)

    @property
    def failed_marker(self) -> Path:
        return self.path.with_suffix(".failed")

    def read_sources(self, docs_dir: Path, languages: list[str]) -> None:
        """In kb site: read the report and write it (a failure is left to each process,
        which then reads the sources itself and reports what is wrong)."""
        from kbtools import translations

        try:
            report = translations.scan(docs_dir, languages, languages[0])
            tmp = self.path.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(report))
            os.replace(tmp, self.path)  # whole or not at all
        except Exception:  # noqa: BLE001 (each process reads the sources and reports it)
            self.failed_marker.touch()

    def __call__(self):
        """In a language's process: the report, or None (failed, or not there in time)."""
        deadline = time.monotonic() + self.WAIT_SECONDS
        while not self.path.exists():
            if self.failed_marker.exists() or time.monotonic() > deadline:
                return None
            time.sleep(0.01)
        return pickle.loads(self.path.read_bytes())  # our own file, written by our parent


def _peak_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_children_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def languages(root: Path) -> list[str]:
    from kbtools import site_config

    config = site_config.load(root)
    return [lang.code for lang in sorted(config.languages, key=lambda lang: not lang.default)]


def build_parallel(root: Path, site_dir: Path | None = None, jobs: int | None = None,
                   verbose: bool = False) -> dict:
    """Every language in its own process (at most `jobs` at once), merged into `site_dir`
    byte for byte as build_sequential writes it. Returns timings and peak memory."""
    from kbtools import site_config

    config = site_config.load(root)
    raw = site_config.read_yaml(root / "mkdocs.yml")
    i18n = next((p["i18n"] for p in raw.get("plugins", []) if isinstance(p, dict) and "i18n" in p), {})
    if i18n.get("build_only_locale"):  # one language as the whole site (KB_ONLY): nothing to merge
        build_sequential(root, site_dir=site_dir, verbose=verbose)
        return {"sequential": "build_only_locale"}
    site = Path(site_dir) if site_dir else config.site_dir
    order = languages(root)  # the sequential build's order: the reference language first
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(order)))
    site.parent.mkdir(parents=True, exist_ok=True)
    parts = Path(tempfile.mkdtemp(prefix=f".{site.name}-parts-", dir=site.parent))
    started = time.perf_counter()
    results: dict[str, dict] = {}
    removal = None
    # Every language's pages show their translation state: the sources are read once, here,
    # while the languages' processes start (importing MkDocs takes them longer).
    report = SharedReport(parts / "translation-report.pickle")
    reading = threading.Thread(target=report.read_sources, args=(config.docs_dir, order))
    reading.start()
    try:
        # Fresh processes (spawn): nothing of this one's state reaches a build. A process
        # builds one language after another (a new configuration and plugins each time,
        # the test compares the bytes); starting one costs a second and a half.
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            pending = {pool.submit(build_language, str(root), lang, str(parts / lang), verbose, report)
                       for lang in order}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    result = future.result()
                    if "error" in result:
                        for other in pending:
                            other.cancel()
                        raise BuildError(f"{result['lang']}: {result['error']}")
                    results[result["lang"]] = result
        built = time.perf_counter()
        first = results[order[0]]
        combined = combined_search(parts, order, order) if first["prebuilt_search"] else None
        # The previous site is moved aside and removed while the site is finished (Node
        # writes the search indexes): at x5 its removal alone took a second.
        old_site = parts / ".previous-site"
        merge(parts, site, order, {lang: results[lang]["prefix"] for lang in order}, aside=old_site)
        merged = time.perf_counter()
        if old_site.exists():
            removal = threading.Thread(target=shutil.rmtree, args=(old_site, True))
            removal.start()
        finish(site, order, results, combined)
        peak_parent = _peak_kb()
    finally:
        reading.join()
        if removal:
            removal.join()
        shutil.rmtree(parts, ignore_errors=True)
    return {"languages_seconds": round(built - started, 2),
            "language_seconds": {lang: r["seconds"] for lang, r in results.items()},
            "merge_seconds": round(merged - built, 2),
            "finish_seconds": round(time.perf_counter() - merged, 2),
            "peak_rss_kb": {**{lang: r["peak_rss_kb"] for lang, r in results.items()}, "merge": peak_parent,
                            "node": _peak_children_kb()}}


def _files(tree: Path) -> list[str]:
    return sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file())


def merge(parts: Path, site: Path, order: list[str], prefixes: dict[str, str], aside: Path | None = None) -> None:
    """parts/<lang>/ (each language's own build) into `site`, as the sequential build leaves it
    before its post-build: each language in build order over the previous ones. A previous
    `site` is removed, or moved to `aside` (on the same file system) for the caller to remove."""
    reference = order[0]
    tree = parts / reference
    for lang in order[1:]:
        prefix = prefixes[lang].rstrip("/")
        if (tree / prefix).exists():
            raise BuildError(f"the {reference} build wrote {prefix}/, the folder of language {lang}")
    if site.exists():
        try:
            site.rename(aside) if aside else shutil.rmtree(site)
        except OSError:  # not renamed (e.g. a mount point): removed here, as before
            shutil.rmtree(site)
    tree.rename(site)
    for lang in order[1:]:
        part = parts / lang
        prefix = prefixes[lang].rstrip("/")
        (part / prefix).rename(site / prefix)
        # What else this language's build wrote (every build writes the theme's assets and
        # the docs' shared files at the root): a later build's copy is the one that stays.
        for name in _files(part):
            if name in ROOT_FILES_REWRITTEN:
                continue
            target = site / name
            if target.is_file() and target.stat().st_size == (part / name).stat().st_size \
                    and target.read_bytes() == (part / name).read_bytes():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(part / name, target)


def combined_search(parts: Path, order: list[str], languages: list[str]) -> dict:
    """The search entries of every language in build order, deduplicated as static-i18n's
    post-build does before it hands them to Material's search plugin."""
    entries, config = [], {}
    for lang in order:
        data = json.loads((parts / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        config = config or data.get("config", {})
        entries.extend(data.get("docs", []))
    deduplicate(entries, languages)
    return {"config": config, "docs": entries}


def deduplicate(entries: list[dict], languages: list[str]) -> None:
    """static-i18n's `reconfigure_search_duplicates`, in place, with the same result in linear time.

    Upstream drops each entry of another language whose title and text are those of an
    entry of the default language and whose location ends with that entry's; it compares
    every pair (quadratic: a minute at fifteen copies of the site) and, removing from the
    list it iterates, passes over the entry right after each one it removes. This does
    the same walk over a linked list, visiting only the entries with the same title and
    text. Where an assumption it needs does not hold (entries of the default language
    first, no two entries at one location), it calls upstream's code."""
    prefixes = tuple(f"{lang}/" for lang in languages)
    try:
        is_target = [entry["location"].startswith(prefixes) for entry in entries]
        keys = [(entry["title"], entry["text"]) for entry in entries]
    except (KeyError, TypeError, AttributeError):
        return _upstream_deduplicate(entries, languages)
    first = next((i for i, target in enumerate(is_target) if target), len(entries))
    targets = entries[first:]
    if not all(is_target[first:]) or len({t["location"] for t in targets}) != len(targets):
        return _upstream_deduplicate(entries, languages)
    same: dict[tuple, list[int]] = {}
    for i, key in enumerate(keys[first:]):
        same.setdefault(key, []).append(i)
    alive = [True] * len(targets)
    following = list(range(1, len(targets) + 1))  # the next entry still in the list
    before = list(range(-1, len(targets) - 1))
    for entry, key in zip(entries[:first], keys[:first]):
        location = entry["location"]
        passed_over = None  # the entry right after the last one removed: upstream skips it
        for i in same.get(key, ()):
            if not alive[i] or not targets[i]["location"].endswith(location):
                continue
            if i == passed_over:
                passed_over = None
                continue
            alive[i] = False
            passed_over = following[i]
            if before[i] >= 0:
                following[before[i]] = following[i]
            if following[i] < len(targets):
                before[following[i]] = before[i]
    entries[first:] = [t for t, keep in zip(targets, alive) if keep]


def _upstream_deduplicate(entries: list[dict], languages: list[str]) -> None:
    from mkdocs_static_i18n.reconfigure import ExtendedPlugin

    ExtendedPlugin.reconfigure_search_duplicates(SimpleNamespace(build_languages=languages), entries)


def finish(site: Path, order: list[str], results: dict, combined: dict | None) -> None:
    from kbtools.plugin.plugin import finish as finish_site

    first = results[order[0]]
    fallbacks = {}
    for lang in order:
        fallbacks.update({k: v for k, v in results[lang]["fallbacks"].items() if k == lang})
    try:
        finish_site(site, first["languages"], first["reference"], fallbacks, combined,
                    jobs=os.cpu_count() or 1)
    except _errors() as exc:
        raise BuildError(str(exc)) from None
