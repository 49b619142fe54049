"""Placeholder text left to fill in: every TODO must be replaced before patients see it.

`new` leaves TODOs on a page; `init` and `import` leave them in the settings (a phone number not
given), in the sources and descriptions they could not know, and in requirements.txt. Each line
that holds one is an error of `check`, at its line, until it is filled in.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import ERROR, Diagnostic, display_path
from .locate import source_text

MARKER = "TODO"
_MARKER_RE = re.compile(rf"\b{MARKER}\b")
SETTINGS_FILES = ("site.yml",)  # in the content folder
LANGUAGE_FILES = ("glossary.yml", "jargon.yml", "warning-signs.yml")  # in each language's folder
SITE_FILES = ("requirements.txt",)  # beside the content folder: what the publishing workflow installs


def placeholder_problems(path: Path, shown: str) -> list[Diagnostic]:
    """Return an error for each line of a page file that still holds a TODO outside a YAML comment."""
    problems, fences = [], 0
    for number, line in enumerate(source_text(path).split("\n"), start=1):
        fences += line.rstrip() == "---" and fences < 2
        comment = fences == 1 and line.lstrip().startswith("#")  # guidance in the front matter
        if _MARKER_RE.search(line) and not comment:
            problems.append(_problem(shown, number, line, "on the page"))
    return problems


def site_placeholder_problems(content_dir: Path, languages) -> list[Diagnostic]:
    """Return an error for each line of the settings, word lists, signs and requirements still holding a TODO."""
    files = [content_dir / name for name in SETTINGS_FILES]
    files += [content_dir / lang / name for lang in languages for name in LANGUAGE_FILES]
    files += [content_dir.parent / name for name in SITE_FILES]
    problems = []
    for path in files:
        if path.is_file() and not path.is_symlink():
            shown = display_path(path)
            problems += [_problem(shown, number, line, "in this file") for number, line in enumerate(source_text(path).split("\n"), start=1)
                         if _MARKER_RE.search(line) and not line.lstrip().startswith("#")]  # comments are guidance
    return problems


def _problem(shown: str, number: int, line: str, where: str) -> Diagnostic:
    return Diagnostic(shown, number, "placeholder", f"placeholder text is still {where}: {line.strip()}",
                      f"Replace the {MARKER} with the real text, or delete the line.", ERROR)
