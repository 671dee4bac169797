"""What changed in an English page since a translation was made, from git history.

A translation records `source_hash`, the hash of the English text it
translates (kbtools/frontmatter.py). `kb translate --diff` walks the English
file's history (`git log --follow`, so renames are followed), hashes the file
at each revision, takes the newest revision whose hash is the recorded one,
and prints the English changes from that text to the current file (working
tree). `kb status --diff` does it for every outdated page of a language.

When no revision matches: in a shallow clone the revision is probably not
fetched (the message says `git fetch --unshallow`); otherwise the hash was
never the hash of a committed English text (typed by hand, or made from an
unpublished draft). Either way: exit status 2 and one line, no traceback.
"""
from __future__ import annotations

import difflib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kbtools import pagepaths, translations
from kbtools.frontmatter import FrontMatterError, legacy_source_hash, parse, source_hash
from kbtools.pagepaths import CommandError


@dataclass(frozen=True)
class Revision:
    commit: str
    date: str  # committer date, YYYY-MM-DD
    subject: str
    path: str  # the file's path at that commit, from the top of the repository

    def label(self) -> str:
        return f"{self.commit[:10]} ({self.date}, \"{self.subject}\")"


def git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise CommandError("git is not installed; the English history comes from git "
                           "(Debian: apt-get install git)") from None


def _git_text(root: Path, *args: str) -> str:
    result = git(root, *args)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CommandError(f"git {' '.join(args[:2])} failed: {message[-1] if message else 'no message'}")
    return result.stdout.decode("utf-8", "replace")


def ensure_repository(root: Path) -> None:
    result = git(root, "rev-parse", "--is-inside-work-tree")
    if result.returncode != 0 or result.stdout.strip() != b"true":
        raise CommandError(f"{root} is not a git repository (a clone of the project): the English history "
                           "comes from git; clone the project, then run this in the clone")
    if git(root, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        raise CommandError("the repository has no commit yet, so no English history; commit the pages first")


def is_shallow(root: Path) -> bool:
    return git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"


def revisions(root: Path, path: str, *refs: str) -> list[Revision]:
    """Commits that changed the file, newest first, with its path at each (renames followed)."""
    out = _git_text(root, "log", "--follow", "--format=%x1e%H%x1f%cs%x1f%s", "--name-only", *refs, "--", path)
    found = []
    for record in out.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        commit, date, subject = (head.split("\x1f") + ["", ""])[:3]
        names = [n for n in names.split("\n") if n.strip()]
        if names:  # a merge commit lists no file; the file's text is that of a commit listed too
            found.append(Revision(commit, date, subject, names[-1]))
    return found


def blobs(root: Path, specs: list[str]) -> list[bytes | None]:
    """The contents of `commit:path` objects, in order (None where there is no such object)."""
    if not specs:
        return []
    result = git(root, "cat-file", "--batch", stdin=("\n".join(specs) + "\n").encode())
    data, out, pos = result.stdout, [], 0
    for _ in specs:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            out.append(data[pos:pos + size])
            pos += size + 1
        else:
            out.append(None)  # "<spec> missing", or not a file
    return out


def _matching(root: Path, history: list[Revision], wanted: str) -> tuple[Revision, str] | None:
    for revision, raw in zip(history, blobs(root, [f"{r.commit}:{r.path}" for r in history])):
        if raw is not None:
            text = raw.decode("utf-8", "replace")
            # A translation outdated before the hash ignored white space records the old kind.
            if wanted in (source_hash(text), legacy_source_hash(text)):
                return revision, text
    return None


def base_revision(project: pagepaths.Project, english: Path, wanted: str) -> tuple[Revision, str]:
    """The newest revision of the English page whose text hashes to `wanted`, and that text."""
    root = project.root
    ensure_repository(root)
    rel = project.rel(english)
    mine = revisions(root, rel)
    found = _matching(root, mine, wanted)
    if found is None:  # a text that only another branch of this clone had (a translator's draft)
        others = [r for r in revisions(root, rel, "--all") if r not in mine]
        found = _matching(root, others, wanted)
        mine += others
    if found is not None:
        return found
    if is_shallow(root):
        raise CommandError(f"source_hash {wanted} is in none of the {len(mine)} revision(s) of {rel} this "
                           "clone holds, and the clone is shallow (history cut off): fetch the full history "
                           "with `git fetch --unshallow`, then run this again")
    raise CommandError(f"no revision of {rel} in the git history has the text whose hash is {wanted}, so what "
                       "changed since cannot be shown (the hash was typed by hand or made from an unpublished "
                       "draft); compare the translation with the whole English page, then run `kb translate "
                       "--stamp`")


def diff_lines(before: str, after: str, before_label: str, after_label: str) -> list[str]:
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), before_label, after_label,
                                     n=3, lineterm=""))


def explain(project: pagepaths.Project, stem: str, lang: str) -> tuple[list[str], bool]:
    """(lines to print, whether the translation is outdated) for one translation."""
    english = project.page_file(stem, project.reference)
    translation = project.page_file(stem, lang)
    rel_en, rel_tr = project.rel(english), project.rel(translation)
    if not translation.is_file():
        raise CommandError(f"there is no {project.name(lang)} translation {rel_tr}; start one with "
                           f"`kb translate {rel_en} --lang {lang}`")
    try:
        meta = parse(translation.read_text(encoding="utf-8")).meta
        current_text = english.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, FrontMatterError) as exc:
        raise CommandError(f"cannot read {rel_tr} or {rel_en} ({exc}); fix it first (make check)") from None
    recorded = str(meta.get("source_hash") or "").strip()
    current = source_hash(current_text)
    if not recorded:
        raise CommandError(f"{rel_tr} records no source_hash, so it is unknown which English text it translates; "
                           f"compare it with the whole of {rel_en}, then run `kb translate --stamp {rel_en} "
                           f"--lang {lang}`")
    if recorded == current:
        return [f"{rel_tr} is up to date: it records source_hash {current}, the hash of {rel_en} now."], False
    base, base_text = base_revision(project, english, recorded)
    newer = revisions(project.root, rel_en, f"{base.commit}..HEAD")
    at_head = blobs(project.root, [f"HEAD:./{rel_en}"])[0]
    uncommitted = at_head is None or source_hash(at_head.decode("utf-8", "replace")) != current
    lines = [f"{rel_tr} ({project.name(lang)}) translates {rel_en} as it was at {base.label()}.",
             f"The English text changed since in {len(newer)} commit(s)"
             + (" and in changes not committed yet" if uncommitted else "") + ":"]
    lines += [f"  {r.commit[:10]} {r.date} {r.subject}" for r in newer]
    lines += diff_lines(base_text, current_text, f"{base.path} @ {base.commit[:10]} (translated)",
                        f"{rel_en} (now)")
    lines.append(f"When {rel_tr} says the same as the English text: kb translate --stamp {rel_en} --lang {lang}")
    return lines, True


def emit(text: str) -> None:
    """Print to stdout; a reader that stops early (`| head`) ends the output quietly."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit


def print_diff(project: pagepaths.Project, stem: str, lang: str) -> int:
    lines, _ = explain(project, stem, lang)
    emit("\n".join(lines) + "\n")
    return 0


def status_diff(project: pagepaths.Project, langs: list[str]) -> int:
    """`kb status --diff`: the English changes behind every outdated translation of `langs`."""
    report = translations.scan(project.docs_dir, project.codes, project.reference)
    status = 0
    for lang in langs:
        outdated = [stem for stem, states in sorted(report.pages.items()) if states.get(lang) == translations.OUTDATED]
        emit(f"# {project.name(lang)} ({lang}): {len(outdated)} outdated translation(s)\n")
        for stem in outdated:
            emit("\n")
            try:
                emit("\n".join(explain(project, stem, lang)[0]) + "\n")
            except CommandError as exc:
                print(f"kb status: {project.rel(project.page_file(stem, lang))}: {exc}", file=sys.stderr)
                status = 2
        emit("\n")
    return status


def cmd_status_diff(args) -> int:
    """The body of `kb status --diff` (kbtools/cli.py's status command hands over to it)."""
    from kbtools.scaffold import root

    try:
        project = pagepaths.load(root(args))
        langs = [pagepaths.language(project, args.lang)] if args.lang else project.targets
    except CommandError as exc:
        print(f"kb status: {exc}", file=sys.stderr)
        return 2
    return status_diff(project, langs)
