"""Interface strings in the PO exchange: data/ui.yml, the nav names and the site name of mkdocs.yml.

    msgctxt "ui:quick_exit_count"        data/ui.yml, key quick_exit_count
    msgctxt "nav:Legal cooperation"      mkdocs.yml, the language's nav_translations
    msgctxt "site_name"                  mkdocs.yml, the language's site_name

Placeholders such as {count} are the strings' own: entries that have them are
flagged python-brace-format (CAT tools then check them), and `kb import`
refuses a translation whose placeholders differ. Leading and trailing spaces
(fr `label_separator: " : "`) are kept and said in a comment. Both files are
edited as text: only the values that changed are rewritten, so comments and
layout stay.
"""
from __future__ import annotations

import hashlib
import json
import re

import yaml

from kbtools import data
from kbtools.exchange import po
from kbtools.mkdocs_edit import EditError, _compose, _get, _i18n_languages, _keys, quote

FIELD = re.compile(r"\{[A-Za-z_]\w*\}")


def _strings(project, lang: str) -> list[tuple[str, str, str, str]]:
    """[(msgctxt, English, translation, note)] of the interface strings."""
    root = project.root
    ui = data.load("ui", root / "data")
    out = []
    for key, values in ui.items():
        if isinstance(values, dict) and isinstance(values.get(project.reference), str):
            out.append((f"ui:{key}", values[project.reference], values.get(lang) or "", f"data/ui.yml: {key}"))
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    tree = _compose(text)
    nav_names = sorted(_keys(_get(tree, "nav")))
    language = _language_node(tree, lang)
    translated = {}
    nav = _get(language, "nav_translations")
    if nav is not None and isinstance(nav, yaml.MappingNode):
        translated = {k.value: v.value for k, v in nav.value}
    for name in nav_names:
        out.append((f"nav:{name}", name, translated.get(name, ""), "mkdocs.yml: a section name of the nav"))
    site_name = _get(tree, "site_name")
    own = _get(language, "site_name")
    if site_name is not None:
        out.append(("site_name", site_name.value, own.value if own is not None else "", "mkdocs.yml: site_name"))
    return out


def _language_node(tree, lang: str):
    for node in _i18n_languages(tree):
        locale = _get(node, "locale")
        if locale is not None and locale.value == lang:
            return node
    raise po.ExchangeError(f"mkdocs.yml has no i18n language {lang!r}")


def _digest(strings) -> str:
    english = json.dumps([(context, source) for context, source, _, _ in strings], ensure_ascii=False)
    return hashlib.sha256(english.encode("utf-8")).hexdigest()[:12]


def export(project, lang: str):
    try:
        strings = _strings(project, lang)
    except (data.DataError, EditError) as exc:
        raise po.ExchangeError(str(exc)) from None
    store = po.new_store(lang, "ui", project.config.site_name, f"ui={_digest(strings)}")
    for context, source, target, note in strings:
        notes = [note]
        if source != source.strip():
            notes.append("keep the leading and trailing spaces")
        fields = FIELD.findall(source)
        if fields:
            notes.append(f"keep: {' '.join(fields)} (filled in by the site)")
        po.add_entry(store, context, source, target, notes=notes, flags=["python-brace-format"] if fields else [])
    return store


def plan(project, lang: str, header: dict, units: list, name: str):
    from kbtools.exchange import Plan

    try:
        strings = _strings(project, lang)
    except (data.DataError, EditError) as exc:
        raise po.ExchangeError(str(exc)) from None
    if header.get(po.SOURCES) != f"ui={_digest(strings)}":
        raise po.ExchangeError(f"{name}: the English interface strings changed since the export; export again "
                               "(kb export --ui) and let the CAT tool's memory carry the translations over")
    found = {(u.getcontext(), u.source): u for u in units}
    wanted = {(context, source) for context, source, _, _ in strings}
    if set(found) != wanted:
        extra = sorted(set(found) - wanted) or sorted(wanted - set(found))
        raise po.ExchangeError(f"{name}: the string {extra[0][0]!r} is not as exported; the CAT tool must keep "
                               "every source text")
    ui_changes, nav_changes, site_name = {}, {}, None
    result = Plan()
    for context, source, current, _ in strings:
        target = found[(context, source)].target or ""
        if not target:
            continue
        if sorted(FIELD.findall(target)) != sorted(FIELD.findall(source)):
            raise po.ExchangeError(f"{name}: {context!r}: the placeholders {' '.join(FIELD.findall(source)) or '(none)'} "
                                   f"must stay as they are; found {' '.join(FIELD.findall(target)) or 'none'}")
        if "\n" in target:
            raise po.ExchangeError(f"{name}: {context!r}: an interface string is one line")
        if target == current:
            continue
        if context.startswith("ui:"):
            ui_changes[context[3:]] = target
        elif context.startswith("nav:"):
            nav_changes[context[4:]] = target
        else:
            site_name = target
    root = project.root
    if ui_changes:
        path = root / "data" / "ui.yml"
        result.writes.append((path, _edit_ui(path.read_text(encoding="utf-8"), lang, ui_changes)))
        result.messages.append(f"data/ui.yml: {len(ui_changes)} string(s) of {lang} written")
    if nav_changes or site_name is not None:
        path = root / "mkdocs.yml"
        result.writes.append((path, _edit_mkdocs(path.read_text(encoding="utf-8"), lang, nav_changes, site_name)))
        result.messages.append(f"mkdocs.yml: {len(nav_changes) + (site_name is not None)} name(s) of {lang} written")
    return result


def _edit_ui(text: str, lang: str, changes: dict) -> str:
    lines = text.split("\n")
    for key, value in changes.items():
        start = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
        if start is None:
            raise po.ExchangeError(f"data/ui.yml has no key {key!r} any more")
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        new = f"  {lang}: {json.dumps(value, ensure_ascii=False)}"
        at = next((i for i in range(start + 1, end) if re.match(rf"\s+{re.escape(lang)}:", lines[i])), None)
        if at is None:
            lines.insert(end, new)
        else:
            stop = at + 1
            while stop < end and lines[stop].startswith(" " * (len(lines[at]) - len(lines[at].lstrip()) + 1)):
                stop += 1
            lines[at:stop] = [new]
    out = "\n".join(lines)
    if yaml.safe_load(out).get(next(iter(changes)), {}).get(lang) != next(iter(changes.values())):
        raise po.ExchangeError("data/ui.yml could not be edited as expected; edit it by hand")
    return out


def _edit_mkdocs(text: str, lang: str, nav: dict, site_name: str | None) -> str:
    tree = _compose(text)
    language = _language_node(tree, lang)
    lines = text.split("\n")
    edits = []  # (line, start col, end col, new text)
    insert = []
    node = _get(language, "nav_translations")
    existing = {k.value: (k, v) for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}
    for name, value in nav.items():
        if name in existing:
            v = existing[name][1]
            edits.append((v.start_mark.line, v.start_mark.column, v.end_mark.column, quote(value)))
        elif isinstance(node, yaml.MappingNode) and node.value:
            column = node.value[0][0].start_mark.column
            insert.append(f"{' ' * column}{quote(name)}: {quote(value)}")
        else:
            raise po.ExchangeError(f"mkdocs.yml: language {lang} has no nav_translations block; add one by hand")
    if site_name is not None:
        own = _get(language, "site_name")
        if own is None:
            raise po.ExchangeError(f"mkdocs.yml: language {lang} has no site_name; add one by hand")
        edits.append((own.start_mark.line, own.start_mark.column, own.end_mark.column, quote(site_name)))
    for line, start, end, new in sorted(edits, reverse=True):
        lines[line] = lines[line][:start] + new + lines[line][end:]
    if insert:
        last = max(v.end_mark.line for _, v in node.value)
        lines[last + 1:last + 1] = insert
    return "\n".join(lines)
