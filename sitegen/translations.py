"""Fingerprints of page text, for honest translations and review sign-off.

A fingerprint is a short hash of what readers see of a page: its title, description, key points,
sources and body. A translation records the fingerprint of the page it translates
(`translation_of`); a review records the fingerprint of the text the reviewer approved
(`review_fingerprint`). When the text changes later, the two no longer match, and the site says so.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from .diagnostics import Report
from .model import Page, Site
from .schema import FIELDS


def fingerprint(meta, body: str) -> str:
    """Return a 12-character hash of a page's reader-visible text: its text fields (schema.FIELDS) and body.

    A text field that may be absent counts only when it is given, by name: so a field added to the
    table changes no fingerprint that translations and reviews already recorded.
    """
    data = []
    for field in (f for f in FIELDS if f.text):
        value = getattr(meta, field.name)
        if field.default is not None:
            data.append(_plain(value))
        elif value is not None:
            data.append([field.name, _plain(value)])
    data.append(body.strip())
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:12]


def _plain(value):
    """Return a field's value as JSON-ready lists: a source becomes [title, publisher, url]."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if dataclasses.is_dataclass(value):
        return [_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
    return value


def original_rel(page: Page, default_lang: str) -> str:
    """Return the rel of the default-language page that this page translates."""
    return default_lang + page.rel[len(page.lang):]


def link_alternates(site: Site, report: Report) -> None:
    """Find each page's versions in the other languages; report the pages not translated yet."""
    for page in site.pages:
        rest = page.rel[len(page.lang):]
        page.alternates = {lang: site.by_rel[lang + rest] for lang in site.config.languages
                           if lang + rest in site.by_rel}
    _report_missing(site, site.config.default_language, report)


def judge_translation(site: Site, page: Page, report: Report) -> str | None:
    """Return how a translated page stands to its original (None in the default language)."""
    if page.lang == site.config.default_language:
        return None
    return _translation_state(site, page, site.config.default_language, report)


def _translation_state(site: Site, page: Page, default: str, report: Report) -> str:
    original = site.by_rel.get(original_rel(page, default))
    if original is None and original_rel(page, default) in site.failed:
        return "orphan"  # the original is there but has errors of its own, reported at it: nothing to add
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
