"""Content problems, reported compiler-style: file, line, what is wrong and how to fix it."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How much a problem matters: an error stops publishing, a warning fails only `--strict`, a note informs."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # shown to the editor, never counted as a problem (an unreviewed page, for example)

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


ERROR, WARNING, NOTE = Severity.ERROR, Severity.WARNING, Severity.NOTE


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the content, with where it is and how to fix it."""

    path: str
    line: int | None
    code: str
    message: str
    hint: str = ""
    severity: Severity = ERROR

    def __post_init__(self):
        object.__setattr__(self, "severity", Severity(self.severity))  # "warning" and WARNING are one value

    @property
    def where(self) -> str:
        """Return 'file:line', or the file alone when the problem has no line."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def format(self) -> str:
        """Return 'file:line: severity[code]: message' and the hint on the next line."""
        text = f"{self.where}: {self.severity}[{self.code}]: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.code, self.message)


class ContentError(Exception):
    """Raised inside one file's processing; the caller turns it into a Diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class ContentErrors(Exception):
    """Several diagnostics from one document."""

    def __init__(self, problems: list[Diagnostic]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class OutputError(Exception):
    """The output folder cannot or must not be written; this is not a content problem."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


@dataclass
class Report:
    """Every diagnostic of one run, collected so all are shown together."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def error(self, path, line, code, message, hint="") -> None:
        self.add(Diagnostic(display_path(path), line, code, message, hint, ERROR))

    def warning(self, path, line, code, message, hint="") -> None:
        self.add(Diagnostic(display_path(path), line, code, message, hint, WARNING))

    def extend(self, diagnostics) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in dict.fromkeys(self.items) if d.severity == ERROR]  # each once, as sorted() shows them

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in dict.fromkeys(self.items) if d.severity == WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=Diagnostic.sort_key)


def print_diagnostics(diagnostics, stream) -> None:
    """Print problems compiler-style, each once, in file and line order: the one format of every command."""
    for diagnostic in sorted(set(diagnostics), key=Diagnostic.sort_key):
        print(diagnostic.format(), file=stream, flush=True)


def plural(count: int, word: str, many: str | None = None) -> str:
    """Return "1 page", "2 pages" (or the given plural: "2 entries")."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def display_path(path) -> str:
    """Return the path relative to the working directory when it is below it."""
    text = os.fspath(path)
    if not os.path.isabs(text):
        return text
    cwd = os.getcwd().rstrip("/") + "/"
    return text[len(cwd):] if text.startswith(cwd) else text.replace(os.sep, "/")


def closest(word: str, choices) -> str | None:
    """Return the choice nearest to word when it is a near miss, else None."""
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices) -> str:
    """Return ' Did you mean "x"?' for a near miss among choices, else ''."""
    close = closest(word, choices)
    return f'Did you mean "{close}"?' if close else ""
