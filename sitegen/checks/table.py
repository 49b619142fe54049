"""Show a check run as text: each page in detail, then a summary table that fits a terminal."""

from __future__ import annotations

from ..diagnostics import ERROR, NOTE, WARNING, plural
from .pemat import A, U
from .results import FAIL, CheckRun, PageResult


def format_text(run: CheckRun) -> str:
    """Return the whole report as plain text."""
    parts = [f"Checked {run.content}/ on {run.today.isoformat()}.", ""]
    for problem in run.site_problems:
        parts.append(problem.format())
    for page in run.pages:
        parts += page_section(page) + [""]
    parts += summary_table(run) + [""]
    unreviewed = [p.rel for p in run.pages if p.review.get("state") == "unreviewed"]
    if unreviewed:
        parts.append("Not reviewed by a clinician yet: " + ", ".join(unreviewed))
    todo = [d.where for d in run.problems if d.code == "placeholder"]
    if todo:
        parts.append(f"Still to fill in ({plural(len(todo), 'TODO')}): " + ", ".join(todo))
    undated = [p.rel for p in run.pages if any(d.code == "page.date" for d in p.problems)]
    if undated:
        parts.append('No "Last changed" date to show (keep the content in git, or add updated:): ' + ", ".join(undated))
    decisions = [d.message.split('"')[1] for d in run.site_problems if d.code == "sign.decision"]
    if decisions:
        parts.append("Warning signs whose level waits for a clinician's decision: " + ", ".join(decisions))
    parts.append(verdict(run))
    return "\n".join(parts)


def page_section(page: PageResult) -> list[str]:
    """Return the lines about one page: reading level, PEMAT items, review, problems."""
    lines = [f"{page.path}  {page.title}".rstrip()]
    if not page.loaded:
        lines.append("  not checked: fix the errors below first, then run the check again")
    if page.reading:
        lines.append("  reading   " + reading_line(page))
        for number, hard in enumerate(page.reading.hardest):
            label = "hardest" if number == 0 else ""
            lines.append(f'  {label:<9} line {hard.line or "?"}: "{hard.text}" ({hard.reason})')
    if page.items:
        lines.append("  PEMAT     " + pemat_line(page))
        for item in page.items:
            lines.append(f"            {item.status.upper() if item.status == FAIL else item.status:<4} "
                         f"{item.number:>2} {item.name}: {item.reason}")
    if page.review:
        lines.append("  review    " + review_line(page.review))
    problems = [d for d in sorted(page.problems, key=lambda d: d.sort_key()) if d.severity != NOTE]
    if problems:
        lines.append("  to fix")
        lines += ["    " + d.format().replace("\n", "\n    ") for d in problems]
    return lines


def reading_line(page: PageResult) -> str:
    reading = page.reading
    targets = ", ".join(f"{name.replace('_grade', '').upper()} {value:g}" for name, value in reading.targets.items())
    line = f"{reading.summary} (target {targets})"
    if reading.boxes:
        line += f"; key points and care cards FK {reading.boxes['fk_grade']:.1f} (target {reading.boxes['target']})"
    return line


def pemat_line(page: PageResult) -> str:
    return ", ".join(f"{group} {percent(page, group)}" for group in (U, A))


def percent(page: PageResult, group: str) -> str:
    passed, applied = page.score(group)
    return f"{passed}/{applied} = {round(100 * passed / applied)}%" if applied else "n/a"


def review_line(review: dict) -> str:
    state = review.get("state")
    if state == "unreviewed":
        return "not reviewed by a clinician yet"
    return f"{state}: reviewed {review['reviewed']}, next review due {review['next_review']}"


def summary_table(run: CheckRun) -> list[str]:
    """Return one row per page: the scores and how many problems of each kind."""
    header = ("page", "reading", "boxes", "jargon", "PEMAT-U", "PEMAT-A", "review", "errors", "warnings")
    rows = [header] + [summary_row(page) for page in run.pages]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def summary_row(page: PageResult) -> tuple[str, ...]:
    boxes = page.reading.boxes if page.reading else {}
    scores = [percent(page, g).split(" = ")[-1] if page.items else "" for g in (U, A)]
    return (
        page.rel,
        page.reading.summary if page.reading else "",
        f"FK {boxes['fk_grade']:.1f}" if boxes else "",
        str(len(page.jargon)) if page.loaded else "",
        *scores,
        page.review.get("state", "did not load"),
        str(page.count(ERROR)),
        str(page.count(WARNING)),
    )



def verdict(run: CheckRun) -> str:
    """Return the last line: the counts and what they mean for the exit status."""
    errors, warnings = run.count(ERROR), run.count(WARNING)
    counts = f"{plural(len(run.pages), 'page')}, {plural(errors, 'error')}, " \
             f"{plural(warnings, 'warning')}"
    if run.failed:
        why = " (--strict: warnings count as errors)" if run.strict and not errors else ""
        return f"Check failed: {counts}{why}. Fix the problems listed under \"to fix\"."
    tail = " Run with --strict to treat warnings as errors, as CI does." if warnings else ""
    return f"Check passed: {counts}.{tail}"
