"""The page front matter: its fields, their types and their rules (stage 3)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, make_dataclass
from dataclasses import field as dc_field
from typing import Callable

from .fields import FieldCheck

HELP_LAYOUT = "warning-signs"  # the page that lists every warning sign (see cards.py)
HOME_LAYOUT = "home"  # the doorway: its text first, the summary and review below it (templates/home.html)
LAYOUTS = ("page", "glossary", HELP_LAYOUT, HOME_LAYOUT)


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
class Field:
    """One front-matter field: how it is read, and what a change to it affects.

    text: readers see it as part of the page's text, so a change voids the page's review and marks
    its translations behind (it is in the fingerprint). menus: other pages show it (menus, lists),
    so a change re-renders them. place: it decides where the page sits and what is made of it
    (its place in the menu, its layout, its handout), so the preview rebuilds the whole site first.
    """

    name: str
    read: Callable[[FieldCheck, dict, str], object]
    default: object = None
    text: bool = False
    menus: bool = False
    place: bool = False


def _text(required: bool = False):
    return lambda check, data, name: check.text(data, name, required=required)


def _lines(check: FieldCheck, data: dict, name: str) -> tuple[str, ...]:
    return tuple(check.text_list(data, name))


def _date(check: FieldCheck, data: dict, name: str):
    return check.date(data, name)


def _order(check: FieldCheck, data: dict, name: str):
    return check.integer(data, name, minimum=0, maximum=9999)


def _handout(check: FieldCheck, data: dict, name: str) -> bool:
    return check.boolean(data, name, True)


# Every field a page's front matter may hold, in the order the fingerprint reads the text fields.
FIELDS = (
    Field("title", _text(required=True), "", text=True, menus=True),
    Field("menu_title", _text(), menus=True),  # the short name in the topic bar and breadcrumbs
    Field("description", _text(required=True), "", text=True, menus=True),  # a topic's index lists it
    Field("key_points", _lines, (), text=True),
    Field("sources", lambda check, data, name: _sources(check, data), (), text=True),
    Field("reviewed", _date),
    Field("reviewers", lambda check, data, name: _reviewers(check, data.get(name)), ()),
    Field("next_review", _date),
    Field("updated", _date),  # when the text last changed, for content outside git (see history.py)
    Field("order", _order, menus=True, place=True),
    Field("handout", _handout, True, menus=True, place=True),
    Field("layout", lambda check, data, name: _layout(check, data.get(name, "page")), "page", menus=True, place=True),
    Field("review_fingerprint", _text()),
    Field("translation_of", _text()),
    Field("translation_reviewers", lambda check, data, name: _reviewers(check, data.get(name), name), ()),
)
ALLOWED_KEYS = {f.name for f in FIELDS}
TEXT_FIELDS = tuple(f.name for f in FIELDS if f.text)
MENU_FIELDS = tuple(f.name for f in FIELDS if f.menus)
PLACE_FIELDS = tuple(f.name for f in FIELDS if f.place)

# The checked front matter of one page: an attribute per field of FIELDS.
PageMeta = make_dataclass("PageMeta", [(f.name, object, dc_field(default=f.default)) for f in FIELDS], frozen=True)
PageMeta.__module__ = __name__  # so the build cache can pickle it


def check_meta(check: FieldCheck, data: dict, review_interval_months: int) -> PageMeta:
    """Return the PageMeta for data, or raise ContentErrors with every problem found."""
    check.unknown_keys(data, ALLOWED_KEYS)
    values = {f.name: f.read(check, data, f.name) for f in FIELDS}
    _review_pair(check, data)
    reviewed, next_review = values["reviewed"], values["next_review"]
    if reviewed and not next_review:
        values["next_review"] = add_months(reviewed, review_interval_months)
    if reviewed and next_review and next_review <= reviewed:
        check.fail(("next_review",), "review.order", "next_review must come after reviewed",
                   "Set next_review to a later date, or remove it to use the review interval from site.yml.")
    check.raise_if_failed()
    return PageMeta(**values)


def _sources(check: FieldCheck, data: dict) -> tuple[Source, ...]:
    value = data.get("sources")
    example = "sources:\n    - title: The name of the leaflet or web page\n      publisher: Who published it\n      url: https://www.example.org/the-page"
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


def _review_pair(check: FieldCheck, data: dict) -> None:
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
                   f"layout: {HELP_LAYOUT} for the page that lists every warning sign, "
                   f"layout: {HOME_LAYOUT} for the home page.")
        return "page"
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    """Return day plus a number of months, kept within the target month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
