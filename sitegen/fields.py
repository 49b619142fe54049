"""Typed checks for YAML values, shared by site.yml and page front matter."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from .diagnostics import Diagnostic, did_you_mean


class FieldCheck:
    """Checks values of one YAML document and reports problems at their lines."""

    def __init__(self, path: str, doc, line_offset: int = 0, default_line: int | None = None):
        self.path = path
        self.doc = doc
        self.offset = line_offset
        self.default_line = default_line  # where to point when a key is missing altogether
        self.problems: list[Diagnostic] = []

    def line(self, *keys) -> int | None:
        line = self.doc.line_of(*keys)
        return line + self.offset if line else self.default_line

    def fail(self, keys: tuple, code: str, message: str, hint: str) -> None:
        self.problems.append(Diagnostic(self.path, self.line(*keys), code, message, hint))

    def raise_if_failed(self) -> None:
        if self.problems:
            raise ContentErrors(self.problems)

    def text(self, data: dict, key: str, keys: tuple = (), required=False, default=None):
        """Return a non-empty string value."""
        value = data.get(key)
        if value is None:
            if required:
                self.fail(keys or (key,), f"missing.{key}", f'the required field "{key}" is missing',
                          f'Add a line such as {key}: ... to the front matter.')
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # phone numbers and the like, written without quotes
        if not isinstance(value, str) or not value.strip():
            self.fail(keys or (key,), f"type.{key}", f'"{key}" must be a line of text, got {_kind(value)}',
                      f'Write it as {key}: "some text".')
            return default
        return value.strip()

    def text_list(self, data: dict, key: str, keys: tuple = ()) -> list[str]:
        """Return a list of non-empty strings (or [] when absent)."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(keys or (key,), f"type.{key}", f'"{key}" must be a list of lines of text',
                      f"Write one item per line under {key}:, each starting with '- '.")
            return []
        return [v.strip() for v in value]

    def integer(self, data: dict, key: str, default=None, minimum=None):
        value = data.get(key, default)
        if value is default:
            return default
        if not isinstance(value, int) or isinstance(value, bool) or (minimum is not None and value < minimum):
            low = f" of at least {minimum}" if minimum is not None else ""
            self.fail((key,), f"type.{key}", f'"{key}" must be a whole number{low}, got {value!r}',
                      f"Write it as {key}: 3")
            return default
        return value

    def boolean(self, data: dict, key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail((key,), f"type.{key}", f'"{key}" must be true or false, got {value!r}',
                      f"Write {key}: true or {key}: false.")
            return default
        return value

    def date(self, data: dict, key: str):
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if not isinstance(value, dt.date):
            self.fail((key,), f"type.{key}", f'"{key}" must be a date, got {value!r}',
                      "Write dates as YYYY-MM-DD without quotes, for example 2026-03-31.")
            return None
        return value

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


class ContentErrors(Exception):
    """Several diagnostics from one document."""

    def __init__(self, problems: list[Diagnostic]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _kind(value) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dt.date, int, float)):
        return repr(str(value))
    return "an empty value" if value in ("", None) else repr(value)
