"""review.py: one ReviewState for the page, its JSON-LD, its handouts, `check` and the publishing policy."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen import review
from sitegen.diagnostics import Report, WARNING
from sitegen.review import ReviewState, review_state
from sitegen.schema import PageMeta, Reviewer

REVIEWED_ON, NEXT = dt.date(2026, 1, 15), dt.date(2027, 1, 15)
PEOPLE = (Reviewer("Ana Ruiz", "MD"), Reviewer("Ben Ode", "RN"))


def meta(**values) -> PageMeta:
    return PageMeta(**{"title": "T", "reviewed": REVIEWED_ON, "next_review": NEXT, "reviewers": PEOPLE,
                       "review_fingerprint": "abc", **values})


def test_a_page_without_a_review_is_unreviewed():
    state = review_state(PageMeta(title="T"), "abc", dt.date(2026, 3, 1))
    assert state == ReviewState(review.UNREVIEWED)
    assert not state.covers_text and state.reviewed is None and state.names == ""


def test_a_current_review_is_reviewed():
    state = review_state(meta(), "abc", dt.date(2026, 3, 1))
    assert state.state == review.REVIEWED
    assert (state.reviewed, state.next_review, state.reviewers) == (REVIEWED_ON, NEXT, PEOPLE)
    assert state.days_left == (NEXT - dt.date(2026, 3, 1)).days
    assert state.covers_text


def test_a_review_without_a_fingerprint_covers_the_text_as_it_is():
    # Written by hand (not by approve): nothing says the text changed since.
    assert review_state(meta(review_fingerprint=None), "abc", dt.date(2026, 3, 1)).state == review.REVIEWED


@pytest.mark.parametrize("days_before, state", [
    (31, review.REVIEWED),
    (30, review.DUE_SOON),  # DUE_SOON_DAYS is the last day still "due soon"
    (1, review.DUE_SOON),
    (0, review.OVERDUE),  # due today is due
    (-1, review.OVERDUE),
    (-400, review.OVERDUE),
])
def test_due_soon_and_overdue_boundaries(days_before, state):
    assert review.DUE_SOON_DAYS == 30
    result = review_state(meta(), "abc", NEXT - dt.timedelta(days=days_before))
    assert result.state == state
    assert result.days_left == days_before
    assert result.covers_text  # a review that is due still covers the text it reviewed


@pytest.mark.parametrize("today", [dt.date(2026, 3, 1), NEXT - dt.timedelta(days=5), NEXT + dt.timedelta(days=90)])
def test_a_text_changed_since_its_review_is_changed_even_when_overdue(today):
    state = review_state(meta(), "def", today)
    assert state.state == review.CHANGED
    assert not state.covers_text
    assert state.reviewed == REVIEWED_ON  # the page still says when the old text was reviewed


def test_names():
    assert review_state(meta(), "abc", dt.date(2026, 3, 1)).names == "Ana Ruiz, MD, Ben Ode, RN"


def test_changed_warning_only_for_changed_pages():
    assert review.changed_warning("content/en/p.md", "en/p.md", review_state(meta(), "abc", dt.date(2026, 3, 1))) is None
    warning = review.changed_warning("content/en/p.md", "en/p.md", review_state(meta(), "zzz", dt.date(2026, 3, 1)))
    assert warning.severity == WARNING and warning.code == "review.changed"
    assert "2026-01-15" in warning.message
    assert "python build.py approve en/p.md" in warning.hint
    assert warning.where == "content/en/p.md:1"


class _Page:
    def __init__(self, state):
        self.review = ReviewState(state)
        self.source = type("S", (), {"path": f"content/en/{state}.md"})()


def test_check_policy_refuses_only_unreviewed_pages_and_only_when_site_yml_says_so():
    pages = [_Page(s) for s in (review.UNREVIEWED, review.REVIEWED, review.CHANGED, review.OVERDUE)]
    report = Report()
    review.check_policy(pages, publish_unreviewed=False, report=report)
    assert [(d.path, d.code) for d in report.errors] == [("content/en/unreviewed.md", "review.missing")]
    report = Report()
    review.check_policy(pages, publish_unreviewed=True, report=report)
    assert report.items == []
