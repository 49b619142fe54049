"""Parse YAML with the line of every key, so errors can point at the right line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(Exception):
    """YAML that does not parse; line is 1-based within the parsed text."""

    def __init__(self, message: str, line: int | None, hint: str):
        super().__init__(message)
        self.line = line
        self.hint = hint


@dataclass
class YamlDoc:
    """A parsed mapping plus the line (1-based, in the parsed text) of each key path."""

    data: dict
    lines: dict[tuple, int]

    def line_of(self, *path) -> int | None:
        """Return the line of the deepest known key along path."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def parse_mapping(text: str) -> YamlDoc:
    """Parse text that must hold a YAML mapping (or nothing) and record key lines."""
    try:
        node, data = _compose_and_construct(text)
    except yaml.YAMLError as exc:
        raise _problem(exc) from None
    except ValueError as exc:  # PyYAML raises this for impossible dates like 2026-02-30
        raise YamlProblem(f"a value is not valid: {exc}", _bad_date_line(text), _DATE_HINT) from None
    if data is None:
        return YamlDoc({}, {})
    if not isinstance(data, dict):
        raise YamlProblem("expected 'key: value' lines, found a single value or a list", 1,
                          "Each line of the front matter should look like 'title: My page'.")
    lines: dict[tuple, int] = {}
    _record_lines(node, (), lines)
    return YamlDoc(data, lines)


def _compose_and_construct(text: str):
    """Parse text once, keeping both the node tree (for line numbers) and the data."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


_DATE_HINT = "Write dates as YYYY-MM-DD, for example 2026-03-31, and check the day exists in that month."


def _record_lines(node, path: tuple, lines: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (key.value,)
            lines[sub] = key.start_mark.line + 1
            _record_lines(value, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = path + (i,)
            lines[sub] = item.start_mark.line + 1
            _record_lines(item, sub, lines)


def _problem(exc: yaml.YAMLError) -> YamlProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return YamlProblem(f"the YAML does not parse: {problem}", line, _yaml_hint(problem))


def _yaml_hint(problem: str) -> str:
    if "tab" in problem:
        return "Use spaces, not tabs, to indent YAML."
    if "mapping values" in problem:
        return ("A value contains ': '. Put the whole value in double quotes, "
                'for example title: "Tests: what to expect".')
    if "indentation" in problem or "expected <block end>" in problem:
        return "Check the indentation: list items start with '- ' and line up under their key."
    return "Check this line and the one above it: quotes must close, lists start with '- '."


def _bad_date_line(text: str) -> int | None:
    """Return the line of the first date-like value that is not a real date."""
    for number, line in enumerate(text.splitlines(), 1):
        for y, m, d in re.findall(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", line):
            try:
                dt.date(int(y), int(m), int(d))
            except ValueError:
                return number
    return None
