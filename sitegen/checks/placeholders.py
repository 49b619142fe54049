"""Placeholder text left from `build.py new`: every TODO must be replaced before patients see the page."""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import ERROR, Diagnostic
from .locate import source_text

MARKER = "TODO"
_MARKER_RE = re.compile(rf"\b{MARKER}\b")


def placeholder_problems(path: Path, shown: str) -> list[Diagnostic]:
    """Return an error for each line of a page file that still holds a TODO outside a YAML comment."""
    problems, fences = [], 0
    for number, line in enumerate(source_text(path).split("\n"), start=1):
        fences += line.rstrip() == "---" and fences < 2
        comment = fences == 1 and line.lstrip().startswith("#")  # guidance in the front matter
        if _MARKER_RE.search(line) and not comment:
            problems.append(Diagnostic(shown, number, "placeholder", f"placeholder text is still on the page: {line.strip()}",
                                       f"Replace the {MARKER} with your own words, or delete the line.", ERROR))
    return problems
