"""Typed checks for YAML values, shared by site.yml and page front matter."""

from __future__ import annotations

import datetime as dt
import re
import string
from urllib.parse import urlparse

from .diagnostics import ContentErrors, Diagnostic, did_you_mean
from .sources import CONTROL, CONTROL_HINT, control_name

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)  # any date outside is a typing mistake
TRUE, FALSE = {"true", "yes", "on"}, {"false", "no", "off"}
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DATE_HINT = "Write dates as YYYY-MM-DD, for example 2026-03-31, and check the day exists in that month."


_SLASHED = re.compile(r"\s*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})\s*")


def _date_hint(value) -> str:
    """The usual hint; for 12/05/2026, which is 12 May in most countries and December 5 in the US,
    the YYYY-MM-DD of each reading that is a real day, so the editor picks rather than guesses."""
    found = _SLASHED.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return _DATE_HINT
    first, second, year = map(int, found.groups())
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            reading = dt.date(year, month, day).isoformat()
        except ValueError:
            continue
        if reading not in readings:
            readings.append(reading)
    if not readings:
        return _DATE_HINT
    return "Write dates as YYYY-MM-DD: " + " or ".join(readings) + ("." if len(readings) == 1 else ", whichever you mean.")


def placeholders(text: str) -> set[str] | None:
    """Return the {names} a text to be filled in uses, or None when its braces are not in pairs."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


class FieldCheck:
    """Checks values of one YAML document and reports problems at their lines.

    The values are the text the editor typed (see yamltext): text fields keep it as it is, and
    numbers, dates and true/false are read from it here, within bounds.
    """

    def __init__(self, path: str, doc, default_line: int | None = None):
        self.path = path
        self.doc = doc
        self.default_line = default_line  # where to point when a key is missing altogether
        self.problems: list[Diagnostic] = []

    def line(self, *keys) -> int | None:
        return self.doc.line_of(*keys) or self.default_line

    def fail(self, keys: tuple, code: str, message: str, hint: str) -> None:
        self.problems.append(Diagnostic(self.path, self.line(*keys), code, message, hint))

    def _file(self) -> str:
        return "the front matter" if self.path.endswith(".md") else self.path.rsplit("/", 1)[-1]

    def raise_if_failed(self) -> None:
        if self.problems:
            raise ContentErrors(self.problems)

    def text(self, data: dict, key: str, keys: tuple = (), required=False, default=None):
        """Return a non-empty string value, exactly as typed (without surrounding spaces)."""
        value = data.get(key)
        if value is None:  # absent, or empty (~ and null count as empty)
            if required:
                where = _within(keys)
                hint = (f'Write the text after "{key}:"; a ~ or null that should show goes in double quotes.'
                        if key in data else f"Add a line such as {key}: ... "
                        + (f"to {where}, lined up with its other lines." if where else f"to {self._file()}."))
                self.fail(keys or (key,), f"missing.{key}",
                          f'the required field "{key}" is missing' + (f" from {where}" if where else ""), hint)
            return default
        if not isinstance(value, str) or not value.strip():
            self.fail(keys or (key,), f"type.{key}", f'"{key}" must be a line of text, got {_kind(value)}',
                      f'Write it as {key}: "some text".')
            return default
        control = CONTROL.search(value)  # written as an escape such as "\u0000"
        if control:
            self.fail(keys or (key,), f"type.{key}",
                      f'"{key}" holds an invisible control character ({control_name(control.group())})', CONTROL_HINT)
            return default
        return value.strip()

    def text_list(self, data: dict, key: str, keys: tuple = ()) -> list[str]:
        """Return a list of non-empty strings (or [] when absent)."""
        value = data.get(key)
        if value is None:
            return []
        keys = keys or (key,)
        bad = keys if not isinstance(value, list) else next(
            (keys + (i,) for i, v in enumerate(value) if not isinstance(v, str) or not v.strip()), None)
        if bad:  # the list, or its first item that is not a line of text
            item = value[bad[-1]] if len(bad) > len(keys) else None
            if isinstance(item, dict) and len(item) == 1 and all(isinstance(v, str) for v in (*item, *item.values())):
                # "- Step 1: wash your hands" is read as a label and its value, not as one line
                label, rest = next(iter(item.items()))
                line = f"{label}: {rest}".replace('"', '\\"')
                self.fail(bad, f"type.{key}", f'item {bad[-1] + 1} of "{key}" holds ": " after "{label}", so YAML '
                          "reads it as a label and a value, not as one line of text",
                          f'Put the whole line in double quotes: - "{line}"')
            else:
                self.fail(bad, f"type.{key}", f'"{key}" must be a list of lines of text',
                          f"Write one item per line under {key}:, each starting with '- '.")
            return []
        return [v.strip() for v in value]

    def integer(self, data: dict, key: str, default=None, minimum: int = 0, maximum: int = 9999):
        """Return a whole number from minimum to maximum, written in decimal digits."""
        value = data.get(key)
        if value is None:
            return default
        number = whole_number(value)
        if number is None or not minimum <= number <= maximum:
            self.fail((key,), f"type.{key}", f'"{key}" must be a whole number from {minimum} to {maximum}, '
                                            f"got {_kind(value)}",
                      f"Write it as {key}: {max(minimum, min(3, maximum))}")
            return default
        return number

    def boolean(self, data: dict, key: str, default: bool) -> bool:
        value = data.get(key)
        if value is None:
            return default
        word = value.strip().lower() if isinstance(value, str) else ""
        if word in TRUE or word in FALSE:
            return word in TRUE
        self.fail((key,), f"type.{key}", f'"{key}" must be true or false, got {_kind(value)}',
                  f"Write {key}: true or {key}: false.")
        return default

    def date(self, data: dict, key: str, earliest: dt.date = EARLIEST, latest: dt.date = LATEST):
        """Return a date written YYYY-MM-DD, from earliest to latest."""
        value = data.get(key)
        if value is None:
            return None
        match = _DATE.fullmatch(value.strip()) if isinstance(value, str) else None
        if not match:
            self.fail((key,), f"type.{key}", f'"{key}" must be a date, got {_kind(value)}', _date_hint(value))
            return None
        try:
            day = dt.date(*map(int, match.groups()))
        except ValueError as exc:
            self.fail((key,), f"type.{key}", f'"{key}" is not valid: there is no day {value.strip()} ({exc})',
                      _DATE_HINT)
            return None
        if not earliest <= day <= latest:
            self.fail((key,), f"range.{key}", f'"{key}" must be a date from {earliest} to {latest}, got {day}',
                      "Check the year: " + _DATE_HINT)
            return None
        return day

    def url(self, data: dict, key: str, keys: tuple = (), required=False):
        value = self.text(data, key, keys, required=required)
        if value is None:
            return None
        parts = urlparse(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(keys or (key,), f"type.{key}", f'"{key}" must be a full web address, got {value!r}',
                      "Start it with https://, for example https://www.cancer.gov/.")
            return None
        return value

    def mapping(self, data: dict, key: str, keys: tuple = ()) -> dict | None:
        value = data.get(key)
        if value is not None and not isinstance(value, dict):
            self.fail(keys or (key,), f"type.{key}", f'"{key}" must hold "name: value" lines, got {_kind(value)}',
                      f"Indent the lines under {key}: by two spaces.")
            return None
        return value

    def unknown_keys(self, data: dict, allowed, keys: tuple = ()) -> None:
        for key in data:
            if key not in allowed:
                guess = did_you_mean(key, allowed)
                hint = guess or "Allowed fields: " + ", ".join(sorted(allowed)) + "."
                self.fail(keys + (key,), "unknown-key", f'unknown field "{key}"', hint)


def whole_number(value) -> int | None:
    """Return the number that value writes in decimal digits (leading zeros allowed), else None."""
    if not isinstance(value, str) or not _WHOLE.fullmatch(value.strip()) or len(value.strip()) > 20:
        return None  # more digits than any bound: not worth converting
    return int(value.strip())


def _within(keys: tuple) -> str:
    """Where a field sits, for a message: 'item 2 of "sources"', '"clinic"', or "" at the top."""
    parents = keys[:-1]
    if not parents:
        return ""
    if isinstance(parents[-1], int):
        return f'item {parents[-1] + 1} of "{parents[-2]}"' if len(parents) > 1 else f"item {parents[-1] + 1}"
    return f'"{parents[-1]}"'


def _kind(value) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if value is None or not value.strip():
        return "an empty value"
    return repr(value if len(value) <= 40 else value[:37] + "...")
