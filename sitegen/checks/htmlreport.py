"""Write a check run as one self-contained HTML page for editors (never published with the site)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..diagnostics import ERROR, NOTE, WARNING, OutputError, display_path
from ..theme import Theme
from .pemat import A, U
from .results import CheckRun, PageResult
from .table import percent, review_line

TEMPLATE = "check-report.html"
# Chart size in SVG units; the page scales it to the window.
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 260, 40, 70, 16


@dataclass(frozen=True)
class Bar:
    label: str
    fk: float
    smog: float
    x: float
    width: float
    y: float  # top of the FK bar
    smog_y: float
    over: bool


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    target: float
    target_y: float
    ticks: list[tuple[int, float]]  # (grade, y)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: float = HEIGHT - BOTTOM


def write_report(run: CheckRun, path: Path, theme: Theme) -> None:
    """Render the report page to path, with the theme's check-report.html (the site's own, if it has one)."""
    env = jinja2.Environment(loader=theme.loader(),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    html = env.get_template(TEMPLATE).render(
        run=run, chart=chart(run.pages), rows=[row(p) for p in run.pages],
        errors=run.count(ERROR), warnings=run.count(WARNING), NOTE=NOTE,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the report {display_path(path)}: {exc.strerror or exc}",
                          "Give --report a file in a folder you can write, on a disk with free space.") from None


def chart(pages: list[PageResult]) -> Chart | None:
    """Lay out one bar per page for the FK grade, a dot for SMOG and a line for the target."""
    graded = [p for p in pages if p.reading and "fk_grade" in p.reading.figures and p.reading.figures["words"]]
    if not graded:
        return None
    target = graded[0].reading.targets["fk_grade"]
    top_grade = max([target + 2, *(max(p.reading.figures["fk_grade"], p.reading.figures["smog"]) + 1 for p in graded)])
    top_grade = int(top_grade) + 1
    plot_height = HEIGHT - BOTTOM - TOP

    def y(grade: float) -> float:
        return round(TOP + plot_height * (1 - max(grade, 0) / top_grade), 1)

    slot = (WIDTH - LEFT - 10) / len(graded)
    bars = []
    for i, page in enumerate(graded):
        fk, smog = page.reading.figures["fk_grade"], page.reading.figures["smog"]
        label = page.rel.split("/", 1)[-1].removesuffix(".md")
        bars.append(Bar(label, fk, smog, round(LEFT + i * slot + slot * 0.2, 1), round(slot * 0.6, 1),
                        y(fk), y(smog), fk > target))
    ticks = [(grade, y(grade)) for grade in range(0, top_grade + 1, 2)]
    return Chart(bars, target, y(target), ticks)


def row(page: PageResult) -> dict:
    """Return what the report's table shows about one page."""
    return {
        "page": page,
        "understandability": percent(page, U) if page.items else "",
        "actionability": percent(page, A) if page.items else "",
        "review": review_line(page.review) if page.review else "did not load",
        "review_state": page.review.get("state", "did not load"),
        "problems": sorted(page.problems, key=lambda d: (d.severity != ERROR, d.severity == NOTE, d.sort_key())),
    }
