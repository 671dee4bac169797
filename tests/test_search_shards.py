"""The shard builder of the split search index (kbtools/search/core.js
`buildShards`), on a generated corpus: every term is in the one shard the
manifest's ranges name, shards stay within their size, the documents come back
whole, the split index answers exactly as the whole lunr index, and a broken
index fails with a clear message. The checks are shown to fail, naming what
is wrong, on copies broken on purpose."""
from __future__ import annotations

import bisect
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from kbtools import search

CORE = (ROOT / "kbtools" / "search" / "core.js").read_text(encoding="utf-8")
TERM_SHARD_BYTES = int(re.search(r"var TERM_SHARD_BYTES = (\d+);", CORE).group(1))
DOC_SHARD_BYTES = int(re.search(r"var DOC_SHARD_BYTES = (\d+);", CORE).group(1))
# The split index against lunr's own whole index: query by query, and every weight
# (core.js computes the weights itself, without lunr's Builder).
HARNESS = ROOT / "tests" / "js" / "against_lunr.js"


def corpus(seed: int, pages: int = 150) -> list[dict]:
    """Documents as Material's search plugin writes them: a page, then its sections
    ("page/#anchor"), the home page at "" ; words drawn so that a few are on most
    pages (long postings) and most are rare, some accented, some HTML-escaped text."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz" + "áéíóúçñ"
    vocabulary = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(5000)})
    common = vocabulary[:12]

    def words(n: int) -> str:
        out = [rng.choice(common) if rng.random() < 0.25 else vocabulary[int(rng.paretovariate(0.6)) % len(vocabulary)]
               for _ in range(n)]
        return " ".join(out)
    docs = []
    for page in range(pages):
        location = "" if page == 0 else f"part-{page % 7}/page-{page}/"
        tags = rng.sample(["Police", "Judges", "NGOs", "Prosecutors"], rng.randint(0, 2))
        docs.append({"location": location, "title": words(4).title(), "text": words(rng.randint(20, 200)) + " &amp; co",
                     "tags": tags})
        for section in range(rng.randint(0, 6)):
            docs.append({"location": f"{location}#s-{section}", "title": words(3), "text": words(rng.randint(10, 300)),
                         "tags": tags})
    return docs


def docs_file(tmp_path: Path, docs: list[dict], lang: str) -> Path:
    """`docs` as kbtools/search hands them to Node."""
    data = {"config": {"lang": [lang], "pack": search.pack(lang), "separator": search.SEPARATOR, "pipeline": [],
                       "fields": {}, "kb": {"root": "search/"}},
            "docs": docs}
    raw = tmp_path / f"{lang}-docs.json"
    raw.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return raw


def build(tmp_path: Path, docs: list[dict], lang: str = "en") -> Path:
    """The split index of `docs` in tmp_path/search/, built as `kb site` builds one."""
    raw = docs_file(tmp_path, docs, lang)
    out = tmp_path / "search" / "search_index.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    search._node_build([(lang, str(raw), str(out))])
    return out.parent


def js_sorted(words) -> list[str]:
    """JavaScript's default sort (UTF-16 code units), as the builder and the worker compare."""
    return sorted(words, key=lambda w: w.encode("utf-16-be"))


def split_problems(search_dir: Path) -> list[str]:
    """What is wrong with the term shards of the split index in `search_dir`: [] when each
    term is in the shard the manifest's ranges name, in order, once, within the size."""
    manifest = json.loads((search_dir / "search_index.json").read_text(encoding="utf-8"))["config"]["kb"]
    firsts, problems, seen = manifest["terms"], [], []
    keys = [f.encode("utf-16-be") for f in firsts]
    for n in range(len(firsts)):
        path = search_dir / "terms" / f"{n}.json"
        if not path.is_file():
            problems.append(f"terms/{n}.json is missing")
            continue
        rows = json.loads(path.read_text(encoding="utf-8"))
        if not rows or rows[0][0] != firsts[n]:
            problems.append(f"terms/{n}.json starts at {rows[0][0] if rows else None!r}, the manifest says {firsts[n]!r}")
        for row in rows:
            home = bisect.bisect_right(keys, row[0].encode("utf-16-be")) - 1
            if home != n:
                problems.append(f"term {row[0]!r} is in terms/{n}.json, the manifest's ranges look in terms/{home}.json")
            seen.append(row[0])
        size = len(path.read_bytes())
        if size > TERM_SHARD_BYTES + 1000 and len(rows) > 1:
            problems.append(f"terms/{n}.json has {size} bytes and {len(rows)} terms (limit {TERM_SHARD_BYTES})")
    if seen != js_sorted(set(seen)):
        problems.append("terms are not sorted, or are in more than one shard")
    extra = sorted(p.name for p in (search_dir / "terms").glob("*.json") if int(p.stem) >= len(firsts))
    if extra:
        problems.append(f"shards the manifest does not name: {extra}")
    return problems


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("split")
    docs = corpus(seed=15)
    return docs, build(tmp, docs)


def test_the_index_is_split_and_every_term_is_where_the_manifest_says(built):
    docs, search_dir = built
    manifest = json.loads((search_dir / "search_index.json").read_text(encoding="utf-8"))
    assert manifest["docs"] == [] and manifest["config"]["kb"]["root"] == "search/"
    assert len(manifest["config"]["kb"]["terms"]) >= 10
    assert len(manifest["config"]["kb"]["docs"]) >= 2
    assert split_problems(search_dir) == []


def test_every_word_of_the_documents_is_findable_through_its_terms(built):
    docs, search_dir = built
    # The text as the builder reads it: HTML entities are not words.
    plain = [re.sub(r"&[a-z]+;|&#\d+;", " ", d[f]) for d in docs for f in ("title", "text")]
    words = sorted({w for text in plain for w in re.findall(r"[^\W_]+", text.lower())}
                   | {w.lower() for d in docs for w in d["tags"]})
    expected = {t for terms in search.terms("en", words) for t in terms}
    indexed = {row[0] for p in (search_dir / "terms").glob("*.json") for row in json.loads(p.read_text(encoding="utf-8"))}
    assert expected - indexed == set()
    assert indexed - expected == set()


def test_shards_stay_within_their_size_and_texts_are_one_file_per_page(built):
    docs, search_dir = built
    for path in (search_dir / "docs").glob("*.json"):
        shard = json.loads(path.read_text(encoding="utf-8"))
        largest = max(len(json.dumps(row, ensure_ascii=False)) for row in shard["pages"])
        assert len(path.read_text(encoding="utf-8")) <= DOC_SHARD_BYTES + largest + 100, path.name
    pages = [d for d in docs if "#" not in d["location"]]
    texts = sorted((search_dir / "text").glob("*.json"), key=lambda p: int(p.stem))
    assert [int(p.stem) for p in texts] == list(range(len(pages)))
    sizes = [len(json.loads(p.read_text(encoding="utf-8"))) for p in texts]
    assert sum(sizes) == len(docs)
    assert sizes[0] == 1 + sum(1 for d in docs if d["location"].startswith("#"))


def test_the_documents_come_back_whole_and_in_order(built):
    docs, search_dir = built
    assert search.documents(search_dir.parent, "") == docs


def queries_of(docs: list[dict], seed: int) -> list[str]:
    rng = random.Random(seed)
    words = sorted({w for d in docs for w in d["text"].split() if w.isalpha()})
    queries = rng.sample(words, 60)
    queries += [w[:n] for w in rng.sample(words, 40) for n in (1, 2, 3, 4)]  # prefixes while typing
    queries += [" ".join(rng.sample(words, 3)) for _ in range(30)]
    queries += ["police", "judges ngos", "co", "zzzz", "amp"]
    return queries


def split_equals_whole(tmp_path: Path, docs: list[dict], search_dir: Path, queries: list[str]) -> dict:
    raw = next(search_dir.parent.glob("*-docs.json"))
    result = subprocess.run(["node", str(HARNESS), "queries", str(raw), str(search_dir / "search_index.json")],
                            input="\n".join(queries) + "\n", capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_split_index_answers_exactly_as_the_whole_one(built, tmp_path):
    docs, search_dir = built
    queries = queries_of(docs, seed=1)
    answer = split_equals_whole(tmp_path, docs, search_dir, queries)
    assert answer["queries"] == len(queries)
    assert answer["differing"] == []


def test_the_split_index_answers_as_the_whole_one_in_a_language_with_a_stemmer(tmp_path):
    docs = corpus(seed=7, pages=60)
    search_dir = build(tmp_path, docs, lang="es")
    assert split_problems(search_dir) == []
    answer = split_equals_whole(tmp_path, docs, search_dir, queries_of(docs, seed=2))
    assert answer["differing"] == []


def weights_against_lunr(raw: Path, search_dir: Path) -> dict:
    result = subprocess.run(["node", str(HARNESS), "weights", str(raw), str(search_dir / "search_index.json")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_term_number_and_weight_is_lunrs(built):
    docs, search_dir = built
    answer = weights_against_lunr(next(search_dir.parent.glob("*-docs.json")), search_dir)
    assert answer["fields"] == ["title", "tags", "text"]
    assert answer["terms"] > 1000
    assert (answer["differingCount"], answer["missing"]) == (0, [])


def test_every_weight_is_lunrs_in_a_language_with_a_stemmer(tmp_path):
    docs = corpus(seed=8, pages=60)
    search_dir = build(tmp_path, docs, lang="pt")
    answer = weights_against_lunr(tmp_path / "pt-docs.json", search_dir)
    assert answer["terms"] > 500 and (answer["differingCount"], answer["missing"]) == (0, [])


def test_every_weight_of_the_real_site_is_lunrs(built_site, tmp_path):
    """The built site's indexes, every language, against lunr's Builder over the same documents."""
    from kbtools import site_config

    for lang in site_config.load(ROOT).languages:
        docs = search.documents(built_site, lang.prefix)
        raw = docs_file(tmp_path, docs, lang.code)
        answer = weights_against_lunr(raw, built_site / lang.prefix / "search")
        assert answer["terms"] > 3000, lang.code
        assert (answer["differingCount"], answer["differing"], answer["missing"]) == (0, [], []), lang.code


# --- broken on purpose: the checks above name what is wrong ---------------------------

def test_a_weight_that_is_not_lunrs_is_named(built, tmp_path):
    copy = broken_copy(built[1], tmp_path)
    shard = copy / "terms" / "2.json"
    rows = json.loads(shard.read_text(encoding="utf-8"))
    field = next(f for f in (2, 3, 4) if rows[0][f])
    rows[0][field][1] += 0.001
    shard.write_text(json.dumps(rows), encoding="utf-8")
    answer = weights_against_lunr(next(built[1].parent.glob("*-docs.json")), copy)
    assert answer["differingCount"] == 1 and answer["differing"][0]["term"] == rows[0][0]


def broken_copy(search_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "broken"
    shutil.copytree(search_dir.parent, copy)
    return copy / "search"


def test_a_term_in_the_wrong_shard_is_named(built, tmp_path):
    copy = broken_copy(built[1], tmp_path)
    first, second = (copy / "terms" / "0.json"), (copy / "terms" / "1.json")
    moved = json.loads(second.read_text(encoding="utf-8"))
    rows = json.loads(first.read_text(encoding="utf-8")) + moved[1:2]
    first.write_text(json.dumps(rows), encoding="utf-8")
    second.write_text(json.dumps(moved[:1] + moved[2:]), encoding="utf-8")
    problems = split_problems(copy)
    assert any(f"term {moved[1][0]!r} is in terms/0.json, the manifest's ranges look in terms/1.json" in p
               for p in problems), problems


def test_a_shifted_manifest_range_is_named(built, tmp_path):
    copy = broken_copy(built[1], tmp_path)
    index = copy / "search_index.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    second = json.loads((copy / "terms" / "1.json").read_text(encoding="utf-8"))
    data["config"]["kb"]["terms"][1] = second[1][0]  # the range starts one term too late
    index.write_text(json.dumps(data), encoding="utf-8")
    problems = split_problems(copy)
    assert any("terms/1.json starts at" in p for p in problems), problems
    # and the search itself then misses the term that fell out of every range
    answer = split_equals_whole(tmp_path, built[0], copy, [second[0][0]])
    assert [d["query"] for d in answer["differing"]] == [second[0][0]]


def test_a_missing_shard_fails_with_a_clear_message_not_a_traceback(built, tmp_path):
    copy = broken_copy(built[1], tmp_path)
    word = json.loads((copy / "terms" / "3.json").read_text(encoding="utf-8"))[0][0]
    (copy / "terms" / "3.json").unlink()
    with pytest.raises(search.SearchError, match=r"cannot read .*terms/3\.json \(ENOENT\); run `make site`"):
        search.query(copy.parent, "", word)
    (copy / "search_index.json").write_text("{", encoding="utf-8")
    with pytest.raises(search.SearchError, match="is not valid JSON"):
        search.query(copy.parent, "", word)
    with pytest.raises(search.SearchError, match="is not valid JSON"):
        search.documents(copy.parent, "")


def test_kb_search_on_an_old_unsplit_index_says_to_build_again(tmp_path):
    """A site built before the split (its index whole in search_index.json)."""
    shutil.copyfile(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    old = tmp_path / "site" / "search" / "search_index.json"
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps({"config": {"lang": ["en"], "pack": None, "index": {}}, "docs": [{"location": ""}]}),
                   encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kbtools", "search", "--root", str(tmp_path), "--lang", "en", "word"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("kb search: ") and "Traceback" not in result.stderr
    assert "search index format undefined, expected 1; run `make site` again" in result.stderr
