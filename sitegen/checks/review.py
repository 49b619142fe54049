"""Medical review dates, as `check` reports them: past due is an error, due soon a warning, never
reviewed a note. The state itself is the build's (review.py): what the page says, `check` says."""

from __future__ import annotations

from ..diagnostics import plural
from ..review import DUE_SOON, OVERDUE, UNREVIEWED, approve_hint
from .context import PageCheck
from .locate import source_text


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
    line = _line_of_key(ctx, "next_review") or _line_of_key(ctx, "reviewed")
    if state.state == OVERDUE:
        ctx.error("review.overdue", f"the medical review was due on {meta.next_review.isoformat()} "
                  f"({plural(-state.days_left, 'day')} ago)", hint, line)
    elif state.state == DUE_SOON:
        ctx.warning("review.due", f"the medical review is due on {meta.next_review.isoformat()} "
                    f"(in {plural(state.days_left, 'day')})", hint, line)
    # A page changed since its review has the build's own review.changed warning already.
    return {"state": state.state, "reviewed": meta.reviewed.isoformat(), "next_review": meta.next_review.isoformat()}


def _line_of_key(ctx: PageCheck, key: str) -> int | None:
    for number, line in enumerate(source_text(ctx.page.source.path).split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None
