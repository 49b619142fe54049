"""Checks of the warning signs across the site: pages, the help page, translations and open decisions."""

from __future__ import annotations

import hashlib
import posixpath

from .diagnostics import ContentErrors, Diagnostic, Report, did_you_mean
from .diagnostics import ContentError
from .model import Page, Site
from .schema import HELP_LAYOUT
from .signs import SIGNS_FILE, SignBook, cards_digest, load_signs, sign_fingerprint


def load_books(content_dir, config, report: Report) -> tuple[dict[str, SignBook], set[str]]:
    """Return the warning signs of each language that has a warning-signs.yml, and the languages whose file has errors."""
    books, failed = {}, set()
    for lang in config.languages:
        try:
            book = load_signs(content_dir, lang, config.levels)
        except ContentError as exc:
            report.add(exc.diagnostic)
            failed.add(lang)
            continue
        except ContentErrors as exc:
            report.extend(exc.problems)
            failed.add(lang)
            continue
        if book is not None:
            books[lang] = book
    return books, failed


def check_signs(site: Site, report: Report) -> None:
    """Report signs that point to missing pages, languages without a help page, and translations out of step."""
    for book in site.signs.values():
        _pages_exist(site, book, report)
    _help_pages(site, report)
    default = site.config.default_language
    for lang, book in site.signs.items():
        if lang != default:
            _translation(site.signs.get(default), book, report)


def _pages_exist(site: Site, book: SignBook, report: Report) -> None:
    pages = {p.rel for p in site.pages_in(book.lang)} | site.failed
    for group in book.groups:
        for rel, line in [(group.page, group.line)] + [(s.page, s.line) for s in group.signs if s.page != group.page]:
            if rel and rel not in pages:
                names = [posixpath.relpath(p, book.lang) for p in pages]
                wrote = posixpath.relpath(rel, book.lang)
                report.add(Diagnostic(book.path, line, "sign.page", f'the page "{wrote}" does not exist',
                                      did_you_mean(wrote, names) or "Give the page that explains the sign, "
                                      "for example spinal-cord-compression.md."))


def help_pages(site: Site) -> dict[str, Page]:
    """Return each language's help page (the page with layout: warning-signs)."""
    found: dict[str, Page] = {}
    for page in site.pages:
        if page.meta.layout == HELP_LAYOUT:
            found.setdefault(page.lang, page)
    return found


def _help_pages(site: Site, report: Report) -> None:
    """Each language with warning signs has one page listing them all, and only those languages have one."""
    found = help_pages(site)
    for page in site.pages:
        if page.meta.layout == HELP_LAYOUT and found[page.lang] is not page:
            report.error(page.source.path, 1, "help.twice",
                         f"{found[page.lang].rel} already lists every warning sign",
                         "Keep one help page per language; remove layout: warning-signs from this one.")
        elif page.meta.layout == HELP_LAYOUT and page.lang not in {*site.signs, *site.signs_failed}:
            report.error(page.source.path, 1, "help.signs", "this help page has no warning signs to list",
                         f"Write content/{page.lang}/{SIGNS_FILE} (see EDITING.md, Warning signs).")
    for lang, book in site.signs.items():
        if lang not in found:
            report.add(Diagnostic(book.path, None, "help.missing", "no page lists these warning signs",
                                  f"Add a page with layout: {HELP_LAYOUT} (for example content/{lang}/urgent-help.md); "
                                  "every page links to it as \"Get help now\"."))


def _translation(original: SignBook | None, book: SignBook, report: Report) -> None:
    """A translated sign has the level of its original, and says when its original changed since."""
    if original is None:
        report.add(Diagnostic(book.path, None, "sign.original", "these signs have no original in the default language",
                              f"Write the default language's {SIGNS_FILE} first; translations mirror it sign for sign."))
        return
    for sign in book.signs:
        first = original.by_id.get(sign.id)
        if first is None:
            report.add(Diagnostic(book.path, sign.line, "sign.orphan", f'there is no sign "{sign.id}" in {original.path}',
                                  did_you_mean(sign.id, original.by_id) or "Use the ids of the original signs."))
            continue
        if first.level != sign.level:
            report.add(Diagnostic(book.path, sign.line, "sign.level-differs",
                                  f'"{sign.id}" is "{sign.level}" here but "{first.level}" in {original.path}:{first.line}',
                                  "A sign has one level in every language: readers must be told the same thing. "
                                  f"Set level: {first.level}, or change both."))
        current = sign_fingerprint(first, original.group_of(first))
        if not sign.translation_of:
            report.add(Diagnostic(book.path, sign.line, "translation.untracked",
                                  f'the sign "{sign.id}" does not say which version of its original it translates',
                                  f"When it matches, run: python build.py translated {book.lang}/{SIGNS_FILE}", "warning"))
        elif sign.translation_of != current:
            book.stale.add(sign.id)
            report.add(Diagnostic(book.path, sign.line, "translation.behind",
                                  f'the sign "{sign.id}" changed in {original.path}:{first.line} since it was translated',
                                  f"Update it, then run: python build.py translated {book.lang}/{SIGNS_FILE}", "warning"))
    for sign in original.signs:
        if sign.id not in book.by_id:
            report.add(Diagnostic(book.path, None, "translation.missing", f'the sign "{sign.id}" is not translated',
                                  f"Add it, with level: {sign.level}, so cards in this language can show it.", "warning"))


def open_decisions(site: Site) -> list[tuple[SignBook, object]]:
    """Return the signs whose level still waits for a clinician's decision, language by language."""
    return [(book, sign) for book in site.signs.values() for sign in book.signs if sign.decision]


def check_decisions(site: Site, report: Report) -> None:
    """A level the sources leave open is never published as settled advice: only on a site that says it is unreviewed."""
    for book, sign in open_decisions(site):
        report.add(Diagnostic(book.path, sign.line, "sign.decision",
                              f'the level of "{sign.id}" waits for a clinician\'s decision: {sign.decision}',
                              "Ask a clinician to decide the level, then remove decision:; or set publish_unreviewed: "
                              "true in site.yml to publish with every page saying it is not reviewed yet."))


def page_fingerprint(text_fingerprint: str, meta, body: str, lang: str, book: SignBook | None, levels) -> str:
    """Return a page's fingerprint with what its cards show: a review or translation covers the cards too."""
    digest = cards_digest(body, book, levels, lang, all_signs=meta.layout == HELP_LAYOUT)
    if not digest:
        return text_fingerprint
    return hashlib.sha256(f"{text_fingerprint}:{digest}".encode()).hexdigest()[:12]
