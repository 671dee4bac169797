"""Start a guide, a chapter or a translation with valid files: `kb new-guide`,
`kb new-page`, `kb translate` (and its --diff and --stamp, kbtools/history.py).

Everything is checked before anything is written: bad input (a slug with
spaces or capitals, a title that cannot be a one-line heading, a page that
does not exist, a language that is not configured, a file that is already
there) is a one-line error with exit status 2 and leaves the project as it
was. Titles may hold colons and quotes: they are quoted for YAML
(kbtools/mkdocs_edit.py). The new files pass `make check` as they are.
"""
from __future__ import annotations

import datetime
import re
import shutil
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from kbtools import data, mkdocs_edit, pagepaths, site_config, translations
from kbtools.frontmatter import FrontMatterError, normalise, source_hash, split
from kbtools.mkdocs_edit import quote
from kbtools.pagepaths import CommandError

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Characters that would turn a title into Markdown or HTML in its `# heading`.
MARKUP = "<>{}[]*_`\\"
DEFAULT_CHAPTER = ("first-steps", "First steps")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def check_slug(value: str, what: str, project: pagepaths.Project) -> str:
    if not SLUG.fullmatch(value or ""):
        suggestion = slugify(value or "")
        hint = f"; e.g. '{suggestion}'" if suggestion else ""
        raise CommandError(f"the {what} '{value}' may hold only lower-case letters a-z, digits and single hyphens "
                           f"(it becomes a file name and part of the address){hint}")
    if value in project.codes:
        raise CommandError(f"the {what} '{value}' is a language code, and /{value}/ is that language's part of the "
                           "site; choose another")
    return value


def check_title(value: str, what: str = "title") -> str:
    if value is None or not value.strip():
        raise CommandError(f"give a {what}: --{what.replace(' ', '-')} \"...\"")
    if any(unicodedata.category(c).startswith("C") for c in value):
        raise CommandError(f"the {what} must be one line of text, without line breaks, tabs or control characters")
    found = sorted({c for c in value if c in MARKUP})
    if found:
        raise CommandError(f"the {what} {value!r} holds {' '.join(found)}, which Markdown would turn into markup in "
                           "the page's heading; write it as plain text (colons, quotes and apostrophes are fine)")
    if value.strip().startswith("#") or value.strip().endswith("#"):
        raise CommandError(f"the {what} {value!r} starts or ends with '#', which Markdown reads as part of the "
                           "heading mark; reword it")
    return " ".join(value.split())


def _keys(value: str | None, vocabulary: dict, name: str, default: list[str]) -> list[str]:
    keys = [k.strip() for k in (value or "").split(",") if k.strip()] or default
    unknown = [k for k in keys if k not in vocabulary]
    if unknown or not keys:
        raise CommandError(f"--{name} {','.join(unknown) or '(none)'}: not in data/vocabulary.yml; use "
                           f"comma-separated keys among: {', '.join(vocabulary)}")
    return keys


def _vocabulary(project: pagepaths.Project) -> dict:
    try:
        return data.load("vocabulary", project.root / "data")
    except data.DataError as exc:
        raise CommandError(f"cannot read the vocabulary: {exc}") from None


def front_matter(title: str, description: str, audience: list[str], topics: list[str], **extra) -> str:
    lines = [f"title: {quote(title)}", f"description: {quote(description)}",
             f"audience: [{', '.join(audience)}]", f"topics: [{', '.join(topics)}]",
             f"last_reviewed: {datetime.date.today().isoformat()}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def overview_text(title, description, audience, topics, chapter: tuple[str, str]) -> str:
    name, chapter_title = chapter
    return (front_matter(title, description, audience, topics) + f"\n# {title}\n\n"
            "<!-- kb new-guide wrote this overview. Say who the guide is for and what it helps them do; "
            "open with a \"Key points\" box (docs/writing-content.md). -->\n\n"
            "## What each chapter covers { #chapters }\n\n"
            f"- [{chapter_title}]({name}.md)\n")


def chapter_text(title, description, audience, topics) -> str:
    return (front_matter(title, description, audience, topics) + f"\n# {title}\n\n"
            "<!-- kb wrote this chapter. Open with a \"Key points\" box, give each ## heading an id "
            "({ #like-this }), and end with ## References (docs/writing-content.md). -->\n")


@dataclass
class Plan:
    """What a command will write: new files, and mkdocs.yml's new text (or None)."""
    files: dict[Path, str]
    mkdocs: str | None = None
    newline: str = "\n"  # mkdocs.yml's line ends, kept


def _validated(project: pagepaths.Project, text: str, check) -> None:
    """Read the new mkdocs.yml back as the tools do; `check(config)` says it holds the change."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "mkdocs.yml").write_text(text, encoding="utf-8")
        try:
            config = site_config.load(Path(folder))
        except Exception as exc:  # noqa: BLE001 - any failure means the edit went wrong; nothing is written
            raise CommandError(f"the edited mkdocs.yml would not load ({type(exc).__name__}: {exc}); "
                               "nothing was written: add the entries by hand") from None
    if not check(config):
        raise CommandError("the edited mkdocs.yml does not hold the new entries as expected; nothing was "
                           "written: add them by hand")


def write(plan: Plan, project: pagepaths.Project) -> list[str]:
    """Write a plan: the new files (never over an existing one), then mkdocs.yml."""
    written = []
    created_dirs = []
    try:
        for path, text in plan.files.items():
            for parent in reversed(path.parents):
                if not parent.exists():
                    parent.mkdir()
                    created_dirs.append(parent)
            with open(path, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            written.append(path)
        if plan.mkdocs is not None:
            (project.root / "mkdocs.yml").write_text(plan.mkdocs, encoding="utf-8", newline=plan.newline)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        for folder in reversed(created_dirs):
            shutil.rmtree(folder, ignore_errors=True)
        raise CommandError(f"cannot write {getattr(exc, 'filename', '') or 'the files'} ({exc.strerror or exc}); "
                           "nothing was kept") from None
    return [project.rel(p) for p in plan.files] + (["mkdocs.yml"] if plan.mkdocs is not None else [])


def _mkdocs_text(project: pagepaths.Project) -> str:
    """mkdocs.yml with LF line ends (Plan.newline says which to write back)."""
    try:
        return (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read mkdocs.yml ({exc})") from None


def _newline(project: pagepaths.Project) -> str:
    return "\r\n" if b"\r\n" in (project.root / "mkdocs.yml").read_bytes() else "\n"


# --- kb new-guide ------------------------------------------------------------

def plan_guide(project: pagepaths.Project, slug: str, title: str, *, nav_title=None, description=None,
               audience=None, topics=None, chapter=None, chapter_title=None) -> Plan:
    slug = check_slug(slug, "slug", project)
    title = check_title(title)
    nav_title = check_title(nav_title, "nav title") if nav_title is not None else title
    chapter = check_slug(chapter or DEFAULT_CHAPTER[0], "chapter name", project)
    if chapter == "index":
        raise CommandError("the chapter name 'index' is the guide's overview; choose another --chapter")
    chapter_title = check_title(chapter_title, "chapter title") if chapter_title is not None else (
        DEFAULT_CHAPTER[1] if chapter == DEFAULT_CHAPTER[0] else chapter.replace("-", " ").capitalize())
    description = check_title(description, "description") if description is not None else title
    vocabulary = _vocabulary(project)
    audience = _keys(audience, vocabulary.get("audience") or {}, "audience", ["all-readers"])
    if not topics:
        raise CommandError("say what the guide is about with --topics (comma-separated keys of data/vocabulary.yml:"
                           f" {', '.join(vocabulary.get('topics') or {})})")
    topics = _keys(topics, vocabulary.get("topics") or {}, "topics", [])
    folder = project.docs_dir / slug
    clash = sorted(project.docs_dir.glob(f"{slug}.*.md"))
    if folder.exists() or clash:
        raise CommandError(f"{project.rel(folder if folder.exists() else clash[0])} already exists, and a guide "
                           f"would have the same address; choose another slug")
    ref = project.reference
    pages = [f"{slug}/index.md", f"{slug}/{chapter}.md"]
    try:
        text = mkdocs_edit.add_guide(_mkdocs_text(project), nav_title, pages)
    except mkdocs_edit.EditError as exc:
        raise CommandError(str(exc)) from None
    _validated(project, text, lambda config: any(
        g.slug == slug and list(g.chapters) == pages for g in config.guides) and all(
        dict(lang.nav_translations).get(nav_title) == nav_title for lang in config.languages if not lang.default))
    files = {
        folder / f"index.{ref}.md": overview_text(title, description, audience, topics, (chapter, chapter_title)),
        folder / f"{chapter}.{ref}.md": chapter_text(chapter_title, chapter_title, audience, topics),
    }
    return Plan(files, text, _newline(project))


# --- kb new-page -------------------------------------------------------------

def plan_page(project: pagepaths.Project, name: str, title: str, *, description=None, audience=None,
              topics=None) -> Plan:
    title = check_title(title)
    description = check_title(description, "description") if description is not None else title
    rel = name.strip().rstrip("/")
    docs = project.docs_name + "/"
    if rel.startswith(docs):
        rel = rel[len(docs):]
    rel = re.sub(rf"\.(?:{re.escape(project.reference)}\.)?md$", "", rel)
    parts = rel.split("/")
    if len(parts) != 2:
        raise CommandError(f"give the new chapter as {docs}GUIDE/PAGE, e.g. {docs}migration/returns "
                           f"(got '{name}')")
    slug, page = parts
    check_slug(page, "page name", project)
    if page == "index":
        raise CommandError("'index' is the guide's overview, which the guide already has; choose another page name")
    overview = project.page_file(f"{slug}/index", project.reference)
    if not overview.is_file():
        raise CommandError(f"there is no guide '{slug}' ({project.rel(overview)} does not exist); create it with "
                           f"`kb new-guide {slug} --title ...`, or check the folder name")
    target = project.page_file(f"{slug}/{page}", project.reference)
    if target.exists():
        raise CommandError(f"{project.rel(target)} already exists; edit it, or choose another page name")
    vocabulary = _vocabulary(project)
    try:
        meta = yaml.safe_load(split(overview.read_text(encoding="utf-8"))[0] or "") or {}
    except (FrontMatterError, UnicodeDecodeError, OSError, yaml.YAMLError):
        meta = {}
    meta = meta if isinstance(meta, dict) else {}
    inherit = lambda key: ",".join(meta.get(key) or []) if isinstance(meta.get(key), list) else None  # noqa: E731
    audience = _keys(audience or inherit("audience"), vocabulary.get("audience") or {}, "audience", ["all-readers"])
    topics = topics or inherit("topics")
    if not topics:
        raise CommandError(f"{project.rel(overview)} has no topics to copy; give --topics (keys of "
                           "data/vocabulary.yml)")
    topics = _keys(topics, vocabulary.get("topics") or {}, "topics", [])
    path = f"{slug}/{page}.md"
    try:
        text = mkdocs_edit.add_page(_mkdocs_text(project), slug, path)
    except mkdocs_edit.EditError as exc:
        raise CommandError(str(exc)) from None
    _validated(project, text, lambda config: any(
        g.slug == slug and g.chapters[-1] == path for g in config.guides))
    return Plan({target: chapter_text(title, description, audience, topics)}, text, _newline(project))


# --- kb translate --------------------------------------------------------------

def plan_translation(project: pagepaths.Project, stem: str, lang: str) -> Plan:
    english = project.page_file(stem, project.reference)
    target = project.page_file(stem, lang)
    if target.exists():
        raise CommandError(f"{project.rel(target)} already exists and is not overwritten; to bring it up to date: "
                           f"`kb translate --diff {project.rel(english)} --lang {lang}`, edit it, then --stamp")
    try:
        text = normalise(english.read_text(encoding="utf-8"))
        meta_text, body, _ = split(text)
    except (OSError, UnicodeDecodeError, FrontMatterError) as exc:
        raise CommandError(f"cannot read {project.rel(english)} ({exc}); fix it first (make check)") from None
    if meta_text is None:
        raise CommandError(f"{project.rel(english)} has no front matter; fix it first (make check)")
    kept = [line for line in meta_text.split("\n") if not line.startswith("source_hash:")]
    while kept and not kept[-1].strip():
        kept.pop()
    marker = translations.untranslated_marker(project.name(lang))
    out = ("---\n" + "\n".join(kept) + f"\nsource_hash: {source_hash(text)}\n---\n\n" + marker + "\n\n"
           + body.lstrip("\n"))
    return Plan({target: out})


def stamp(project: pagepaths.Project, stem: str, lang: str) -> tuple[str, str | None, str]:
    """Record the English page's current hash in the translation: (path, old hash, new hash).
    Only the `source_hash:` line changes (or is added at the end of the front matter)."""
    english = project.page_file(stem, project.reference)
    target = project.page_file(stem, lang)
    if not target.is_file():
        raise CommandError(f"there is no {project.name(lang)} translation {project.rel(target)}; start one with "
                           f"`kb translate {project.rel(english)} --lang {lang}`")
    try:
        raw = target.read_bytes().decode("utf-8")  # line ends as they are: only one line changes
        meta_text, _, body_line = split(raw)
        current = source_hash(english.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, FrontMatterError) as exc:
        raise CommandError(f"cannot read {project.rel(target)} ({exc}); fix it first (make check)") from None
    if meta_text is None:
        raise CommandError(f"{project.rel(target)} has no front matter; give it one (docs/writing-content.md)")
    marker = translations.UNTRANSLATED_LINE.search(normalise(raw))
    if marker:
        line = normalise(raw)[:marker.start()].count("\n") + 1
        raise CommandError(f"{project.rel(target)} line {line} still says the text is untranslated; translate the "
                           "page, delete that line, then stamp it")
    newline = "\r\n" if "\r\n" in raw else "\n"
    lines = raw.split(newline)
    fm_end = body_line - 2  # index of the closing '---'
    old = None
    for i in range(1, fm_end):
        match = re.match(r"source_hash:\s*['\"]?([^'\"\s#]*)", lines[i])
        if match:
            old = match.group(1) or None
            if old == current:
                return project.rel(target), old, current
            lines[i] = f"source_hash: {current}"
            break
    else:
        lines.insert(fm_end, f"source_hash: {current}")
    target.write_text(newline.join(lines), encoding="utf-8", newline="")
    return project.rel(target), old, current


# --- the commands (registered in kbtools/cli.py) -----------------------------------

def root(args) -> Path:
    from kbtools.cli import _root

    return _root(args.root)


def _run(command: str, function) -> int:
    try:
        return function()
    except CommandError as exc:
        print(f"kb {command}: {exc}", file=sys.stderr)
        return 2


def _report(written: list[str], hints: list[str]) -> None:
    for name in written:
        print(f"wrote {name}")
    for hint in hints:
        print(hint)


def cmd_new_guide(args) -> int:
    """Start a guide: its folder with an overview and a first chapter (valid front matter), its section
    at the end of the nav's Guides, and a nav_translations entry for every language (to translate).

    The title may hold colons and quotes. --topics (keys of data/vocabulary.yml) is required: the
    guide's tags must say what it is about. `make check` passes on the result.
    """
    def run():
        project = pagepaths.load(root(args))
        plan = plan_guide(project, args.slug, args.title, nav_title=args.nav_title, description=args.description,
                          audience=args.audience, topics=args.topics, chapter=args.chapter,
                          chapter_title=args.chapter_title)
        _report(write(plan, project), [
            "next: write the overview and the chapter, translate the new names in mkdocs.yml's nav_translations,",
            "then `make check` and `make serve` to preview (docs/editing.md)"])
        return 0
    return _run("new-guide", run)


def cmd_new_page(args) -> int:
    """Add a chapter to a guide: guides/GUIDE/PAGE.en.md with valid front matter (audience and topics
    copied from the guide's overview unless given), listed last in the guide's nav."""
    def run():
        project = pagepaths.load(root(args))
        plan = plan_page(project, args.page, args.title, description=args.description, audience=args.audience,
                         topics=args.topics)
        _report(write(plan, project), [
            "next: write the chapter, link it from the overview's chapter list, move its nav entry if it "
            "belongs elsewhere, then `make check`"])
        return 0
    return _run("new-page", run)


def cmd_translate(args) -> int:
    """Start a translation of an English page, or keep one up to date.

    kb translate PAGE --lang es          copies the English page to PAGE.es.md with source_hash stamped
                                         and a marker line saying the text is still English; never
                                         overwrites a file
    kb translate --diff PAGE --lang es   what changed in the English text since the translation's
                                         source_hash (found in git history)
    kb translate --stamp PAGE --lang es  after updating the translation: record the English page's
                                         current hash
    """
    from kbtools import history

    def run():
        project = pagepaths.load(root(args))
        stem, named = pagepaths.page(project, args.page)
        lang = args.lang or (named if named != project.reference else None)
        lang = pagepaths.language(project, lang)
        if named not in (None, project.reference, lang):
            raise CommandError(f"'{args.page}' is the {named} file but --lang is {lang}; give the English page")
        if args.diff:
            return history.print_diff(project, stem, lang)
        if args.stamp:
            path, old, new = stamp(project, stem, lang)
            if old == new:
                print(f"{path} already records source_hash {new}: nothing to do")
            else:
                print(f"{path}: source_hash {old or '(none)'} -> {new}")
            return 0
        _report(write(plan_translation(project, stem, lang), project), [
            "next: translate the text (title and description too), delete the 'untranslated' line, "
            "then `make check` (docs/translating.md)"])
        return 0
    return _run("translate", run)


def register(add) -> None:
    """Add the commands to the `kb` parser (kbtools/cli.py calls this with its `add`)."""
    guide = add("new-guide", cmd_new_guide)
    guide.add_argument("slug", help="folder name: lower-case words joined by hyphens, e.g. child-protection")
    guide.add_argument("--title", required=True, help="the overview's title (colons and quotes are fine)")
    guide.add_argument("--topics", help="comma-separated topic keys of data/vocabulary.yml (required)")
    guide.add_argument("--audience", help="comma-separated audience keys (default: all-readers)")
    guide.add_argument("--description", help="one or two sentences for search engines (default: the title)")
    guide.add_argument("--nav-title", help="a shorter name for the nav section (default: the title)")
    guide.add_argument("--chapter", help=f"the first chapter's file name (default: {DEFAULT_CHAPTER[0]})")
    guide.add_argument("--chapter-title", help=f"the first chapter's title (default: {DEFAULT_CHAPTER[1]})")

    page = add("new-page", cmd_new_page)
    page.add_argument("page", metavar="guides/GUIDE/PAGE", help="the new chapter, e.g. guides/migration/returns")
    page.add_argument("--title", required=True, help="the chapter's title (colons and quotes are fine)")
    page.add_argument("--description", help="one or two sentences for search engines (default: the title)")
    page.add_argument("--audience", help="comma-separated audience keys (default: the overview's)")
    page.add_argument("--topics", help="comma-separated topic keys (default: the overview's)")

    translate = add("translate", cmd_translate)
    translate.add_argument("page", metavar="PAGE", help="the English page, e.g. guides/migration/referral.en.md")
    translate.add_argument("--lang", help="the translation's language, e.g. es")
    mode = translate.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print the English changes since the translation")
    mode.add_argument("--stamp", action="store_true", help="record the English page's current hash")
