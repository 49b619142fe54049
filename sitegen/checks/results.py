"""What `check` finds: one result per page, plus the problems that belong to no page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..diagnostics import ERROR, WARNING, Diagnostic

PASS, FAIL, NA = "pass", "fail", "n/a"


@dataclass(frozen=True)
class Item:
    """One PEMAT item as checked by the program: pass, fail or n/a, and why."""

    number: int
    name: str
    group: str  # "understandability" or "actionability"
    status: str
    reason: str


@dataclass(frozen=True)
class HardSentence:
    text: str
    line: int | None
    reason: str


@dataclass
class Reading:
    """A page's reading level: the figures of its language's formulas and their targets."""

    lang: str
    figures: dict[str, float]  # e.g. fk_grade, smog, fre, words, sentences
    targets: dict[str, float]  # e.g. fk_grade: 8, smog: 8
    hardest: list[HardSentence] = field(default_factory=list)
    boxes: dict[str, float] = field(default_factory=dict)  # key points and care cards, measured apart
    summary: str = ""  # one short line for the table, e.g. "FK 6.2  SMOG 8.4"


@dataclass
class PageResult:
    """Everything `check` found on one page."""

    path: str  # as shown to the editor, e.g. content/en/symptoms.md
    rel: str  # e.g. en/symptoms.md
    title: str
    loaded: bool = True  # False: the page has errors that stopped it loading
    reading: Reading | None = None
    jargon: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    review: dict = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)

    def score(self, group: str) -> tuple[int, int]:
        """Return (items passed, items that apply) for one PEMAT group."""
        applied = [i for i in self.items if i.group == group and i.status != NA]
        return sum(i.status == PASS for i in applied), len(applied)

    def count(self, severity: str) -> int:
        return sum(d.severity == severity for d in self.problems)


@dataclass
class CheckRun:
    """The result of one `check`: the pages, the site-wide problems and the settings used."""

    content: str
    today: dt.date
    pages: list[PageResult] = field(default_factory=list)
    site_problems: list[Diagnostic] = field(default_factory=list)
    strict: bool = False
    seconds: float = 0.0

    @property
    def problems(self) -> list[Diagnostic]:
        return self.site_problems + [d for page in self.pages for d in page.problems]

    def count(self, severity: str) -> int:
        return sum(d.severity == severity for d in self.problems)

    @property
    def failed(self) -> bool:
        """True when anything is above the error threshold (warnings too, with --strict)."""
        return bool(self.count(ERROR) or (self.strict and self.count(WARNING)))
