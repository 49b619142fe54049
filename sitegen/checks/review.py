"""Medical review dates: past due is an error, due within 30 days a warning, never reviewed a note."""

from __future__ import annotations

from ..diagnostics import plural
from .context import PageCheck
from .locate import source_text

DUE_SOON_DAYS = 30


def check_review(ctx: PageCheck) -> dict:
    """Report the page's review state and return it for the report."""
    meta = ctx.page.meta
    if not meta.reviewed:
        # A note, not a warning: the site may publish unreviewed pages (they say so to readers),
        # and the build already refuses them when site.yml does not allow it.
        ctx.note("review.none", "a clinician has not reviewed this page yet", _approve_hint(ctx))
        return {"state": "unreviewed"}
    state = {"state": "reviewed", "reviewed": meta.reviewed.isoformat(), "next_review": meta.next_review.isoformat()}
    days = (meta.next_review - ctx.today).days
    line = _line_of_key(ctx, "next_review") or _line_of_key(ctx, "reviewed")
    if days <= 0:
        state["state"] = "overdue"
        ctx.error("review.overdue", f"the medical review was due on {meta.next_review.isoformat()} "
                  f"({plural(-days, 'day')} ago)",
                  _approve_hint(ctx), line)
    elif days <= DUE_SOON_DAYS:
        state["state"] = "due soon"
        ctx.warning("review.due", f"the medical review is due on {meta.next_review.isoformat()} "
                    f"(in {plural(days, 'day')})", _approve_hint(ctx), line)
    return state


def _approve_hint(ctx: PageCheck) -> str:
    return (f'Ask a clinician to review it. When they approve it, run: python build.py approve {ctx.page.rel} '
            '--by "Name, credentials"')


def _line_of_key(ctx: PageCheck, key: str) -> int | None:
    for number, line in enumerate(source_text(ctx.page.source.path).split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None
