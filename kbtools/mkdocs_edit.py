"""Add nav and nav_translations entries to mkdocs.yml as text.

mkdocs.yml carries comments, `!ENV` tags and a hand-made order; loading and
dumping it would lose all three. Here the file is only *composed* (PyYAML's
node tree, which knows where every node starts and ends and needs no
constructor for the tags), the lines to add are placed after the last line
of the right node with the indentation of its siblings, and the rest of the
file is kept byte for byte. kbtools/scaffold.py then reads the result back
with kbtools/site_config.py before writing it.
"""
from __future__ import annotations

import json
import re

import yaml

from kbtools.site_config import GUIDES_SECTION

TRANSLATE_COMMENT = "# translate this name (kb new-guide)"


class EditError(ValueError):
    """mkdocs.yml is not laid out as the editor expects (one line, says what to do)."""


def quote(value: str) -> str:
    """`value` as a YAML scalar that reads back as exactly that string, as key or as value:
    plain when it is safe (most titles), else double-quoted (colons, quotes, '#', yes/no...)."""
    if re.fullmatch(r"[^\s\"'#:{}\[\],&*!|>%@`?-][^\n]*", value) and value == value.strip():
        try:
            if (yaml.safe_load(f"key: {value}") == {"key": value}
                    and yaml.safe_load(f"{value}: x") == {value: "x"}
                    and yaml.safe_load(f"- {value}") == [value]):
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _compose(text: str) -> yaml.MappingNode:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise EditError(f"mkdocs.yml is not valid YAML ({str(exc).splitlines()[0]}); fix it first") from None
    if not isinstance(root, yaml.MappingNode):
        raise EditError("mkdocs.yml does not hold a mapping of settings; fix it first")
    return root


def _get(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _last_line(node) -> int:
    """0-based line of the last character of a node's content."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
    children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
    return max([_last_line(child) for child in children] or [node.start_mark.line])


def _block(node, what: str):
    if node is None or not node.value or node.flow_style:
        raise EditError(f"{what} in mkdocs.yml is empty or written in flow style ([...] or {{...}}); "
                        "write it as an indented block first")
    return node


def _item_indent(lines: list[str], item) -> str:
    """The text before the '- ' of a block sequence item."""
    line = lines[item.start_mark.line]
    dash = line.rfind("-", 0, item.start_mark.column)
    if dash < 0 or line[:dash].strip():
        raise EditError(f"mkdocs.yml line {item.start_mark.line + 1} is not a '- ' list item as expected; "
                        "add the entry by hand")
    return line[:dash]


def _keys(node) -> set[str]:
    """Every mapping key anywhere below node (the section names of a nav)."""
    out = set()
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            out.add(k.value if isinstance(k, yaml.ScalarNode) else "")
            out |= _keys(v)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            out |= _keys(child)
    return out


def _nav_paths(node) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        return [node.value]
    if isinstance(node, yaml.MappingNode):
        return [p for _, v in node.value for p in _nav_paths(v)]
    return [p for child in node.value for p in _nav_paths(child)]


def _insert(text: str, insertions: list[tuple[int, list[str]]]) -> str:
    lines = text.split("\n")
    for after, new in sorted(insertions, key=lambda item: item[0], reverse=True):
        lines[after + 1:after + 1] = new
    return "\n".join(lines)


def _guides(root):
    nav = _block(_get(root, "nav"), "nav")
    if not isinstance(nav, yaml.SequenceNode):
        raise EditError("nav in mkdocs.yml is not a list; fix it first")
    section = next((item for item in nav.value if _get(item, GUIDES_SECTION) is not None), None)
    if section is None:
        raise EditError(f"the nav of mkdocs.yml has no '{GUIDES_SECTION}' section to add a guide to; add one")
    guides = _block(_get(section, GUIDES_SECTION), f"the nav's '{GUIDES_SECTION}' section")
    if not isinstance(guides, yaml.SequenceNode):
        raise EditError(f"the nav's '{GUIDES_SECTION}' section is not a list; fix it first")
    return nav, guides


def _i18n_languages(root):
    plugins = _get(root, "plugins")
    for item in getattr(plugins, "value", []) or []:
        i18n = _get(item, "i18n")
        if i18n is not None:
            languages = _get(i18n, "languages")
            if isinstance(languages, yaml.SequenceNode):
                return languages.value
    raise EditError("mkdocs.yml has no i18n plugin with a list of languages; fix it first")


def section_names(text: str) -> set[str]:
    """Every section name of the nav and every key of the languages' nav_translations."""
    root = _compose(text)
    names = _keys(_get(root, "nav"))
    for lang in _i18n_languages(root):
        names |= _keys(_get(lang, "nav_translations"))
    return names


def add_guide(text: str, section: str, pages: list[str]) -> str:
    """mkdocs.yml with a new guide (a nav section holding `pages`) at the end of the Guides
    section, and `section: section` added to each translated language's nav_translations."""
    root = _compose(text)
    lines = text.split("\n")
    nav, guides = _guides(root)
    if section in section_names(text):
        raise EditError(f"mkdocs.yml already has a nav section or a nav_translations entry '{section}'; "
                        "give the guide another title, or a shorter --nav-title")
    for path in pages:
        if path in _nav_paths(nav):
            raise EditError(f"the nav of mkdocs.yml already lists {path}; remove that entry or pick another slug")
    indent = _item_indent(lines, guides.value[0])
    first_pages = next(iter(v for _, v in guides.value[0].value), None) if isinstance(
        guides.value[0], yaml.MappingNode) else None
    if isinstance(first_pages, yaml.SequenceNode) and first_pages.value and not first_pages.flow_style:
        child = _item_indent(lines, first_pages.value[0])
    else:
        child = indent + "    "
    insertions = [(_last_line(guides), [f"{indent}- {quote(section)}:"] + [f"{child}- {p}" for p in pages])]
    for lang in _i18n_languages(root):
        default = _get(lang, "default")
        if default is not None and default.value.lower() in ("true", "yes", "on"):
            continue
        entry = f"{quote(section)}: {quote(section)}  {TRANSLATE_COMMENT}"
        translations = _get(lang, "nav_translations")
        locale = getattr(_get(lang, "locale"), "value", "?")
        if translations is None:
            keys = " " * lang.value[0][0].start_mark.column
            insertions.append((_last_line(lang), [f"{keys}nav_translations:", f"{keys}  {entry}"]))
        else:
            _block(translations, f"nav_translations of '{locale}'")
            keys = " " * translations.value[0][0].start_mark.column
            insertions.append((_last_line(translations), [keys + entry]))
    return _insert(text, insertions)


def add_page(text: str, slug: str, path: str) -> str:
    """mkdocs.yml with `path` added after the last page of the guide in folder `slug`."""
    root = _compose(text)
    lines = text.split("\n")
    nav, guides = _guides(root)
    if path in _nav_paths(nav):
        raise EditError(f"the nav of mkdocs.yml already lists {path}")
    for guide in guides.value:
        if not isinstance(guide, yaml.MappingNode):
            continue
        pages = guide.value[0][1]
        if isinstance(pages, yaml.SequenceNode) and any(p.startswith(f"{slug}/") for p in _nav_paths(pages)):
            _block(pages, f"the nav of guide '{slug}'")
            return _insert(text, [(_last_line(pages), [f"{_item_indent(lines, pages.value[0])}- {path}"])])
    raise EditError(f"no guide of the nav's '{GUIDES_SECTION}' section lists pages of {slug}/; "
                    f"create the guide with `kb new-guide {slug}` or add it to the nav")
