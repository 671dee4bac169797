"""Render every guide in every language: plan, skip what is fresh, render the
rest in a process pool with a progress bar per file, record the results."""
from __future__ import annotations

import os
import queue as queue_module
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from kbtools import downloads
from kbtools import site_config
from kbtools.pdf import assemble, cache, collect, fonts, tools, typeset

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"
STEPS = 8  # WeasyPrint's 7 logged steps, then "written"
STEP_NAMES = {1: "parse", 2: "parse", 3: "style", 4: "boxes", 5: "layout", 6: "pdf", 7: "metadata", 8: "written"}


@dataclass
class Job:
    name: str  # kb-<guide>-<lang>.pdf, or kb-tool-<tool>-<lang>-<paper>.pdf
    lang: str
    guide: str  # the guide's folder, or the tool's source path
    title: str
    date: str
    html: str
    key: str
    forms: bool = False  # fillable fields (a tool with `form: true`)
    paper: str | None = None  # a tool's paper size


@dataclass
class Result:
    rendered: list[tuple[str, int, float]] = field(default_factory=list)  # (name, pages, seconds)
    fresh: list[str] = field(default_factory=list)
    pages: int = 0  # pages of every PDF, rendered or fresh
    seconds: float = 0.0


def file_name(guide: str, lang: str, paper: str | None = None) -> str:
    """A book's PDF: A4 (no suffix), or another paper of assemble.PAPERS ('-letter')."""
    return f"kb-{guide}-{lang}{'' if paper in (None, 'a4') else '-' + paper}.pdf"


def book_papers(config: site_config.SiteConfig, guide) -> tuple[str, ...]:
    """The papers a book is printed on: A4, and for the training kit, which trainers
    print as handouts, US Letter too (the papers the Americas print on, as for the tools)."""
    return ("a4", "letter") if config.training is not None and guide == config.training else ("a4",)


def plan(config: site_config.SiteConfig, langs=None, guides=None) -> tuple[list[Job], list[str]]:
    """Every PDF to make, with its document and key (no WeasyPrint: this must be fast)."""
    sheets = stylesheets()
    env = cache.environment()
    jobs = []
    for guide in config.books:
        if guides and guide.slug not in guides:
            continue
        for lang in config.languages:
            if langs and lang.code not in langs:
                continue
            papers = book_papers(config, guide)
            for paper in papers:
                # Read for each paper: assembling the document rewrites the pages' trees.
                text = collect.guide(config, guide, lang)
                glossary = (collect.chapter(config, assemble.GLOSSARY, lang)[0]
                            if config.page_file(assemble.GLOSSARY, lang).exists() else None)
                html = assemble.document(text, config, glossary, paper=paper)
                title = text.title if len(papers) == 1 else f"{text.title} ({assemble.PAPERS[paper][1]})"
                jobs.append(Job(name=file_name(guide.slug, lang.code, paper), lang=lang.code, guide=guide.slug,
                                title=title, date=text.date.isoformat(), html=html,
                                key=cache.key(html, sheets, env), paper=paper))
    if guides:
        return jobs, sheets
    for src in config.tools:
        for lang in config.languages:
            if langs and lang.code not in langs:
                continue
            for paper in assemble.PAPERS:
                ch, meta = collect.chapter(config, src, lang)
                form = meta.get("form") is True
                html = tools.document(ch, config, lang, paper, form)
                date = (ch.reviewed or collect.GuideText(None, lang, "", [ch]).date).isoformat()
                jobs.append(Job(name=tools.file_name(src, lang.code, paper), lang=lang.code, guide=src,
                                title=f"{ch.title} ({assemble.PAPERS[paper][1]})",
                                date=date, html=html, key=cache.key(html + str(form), sheets, env),
                                forms=form, paper=paper))
    return jobs, sheets


def stylesheets() -> list[str]:
    return [fonts.css(), STYLESHEET.read_text(encoding="utf-8")]


# --- workers ---------------------------------------------------------------

_events = None  # a multiprocessing queue in pool workers, for the progress bars


def _init_worker(events) -> None:
    global _events
    _events = events


def _render(job: Job, sheets: list[str], out: str, base_url: str) -> tuple[str, int, float]:
    start = time.perf_counter()

    def report(step, page):
        if _events is not None:
            _events.put((job.name, step, page))
    pages = typeset.render(job.html, sheets, Path(out), bytes.fromhex(job.key[:32]), base_url, report,
                           forms=job.forms)
    return job.name, pages, time.perf_counter() - start


# --- progress ----------------------------------------------------------------

class Progress:
    """An overall bar and one bar per file being rendered (tqdm, on a terminal);
    one line per finished file either way, so logs of CI runs read well."""

    def __init__(self, total: int, enabled: bool):
        from tqdm import tqdm

        self.tqdm = tqdm
        self.enabled = enabled and sys.stderr.isatty()
        self.overall = tqdm(total=total, desc="PDFs", unit="file", position=0, disable=not self.enabled,
                            dynamic_ncols=True)
        self.bars: dict[str, object] = {}

    def step(self, name: str, step: int, page: int | None) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(name)
        if bar is None:
            bar = self.bars[name] = self.tqdm(
                total=STEPS, desc=name, unit="step", leave=False, dynamic_ncols=True,
                bar_format="{desc} |{bar}| {n_fmt}/{total_fmt}{postfix}")
        bar.n = step
        bar.set_postfix_str(f"{STEP_NAMES.get(step, '')}{f' page {page}' if page else ''}", refresh=True)

    def done(self, name: str, message: str) -> None:
        bar = self.bars.pop(name, None)
        if bar is not None:
            bar.close()
        self.overall.update(1)
        self.tqdm.write(message, file=sys.stderr)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.overall.close()


# --- the run -----------------------------------------------------------------

def build(root: Path, jobs: int = 1, langs=None, guides=None, force: bool = False,
          out_dir: Path | None = None, record: bool = True, progress: bool = True) -> Result:
    """Make the PDFs; `record` writes the cache and build/downloads.json (off for benchmarks)."""
    started = time.perf_counter()
    config = site_config.load(root)
    out_dir = out_dir or root / downloads.FILES
    todo_cache = cache.Cache(root / "build" / "pdf-cache.json") if record else cache.Cache(Path(os.devnull))
    planned, sheets = plan(config, langs, guides)
    result = Result()
    todo = []
    for job in planned:
        hit = None if force else todo_cache.fresh(out_dir / job.name, job.key)
        if hit:
            result.fresh.append(job.name)
            result.pages += hit["pages"]
        else:
            todo.append(job)
    base_url = config.site_dir.resolve().as_uri() + "/"
    bars = Progress(len(todo), progress)
    try:
        for name, pages, seconds in _run(todo, sheets, out_dir, base_url, jobs, bars):
            job = next(j for j in todo if j.name == name)
            todo_cache.record(out_dir / name, job.key, pages)
            result.rendered.append((name, pages, seconds))
            result.pages += pages
            bars.done(name, f"rendered {name}: {pages} pages in {seconds:.1f} s")
    finally:
        bars.close()
        if record:
            todo_cache.save()
    if record:
        if not langs and not guides:  # a full run: forget PDFs of guides that are gone
            names = {job.name for job in planned}
            for stale in out_dir.glob("kb-*.pdf"):
                if stale.name not in names:
                    stale.unlink()
        pages_of = {name: rec["pages"] for name, rec in todo_cache.entries.items()}
        downloads.save([downloads.entry(out_dir / job.name, lang=job.lang, kind="pdf", title=job.title,
                                        date=job.date, guide=job.guide, pages=pages_of.get(job.name))
                        for job in planned], root / downloads.MANIFEST)
    result.seconds = time.perf_counter() - started
    return result


def _run(todo: list[Job], sheets, out_dir: Path, base_url: str, jobs: int, bars: Progress):
    """Yield (name, pages, seconds) as files finish; in-process when -j 1 or one file."""
    if jobs <= 1 or len(todo) <= 1:
        for job in todo:
            yield _render_in_process(job, sheets, out_dir, base_url, bars)
        return
    context = get_context("spawn")  # WeasyPrint/Pango state is not fork-safe
    events = context.Queue()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(events,)) as pool:
        pending = {pool.submit(_render, job, sheets, str(out_dir / job.name), base_url) for job in todo}
        while pending:
            try:
                while True:
                    bars.step(*events.get(timeout=0.1))
            except queue_module.Empty:
                pass
            for future in [f for f in pending if f.done()]:
                pending.discard(future)
                yield future.result()


def _render_in_process(job: Job, sheets, out_dir: Path, base_url: str, bars: Progress):
    start = time.perf_counter()
    pages = typeset.render(job.html, sheets, out_dir / job.name, bytes.fromhex(job.key[:32]), base_url,
                           lambda step, page: bars.step(job.name, step, page), forms=job.forms)
    return job.name, pages, time.perf_counter() - start
