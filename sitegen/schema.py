"""The page front matter: its fields, their types and their rules (stage 3)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .fields import FieldCheck

HELP_LAYOUT = "warning-signs"  # the page that lists every warning sign (see cards.py)
LAYOUTS = ("page", "glossary", HELP_LAYOUT)


@dataclass(frozen=True)
class Source:
    """A published source that a page's facts come from."""

    title: str
    publisher: str
    url: str


@dataclass(frozen=True)
class Reviewer:
    """A clinician who reviewed a page, as named in its front matter."""

    name: str
    credentials: str


@dataclass(frozen=True)
class PageMeta:
    """The checked front matter of one page."""

    title: str
    description: str
    sources: tuple[Source, ...]
    reviewed: dt.date | None = None
    reviewers: tuple[Reviewer, ...] = ()
    next_review: dt.date | None = None
    order: int | None = None
    key_points: tuple[str, ...] = ()
    handout: bool = True
    layout: str = "page"
    review_fingerprint: str | None = None
    translation_of: str | None = None
    translation_reviewers: tuple[Reviewer, ...] = ()


ALLOWED_KEYS = {
    "title", "description", "sources", "reviewed", "reviewers", "next_review",
    "order", "key_points", "handout", "layout", "review_fingerprint", "translation_of", "translation_reviewers",
}


def check_meta(check: FieldCheck, data: dict, review_interval_months: int) -> PageMeta:
    """Return the PageMeta for data, or raise ContentErrors with every problem found."""
    check.unknown_keys(data, ALLOWED_KEYS)
    reviewed = check.date(data, "reviewed")
    reviewers = _reviewers(check, data.get("reviewers"))
    _review_pair(check, data, reviewed, reviewers)
    next_review = check.date(data, "next_review")
    if reviewed and not next_review:
        next_review = add_months(reviewed, review_interval_months)
    if reviewed and next_review and next_review <= reviewed:
        check.fail(("next_review",), "review.order", "next_review must come after reviewed",
                   "Set next_review to a later date, or remove it to use the review interval from site.yml.")
    meta = PageMeta(
        title=check.text(data, "title", required=True),
        description=check.text(data, "description", required=True),
        sources=_sources(check, data),
        reviewed=reviewed,
        reviewers=reviewers,
        next_review=next_review,
        order=check.integer(data, "order", minimum=0, maximum=9999),
        key_points=tuple(check.text_list(data, "key_points")),
        handout=check.boolean(data, "handout", True),
        layout=_layout(check, data.get("layout", "page")),
        review_fingerprint=check.text(data, "review_fingerprint"),
        translation_of=check.text(data, "translation_of"),
        translation_reviewers=_reviewers(check, data.get("translation_reviewers"), "translation_reviewers"),
    )
    check.raise_if_failed()
    return meta


def _sources(check: FieldCheck, data: dict) -> tuple[Source, ...]:
    value = data.get("sources")
    example = "sources:\n    - title: Bone Metastases\n      publisher: American Cancer Society\n      url: https://www.cancer.org/..."
    if value is None:
        check.fail(("sources",), "missing.sources", 'the required field "sources" is missing',
                   "List at least one source the page's facts come from:\n    " + example)
        return ()
    if not isinstance(value, list) or not value:
        check.fail(("sources",), "type.sources", '"sources" must be a list with at least one source', example)
        return ()
    sources = []
    for i, item in enumerate(value):
        keys = ("sources", i)
        if not isinstance(item, dict):
            check.fail(keys, "type.sources", "each source needs title, publisher and url lines", example)
            continue
        check.unknown_keys(item, {"title", "publisher", "url"}, keys)
        title = check.text(item, "title", keys + ("title",), required=True)
        publisher = check.text(item, "publisher", keys + ("publisher",), required=True)
        url = check.url(item, "url", keys + ("url",), required=True)
        if title and publisher and url:
            sources.append(Source(title, publisher, url))
    return tuple(sources)


def _reviewers(check: FieldCheck, value, key: str = "reviewers") -> tuple[Reviewer, ...]:
    if value is None:
        return ()
    hint = f"Write {key}:\n    - name: ...\n      credentials: MD"
    if not isinstance(value, list) or not value:
        check.fail((key,), f"type.{key}", f'"{key}" must be a list of name and credentials', hint)
        return ()
    people = []
    for i, item in enumerate(value):
        keys = (key, i)
        if not isinstance(item, dict):
            check.fail(keys, "type.reviewers", "each reviewer needs a name and credentials", hint)
            continue
        check.unknown_keys(item, {"name", "credentials"}, keys)
        name = check.text(item, "name", keys + ("name",), required=True)
        credentials = check.text(item, "credentials", keys + ("credentials",), required=True)
        if name and credentials:
            people.append(Reviewer(name, credentials))
    return tuple(people)


def _review_pair(check: FieldCheck, data: dict, reviewed, reviewers) -> None:
    """A review names both when and by whom; one without the other is a mistake."""
    if "reviewed" in data and "reviewers" not in data:
        check.fail(("reviewed",), "review.pair", '"reviewed" is given without "reviewers"',
                   "Add reviewers: with the name and credentials of the clinician who reviewed the page.")
    if "reviewers" in data and "reviewed" not in data:
        check.fail(("reviewers",), "review.pair", '"reviewers" is given without "reviewed"',
                   "Add reviewed: with the date of the review, for example reviewed: 2026-03-31.")


def _layout(check: FieldCheck, value) -> str:
    if value not in LAYOUTS:
        check.fail(("layout",), "type.layout", f'"layout" must be one of {", ".join(LAYOUTS)}, got {value!r}',
                   "Leave layout out for a normal page; use layout: glossary for the glossary page, "
                   f"layout: {HELP_LAYOUT} for the page that lists every warning sign.")
        return "page"
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    """Return day plus a number of months, kept within the target month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
