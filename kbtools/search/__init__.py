"""Search per language: a lunr index prebuilt at build time, split in shards
that a reader's browser fetches only as far as a query needs them.

static-i18n leaves one search index for all languages at the site root, and
Material's worker builds a lunr index from it in the reader's browser on every
visit, without diacritic folding. Instead, after the build:

1. the combined index is split by language (fallback pages left out, since
   they would give the English text twice);
2. Node weighs each language's terms as lunr's Builder would (core.js
   `weigh`: lunr-languages stemmers + folding, BM25 as lunr computes it, in flat
   arrays rather than lunr's objects) and writes them split (`buildShards`) into
   <lang>/search/: search_index.json, the manifest (a few hundred bytes: where
   each shard's range starts), terms/<n>.json (the postings of a range of
   sorted terms, with their weights), docs/<n>.json (locations, titles and tags
   of a range of whole pages), text/<p>.json (the texts of page p);
3. the browser fetches nothing of it until the reader opens the search
   (kbtools/theme.py SEARCH_INDEX_ON_OPEN, overrides/assets/javascripts/
   lazy-worker.js), then worker.js, running the same core.js, fetches the term
   shards of the query's words, the document shards of the results and the
   texts of the pages shown first; the `kb search` CLI answers from the same
   files through cli.js.

Why split this way (figures in docs/performance.md): the whole index of a
language was 80% of a chapter's transfer and grew with every page; the term
shards a query needs grow only with how often its words occur, the titles with
the number of results, and the texts not at all (one small file per page shown).
lunr scores the rebuilt part of its index exactly as the whole one (core.js says
why), so results and their order are those of the unsplit index.

Node is needed because the stemmers that run in the browser are JavaScript;
building with the same code makes index and query terms identical.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NODE_MODULES = ROOT / "node_modules"
ASSETS = "assets/kb-search"
# The shards' folders beside each language's manifest (core.js buildShards).
SHARD_FOLDERS = ("terms", "docs", "text")
# The function a shard's script twin calls under file:// (kbtools/offline.py, worker.js).
SHARD_CALLBACK = "kbSearchShard"
SEPARATOR = r"[\s\-'’/]+"
TAG = re.compile(r"<[^>]*>")


class SearchError(RuntimeError):
    pass


def _check_node() -> None:
    if shutil.which("node") is None:
        raise SearchError("node is not installed: the search index is built with Node.js "
                          "(Debian: apt-get install nodejs npm), then run `make site`")
    if not (NODE_MODULES / "lunr").exists():
        raise SearchError("node_modules/ is missing: run `npm ci` (make site does it)")


def _node(*args: str, stdin: str | None = None) -> str:
    _check_node()
    result = subprocess.run(["node", str(HERE / "cli.js"), *args], input=stdin,
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SearchError(result.stderr.strip() or f"node cli.js {args[0]} failed")
    return result.stdout


def _node_build(jobs: list[tuple[str, str, str]], processes: int = 1) -> None:
    """Build the index of each of `jobs` ([lang, docs.json, out.json]) in a Node process of
    its own, at most `processes` at once."""
    _check_node()
    waiting, running, errors = list(jobs), [], []
    while waiting or running:
        while waiting and len(running) < max(1, processes):
            job = waiting.pop(0)
            running.append((_start(job), job))
        proc, job = running.pop(0)
        _, err = proc.communicate()
        if proc.returncode != 0:
            errors.append(err.strip() or f"node cli.js build {job[0]} failed")
    if errors:
        raise SearchError("; ".join(errors))


def pack(lang: str) -> str | None:
    """The lunr-languages file for `lang`, or None where lunr has none (its own
    pipeline is English): which languages have one is a fact of the package."""
    name = f"lunr.{lang}.min.js"
    return name if (NODE_MODULES / "lunr-languages" / "min" / name).is_file() else None


def page_of(location: str) -> str:
    return location.split("#", 1)[0]


def split_by_language(combined: dict, languages: list[str], default: str,
                      skip: dict[str, set[str]]) -> dict[str, list[dict]]:
    """Docs of each language with locations relative to that language's root.

    `skip` maps a language to the page paths (as in the combined index) that
    must not be indexed in it: its fallback pages.
    """
    prefixes = {lang: f"{lang}/" for lang in languages if lang != default}
    out: dict[str, list[dict]] = {lang: [] for lang in languages}
    for doc in combined.get("docs", []):
        location = doc["location"]
        lang = next((code for code, prefix in prefixes.items() if location.startswith(prefix)), default)
        if page_of(location) in skip.get(lang, set()):
            continue
        # Plain text (still HTML-escaped): smaller to download and to render.
        text = " ".join(TAG.sub(" ", doc.get("text", "")).split())
        local = dict(doc, location=location[len(prefixes.get(lang, "")):], text=text)
        out[lang].append(local)
    return out


def read_combined(site: Path) -> dict:
    """The search index of every language that static-i18n leaves at the site root."""
    source = site / "search" / "search_index.json"
    if not source.exists():
        raise SearchError(f"{source} is missing: is the search plugin enabled?")
    return json.loads(source.read_text(encoding="utf-8"))


def build_indexes(site: Path, languages: list[str], default: str, skip: dict[str, set[str]],
                  combined: dict | None = None, jobs: int = 1, background: bool = False):
    """Write <lang>/search/search_index.json for every language, from `combined`
    (default: the index at the site root), in at most `jobs` Node processes at once.
    Returns {lang: index path}; with `background`, a `Background` at once, the
    indexes written when its Node processes end (a dirty rebuild of `make serve`)."""
    if combined is None:
        combined = read_combined(site)
    written = {}
    tmp = Path(tempfile.mkdtemp(prefix="kb-search-"))
    try:
        work = []
        for lang, docs in split_by_language(combined, languages, default, skip).items():
            root = ("" if lang == default else f"{lang}/") + "search/"
            data = {"config": {"lang": [lang], "pack": pack(lang), "separator": SEPARATOR, "pipeline": [],
                               "fields": combined.get("config", {}).get("fields", {}),
                               # Where the shards are, from the site's root (the worker's ../../).
                               "kb": {"root": root}},
                    "docs": docs}
            raw = tmp / f"{lang}.json"
            raw.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            target_dir = site / root
            target_dir.mkdir(parents=True, exist_ok=True)
            for folder in SHARD_FOLDERS:  # no shard of an earlier build left behind
                shutil.rmtree(target_dir / folder, ignore_errors=True)
            written[lang] = target_dir / "search_index.json"
            work.append((lang, str(raw), str(written[lang])))
        copy_assets(site, languages)
        if background:
            _check_node()
            running = Background([_start(job) for job in work], tmp)
            tmp = None  # the Background removes it
            return running
        _node_build(work, jobs)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return written


def _start(job: tuple[str, str, str]) -> subprocess.Popen:
    return subprocess.Popen(["node", str(HERE / "cli.js"), "build", *job], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


class Background:
    """Node processes writing indexes while the dev server already shows the pages."""

    def __init__(self, procs: list[subprocess.Popen], tmp: Path):
        self.procs, self.tmp = procs, tmp

    def stop(self) -> list[str]:
        """End what still runs (a newer build writes the indexes again); the errors of
        those that had ended."""
        errors = []
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait()
            elif proc.returncode != 0:
                errors.append((proc.stderr.read() if proc.stderr else "").strip() or "node cli.js build failed")
            if proc.stderr:
                proc.stderr.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return errors


def shard_files(search_dir: Path) -> list[Path]:
    """The shards of the split index whose manifest is in `search_dir`, in path order."""
    return sorted(p for folder in SHARD_FOLDERS for p in (search_dir / folder).glob("*.json"))


# How the manifest's script twin starts (write_scripts); Material reads `__index`.
INDEX_SCRIPT = "var __index = "


def _manifest(search_dir: Path) -> dict:
    """The `kb` part of the split index's manifest in `search_dir`, read from
    search_index.json or, where only the scripts are kept (an offline zip), its twin."""
    index = search_dir / "search_index.json"
    if not index.exists() and (search_dir / "search_index.js").exists():
        try:
            data = json.loads((search_dir / "search_index.js").read_text(encoding="utf-8").removeprefix(INDEX_SCRIPT))
        except ValueError as exc:
            raise SearchError(f"{search_dir / 'search_index.js'} does not hold a manifest ({exc})") from None
    else:
        data = _read(index)
    kb = data.get("config", {}).get("kb", {}) if isinstance(data, dict) else {}
    if not all(key in kb for key in ("terms", "docs", "pages")):
        raise SearchError(f"{index} is not a split index: run `make site`")
    return kb


def manifest_files(search_dir: Path) -> list[str]:
    """The shards the manifest in `search_dir` names (core.js buildShards writes them):
    terms/<n>.json for each term range, docs/<n>.json for each document range,
    text/<p>.json for each page; relative to `search_dir`."""
    kb = _manifest(search_dir)
    return ([f"terms/{n}.json" for n in range(len(kb["terms"]))] + [f"docs/{n}.json" for n in range(len(kb["docs"]))]
            + [f"text/{n}.json" for n in range(len(kb["pages"]))])


def write_scripts(search_dir: Path) -> list[Path]:
    """Script twins of the manifest and of every shard in `search_dir`: file:// pages cannot
    fetch JSON (kbtools/offline.py). Material loads search_index.js with a <script> tag and
    reads `__index`; the worker loads a shard's twin with importScripts and receives it
    through SHARD_CALLBACK."""
    index = search_dir / "search_index.json"
    script = index.with_suffix(".js")
    script.write_text(f"{INDEX_SCRIPT}{index.read_text(encoding='utf-8')}\n", encoding="utf-8")
    written = [script]
    for shard in shard_files(search_dir):
        name = shard.relative_to(search_dir).as_posix()
        twin = shard.with_suffix(".js")
        twin.write_text(f"{SHARD_CALLBACK}({json.dumps(name)}, {shard.read_text(encoding='utf-8')});\n",
                        encoding="utf-8")
        written.append(twin)
    return written


def rewrite_locations(search_dir: Path, rewrite) -> None:
    """Replace each page location in the document shards of `search_dir` by `rewrite(location)`
    (a section's location is its page's followed by its own "#...")."""
    for shard in sorted((search_dir / "docs").glob("*.json")):
        data = json.loads(shard.read_text(encoding="utf-8"))
        for row in data["pages"]:
            row[0] = rewrite(row[0])
        shard.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def documents(site: Path, prefix: str) -> list[dict]:
    """Every document of the split index of the language at `prefix`, as it was indexed:
    {location, title, text, tags}, in index order."""
    search_dir = site / prefix / "search"
    kb = _manifest(search_dir)
    docs = []
    for n in range(len(kb["docs"])):
        shard = _read(search_dir / "docs" / f"{n}.json")
        for offset, row in enumerate(shard["pages"]):
            texts = _read(search_dir / "text" / f"{shard['page'] + offset}.json")
            page = row[0].split("#", 1)[0]
            docs.append({"location": row[0], "title": row[1], "text": texts[0], "tags": row[2]})
            for number, section in enumerate(row[3], start=1):
                docs.append({"location": page + section[0], "title": section[1], "text": texts[number],
                             "tags": section[2] if len(section) > 2 else row[2]})
    return docs


def _read(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SearchError(f"{path} is missing: run `make site`") from None
    except ValueError as exc:
        raise SearchError(f"{path} is not valid JSON ({exc}): run `make site` again") from None


def copy_assets(site: Path, languages: list[str]) -> None:
    """The worker and the exact lunr files the index was built with."""
    target = site / ASSETS
    target.mkdir(parents=True, exist_ok=True)
    files = [NODE_MODULES / "lunr" / "lunr.min.js",
             NODE_MODULES / "lunr-languages" / "min" / "lunr.stemmer.support.min.js",
             HERE / "core.js", HERE / "worker.js"]
    files += [NODE_MODULES / "lunr-languages" / "min" / pack(lang) for lang in languages if pack(lang)]
    for path in files:
        shutil.copyfile(path, target / path.name)


def _ask(command: str, site: Path, prefix: str, text: str):
    index = site / prefix / "search" / "search_index.json"
    if not index.exists():
        raise SearchError(f"no search index at {index}: run `make site` first")
    return json.loads(_node(command, str(index), text))


def query(site: Path, prefix: str, text: str) -> list[dict]:
    """Results for `text` from the built index of the language at `prefix` ('' or 'es/'), best first."""
    # Titles in the index are HTML (Material's results insert them as such): give text.
    return [dict(item, title=html.unescape(item["title"])) for item in _ask("query", site, prefix, text)]


def files_for(site: Path, prefix: str, text: str) -> list[str]:
    """The shard files (relative to the language's search folder) that answering `text`
    reads, as the browser's worker reads them for the same query."""
    return _ask("files", site, prefix, text)


def terms(lang: str, words: list[str]) -> list[list[str]]:
    """Index terms of each word, as the build and the browser compute them."""
    return json.loads(_node("terms", lang, pack(lang) or "", stdin="\n".join(words) + "\n"))
