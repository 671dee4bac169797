"""Markdown generated from data: glossary, country profiles, downloads list.

A page asks for generated content with a marker line, e.g. `<!-- kb:glossary -->`;
the MkDocs plugin replaces the marker with the Markdown made here, in the
language of the page's text.
"""
from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from pathlib import Path

from kbtools import data

class RenderError(ValueError):
    pass


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def plain_text(text: str) -> str:
    """Text (a page's front-matter title) as Markdown that renders as that text:
    no markup, no emphasis, no link or table-cell syntax."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


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
    # Every instrument the data knows, so that a missing entry reads "not recorded", never "not a party".
    held = {item["id"]: item for item in country.get("instruments") or []}
    for instrument_id, name in instruments.items():
        label = name.get(lang) or name.get(data.reference(data_dir)) or instrument_id
        item = held.get(instrument_id)
        if item is None:
            out.append(f"- {label}{sep}*{t('country_not_recorded')}*")
            continue
        cited = _source_link(item.get("source"), sources, f"instrument '{instrument_id}'")
        out.append(f"- {label}{sep}{t('country_party')}. {t('country_source')}{sep}{cited}")
    unknown = sorted(set(held) - set(instruments))
    if unknown:
        raise RenderError(f"data/countries.yml: {country_id}: unknown instrument id(s) {', '.join(unknown)}")
    out.append(f"\n{t('country_not_recorded_note')}")
    out.append(f"\n## {t('country_bodies')} {{ #bodies }}\n")
    bodies = country.get("bodies") or []
    for body in bodies:
        cited = _source_link(body.get("source"), sources, f"body '{body.get('name')}'")
        out.append(f"- {body['name']}. {t('country_source')}{sep}{cited}")
    if not bodies:
        out.append(t("country_none"))
    out.append(f"\n## {t('country_national_law')} {{ #national-law }}\n")
    law = national_law_data(data_dir)
    sources = {**sources, **(law.get("sources") or {})}
    cited: list[str] = []  # source keys in order of first use, numbered on the page
    for element, spec in law["elements"].items():
        entry = (law.get("countries") or {}).get(country_id, {}).get(element)
        text = _law_entry(entry, spec, lang, law, sources, data_dir, cite=False)
        if entry:
            if entry["source"] not in cited:
                cited.append(entry["source"])
            text += f" [{cited.index(entry['source']) + 1}]"
        out.append(f"- **{_label(spec, lang, data_dir)}**{sep}{text}")
    out.append(f"\n{t('country_not_recorded_note')}")
    if cited:
        out.append(f"\n{t('country_sources')}{sep}\n")
        out += [f"{n}. {_source_link(key, sources, 'element')}" for n, key in enumerate(cited, 1)]
    return "\n".join(out) + "\n"


def _label(entry: dict, lang: str, data_dir) -> str:
    labels = entry.get("label") if "label" in entry else entry
    return labels.get(lang) or labels[data.reference(data_dir)]


def national_law_data(data_dir: Path | None = None) -> dict:
    """data/national-law.yml, checked: every element known, every value listed, every entry sourced."""
    law = data.load("national-law", data_dir)
    elements = law.get("elements") or {}
    known = {"offence", "acts", "purposes", "boolean", "years", "provision"}
    for name, spec in elements.items():
        if not isinstance(spec, dict) or spec.get("kind") not in known or not isinstance(spec.get("label"), dict):
            raise RenderError(f"data/national-law.yml: element '{name}' needs a kind (one of "
                              f"{', '.join(sorted(known))}) and a label per language")
    countries = law.get("countries") or {}
    for country, entries in countries.items():
        for element, entry in (entries or {}).items():
            where = f"data/national-law.yml: {country}: {element}"
            if element not in elements:
                raise RenderError(f"{where}: unknown element; elements are {', '.join(elements)}")
            if not isinstance(entry, dict) or not entry.get("source"):
                raise RenderError(f"{where}: has no source; every element must cite one")
            kind = elements[element]["kind"]
            if kind in ("acts", "purposes"):
                allowed = (law.get("values") or {}).get(kind) or {}
                unknown = [v for v in entry.get("values") or [] if v not in allowed]
                if unknown or not entry.get("values"):
                    raise RenderError(f"{where}: values must be a non-empty list from values.{kind}; "
                                      f"not {', '.join(map(str, unknown)) or 'empty'}")
            if kind == "boolean" and not isinstance(entry.get("value"), bool):
                raise RenderError(f"{where}: value must be true or false")
            if kind == "years" and not all(isinstance(entry.get(k), int) for k in ("min_years", "max_years")):
                raise RenderError(f"{where}: min_years and max_years must be whole numbers")
    return law


def _law_entry(entry, spec: dict, lang: str, law: dict, sources: dict, data_dir, cite: bool = True) -> str:
    """One element of one country's law as text, or "not recorded"."""
    t = lambda key, **fields: data.ui(key, lang, data_dir, **fields)  # noqa: E731
    if not entry:
        return f"*{t('country_not_recorded')}*"
    kind, parts = spec["kind"], []
    if kind in ("acts", "purposes"):
        values = law["values"][kind]
        parts.append(", ".join(_label(values[v], lang, data_dir) for v in entry["values"]))
    elif kind == "boolean":
        parts.append(t("law_yes") if entry["value"] else t("law_no"))
    elif kind == "years":
        parts.append(t("law_years", min=entry["min_years"], max=entry["max_years"]))
    if entry.get("provision"):
        parts.append(f"{entry['provision']}")
    text = " — ".join(parts)
    if cite:
        text += f". {t('country_source')}{data.ui('label_separator', lang, data_dir)}" + \
            _source_link(entry.get("source"), sources, "element")
    return text


def law_comparison(lang: str, data_dir: Path | None = None) -> str:
    """One section per element of national law, each a table of the twelve countries."""
    t = lambda key, **fields: data.ui(key, lang, data_dir, **fields)  # noqa: E731
    db = data.load("countries", data_dir)
    law = national_law_data(data_dir)
    sources = {**(db.get("sources") or {}), **(law.get("sources") or {})}
    countries = sorted(((c["name"].get(lang) or c["name"][data.reference(data_dir)], c["id"])
                        for c in db["countries"]), key=lambda item: _sort_key(item[0]))
    out = [t("country_not_recorded_note"), ""]
    for element, spec in law["elements"].items():
        rows = [(name, cid, (law.get("countries") or {}).get(cid, {}).get(element)) for name, cid in countries]
        out += [f"## {_label(spec, lang, data_dir)} {{ #{element} }}", "",
                t("law_recorded", count=sum(1 for *_, e in rows if e), total=len(rows)), "",
                f"| {t('law_country')} | {t('law_what')} | {t('country_source')} |", "|---|---|---|"]
        for name, cid, entry in rows:
            what = _law_entry(entry, spec, lang, law, sources, data_dir, cite=False).replace("|", "\\|")
            cited = _source_link(entry.get("source"), sources, "element") if entry else ""
            out.append(f"| [{name}]({cid}.md#national-law) | {what} | {cited} |")
        out.append("")
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
    link = lambda stem, title: f"[{plain_text(title)}]({posixpath.relpath(stem + '.md', base or '.')})"  # noqa: E731
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
