"""Accessibility lint: what a screen-reader user needs from the Markdown itself."""
from __future__ import annotations

import html
import re

from kbtools.checks.registry import check

# Link texts that say nothing out of context (screen readers list links alone).
VAGUE = {
    "click", "click here", "here", "link", "this link", "more", "read more", "this page",
    "aquí", "aqui", "haga clic aquí", "haz clic aquí", "clic aquí", "pulse aquí", "este enlace",
    "enlace", "leer más", "ver más", "más",
    "clique aqui", "este link", "leia mais", "saiba mais", "mais",
    "ici", "cliquez ici", "ce lien", "lien", "lire la suite", "en savoir plus", "plus",
}


def _plain(text: str) -> str:
    if len(text) > 40:
        return text  # longer than any vague text: not worth cleaning
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|[*_`]", "", text)
    text = re.sub(r"[\s.,:;!?¡¿\"'«»“”‘’()\[\]…-]+", " ", html.unescape(text))
    return text.strip().casefold()


@check("a11y-img-alt")
def img_alt(doc, config):
    """An image without alt text.

    Bad:  ![](../assets/referral-flow.png)
    Good: ![Referral flow: identification, then shelter, then legal aid](../assets/referral-flow.png)
    """
    for link in doc.links:
        if link.image and link.kind in ("inline", "reference") and not link.text.strip():
            yield link.line, link.col, ("image without alt text; describe what it shows between the brackets: "
                                        "![what the image shows](...)")
    for tag in doc.tags:
        if tag.kind == "html" and tag.name == "img" and "alt" not in dict(tag.attrs):
            yield tag.line, tag.col, ('<img> without an alt attribute; add alt="what the image shows" '
                                      '(alt="" only for a purely decorative image)')


@check("a11y-heading-skip")
def heading_skip(doc, config):
    """A heading more than one level below the one before it.

    Bad:  ## Evidence { #evidence }  then  #### Phones { #phones }
    Good: ## Evidence { #evidence }  then  ### Phones { #phones }
    """
    previous = 1  # the page title (Material shows one even when the page has no # heading)
    for heading in doc.headings:
        if heading.level > previous + 1:
            want = "#" * (previous + 1)
            yield heading.line, 1, (f"heading level {heading.level} follows level {previous}; screen-reader users "
                                    f"navigate by level, so use {want} here (or add the missing level above)")
        previous = heading.level


@check("a11y-multiple-h1")
def multiple_h1(doc, config):
    """More than one level-1 heading (a line starting with a single # is one, even without a space).

    Bad:  # Evidence ... # Digital evidence
    Good: # Evidence ... ## Digital evidence { #digital-evidence }
    """
    h1 = [h for h in doc.headings if h.level == 1]
    for heading in h1[1:]:
        yield heading.line, 1, (f"second level-1 heading (the first is on line {h1[0].line}); a page has one # title: "
                                "make this ## or lower (a line starting with # is a heading; write \\# for a literal #)")


@check("a11y-link-text")
def link_text(doc, config):
    """Link text that does not say where the link goes ("click here", "aquí", "ici", empty).

    Bad:  For the referral form, [click here](../migration/referral.md).
    Good: Use the [referral form](../migration/referral.md#referral-form).
    """
    for link in doc.links:
        if link.image or link.kind not in ("inline", "reference"):
            continue
        if "![" in link.text:
            continue  # an image link: its alt text is the link text
        text = _plain(link.text)
        if not text:
            yield link.line, link.col, "link without text; write words that say where it goes: [what it is](...)"
        elif text in VAGUE:
            yield link.line, link.col, (f'link text "{link.text.strip()}" does not say where the link goes; '
                                        "link the words that name the destination instead")
