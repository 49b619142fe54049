"""Fingerprints of page text, for honest translations and review sign-off.

A fingerprint is a short hash of what readers see of a page: its title, description, key points,
sources and body. A translation records the fingerprint of the page it translates
(`translation_of`); a review records the fingerprint of the text the reviewer approved
(`review_fingerprint`). When the text changes later, the two no longer match, and the site says so.
"""

from __future__ import annotations

import hashlib
import json

from .diagnostics import Report
from .model import Page, Site


def fingerprint(meta, body: str) -> str:
    """Return a 12-character hash of a page's reader-visible text, from its front matter and body."""
    data = [meta.title, meta.description, list(meta.key_points),
            [[s.title, s.publisher, s.url] for s in meta.sources], body.strip()]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:12]


def original_rel(page: Page, default_lang: str) -> str:
    """Return the rel of the default-language page that this page translates."""
    return default_lang + page.rel[len(page.lang):]


def link_translations(site: Site, report: Report) -> None:
    """Find each page's other-language versions and judge its review and translation state."""
    default = site.config.default_language
    for page in site.pages:
        rest = page.rel[len(page.lang):]
        page.alternates = {lang: site.by_rel[lang + rest] for lang in site.config.languages
                           if lang + rest in site.by_rel}
    for page in site.pages:
        judge_page(site, page, report)
    _report_missing(site, default, report)


def judge_page(site: Site, page: Page, report: Report) -> None:
    """Set whether the page's text changed since its review, and how its translation stands."""
    page.review_changed = bool(page.meta.review_fingerprint and page.meta.review_fingerprint != page.fingerprint)
    if page.review_changed:
        report.warning(page.source.path, 1, "review.changed",
                       f"the text changed after its review on {page.meta.reviewed.isoformat()}",
                       f"Ask the reviewer to approve it again: python build.py approve {page.rel} --by \"Name, credentials\"")
    if page.lang != site.config.default_language:
        page.translation = _translation_state(site, page, site.config.default_language, report)


def _translation_state(site: Site, page: Page, default: str, report: Report) -> str:
    original = site.by_rel.get(original_rel(page, default))
    if original is None:
        report.warning(page.source.path, 1, "translation.orphan",
                       f"there is no {default} page {original_rel(page, default)} for this translation",
                       "Name the file like the page it translates, or remove it.")
        return "orphan"
    if not page.meta.translation_of:
        report.warning(page.source.path, 1, "translation.untracked",
                       f"the page does not say which version of {original.rel} it translates",
                       f"When the translation matches the {default} page, run: python build.py translated {page.rel}")
        return "untracked"
    if page.meta.translation_of != original.fingerprint:
        report.warning(page.source.path, 1, "translation.behind",
                       f"{original.rel} changed since this translation was made",
                       f"Update the translation, then run: python build.py translated {page.rel}")
        return "behind"
    return "current"


def _report_missing(site: Site, default: str, report: Report) -> None:
    for page in site.pages_in(default):
        for lang in site.config.languages[1:]:
            if lang not in page.alternates:
                report.warning(page.source.path, None, "translation.missing",
                               f"there is no {lang} translation of this page; {lang} readers are sent to it instead",
                               f"Write content/{lang}{page.rel[len(default):]}, then run: python build.py translated "
                               f"{lang}{page.rel[len(default):]}")
