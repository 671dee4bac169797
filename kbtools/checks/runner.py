"""Run the checks over a project: read every file once, then check it against the others.

Phase 1, per file: read, parse (kbtools/checks/document.py) and run the
`file` checks. Phase 2: the `project` checks (links, anchors, translations,
parity), which need other pages only through a small index entry each
(`PageRef`: path, language, hash, ids), and the `global` checks (the nav).

With many files the work is split between forked worker processes by page
(every language of a page in the same worker, so parity compares two local
documents). Each worker keeps its parsed documents, sends its index entries
to this process, receives everyone's, runs phase 2 on its own pages and sends
back findings only: parsed documents never cross a process boundary.
"""
from __future__ import annotations

import multiprocessing
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kbtools import translations
from kbtools.checks import document, markers
from kbtools.checks.config import Config
from kbtools.checks.registry import REGISTRY, Finding

PARALLEL_FROM = 400  # below this many files, worker processes cost more than they save


class PageRef(NamedTuple):
    """What a check needs to know of another page: enough to resolve a link and its anchor."""
    path: str
    kind: str
    stem: str | None
    lang: str | None
    readable: bool
    hash: str
    ids: frozenset


def ref_of(doc: document.Document) -> PageRef:
    return PageRef(doc.path, doc.kind, doc.stem, doc.lang, doc.readable, doc.hash, frozenset(doc.ids))


@dataclass
class Project:
    config: Config
    docs: list  # the documents this process checks: all of them, or a worker's share
    site_files: set = field(default_factory=set)  # every file below guides/, relative to it
    index: list = field(default_factory=list)  # PageRef of every page (default: made from docs)
    pages: dict = field(default_factory=dict)  # stem -> lang -> Document (if here) or PageRef
    by_path: dict = field(default_factory=dict)  # path -> Document, for the documents here
    cache: dict = field(default_factory=dict)  # what checks compute once per run (resolved links, nav)

    def __post_init__(self):
        if not self.index:
            self.index = [ref_of(d) for d in self.docs]
        self.by_path = {doc.path: doc for doc in self.docs}
        for entry in self.index:
            if entry.kind == "site" and entry.stem is not None:
                self.pages.setdefault(entry.stem, {})[entry.lang] = self.by_path.get(entry.path, entry)

    @property
    def site_prefix(self) -> str:
        return self.config.site_dir.strip("/") + "/"

    def page(self, stem: str, lang: str | None):
        """The file a reader in `lang` gets for a page: the translation, else the reference page."""
        by_lang = self.pages.get(stem) or {}
        return by_lang.get(lang) or by_lang.get(self.config.reference)

    def reference(self, doc):
        return (self.pages.get(doc.stem) or {}).get(self.config.reference)

    def full(self, entry) -> document.Document | None:
        """The parsed document behind an index entry, when it is checked in this process."""
        return self.by_path.get(entry.path) if entry is not None else None

    def state(self, doc) -> str:
        """translated / outdated / orphan, for a translation (kbtools/translations.py decides)."""
        ref = self.reference(doc)
        recorded = doc.meta.get("source_hash") if isinstance(doc.meta, dict) else None
        return translations.state(ref.hash if ref is not None and ref.readable else None, recorded)


def _walk(folder: Path) -> list[str]:
    """Every file below folder, relative to it (POSIX), sorted; os.walk is much faster than rglob."""
    out = []
    for directory, dirs, files in os.walk(folder):
        dirs.sort()
        prefix = os.path.relpath(directory, folder).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        out += [prefix + name for name in files]
    return sorted(out)


def discover(config: Config) -> tuple[list[tuple[str, str, str]], set[str]]:
    """[(path from root, kind, path within its tree)] of the Markdown files, and every file of guides/."""
    root, items, site_files = config.root, [], set()
    site_dir = config.site_dir.strip("/")
    if (root / site_dir).is_dir():
        site_files = set(_walk(root / site_dir))
        items += [(f"{site_dir}/{rel}", "site", rel) for rel in sorted(site_files) if rel.endswith(".md")]
    for name in config.handbook_dirs:  # folders, or single files such as README.md
        name = name.strip("/")
        if (root / name).is_dir():
            items += [(f"{name}/{rel}", "handbook", rel) for rel in _walk(root / name) if rel.endswith(".md")]
        elif (root / name).is_file() and name.endswith(".md"):
            items.append((name, "handbook", name))
    return items, site_files


def _crash(doc_path: str, code: str, exc: BaseException) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return Finding(doc_path, 1, 1, "internal-error", "error",
                   f"check {code} failed on this file ({type(exc).__name__}: {exc} at "
                   f"{Path(where.filename).name}:{where.lineno}); please report it with this file")


def read_document(config: Config, path: str, kind: str, rel: str) -> document.Document:
    try:
        raw = (config.root / path).read_bytes()
    except OSError:
        raw = None
    lang = stem = None
    if kind == "site":
        key = translations.split_name(rel, config.languages)
        if key:
            stem, lang = key
    return document.read(raw, path, kind, rel, lang=lang, stem=stem, max_line=config.max_line_length,
                         expand=lambda name, doc: markers.expand(name, doc, config))


def file_findings(doc: document.Document, config: Config, codes, raise_errors: bool = False) -> list[Finding]:
    """Findings of the file checks on one document; also runs the project checks' `prepare`
    step on it, while it has its text (a step that crashes is a finding, like a check)."""
    out = []
    for code in codes:
        check = REGISTRY[code]
        if doc.kind not in check.kinds:
            continue
        if check.prepare is not None and doc.readable:
            out += _guarded(lambda: _prepare(doc, config, check), doc.path, code, config, raise_errors)
        if check.scope != "file":
            continue
        if not doc.readable and not code.startswith("file-"):
            continue
        out += _guarded(lambda: ((doc.path, *f) for f in check.function(doc, config)),
                        doc.path, code, config, raise_errors)
    return out


def _prepare(doc: document.Document, config: Config, check) -> list:
    doc.prepared[check.code] = check.prepare(doc, config)
    return []  # no findings: the check itself reports in phase 2


def _guarded(results, path: str, code: str, config: Config, raise_errors: bool) -> list[Finding]:
    """The findings of one check on one target; a check that crashes is itself a
    finding on `path`, so one bad file or bug never stops the run."""
    try:
        return [Finding(p, line, col, code, config.severity_of(code), message)
                for p, line, col, message in results()]
    except Exception as exc:
        if raise_errors:
            raise
        return [_crash(path, code, exc)]


def _phase1(config: Config, items, codes, raise_errors=False):
    docs, findings = [], []
    for path, kind, rel in items:
        doc = read_document(config, path, kind, rel)
        findings += file_findings(doc, config, codes, raise_errors)
        doc.strip_text()
        docs.append(doc)
    return docs, findings


def project_findings(project: Project, codes, raise_errors: bool = False) -> list[Finding]:
    """Findings of the project checks on the project's documents, and of the global checks."""
    config, out = project.config, []
    for code in codes:
        check = REGISTRY[code]
        if check.scope == "global":
            out += _guarded(lambda: check.function(project), config.nav_file, code, config, raise_errors)
        if check.scope != "project":
            continue
        for doc in project.docs:
            if doc.kind not in check.kinds or not doc.readable:
                continue
            # (line, col, message) is about this document; (path, line, col, message) about
            # another file, e.g. the data file a page is made from.
            out += _guarded(lambda: ((doc.path, *f) if len(f) == 3 else f for f in check.function(doc, project)),
                            doc.path, code, config, raise_errors)
    return out


def selected(config: Config, enable=(), disable=(), only=None) -> list[str]:
    """Codes to run: `only` if given, else those not off in the config, plus enable, minus disable."""
    if only is not None:
        return [code for code in REGISTRY if code in set(only)]
    codes = {code for code in REGISTRY if config.severity_of(code) != "off"} | set(enable)
    return [code for code in REGISTRY if code in codes - set(disable)]


def warm(config: Config) -> None:
    """Load the data files before forking, so that each worker does not parse them again."""
    from kbtools import data
    from kbtools.checks import terms

    for name in ("vocabulary", "termbase", "countries", "ui"):
        try:
            data.load(name, config.data_dir)
        except data.DataError:
            pass  # the checks that need it report it
    try:
        terms._patterns(config.data_dir)
    except data.DataError:
        pass


def _shards(items, jobs: int) -> list[list]:
    """Split the files between workers, every language of a page in the same share."""
    groups: dict = {}
    for item in items:
        stem = item[2].rsplit(".", 2)[0] if item[1] == "site" else item[0]
        groups.setdefault(stem, []).append(item)
    shards = [[] for _ in range(jobs)]
    for i, group in enumerate(groups.values()):
        shards[i % jobs] += group
    return shards


def _worker(conn, config: Config, items, codes, site_files) -> None:
    """One worker: phase 1 on its share, send the index, receive everyone's, phase 2 on its share."""
    try:
        docs, findings = _phase1(config, items, codes)
        conn.send(([ref_of(d) for d in docs], findings))
        index = conn.recv()
        project = Project(config, docs, site_files, index)
        codes = [c for c in codes if REGISTRY[c].scope == "project"]  # global checks run in the parent
        conn.send(project_findings(project, codes))
    except BaseException as exc:  # noqa: BLE001 - reported as a finding, never a traceback
        conn.send(exc if isinstance(exc, Exception) else RuntimeError(repr(exc)))
    finally:
        conn.close()


def _parallel(config: Config, items, codes, site_files, jobs: int):
    warm(config)
    context = multiprocessing.get_context("fork")
    workers = []
    for share in _shards(items, jobs):
        here, there = context.Pipe()
        process = context.Process(target=_worker, args=(there, config, share, codes, site_files), daemon=True)
        process.start()
        there.close()
        workers.append((process, here))
    index, findings = [], []
    try:
        for _, conn in workers:
            answer = conn.recv()
            if isinstance(answer, Exception):
                raise answer
            index += answer[0]
            findings += answer[1]
        for _, conn in workers:
            conn.send(index)
        for _, conn in workers:
            answer = conn.recv()
            if isinstance(answer, Exception):
                raise answer
            findings += answer
    finally:
        for process, conn in workers:
            conn.close()
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
    project = Project(config, [], site_files, index)
    findings += project_findings(project, [c for c in codes if REGISTRY[c].scope == "global"])
    return findings, project


def run(config: Config, codes, paths=None, jobs: int | None = None, raise_errors: bool = False):
    """(findings of the checks `codes`, limited to `paths` if given and sorted by file and line, project)."""
    items, site_files = discover(config)
    jobs = jobs or os.cpu_count() or 1
    parallel = jobs > 1 and len(items) >= PARALLEL_FROM and not raise_errors
    if parallel:
        try:
            findings, project = _parallel(config, items, codes, site_files, jobs)
        except (EOFError, OSError):  # a worker died (out of memory, killed): do the work here
            parallel = False
    if not parallel:
        docs, findings = _phase1(config, items, codes, raise_errors)
        project = Project(config, docs, site_files)
        findings += project_findings(project, codes, raise_errors)
    if paths is not None:
        wanted = [p.rstrip("/") for p in paths]
        findings = [f for f in findings if any(f.path == w or f.path.startswith(w + "/") for w in wanted)]
    return sorted(set(findings)), project
