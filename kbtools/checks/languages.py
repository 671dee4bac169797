"""Translations: named for their language, up to date with the English page, not orphaned.
The state itself is decided by kbtools/translations.py."""
from __future__ import annotations

from kbtools import translations
from kbtools.checks.registry import check


@check("file-language")
def file_language(doc, config):
    """A page in guides/ without a known language suffix (static-i18n cannot place it).

    Bad:  guides/investigation/sentencing.md, guides/investigation/sentencing.de.md
    Good: guides/investigation/sentencing.en.md
    """
    if doc.stem is None:
        known = ", ".join(f".{lang}.md" for lang in config.languages)
        yield 1, 1, f"page name has no language suffix among {known}; rename it, e.g. to name.{config.reference}.md"


def _is_translation(doc, project) -> bool:
    return doc.stem is not None and doc.lang != project.config.reference


@check("translation-outdated", scope="project", severity="warning")
def translation_outdated(doc, project):
    """A translation whose English page changed since it was translated (its source_hash is stale).

    Bad:  source_hash: 0123456789ab   (the English page now hashes to aaa51f2869cd)
    Good: the translation updated to the English text, then source_hash: aaa51f2869cd
    """
    if not _is_translation(doc, project) or "source_hash" not in doc.meta:
        return  # no source_hash at all: frontmatter-missing-key reports it
    if project.state(doc) == translations.OUTDATED:
        ref = project.reference(doc)
        yield doc.meta_lines.get("source_hash", 1), 1, (
            f"translation is out of date: it records source_hash {doc.meta['source_hash']} but {ref.path} is now "
            f"{ref.hash}; bring the translation in line with the English page, then set source_hash: {ref.hash}")


@check("translation-orphan", scope="project")
def translation_orphan(doc, project):
    """A translation whose English page does not exist (renamed or deleted).

    Bad:  guides/investigation/old-name.es.md with no guides/investigation/old-name.en.md
    Good: the translation renamed with its English page, or deleted with it
    """
    if _is_translation(doc, project) and project.state(doc) == translations.ORPHAN:
        yield 1, 1, (f"no English page {project.site_prefix}{doc.stem}.{project.config.reference}.md for this "
                     "translation; rename it after its English page, or delete it")


@check("translation-missing", scope="project", severity="off")
def translation_missing(doc, project):
    """An English page without a translation (readers get the English page): off unless a language must be complete.

    Bad:  guides/investigation/trial.en.md without trial.es.md   (with required_languages: [es])
    Good: guides/investigation/trial.es.md exists
    """
    config = project.config
    if doc.stem is None or doc.lang != config.reference:
        return
    wanted = config.required_languages or [lang for lang in config.languages if lang != config.reference]
    have = project.pages.get(doc.stem) or {}
    for lang in wanted:
        if lang not in have:
            name = config.language_names.get(lang, lang)
            yield 1, 1, (f"no {name} translation ({project.site_prefix}{doc.stem}.{lang}.md); translate this page "
                         "(docs/writing-content.md)")
