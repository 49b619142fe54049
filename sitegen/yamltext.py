"""Parse YAML into the text the editor typed, with the line of every key.

Every scalar stays a string, exactly as written: YAML 1.1 would read 000 as 0, 0112 as 74 and
no as false, and publish those. Typed fields (numbers, dates, true/false) are read from the text
by fields.FieldCheck, with bounds. The document is built from the parser's events in one loop,
without recursion, and aliases, anchors, tags and duplicate keys are refused as they come, before
anything could be expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NULLS = {"", "~", "null", "Null", "NULL"}  # a plain value that means "nothing here"
MAX_DEPTH = 20  # front matter needs 4 levels; deeper nesting is a mistake


class YamlProblem(Exception):
    """YAML that cannot be used; line is a line of the file."""

    def __init__(self, message: str, line: int | None, hint: str):
        super().__init__(message)
        self.line = line
        self.hint = hint


@dataclass
class YamlDoc:
    """Parsed data plus the file line of each key path (a mapping key, or a list index)."""

    data: object
    lines: dict[tuple, int]

    def line_of(self, *path) -> int | None:
        """Return the line of the deepest known key along path."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def parse_mapping(text: str, first_line: int = 1) -> YamlDoc:
    """Parse text that must hold 'key: value' lines (or nothing); first_line is the file line it starts on."""
    doc = parse_yaml(text, first_line)
    if doc.data is None:
        return YamlDoc({}, {})
    if not isinstance(doc.data, dict):
        raise YamlProblem("expected 'key: value' lines, found a single value or a list", first_line,
                          "Each line should look like 'title: My page'.")
    return doc


def parse_yaml(text: str, first_line: int = 1) -> YamlDoc:
    """Parse one YAML document whose values are all strings, lists, mappings or None."""
    builder = _Builder(text, first_line)
    try:
        _feed(builder, text)
    except yaml.YAMLError as exc:
        raise _problem(exc, text, first_line, builder.last) from None
    return YamlDoc(builder.root, builder.lines)


def _feed(builder: _Builder, text: str) -> None:
    loader = Loader(text)  # PyYAML's own reader may refuse the text here already
    try:
        while loader.check_event():
            builder.add(loader.get_event())
    finally:
        loader.dispose()


@dataclass
class _Open:
    """A list or mapping being built."""

    container: list | dict
    path: tuple
    indent: int | None  # a block's lines are indented at least this much; None inside [ ] or { }
    key: str | None = None  # a mapping's key waiting for its value
    seen: dict = field(default_factory=dict)  # a mapping's keys so far, with their lines


class _Builder:
    """Turns parser events into lists, dicts and strings, recording the line of each key."""

    def __init__(self, text: str, first_line: int):
        self.text_lines = text.split("\n")
        self.first_line = first_line
        self.root = None
        self.lines: dict[tuple, int] = {}
        self.documents = 0
        self.last = None  # the last event, to explain an error right after it
        self.stack: list[_Open] = []

    def line(self, event) -> int:
        return event.start_mark.line + self.first_line

    def add(self, event) -> None:
        self.last = event
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem("a second YAML document starts here", self.line(event),
                                  "Keep one document: remove the '---' line, or put text with '---' in quotes.")
        elif isinstance(event, yaml.AliasEvent):
            raise YamlProblem(f'"*{event.anchor}" is a YAML alias, and aliases are not used here',
                              self.line(event), _QUOTE_HINT.format(char="*"))
        elif isinstance(event, yaml.ScalarEvent):
            self._check_node(event)
            self._check_quote(event)
            self._check_comment(event)
            plain_null = event.implicit[0] and event.value in NULLS
            self._place(None if plain_null else event.value, event)
        elif isinstance(event, yaml.CollectionStartEvent):
            self._check_node(event)
            self._open({} if isinstance(event, yaml.MappingStartEvent) else [], event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self.stack.pop()

    def _check_node(self, event) -> None:
        if event.anchor is not None:
            raise YamlProblem(f'"&{event.anchor}" is a YAML anchor, and anchors are not used here',
                              self.line(event), _QUOTE_HINT.format(char="&"))
        if event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise YamlProblem(f'"{tag}" is a YAML tag, and tags are not used here', self.line(event),
                              _QUOTE_HINT.format(char="!"))

    def _check_quote(self, event) -> None:
        """A quoted value's next lines are indented under it, as YAML requires (libyaml does not check).

        Without this, a quote left open swallows the fields below it into one long value, silently.
        """
        if not _runaway_quote(event):
            return
        need = next((block.indent for block in reversed(self.stack) if block.indent is not None), 0)
        for number in range(event.start_mark.line + 1, event.end_mark.line + 1):
            line = self.text_lines[number]
            if line.strip() and len(line) - len(line.lstrip(" ")) < need:
                raise _runaway_problem(event, self.first_line)

    def _check_comment(self, event) -> None:
        """A plain value followed on its line by " #...": YAML drops the rest as a comment, and the
        page would publish "We are the" for "We are the #1 clinic". Refused, unless it is a key's."""
        if event.style not in (None, "") or (self.stack and isinstance(self.stack[-1].container, dict)
                                       and self.stack[-1].key is None):
            return  # quoted, or a field name
        rest = self.text_lines[event.end_mark.line][event.end_mark.column:]
        if _COMMENT.match(rest) and event.value:
            raise YamlProblem(f'the text after "#" on this line is a YAML comment, so only "{event.value}" would show',
                              event.end_mark.line + self.first_line, _COMMENT_HINT)

    def _open(self, container, event) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise YamlProblem(f"the YAML is nested more than {MAX_DEPTH} levels deep here", self.line(event),
                              _DEPTH_HINT)
        path = self._place(container, event)
        self.stack.append(_Open(container, path, None if event.flow_style else event.start_mark.column + 1))

    def _place(self, value, event) -> tuple:
        """Put value where the open container expects it; return its key path."""
        if not self.stack:
            self.root = value
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            path = top.path + (len(top.container),)
            top.container.append(value)
            self.lines[path] = self.line(event)
            return path
        if top.key is None:  # value is the key of the next entry
            self._new_key(top, value, event)
            return ()
        top.container[top.key] = value
        path, top.key = top.path + (top.key,), None
        return path

    def _new_key(self, top: _Open, key, event) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise YamlProblem("a list or a group of fields is used as a field name", self.line(event),
                              "Field names are single words followed by ':', for example title:.")
        key = key or ""
        line = self.line(event)
        if key in top.seen:
            raise YamlProblem(f'"{key}" is given twice, on lines {top.seen[key]} and {line}', line,
                              f'Keep one "{key}:" line and delete the other.')
        top.seen[key] = line
        top.key = key
        self.lines[top.path + (key,)] = line


_COMMENT = re.compile(r"\s+#")
_COMMENT_HINT = ('To show the "#", put the whole value in double quotes, for example description: "We are the '
                 '#1 clinic". A note for editors goes on a line of its own, starting with "#".')
_DEPTH_HINT = "Check the indentation and the brackets: no field needs more than a few levels."
_QUOTE_HINT = ("If the value starts with '{char}', put the whole value in double quotes, "
               'for example title: "{char}...". YAML anchors (&), aliases (*) and tags (!) have no use here.')


def _problem(exc: yaml.YAMLError, text: str, first_line: int, last) -> YamlProblem:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if _runaway_quote(last):  # a quote that did not close where the editor meant, so the next line fails
        return _runaway_problem(last, first_line)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "end of stream" in problem and getattr(exc, "context_mark", None):
        mark = exc.context_mark  # an unclosed quote: point at where it opens, not at the end of the file
    if mark:
        line = mark.line + first_line
    elif isinstance(getattr(exc, "position", None), int):  # a ReaderError: a character YAML refuses
        line = text.count("\n", 0, exc.position) + first_line
    else:
        line = None
    return YamlProblem(f"the YAML does not parse: {problem}", line, _yaml_hint(problem))


def _runaway_quote(event) -> bool:
    return (isinstance(event, yaml.ScalarEvent) and event.style in ('"', "'")
            and event.end_mark.line > event.start_mark.line)


def _runaway_problem(event, first_line: int) -> YamlProblem:
    end = event.end_mark.line + first_line
    return YamlProblem(f"the quote opened on this line closes only on line {end}", event.start_mark.line + first_line,
                       "Close the quote at the end of the value on this line; a value that goes on over "
                       "several lines is indented under its field.")


def _yaml_hint(problem: str) -> str:
    if re.search(r"\btabs?\b|'\\t'", problem):
        return "Use spaces, not tabs, to indent YAML."
    if "cannot start any token" in problem:
        return "Indent with spaces, not tabs; put a value that starts with @ or ` in double quotes."
    if "characters are not allowed" in problem:
        return "The line holds an invisible control character: type the line again, or save the file as plain text."
    if "alphabetic or numeric" in problem:
        return ('A value that starts with a sign YAML uses (* & ! % @ `) must be in double quotes, '
                'for example title: "*Important* news".')
    if "mapping values" in problem:
        return ("A value contains ': '. Put the whole value in double quotes, "
                'for example title: "Tests: what to expect".')
    if "nesting depth" in problem:
        return _DEPTH_HINT
    if "indentation" in problem or "expected <block end>" in problem:
        return "Check the indentation: list items start with '- ' and line up under their key."
    return "Check this line and the one above it: quotes must close, lists start with '- '."
