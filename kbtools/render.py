"""Markdown generated from data: glossary, country profiles, downloads list.

A page asks for generated content with a marker line, e.g. `<!-- kb:glossary -->`;
the MkDocs plugin replaces the marker with the Markdown made here, in the
language of the page's text.
"""
from __future__ import annotations

import posixpath
import unicodedata
from pathlib import Path

from kbtools import data

class RenderError(ValueError):
    pass


def _source_link(source: dict | str | None, sources: dict, what: str = "fact") -> str:
    """A cited source as a Markdown link (or plain title when it has no URL)."""
    if not source:
        raise RenderError(f"data/countries.yml: {what} has no source; every fact must cite one")
    if isinstance(source, str):
        if source not in sources:
            raise RenderError(f"data/countries.yml: source '{source}' is not defined under 'sources'")
        source = sources[source]
    title, url = source.get("title", ""), source.get("url")
    return f"[{title}]({url})" if url else title


def glossary(lang: str, languages, data_dir: Path | None = None) -> str:
    """The termbase as glossary entries in `lang` (languages: every site language, reference first)."""
    reference = languages[0]
    terms = data.load("termbase", data_dir)["terms"]
    names = {t["id"]: (t.get(lang) or t[reference])["term"] for t in terms}
    out = []
    for term in terms:
        entry = term.get(lang) if term.get(lang, {}).get("definition") else term[reference]
        out.append(f"## {entry['term'][:1].upper()}{entry['term'][1:]} {{ #{term['id']} }}\n")
        out.append(entry["definition"].strip() + "\n")
        others = [f"{code.upper()}: *{term[code]['term']}*" for code in languages
                  if code != lang and term.get(code, {}).get("term")]
        if others:
            out.append(f"{data.ui('glossary_other_languages', lang, data_dir)}: " + " · ".join(others) + "\n")
        if term.get("source"):
            out.append(f"{data.ui('glossary_source', lang, data_dir)}: {term['source']}\n")
        if term.get("related"):
            links = ", ".join(f"[{names[r]}](#{r})" for r in term["related"] if r in names)
            out.append(f"{data.ui('glossary_related', lang, data_dir)}: {links}\n")
    return "\n".join(out)


def country_facts(country_id: str, lang: str, data_dir: Path | None = None) -> str:
    db = data.load("countries", data_dir)
    sources = db.get("sources", {})
    instruments = db.get("instruments", {})
    country = next((c for c in db["countries"] if c["id"] == country_id), None)
    if country is None:
        raise RenderError(f"data/countries.yml: no country with id '{country_id}'")
    t = lambda key: data.ui(key, lang, data_dir)  # noqa: E731
    sep = data.ui("label_separator", lang, data_dir)  # French sets a space before ':'
    out = [f"## {t('country_laws')} {{ #laws }}\n"]
    laws = country.get("laws") or []
    for law in laws:
        parts = [f"**{law['title']}**"]
        if law.get("description"):
            parts.append(f"*{law['description']}*")
        details = []
        if law.get("number"):
            details.append(f"{t('country_number')}{sep}{law['number']}")
        if law.get("year"):
            details.append(f"{t('country_year')}{sep}{law['year']}")
        line = " — ".join(parts) + (f" ({'; '.join(details)})" if details else "")
        cited = _source_link(law.get("source"), sources, f"law '{law.get('title')}'")
        out.append(f"- {line}. {t('country_source')}{sep}{cited}")
    if not laws:
        out.append(t("country_none"))
    out.append(f"\n## {t('country_instruments')} {{ #instruments }}\n")
    items = country.get("instruments") or []
    for item in items:
        name = instruments.get(item["id"], {})
        label = name.get(lang) or name.get(data.reference(data_dir)) or item["id"]
        cited = _source_link(item.get("source"), sources, f"instrument '{item.get('id')}'")
        out.append(f"- {label}{sep}{t('country_party')}. {t('country_source')}{sep}{cited}")
    if not items:
        out.append(t("country_none"))
    out.append(f"\n## {t('country_bodies')} {{ #bodies }}\n")
    bodies = country.get("bodies") or []
    for body in bodies:
        cited = _source_link(body.get("source"), sources, f"body '{body.get('name')}'")
        out.append(f"- {body['name']}. {t('country_source')}{sep}{cited}")
    if not bodies:
        out.append(t("country_none"))
    return "\n".join(out) + "\n"


def country_list(lang: str, data_dir: Path | None = None) -> str:
    db = data.load("countries", data_dir)
    rows = []
    for c in db["countries"]:
        name = c["name"].get(lang) or c["name"][data.reference(data_dir)]
        rows.append((name, f"- [{name}]({c['id']}.md)"))
    return "\n".join(r for _, r in sorted(rows, key=lambda row: _sort_key(row[0]))) + "\n"


def _sort_key(text: str) -> str:
    """Alphabetical order that ignores accents (Perú sorts beside Peru)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def downloads(lang: str, data_dir: Path | None = None) -> str:
    """An empty slot that `kb downloads` fills with the language's files (kbtools/downloads.py):
    the site build itself never reads what later pipeline steps made."""
    from kbtools import downloads as files

    return files.slot(lang, data_dir)


def translation_status(lang: str, report, names: dict | None = None, base: str = "",
                       data_dir: Path | None = None) -> str:
    """How far each language is translated: one table of languages, then one per language by guide.

    `report` is a kbtools.translations.Report; `base` is the folder of the page
    the table is on (below guides/), so that the links to pages resolve.
    """
    names = names or {}
    t = lambda key: data.ui(key, lang, data_dir)  # noqa: E731
    link = lambda stem, title: f"[{title}]({posixpath.relpath(stem + '.md', base or '.')})"  # noqa: E731
    title = lambda stem: report.titles.get(stem, {}).get(lang) or report.titles.get(stem, {}).get(report.reference, stem)  # noqa: E731
    columns = f"{t('status_translated')} | {t('status_outdated')} | {t('status_missing')} | %"
    row = lambda c: f"{c['translated']} | {c['outdated']} | {c['missing']} | {c['percent']} %"  # noqa: E731
    out = [f"| {t('status_language')} | {columns} |", "|---|---:|---:|---:|---:|"]
    for code in report.languages:
        label = names.get(code, code) + (f" ({t('status_reference')})" if code == report.reference else "")
        out.append(f"| {label} | {row(report.counts(code))} |")
    sections = report.sections()
    for code in report.languages:
        if code == report.reference:
            continue
        out.append(f"\n## {names.get(code, code)} {{ #lang-{code} }}\n")
        out.append(f"| {t('status_guide')} | {columns} |")
        out.append("|---|---:|---:|---:|---:|")
        for section, stems in sorted(sections.items(), key=lambda item: (not item[0], item[0])):  # top pages last
            index = f"{section}/index"
            label = link(index, title(index)) if section and index in report.pages else (section or t("status_other_pages"))
            out.append(f"| {label} | {row(report.counts(code, stems))} |")
        outdated = [stem for stem in sorted(report.pages) if report.pages[stem].get(code) == "outdated"]
        if outdated:
            out.append(f"\n{t('status_outdated_pages')}:\n")
            out.extend(f"- {link(stem, title(stem))}" for stem in outdated)
    return "\n".join(out) + "\n"
