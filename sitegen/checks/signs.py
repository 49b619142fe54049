"""Warning signs as editors should see them: signs no page shows, urgent signs talked about without a
card, and signs whose level still waits for a clinician's decision."""

from __future__ import annotations

import re

from ..diagnostics import NOTE, WARNING, Diagnostic
from ..model import Page, Site
from ..schema import HELP_LAYOUT
from ..signs import Sign, card_requests, select
from .context import PageCheck
from .results import CheckRun

URGENT_RANKS = 2  # the two most urgent levels are the ones a page must never mention without a card


def shown_on(page: Page, site: Site) -> set[str]:
    """Return the ids of the signs the page's cards show."""
    book = site.signs.get(page.lang)
    if book is None:
        return set()
    shown: set[str] = set()
    for names in card_requests(page.body):
        signs, _ = select(book, site.config.levels, names)
        shown |= {sign.id for sign in signs}
    return shown


def check_sign_usage(site: Site, run: CheckRun) -> None:
    """Report signs that no page shows in a card (the help page lists every sign, so it counts only for the
    signs it explains itself)."""
    for book in site.signs.values():
        pages = site.pages_in(book.lang)
        shown = set().union(*(shown_on(p, site) for p in pages if p.meta.layout != HELP_LAYOUT))
        explained_on_help = {p.rel for p in pages if p.meta.layout == HELP_LAYOUT}
        for sign in book.signs:
            if sign.id not in shown and sign.page not in explained_on_help:
                run.site_problems.append(Diagnostic(
                    book.path, sign.line, "sign.unshown", f'no page shows the sign "{sign.id}" in a care card',
                    f'Add "!!! signs {sign.id}" (or its group, {sign.group}) to the page that explains it, '
                    f"{sign.page}; only the help page lists it now.", WARNING))


def list_decisions(site: Site, run: CheckRun) -> None:
    """List, for the clinical lead, each sign whose level the sources leave open."""
    for book in site.signs.values():
        for sign in book.signs:
            if sign.decision:
                run.site_problems.append(Diagnostic(
                    book.path, sign.line, "sign.decision", f'"{sign.id}" is shown as {sign.level}; '
                    f"its level waits for a clinician's decision: {sign.decision}",
                    "When a clinician has decided, set level: and remove decision:.", NOTE))


def check_mentions(ctx: PageCheck) -> None:
    """An urgent sign talked about in a page's text needs its card on that page, with whom to call."""
    book = ctx.site.signs.get(ctx.page.lang)
    if book is None or ctx.page.meta.layout == HELP_LAYOUT:
        return
    shown = shown_on(ctx.page, ctx.site)
    ranks = {level.id: level.rank for level in ctx.site.config.levels}
    prose = list(ctx.page.meta.key_points) + ctx.body
    for sign in book.signs:
        if sign.id in shown or ranks.get(sign.level, 99) > URGENT_RANKS:
            continue
        found = _mention(sign, prose)
        if found:
            word, text = found
            ctx.warning("sign.mentioned", f'the page talks about "{word}", a sign that is {sign.level} '
                        f'("{sign.id}"), but shows no card for it',
                        f'Add "!!! signs {sign.id}" (or "!!! signs {sign.group}") where the page talks about it, '
                        "so readers see whom to call; or reword the text.", ctx.line_of(text))


def _mention(sign: Sign, texts: list[str]) -> tuple[str, str] | None:
    """Return (word, text) for the first of the sign's everyday words found in the texts."""
    for word in sign.words:
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, word.split())) + r"(?!\w)", re.IGNORECASE)
        for text in texts:
            if pattern.search(text):
                return word, text
    return None
