"""schema.py: the front-matter field table, and the PageMeta, key lists and rules made from it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sitegen import schema, translations
from sitegen.diagnostics import ContentErrors
from sitegen.schema import FIELDS, PageMeta, Reviewer, Source, add_months
from sitegen.translations import fingerprint

from unitsite import REQUIRED, check_front_matter

REVIEW = "reviewed: 2026-01-31\nreviewers:\n  - name: Ana Ruiz\n    credentials: MD\n"


def problems(text: str) -> list:
    with pytest.raises(ContentErrors) as exc:
        check_front_matter(text)
    return exc.value.problems


def test_every_field_is_an_attribute_of_page_meta_with_its_default():
    assert [f.name for f in dataclasses.fields(PageMeta)] == [f.name for f in FIELDS]
    empty = PageMeta()
    for field in FIELDS:
        assert getattr(empty, field.name) == field.default, field.name


def test_page_meta_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        PageMeta().title = "x"


def test_the_key_lists_are_made_from_the_table():
    assert schema.ALLOWED_KEYS == {f.name for f in FIELDS}
    assert schema.TEXT_FIELDS == ("title", "description", "key_points", "sources")
    assert set(schema.MENU_FIELDS) == {"title", "menu_title", "description", "order", "handout", "layout"}
    assert set(schema.PLACE_FIELDS) == {"order", "handout", "layout"}


def test_the_smallest_page_gets_the_defaults():
    meta = check_front_matter(REQUIRED)
    assert meta.title == "A page" and meta.description == "What it is about."
    assert meta.sources == (Source("Knee pain", "Example Health Service", "https://health.example.org/knee-pain"),)
    assert (meta.key_points, meta.reviewers, meta.translation_reviewers) == ((), (), ())
    assert (meta.reviewed, meta.next_review, meta.order, meta.review_fingerprint, meta.translation_of) == (None,) * 5
    assert meta.handout is True and meta.layout == "page"


def test_every_field_is_read():
    meta = check_front_matter(REQUIRED + REVIEW + """next_review: 2026-06-01
key_points:
  - One.
  - Two.
order: 0042
handout: no
layout: glossary
review_fingerprint: abcdef123456
translation_of: 123456abcdef
translation_reviewers:
  - name: Eva Sol
    credentials: CT
""")
    assert meta.key_points == ("One.", "Two.")
    assert meta.reviewed == dt.date(2026, 1, 31) and meta.next_review == dt.date(2026, 6, 1)
    assert meta.reviewers == (Reviewer("Ana Ruiz", "MD"),)
    assert meta.translation_reviewers == (Reviewer("Eva Sol", "CT"),)
    assert meta.order == 42 and meta.handout is False and meta.layout == "glossary"
    assert (meta.review_fingerprint, meta.translation_of) == ("abcdef123456", "123456abcdef")


def test_an_unknown_key_gets_a_did_you_mean_at_its_line():
    [problem] = problems(REQUIRED + "reviwed: 2026-01-15\n")
    assert problem.code == "unknown-key" and problem.message == 'unknown field "reviwed"'
    assert problem.hint == 'Did you mean "reviewed"?'
    assert problem.line == 2 + REQUIRED.count("\n")  # front matter starts on line 2 of the file


def test_an_unknown_key_far_from_any_lists_the_allowed_ones():
    [problem] = problems(REQUIRED + "zzzzzz: 1\n")
    assert problem.hint.startswith("Allowed fields: ") and "translation_reviewers" in problem.hint


def test_required_fields_are_reported_together():
    codes = {p.code for p in problems("order: 1\n")}
    assert {"missing.title", "missing.description", "missing.sources"} <= codes


@pytest.mark.parametrize("text, field", [
    (REQUIRED + "reviewed: 2026-01-31\n", "reviewed"),
    (REQUIRED + "reviewers:\n  - name: Ana Ruiz\n    credentials: MD\n", "reviewers"),
])
def test_a_review_names_both_when_and_by_whom(text, field):
    [problem] = problems(text)
    assert problem.code == "review.pair" and problem.message.startswith(f'"{field}" is given without')


def test_next_review_defaults_to_the_review_interval():
    assert check_front_matter(REQUIRED + REVIEW).next_review == dt.date(2027, 1, 31)
    assert check_front_matter(REQUIRED + REVIEW, interval=1).next_review == dt.date(2026, 2, 28)  # kept in February
    assert check_front_matter(REQUIRED + REVIEW, interval=6).next_review == dt.date(2026, 7, 31)


def test_next_review_without_a_review_stays_as_given():
    meta = check_front_matter(REQUIRED + "next_review: 2026-06-01\n")
    assert meta.reviewed is None and meta.next_review == dt.date(2026, 6, 1)


@pytest.mark.parametrize("day", ["2026-01-31", "2025-12-01"])
def test_next_review_must_come_after_the_review(day):
    [problem] = problems(REQUIRED + REVIEW + f"next_review: {day}\n")
    assert problem.code == "review.order"
    assert problem.line == 2 + (REQUIRED + REVIEW).count("\n")  # the next_review line


def test_a_bad_layout_names_the_choices():
    [problem] = problems(REQUIRED + "layout: gallery\n")
    assert problem.code == "type.layout" and "page, glossary, warning-signs" in problem.message


@pytest.mark.parametrize("day, months, result", [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
    (dt.date(2026, 11, 15), 2, dt.date(2027, 1, 15)),
    (dt.date(2026, 3, 31), 12, dt.date(2027, 3, 31)),
    (dt.date(2026, 12, 31), 120, dt.date(2036, 12, 31)),
])
def test_add_months(day, months, result):
    assert add_months(day, months) == result


# The fingerprint: what a translation (translation_of) and a review (review_fingerprint) record ------

KNOWN = PageMeta(title="Signs of a sore knee", description="The signs that your knee is strained.",
                 key_points=("Rest it.", "Call if it swells."),
                 sources=(Source("Knee pain", "Example Health Service", "https://health.example.org/knee-pain"),),
                 reviewed=dt.date(2026, 1, 15), reviewers=(Reviewer("Test Reviewer", "RN"),), order=2)
KNOWN_BODY = "These are the usual signs.\n\n## What are the signs?\n\n- pain when you walk\n"


def test_the_fingerprint_of_a_known_page_is_unchanged():
    # Pinned on purpose. Every translation_of and review_fingerprint already written in content/
    # (and in every clinic's site) holds a value made this way: if this value changes, every
    # recorded translation reads as behind and every clinician's review as "changed". Change it only
    # with a plan for re-recording them all.
    assert fingerprint(KNOWN, KNOWN_BODY) == "614a87238656"
    assert fingerprint(PageMeta(title="Señales", description="Qué es."), "Cuerpo — ñ") == "1150fb09fb1d"


def test_the_fingerprint_reads_the_text_and_nothing_else():
    base = fingerprint(KNOWN, KNOWN_BODY)
    for name, value in [("title", "Other"), ("description", "Other."), ("key_points", ("Rest it.",)),
                        ("sources", (Source("Knee pain", "Other publisher", "https://health.example.org/knee-pain"),))]:
        assert fingerprint(dataclasses.replace(KNOWN, **{name: value}), KNOWN_BODY) != base, name
    assert fingerprint(KNOWN, KNOWN_BODY + "More.") != base
    for name, value in [("order", 7), ("handout", False), ("layout", "glossary"), ("reviewed", dt.date(2020, 1, 1)),
                        ("reviewers", ()), ("review_fingerprint", "x"), ("translation_of", "y"), ("next_review", None)]:
        assert fingerprint(dataclasses.replace(KNOWN, **{name: value}), KNOWN_BODY) == base, name
    assert fingerprint(KNOWN, "\n\n" + KNOWN_BODY + "\n  \n") == base  # blank lines around the body are not text


def test_an_optional_text_field_that_is_absent_leaves_fingerprints_unchanged(monkeypatch):
    """A field added to the table (say audience:) must not void the reviews recorded before it existed."""
    before = fingerprint(KNOWN, KNOWN_BODY)
    audience = schema.Field("audience", schema._text(), text=True)  # optional: its default is None
    monkeypatch.setattr(translations, "FIELDS", (*FIELDS[:4], audience, *FIELDS[4:]))
    WithAudience = dataclasses.make_dataclass("WithAudience", [("audience", object, None)], bases=(PageMeta,),
                                              frozen=True)
    absent = WithAudience(**{f.name: getattr(KNOWN, f.name) for f in FIELDS})
    assert fingerprint(absent, KNOWN_BODY) == before
    given = WithAudience(**{f.name: getattr(KNOWN, f.name) for f in FIELDS}, audience="people starting radiation")
    assert fingerprint(given, KNOWN_BODY) != before  # once given, it is part of the reviewed text


def test_a_new_text_field_with_a_default_would_void_every_fingerprint(monkeypatch):
    """The other side of the rule: a new text field must default to None, or every review is voided."""
    before = fingerprint(KNOWN, KNOWN_BODY)
    audience = schema.Field("audience", schema._text(), "", text=True)
    monkeypatch.setattr(translations, "FIELDS", (*FIELDS, audience))
    WithAudience = dataclasses.make_dataclass("WithAudience", [("audience", object, "")], bases=(PageMeta,),
                                              frozen=True)
    assert fingerprint(WithAudience(**{f.name: getattr(KNOWN, f.name) for f in FIELDS}), KNOWN_BODY) != before


def test_plain_turns_sources_and_tuples_into_lists():
    assert translations._plain((Source("t", "p", "u"), Source("a", "b", "c"))) == [["t", "p", "u"], ["a", "b", "c"]]
    assert translations._plain(("a", "b")) == ["a", "b"]
    assert translations._plain("text") == "text"
