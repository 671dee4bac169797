"""`kb impact --base REV`: which translations a branch's English changes make outdated.

For every English page the branch changes (from the merge base of REV and
the head to the head, renames detected), each translation language gets one
word: it *becomes outdated* (it matched the English text before and does
not now), was *updated too* (its source_hash is the new text's), was
*already outdated*, is *missing* (readers get English), or is left
*orphaned* (the English page was deleted or renamed without it). Printed as
a Markdown table; the pull-request workflow appends it to the job summary
(Lunaria's comment, without a bot). Everything is read from git objects, so
the working tree does not matter.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

from kbtools import pagepaths, translations
from kbtools.frontmatter import FrontMatterError, parse, source_hash
from kbtools.history import blobs, emit, ensure_repository, git, is_shallow
from kbtools.pagepaths import CommandError

BECOMES, UPDATED, ALREADY, MISSING, ORPHANED, UNCHANGED, NEW = (
    "becomes outdated", "updated too", "already outdated", "missing", "orphaned", "up to date", "not translated yet")
CHANGE = {"A": "added", "M": "edited", "D": "deleted", "R": "renamed"}


@dataclass
class Row:
    path: str  # the English page at the head (or as deleted)
    change: str
    states: dict[str, str] = field(default_factory=dict)
    note: str = ""


def _resolve(root, rev: str) -> str:
    result = git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if result.returncode != 0:
        raise CommandError(f"'{rev}' is not a revision of this clone; fetch it first (e.g. `git fetch origin "
                           "main`, then --base origin/main)")
    return result.stdout.decode().strip()


def _text(raw: bytes | None) -> str | None:
    return None if raw is None else raw.decode("utf-8", "replace")


def _recorded(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    try:
        return str(parse(raw.decode("utf-8", "replace")).meta.get("source_hash") or "").strip()
    except (FrontMatterError, ValueError, TypeError):
        return ""


def changes(project: pagepaths.Project, base: str, head: str) -> list[tuple[str, str | None, str | None]]:
    """[(status letter, English path before, English path after)] between two commits, below the docs folder."""
    result = git(project.root, "diff", "--name-status", "-z", "-M", base, head, "--", project.docs_name)
    if result.returncode != 0:
        raise CommandError(f"git diff failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    fields = result.stdout.decode("utf-8", "replace").split("\0")
    out, i = [], 0
    while i < len(fields) - 1:
        status = fields[i][:1]
        if status in ("R", "C"):
            before, after = fields[i + 1], fields[i + 2]
            i += 3
        else:
            before = after = fields[i + 1]
            i += 2
        if status == "C":
            status, before = "A", None
        elif status == "A":
            before = None
        elif status == "D":
            after = None
        out.append((status, before, after))
    prefix = project.docs_name + "/"
    docs_of = lambda path: path[len(prefix):] if path and path.startswith(prefix) else None  # noqa: E731
    english = []
    for status, before, after in out:
        names = [translations.split_name(docs_of(p) or "", project.codes) for p in (before, after)]
        if any(n and n[1] == project.reference for n in names):
            english.append((status, before, after))
    return english


def impact(project: pagepaths.Project, base: str, head: str = "HEAD") -> list[Row]:
    root = project.root
    ensure_repository(root)
    head_commit = _resolve(root, head)
    base_commit = _resolve(root, base)
    merge_base = git(root, "merge-base", base_commit, head_commit)
    if merge_base.returncode != 0:
        hint = " (the clone is shallow: `git fetch --unshallow`)" if is_shallow(root) else ""
        raise CommandError(f"'{base}' and '{head}' have no common history{hint}; compare with the branch the "
                           "pull request goes into")
    start = merge_base.stdout.decode().strip()
    prefix = project.docs_name + "/"
    rows = []
    for status, before, after in changes(project, start, head_commit):
        row = Row(after or before, CHANGE.get(status, status))
        old_stem = translations.split_name(before[len(prefix):], project.codes)[0] if before else None
        new_stem = translations.split_name(after[len(prefix):], project.codes)[0] if after else None
        specs = [f"{start}:{before}" if before else "", f"{head_commit}:{after}" if after else ""]
        for lang in project.targets:
            specs += [f"{head_commit}:{prefix}{new_stem}.{lang}.md" if new_stem else "",
                      f"{head_commit}:{prefix}{old_stem}.{lang}.md" if old_stem and old_stem != new_stem else ""]
        found = blobs(root, [s or "-" for s in specs])
        old_text, new_text = _text(found[0]) if before else None, _text(found[1]) if after else None
        old_hash = source_hash(old_text) if old_text is not None else None
        new_hash = source_hash(new_text) if new_text is not None else None
        if status == "M" and old_hash == new_hash:
            row.note = "front matter only: no translation affected"
        for n, lang in enumerate(project.targets):
            here = found[2 + 2 * n] if new_stem else None
            left = found[3 + 2 * n] if old_stem and old_stem != new_stem else None
            if new_stem is None:  # deleted
                row.states[lang] = ORPHANED if left is not None else "—"
                continue
            if here is None:
                row.states[lang] = ORPHANED + " (not renamed)" if left is not None else (
                    NEW if status == "A" else MISSING)
                continue
            recorded = _recorded(here)
            if recorded == new_hash:
                row.states[lang] = UPDATED if old_hash != new_hash else UNCHANGED
            elif recorded == old_hash:
                row.states[lang] = BECOMES
            else:
                row.states[lang] = ALREADY
        rows.append(row)
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(project: pagepaths.Project, rows: list[Row], base: str) -> str:
    langs = project.targets
    becoming = sum(1 for r in rows for state in r.states.values() if state == BECOMES)
    if not rows:
        return (f"### Translation impact\n\nNo {project.name(project.reference)} page changed since `{base}`: "
                "no translation is affected.\n")
    head = ["### Translation impact", "",
            f"{len(rows)} {project.name(project.reference)} page(s) changed since `{base}`; "
            f"{becoming} translation(s) become outdated. Translators: `kb translate --diff PAGE --lang xx` "
            "shows what changed (docs/translating.md).", "",
            "| English page | change | " + " | ".join(f"{project.name(c)} ({c})" for c in langs) + " |",
            "|---|---|" + "---|" * len(langs)]
    body = []
    for row in rows:
        change = row.change + (f" ({row.note})" if row.note else "")
        body.append(f"| `{_cell(row.path)}` | {_cell(change)} | "
                    + " | ".join(_cell(row.states.get(c, "")) for c in langs) + " |")
    return "\n".join(head + body) + "\n"


def cmd_impact(args) -> int:
    """Which translations the English changes of this branch make outdated, as a Markdown table:
    one row per English page changed since the merge base with --base, one column per language.
    The pull-request workflow writes it to the job summary."""
    from kbtools.scaffold import root

    try:
        project = pagepaths.load(root(args))
        rows = impact(project, args.base, args.head)
    except CommandError as exc:
        print(f"kb impact: {exc}", file=sys.stderr)
        return 2
    emit(markdown(project, rows, args.base))
    return 0


def register(add) -> None:
    command = add("impact", cmd_impact)
    command.add_argument("--base", required=True, help="the branch the changes go into, e.g. origin/main")
    command.add_argument("--head", default="HEAD", help="the changed revision (default: HEAD)")
