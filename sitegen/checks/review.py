"""Medical review dates, as `check` reports them: past due is an error, due soon a warning, a review
typed in by hand (no fingerprint ties it to the text) a warning, never reviewed a note. The state
itself is the build's (review.py): what the page says, `check` says."""

from __future__ import annotations

from ..diagnostics import plural
from ..review import DUE_SOON, OVERDUE, UNREVIEWED, approve_hint
from .context import PageCheck
from .locate import key_line


def check_review(ctx: PageCheck) -> dict:
    """Report the page's review state and return it for the report."""
    state, meta = ctx.page.review, ctx.page.meta
    hint = approve_hint(ctx.page.rel)
    if ctx.page.changed is None:
        # The page shows no "Last changed" date: nothing in the content says when its text changed.
        ctx.note("page.date", "nothing tells when this page's text last changed, so the page shows no date",
                 "Keep the content folder in git, or add updated: with the date of the last change, for example "
                 "updated: 2026-03-31.")
    if state.state == UNREVIEWED:
        # A note, not a warning: the site may publish unreviewed pages (they say so to readers),
        # and the build already refuses them when site.yml does not allow it.
        ctx.note("review.none", "a clinician has not reviewed this page yet", hint)
        return {"state": UNREVIEWED}
    path = ctx.page.source.path
    line = key_line(path, "next_review") or key_line(path, "reviewed")
    if state.state == OVERDUE:
        ctx.error("review.overdue", f"the medical review was due on {meta.next_review.isoformat()} "
                  f"({plural(-state.days_left, 'day')} ago)", hint, line)
    elif state.state == DUE_SOON:
        ctx.warning("review.due", f"the medical review is due on {meta.next_review.isoformat()} "
                    f"(in {plural(state.days_left, 'day')})", hint, line)
    if not meta.review_fingerprint:
        ctx.warning("review.unrecorded", "the review was typed in by hand, so a later change to the text would "
                    "not void it as it should", "Ask the reviewer to confirm the page as it is now, then record the "
                    f'review: python build.py approve {ctx.page.rel} --by "Name, credentials"', key_line(path, "reviewed"))
    # A page changed since its review has the build's own review.changed warning already.
    return {"state": state.state, "reviewed": meta.reviewed.isoformat(), "next_review": meta.next_review.isoformat()}

