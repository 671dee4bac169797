"""Exchange with CAT tools: `kb export` (PO, TBX) and `kb import` (PO).

See docs/translating.md#cat-tools. Pages: kbtools/exchange/pages.py and
model.py; the PO format: po.py; interface strings: ui.py; the termbase: tbx.py.
Every refusal is one line on stderr and exit status 2, with nothing written.
"""
from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kbtools import pagepaths, segment, translations
from kbtools.exchange import model, pages, po
from kbtools.exchange.po import ExchangeError
from kbtools.frontmatter import source_hash


def _project(args) -> pagepaths.Project:
    from kbtools.cli import _root

    return pagepaths.load(_root(args.root))


def english_pages(project: pagepaths.Project) -> list[str]:
    """Stems of every reference-language page, sorted."""
    docs, suffix = project.docs_dir, f".{project.reference}.md"
    return sorted(p.relative_to(docs).as_posix()[:-len(suffix)] for p in docs.rglob(f"*{suffix}") if p.is_file())


def chosen_pages(project: pagepaths.Project, names: list[str]) -> list[str]:
    """Stems named on the command line, as a stem (`migration/referral`) or a page file in any
    language (`guides/migration/referral.es.md`); every page when none is named."""
    stems = english_pages(project)
    if not names:
        return stems
    known = set(stems)
    out = []
    for name in names:
        stem = name.replace("\\", "/").removeprefix("./").removeprefix(f"{project.docs_name}/")
        stem = re.sub(r"(\.[A-Za-z_-]+)?\.md$", "", stem)
        if stem not in known:
            raise ExchangeError(f"{name}: no such page in {project.docs_name}/ (give it as "
                                f"migration/referral or {project.docs_name}/migration/referral.en.md)")
        out.append(stem)
    return sorted(dict.fromkeys(out))


def collect(project: pagepaths.Project, lang: str, outdated_only: bool = False,
            names: list[str] | None = None) -> list[pages.Page]:
    out = []
    for stem in chosen_pages(project, names or []):
        english = project.page_file(stem, project.reference).read_text(encoding="utf-8")
        path = project.page_file(stem, lang)
        translation = path.read_text(encoding="utf-8") if path.is_file() else None
        item = pages.page(project.root, project.docs_name, stem, project.reference, lang, english, translation)
        if outdated_only and item.state == translations.TRANSLATED:
            continue
        out.append(item)
    return out


def _write(out: str | None, default: Path, data: bytes) -> str:
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return "standard output"
    target = Path(out) if out else default
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return str(target)


def cmd_export(args) -> int:
    """Export for a CAT tool (Trados, memoQ, OmegaT, Weblate): a language's pages (or the PAGEs named) as a PO file
    (one segment per sentence line, English as source, the translation as target where it lines
    up, fuzzy where it is outdated; links, heading ids, codes and markers locked as {n}), its
    interface strings (--ui), or the termbase as TBX (--termbase).

    Default output: build/exchange/<lang>.po (or termbase.tbx); `-o -` writes to stdout.
    Bring the translated file back with `kb import FILE`.
    """
    from kbtools.exchange import tbx, ui

    start = time.perf_counter()
    try:
        project = _project(args)
        if args.termbase:
            data = tbx.export(project)
            where = _write(args.output, project.root / "build" / "exchange" / "termbase.tbx", data)
            print(f"kb export: termbase written to {where} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
            return 0
        if not args.lang:
            raise ExchangeError("say which language: --lang CODE (or --termbase)")
        lang = pagepaths.language(project, args.lang)
        if args.format != "po":
            raise ExchangeError(f"format {args.format!r} is not supported; use --format po")
        name = project.config.site_name
        if args.ui:
            store, count, remarks = ui.export(project, lang), None, []
            what = "interface strings"
            default = project.root / "build" / "exchange" / f"ui-{lang}.po"
        else:
            items = collect(project, lang, args.outdated, args.pages)
            store, remarks = po.export_pages(items, lang, name)
            count = len(items)
            what = f"{count} page(s)"
            default = project.root / "build" / "exchange" / f"{lang}.po"
        data = bytes(store)
        where = _write(args.output, default, data)
    except (ExchangeError, pagepaths.CommandError) as exc:
        print(f"kb export: {exc}", file=sys.stderr)
        return 2
    for remark in remarks:
        print(f"kb export: {remark}", file=sys.stderr)
    segments = sum(1 for u in store.units if not u.isheader())
    print(f"kb export: {what}, {segments} segments, written to {where} ({time.perf_counter() - start:.1f} s)",
          file=sys.stderr)
    return 0


@dataclass
class Plan:
    writes: list[tuple[Path, str]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    incomplete: int = 0


STEM = re.compile(r"[^#: ]+")


def _sources(header: dict, name: str) -> dict:
    out = {}
    for item in (header.get(po.SOURCES) or "").split():
        stem, _, digest = item.partition("=")
        if not stem or not digest:
            raise ExchangeError(f"{name}: the {po.SOURCES} header is damaged ({item!r}); export again")
        out[stem] = digest
    return out


def _clean(value: str, kind: str, where: str) -> str:
    value = " ".join(value.split("\n")).strip() if kind != "text" else value.replace("\n", " ")
    if kind == "admonition" and '"' in value:
        raise ExchangeError(f"{where}: a box title cannot hold a double quote (\"); use the language's own "
                            "quotation marks or none")
    if kind == "table" and re.search(r"(?<!\\)\|", model.lock(value).text):
        raise ExchangeError(f"{where}: a table cell cannot hold a | (it would split the cell); write \\| or reword")
    if kind == "front" and "\n" in value:
        raise ExchangeError(f"{where}: title and description are one line each")
    return value


def plan_pages(project: pagepaths.Project, lang: str, header: dict, units: list, name: str) -> Plan:
    plan = Plan()
    sources = _sources(header, name)
    by_page: dict[str, dict] = {}
    for unit in units:
        context = unit.getcontext()
        match = STEM.match(context)
        stem = match.group(0) if match else ""
        if stem not in sources:
            raise ExchangeError(f"{name}: the segment {context!r} belongs to no page of the file's header; "
                                "it is not a file `kb export` wrote")
        by_page.setdefault(stem, {})[(context, unit.source)] = unit
    for stem, digest in sources.items():
        english_path = project.page_file(stem, project.reference)
        rel = project.rel(english_path)
        if not english_path.is_file():
            raise ExchangeError(f"{name}: the page {stem} does not exist ({rel} is missing); was it renamed "
                                "or deleted? Export again")
        english = english_path.read_text(encoding="utf-8")
        now = source_hash(english)
        if now != digest:
            raise ExchangeError(f"{name}: the English page {rel} changed since the export (hash {digest} then, "
                                f"{now} now); export again and let the CAT tool's memory carry the translations over")
        found = by_page.get(stem, {})
        english_units, _ = model.units(english)
        blocks = set()
        for index, unit in enumerate(english_units):
            if unit.kind == "text" and len(unit.texts) > 1:
                context = f"{stem}#{unit.section}" if unit.section else stem
                source = model.lock(" ".join(unit.texts)).text
                if any(key[1] == source and STEM.match(key[0]).group(0) == stem
                       and key[0].split(" (")[0] == context for key in found):
                    blocks.add(index)
        wanted = pages.numbered(pages.expected(english, stem, project.docs_name, project.reference, blocks))
        missing = [(ctx, seg) for ctx, seg in wanted if (ctx, seg.source) not in found]
        if missing:
            ctx, seg = missing[0]
            raise ExchangeError(f"{name}: the segment of {rel}:{seg.line} ({ctx!r}) is missing or its English was "
                                "edited in the file; the CAT tool must keep every source text as exported")
        extra = set(found) - {(ctx, seg.source) for ctx, seg in wanted}
        if extra:
            ctx, source = sorted(extra)[0]
            raise ExchangeError(f"{name}: the segment {ctx!r} ({source[:60]!r}) is not in {rel}; its English was "
                                "edited in the file, or the file was not made by `kb export`")
        texts, empty, fuzzy = {}, [], 0
        for ctx, seg in wanted:
            unit = found[(ctx, seg.source)]
            target = unit.target or ""
            if not target.strip():
                empty.append(seg)
                continue
            fuzzy += bool(unit.isfuzzy())
            where = f"{name}: {rel}:{seg.line} ({ctx!r})"
            kind = "front" if seg.slot[0] == "front" else (
                "text" if seg.slot[1] == "block" else english_units[seg.slot[0]].kind)
            try:
                texts[seg.slot] = model.unlock(_clean(target, kind, where), seg.locked)
            except model.LockError as exc:
                raise ExchangeError(f"{where}: {exc}") from None
        translation_path = project.page_file(stem, lang)
        rel_tr = project.rel(translation_path)
        if len(empty) == len(wanted):
            plan.messages.append(f"{rel_tr}: not translated in the file; left as it is")
            continue
        if empty:
            plan.incomplete += 1
            plan.messages.append(f"{rel_tr}: not written: {len(empty)} of {len(wanted)} segments are not "
                                 f"translated (first: {rel}:{empty[0].line}); translate them all")
            continue
        exists = translation_path.is_file()
        if fuzzy and not exists:
            plan.incomplete += 1
            plan.messages.append(f"{rel_tr}: not written: {fuzzy} segment(s) still fuzzy; review them")
            continue
        current = translation_path.read_text(encoding="utf-8") if exists else None
        words = segment.abbreviations((lang, project.reference), project.root / "data")
        stamp = None if fuzzy else now
        text = pages.compose(english, current, texts, words, stamp)
        if text == current:
            plan.messages.append(f"{rel_tr}: unchanged")
            continue
        plan.writes.append((translation_path, text))
        plan.messages.append(f"{rel_tr}: written" + (f", source_hash {now}" if stamp else
                                                     f", {fuzzy} fuzzy segment(s): source_hash kept (outdated)"))
    return plan


def cmd_import(args) -> int:
    """Bring a PO file from `kb export`, translated in a CAT tool, back into the pages
    (PAGE.LANG.md, structure from the English page, source_hash stamped) or the interface
    strings (data/ui.yml, mkdocs.yml).

    Refused, with nothing written (exit 2): a file that is not a valid PO file of `kb export`, a
    file for a page that does not exist, a file whose English changed since the export, a
    segment whose placeholders {n} were changed. A page with some segments untranslated is left
    as it is (exit 1); one with none translated is skipped.
    """
    from kbtools.exchange import ui

    start = time.perf_counter()
    name = args.file
    try:
        project = _project(args)
        try:
            raw = Path(args.file).read_bytes()
        except OSError as exc:
            raise ExchangeError(f"cannot read {name} ({exc.strerror or exc})") from None
        header, units = po.read(raw, name)
        code = (header.get("Language") or "").strip()
        if code not in project.targets:
            raise ExchangeError(f"{name}: its Language header is {code!r}, not a translation language of "
                                f"mkdocs.yml ({', '.join(project.targets)})")
        if header.get(po.KIND) == "ui":
            plan = ui.plan(project, code, header, units, name)
        else:
            plan = plan_pages(project, code, header, units, name)
    except (ExchangeError, pagepaths.CommandError) as exc:
        print(f"kb import: {exc}", file=sys.stderr)
        return 2
    for path, text in plan.writes:
        tmp = path.with_name(f".{path.name}.kbimport")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    for message in plan.messages:
        if not message.endswith(": unchanged") and "not translated in the file" not in message or args.verbose:
            print(f"kb import: {message}", file=sys.stderr)
    print(f"kb import: {len(plan.writes)} file(s) written, {plan.incomplete} left incomplete "
          f"({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    return 1 if plan.incomplete else 0


def register(add) -> None:
    """Add `kb export` and `kb import` to the `kb` parser (kbtools/cli.py calls this with its `add`)."""
    export = add("export", cmd_export)
    export.add_argument("pages", nargs="*", metavar="PAGE",
                        help="only these pages (migration/referral or guides/migration/referral.en.md); default: all")
    export.add_argument("--lang", help="the translation language, e.g. es")
    export.add_argument("--format", default="po", help="po (the only format; see docs/translating.md)")
    export.add_argument("--outdated", action="store_true", help="only the pages not translated or outdated")
    export.add_argument("--ui", action="store_true", help="the interface strings (data/ui.yml, nav) instead of pages")
    export.add_argument("--termbase", action="store_true", help="the termbase (data/termbase.yml) as TBX")
    export.add_argument("-o", "--output", help="where to write (default: build/exchange/; '-': stdout)")
    imp = add("import", cmd_import)
    imp.add_argument("file", metavar="FILE", help="a PO file from `kb export`, translated")
    imp.add_argument("-v", "--verbose", action="store_true", help="also list the pages left as they were")
