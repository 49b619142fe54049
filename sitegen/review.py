"""A page's medical review, decided in one place for the web page, its schema.org data, the handouts,
`check` and the publishing policy.

A page is "reviewed" when a clinician signed off its current text (the review's fingerprint is the
page's), "changed" when its text was edited since, "overdue" past its next review date, "due soon"
within DUE_SOON_DAYS of it, and "unreviewed" when no clinician has reviewed it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .diagnostics import Diagnostic, Report, WARNING
from .schema import PageMeta, Reviewer

REVIEWED, DUE_SOON, OVERDUE, CHANGED, UNREVIEWED = "reviewed", "due soon", "overdue", "changed", "unreviewed"
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class ReviewState:
    """What can honestly be said about a page's review on a given day."""

    state: str
    reviewed: dt.date | None = None
    next_review: dt.date | None = None
    reviewers: tuple[Reviewer, ...] = ()
    days_left: int = 0  # until the next review (negative: overdue by that many days)

    @property
    def covers_text(self) -> bool:
        """True when a clinician's review covers the text as it is now (even if a new review is due)."""
        return self.state in (REVIEWED, DUE_SOON, OVERDUE)

    @property
    def names(self) -> str:
        """The reviewers as shown: "Ana Ruiz, MD, Ben Ode, RN"."""
        return ", ".join(f"{r.name}, {r.credentials}" for r in self.reviewers)


def review_state(meta: PageMeta, fingerprint: str, today: dt.date) -> ReviewState:
    """Return the review state of a page with this front matter and text fingerprint."""
    if not meta.reviewed:
        return ReviewState(UNREVIEWED)
    days = (meta.next_review - today).days
    if meta.review_fingerprint and meta.review_fingerprint != fingerprint:
        state = CHANGED
    elif days <= 0:
        state = OVERDUE
    elif days <= DUE_SOON_DAYS:
        state = DUE_SOON
    else:
        state = REVIEWED
    return ReviewState(state, meta.reviewed, meta.next_review, meta.reviewers, days)


def approve_hint(rel: str) -> str:
    return (f'Ask a clinician to review it. When they approve it, run: python build.py approve {rel} '
            '--by "Name, credentials"')


def changed_warning(shown: str, rel: str, state: ReviewState) -> Diagnostic | None:
    """Return the build's warning for a page whose text changed after its review, or None."""
    if state.state != CHANGED:
        return None
    return Diagnostic(shown, 1, "review.changed", f"the text changed after its review on {state.reviewed.isoformat()}",
                      f'Ask the reviewer to approve it again: python build.py approve {rel} --by "Name, credentials"',
                      WARNING)


def future_review_error(shown: str, reviewed: dt.date, today: dt.date, line: int | None) -> Diagnostic:
    """The error for a review dated after today: a page must not claim a review not made yet."""
    return Diagnostic(shown, line, "review.future", f"the review date {reviewed.isoformat()} is after today ({today.isoformat()})",
                      "Write the day the clinician reviewed the page: python build.py approve writes it for you.")


def check_policy(pages, publish_unreviewed: bool, report: Report) -> None:
    """Unreviewed pages are published only where site.yml allows it (and then they say so)."""
    if publish_unreviewed:
        return
    for page in pages:
        if page.review.state == UNREVIEWED:
            report.error(page.source.path, 1, "review.missing", "this page has not been reviewed by a clinician",
                         "Ask a clinician to review it and add reviewed: and reviewers:, "
                         "or set publish_unreviewed: true in site.yml to publish it with a notice.")
