"""Search per language: a lunr index prebuilt at build time for each language.

static-i18n leaves one search index for all languages at the site root, and
Material's worker builds a lunr index from it in the reader's browser on every
visit, without diacritic folding. Instead, after the build:

1. the combined index is split by language (fallback pages left out, since
   they would give the English text twice);
2. Node builds each language's lunr index with core.js (lunr-languages
   stemmers + folding) and writes <lang>/search/search_index.json;
3. the browser loads it in worker.js, which runs the same core.js, and the
   `kb search` CLI answers from the same file through cli.js.

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


# Node's heap for one language's index: V8 grows its heap far past what the build
# keeps alive (a lunr index of fifteen copies of the site took 370 MB for a 50 MB
# live set). Capped at a multiple of the input's size, it collects instead. A build
# that still runs out of room is run again without the cap: same bytes either way.
HEAP_PER_INPUT_MB = 16
HEAP_MIN_MB = 64


def _heap_flags(raw: Path) -> list[str]:
    mb = max(HEAP_MIN_MB, int(HEAP_PER_INPUT_MB * raw.stat().st_size / 1e6))
    return [f"--max-old-space-size={mb}", "--max-semi-space-size=1"]


def _node_build(jobs: list[tuple[str, str, str]], processes: int = 1) -> None:
    """Build the index of each of `jobs` ([lang, docs.json, out.json]) in a Node process of
    its own, at most `processes` at once."""
    _check_node()
    waiting, running, errors = list(jobs), [], []

    def start(job, capped=True):
        flags = _heap_flags(Path(job[1])) if capped else []
        proc = subprocess.Popen(["node", *flags, str(HERE / "cli.js"), "build", *job], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        running.append((proc, job, capped))

    while waiting or running:
        while waiting and len(running) < max(1, processes):
            start(waiting.pop(0))
        proc, job, capped = running.pop(0)
        _, err = proc.communicate()
        if proc.returncode != 0:
            if capped:
                start(job, capped=False)
            else:
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
                  combined: dict | None = None, jobs: int = 1) -> dict[str, Path]:
    """Write <lang>/search/search_index.json for every language, from `combined`
    (default: the index at the site root), in at most `jobs` Node processes at once."""
    if combined is None:
        combined = read_combined(site)
    written = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = []
        for lang, docs in split_by_language(combined, languages, default, skip).items():
            data = {"config": {"lang": [lang], "pack": pack(lang), "separator": SEPARATOR, "pipeline": [],
                               "fields": combined.get("config", {}).get("fields", {})},
                    "docs": docs}
            raw = Path(tmp) / f"{lang}.json"
            raw.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            target_dir = site / ("" if lang == default else lang) / "search"
            target_dir.mkdir(parents=True, exist_ok=True)
            written[lang] = target_dir / "search_index.json"
            work.append((lang, str(raw), str(written[lang])))
        _node_build(work, jobs)
    copy_assets(site, languages)
    return written


def write_script(index: Path) -> Path:
    """search_index.js beside the index: under file:// Material loads the index with a <script> tag
    (kbtools/offline.py)."""
    body = index.read_text(encoding="utf-8")
    script = index.with_suffix(".js")
    script.write_text(f"var __index = {body}\n", encoding="utf-8")
    return script


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


def query(site: Path, prefix: str, text: str) -> list[dict]:
    """Results for `text` from the built index of the language at `prefix` ('' or 'es/'), best first."""
    index = site / prefix / "search" / "search_index.json"
    if not index.exists():
        raise SearchError(f"no search index at {index}: run `make site` first")
    # Titles in the index are HTML (Material's results insert them as such): give text.
    return [dict(item, title=html.unescape(item["title"])) for item in json.loads(_node("query", str(index), text))]


def terms(lang: str, words: list[str]) -> list[list[str]]:
    """Index terms of each word, as the build and the browser compute them."""
    return json.loads(_node("terms", lang, pack(lang) or "", stdin="\n".join(words) + "\n"))
