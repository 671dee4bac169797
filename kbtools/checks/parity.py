"""Structure parity: an up-to-date translation has the structure of its English page.

Only translations whose source_hash is current are compared: an outdated one
is expected to differ, and translation-outdated already says so. Links that
do not resolve are left to link-broken and anchor-missing (one defect, one finding).
"""
from __future__ import annotations

import difflib

from kbtools import translations
from kbtools.checks.links import resolved
from kbtools.checks.registry import check


def _pair(doc, project):
    """The English page of an up-to-date translation, else None."""
    if doc.stem is None or doc.lang == project.config.reference:
        return None
    if project.state(doc) != translations.TRANSLATED:
        return None
    ref = project.full(project.reference(doc))  # in the same worker: pages are shared out by page
    return ref if ref is not None and ref.readable else None


def _section_line(doc, ref, line_in_ref: int) -> int:
    """The line in `doc` of the heading that, in `ref`, encloses `line_in_ref` (same id)."""
    enclosing = None
    for heading in ref.headings:
        if heading.line > line_in_ref:
            break
        enclosing = heading.id
    for heading in doc.headings:
        if heading.id == enclosing:
            return heading.line
    return 1


@check("parity-ids", scope="project")
def parity_ids(doc, project):
    """Explicit heading ids differ from the English page's (links to them break in this language).

    Bad:  ## Pruebas { #pruebas }        (English: ## Evidence { #evidence })
    Good: ## Pruebas { #evidence }
    """
    ref = _pair(doc, project)
    if ref is None:
        return
    ours = [h for h in doc.headings if h.explicit_id]
    theirs = [h for h in ref.headings if h.explicit_id]
    # Align the two sequences, so that one added or lost heading is one finding, not a cascade.
    matcher = difflib.SequenceMatcher(None, [h.explicit_id for h in ours], [h.explicit_id for h in theirs],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            mine = ours[i1 + k] if i1 + k < i2 else None
            english = theirs[j1 + k] if j1 + k < j2 else None
            if mine and english:
                yield mine.line, 1, (f"heading id #{mine.explicit_id} is #{english.explicit_id} in {ref.path} "
                                     f"(line {english.line}); ids stay the same in every language: "
                                     f"write {{ #{english.explicit_id} }}")
            elif mine:
                yield mine.line, 1, (f"heading id #{mine.explicit_id} is not in {ref.path}; translate the English "
                                     "headings, with their ids, and add no others")
            else:  # reported after the last heading of ours that comes before it
                before = min(i1 + k, i2) - 1
                line = ours[before].line if before >= 0 else (doc.headings[0].line if doc.headings else 1)
                yield line, 1, (f"{ref.path} has a heading {{ #{english.explicit_id} }} (line {english.line}) "
                                "that is missing after this line; translate it with the same id")


def _counts(doc, ref, ours, theirs, what: str, how: str):
    if len(ours) == len(theirs) and [t for _, t in ours] == [t for _, t in theirs]:
        return
    index = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a[1] != b[1]), min(len(ours), len(theirs)))
    line = ours[index][0] if index < len(ours) else (ours[-1][0] if ours else 1)
    english = f"line {theirs[index][0]}" if index < len(theirs) else "its end"
    yield line, 1, (f"{len(ours)} {what} here, {len(theirs)} in {ref.path}; they differ from here on "
                    f"(English: {english}); {how}")


@check("parity-admonitions", scope="project")
def parity_admonitions(doc, project):
    """Not the same boxes (!!! note, warning, tip, example...) in the same order as the English page.

    Bad:  English has !!! abstract, !!! warning; the translation only !!! abstract
    Good: both have !!! abstract, then !!! warning
    """
    ref = _pair(doc, project)
    if ref is not None:
        yield from _counts(doc, ref, doc.admonitions, ref.admonitions, "admonitions",
                           "keep the same boxes, of the same type, in the same order")


@check("parity-checklists", scope="project")
def parity_checklists(doc, project):
    """Not as many checklist items (- [ ]) as the English page.

    Bad:  English has 6 "- [ ]" items, the translation 5
    Good: 6 and 6
    """
    ref = _pair(doc, project)
    if ref is not None:
        yield from _counts(doc, ref, [(n, "") for n in doc.checklists], [(n, "") for n in ref.checklists],
                           "checklist items", "translate every item of the checklist")


@check("parity-code-blocks", scope="project")
def parity_code_blocks(doc, project):
    """Not as many fenced code blocks as the English page.

    Bad:  English has 2 ``` blocks, the translation 1
    Good: 2 and 2
    """
    ref = _pair(doc, project)
    if ref is not None:
        yield from _counts(doc, ref, [(n, "") for n in doc.code_blocks], [(n, "") for n in ref.code_blocks],
                           "code blocks", "keep every code block of the English page")


def _targets(doc, project) -> dict:
    """{(page, anchor): line} of the links to pages of the site that resolve."""
    out = {}
    for link, target in resolved(doc, project):
        if link.kind == "marker" or link.image or target.kind != "page" or target.error:
            continue
        if target.anchor and target.doc is not None and target.anchor not in target.doc.ids:
            continue  # broken anchor: anchor-missing reports it
        out.setdefault((target.stem, target.anchor), link.line)
    return out


@check("parity-links", scope="project")
def parity_links(doc, project):
    """Links to other pages differ from the English page's (a link was lost or added in translation).

    Bad:  English links to ../glossary.md#victim, the translation does not
    Good: both link to ../glossary.md#victim
    """
    ref = _pair(doc, project)
    if ref is None:
        return
    ours, theirs = _targets(doc, project), _targets(ref, project)
    for (stem, anchor), line in sorted(ours.items(), key=lambda item: item[1]):
        if (stem, anchor) not in theirs:
            yield line, 1, (f"links to {stem}.md{'#' + anchor if anchor else ''}, which {ref.path} does not; "
                            "link to the same pages and anchors as the English page")
    for (stem, anchor), line in sorted(theirs.items(), key=lambda item: item[1]):
        if (stem, anchor) not in ours:
            yield _section_line(doc, ref, line), 1, (
                f"{ref.path} links to {stem}.md{'#' + anchor if anchor else ''} (line {line}) and this page does "
                "not; add the same link here")
