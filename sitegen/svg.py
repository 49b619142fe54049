"""SVG pictures: cleaned by svg-hush before they are published, and nothing dropped without a word.

An SVG opened on its own is a document that can run scripts on the site's origin, and it can
fetch from other hosts. svg-hush (Cloudflare's allowlist filter) decides what a picture may
hold, and its output is the file that is published and printed. What it would remove or change
in the editor's file (a script, an event handler, a foreignObject, a link or reference to another
host, editor data) is an error with its line, so a picture is published as drawn or not at all.
The editor's file is read with expat, refusing entity declarations before anything is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

import py_svg_hush

from .diagnostics import ContentError, ContentErrors, Diagnostic

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "http://www.w3.org/1999/xlink href"
DATA_IMAGES = {"image": ["png", "jpeg", "gif", "webp", "avif"]}  # pictures an SVG may embed as data: URLs
MAX_DEPTH = 40  # elements within elements; drawings nest far less, and the cleaner's output grows with it
SHOWN = 60  # characters of a value quoted in a message
REMOVED = "the cleaner would remove it"
HINT = ("A published picture holds drawing only: no scripts, event handlers, embedded web content, "
        "references to other files or hosts, or editor data. Remove it from the file, or export the "
        'picture again as plain SVG (see "Add a picture" in EDITING.md).')


@dataclass
class Element:
    """One element of an SVG as the parser read it; names are "namespace local-name prefix"."""

    name: str
    attrs: dict[str, str]
    line: int
    depth: int
    text: list[str] = field(default_factory=list)  # its own characters (a <style> element's rules)

    @property
    def local(self) -> str:
        return _key(self.name).split(" ")[-1]


class Refused(Exception):
    """An entity declaration: refused before anything is expanded."""


def clean_svg(data: bytes, shown: str) -> bytes:
    """Return the SVG as svg-hush cleans it, or raise ContentErrors naming what it would remove."""
    elements, instructions = _parse(data, shown)
    if _key(elements[0].name) != f"{SVG_NS} svg":
        raise ContentError(Diagnostic(shown, elements[0].line, "svg.invalid", f"this is not an SVG picture: it starts with <{_tag(elements[0].name)}>",
                                      'An SVG file starts with <svg xmlns="http://www.w3.org/2000/svg">. '
                                      "Export the picture again as SVG, or give the file the extension of its real type."))
    deepest = max(elements, key=lambda element: element.depth)
    if deepest.depth > MAX_DEPTH:
        raise ContentError(Diagnostic(shown, deepest.line, "svg.depth", f"the SVG nests elements more than {MAX_DEPTH} deep",
                                      "Ungroup the picture's layers in your drawing program, or export it again as plain SVG."))
    try:
        cleaned = py_svg_hush.filter_svg(data, keep_data_url_mime_types=DATA_IMAGES)
    except ValueError as exc:
        raise ContentError(Diagnostic(shown, None, "svg.invalid", f"the SVG cannot be cleaned ({exc})", HINT)) from None
    problems = [(line, f"the processing instruction {_quote(pi)}", REMOVED) for line, pi in instructions]
    problems += _differences(elements, _parse(cleaned, shown)[0])
    if problems:
        raise ContentErrors([Diagnostic(shown, line, "svg.unsafe", f"{what} is not allowed in a published picture ({why})", HINT)
                             for line, what, why in _grouped(problems)])
    return cleaned


def _parse(data: bytes, shown: str) -> tuple[list[Element], list[tuple[int, str]]]:
    """Return the elements of an SVG in document order, and its processing instructions."""
    elements: list[Element] = []
    instructions: list[tuple[int, str]] = []
    open_elements: list[Element] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True

    def start(name, attrs):
        elements.append(Element(name, attrs, parser.CurrentLineNumber, len(open_elements)))
        open_elements.append(elements[-1])

    def refuse(*args):
        raise Refused

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: open_elements.pop()
    parser.CharacterDataHandler = lambda text: open_elements and open_elements[-1].text.append(text)
    parser.ProcessingInstructionHandler = lambda target, text: instructions.append((parser.CurrentLineNumber, f"<?{target} {text}?>"))
    parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ContentError(Diagnostic(shown, exc.lineno, "svg.invalid",
                                      f"the SVG is not well-formed XML ({expat.ErrorString(exc.code)})",
                                      "Export the picture again as SVG from your drawing program.")) from None
    except Refused:
        raise ContentError(Diagnostic(shown, parser.CurrentLineNumber, "svg.unsafe",
                                      "the SVG declares an entity (<!ENTITY ...>), which is not allowed in a published picture",
                                      "Remove the <!DOCTYPE ...> part with its entities; a picture does not need them.")) from None
    return elements, instructions


def _differences(original: list[Element], cleaned: list[Element]) -> list[tuple[int, str, str]]:
    """Return (line, what, why) for each element and attribute that the cleaning removed or changed.

    The cleaner removes whole elements (with what they contain) and filters attributes; it never
    adds or moves anything, so the two lists of elements are walked side by side.
    """
    problems = []
    kept = iter(cleaned)
    after = next(kept, None)
    removed_at = None  # depth of the element removed last: what it contains is gone with it
    for element in original:
        if removed_at is not None and element.depth > removed_at:
            continue
        removed_at = None
        if after is None or (_key(element.name), element.depth) != (_key(after.name), after.depth):
            problems.append((element.line, f"<{_tag(element.name)}>", REMOVED))
            removed_at = element.depth
            continue
        problems += _attribute_changes(element, after)
        if after.local == "style" and "".join(element.text).strip() != "".join(after.text).strip():
            problems.append((element.line, "a rule in <style>", "the cleaner would remove or change an @import, a url() or a \\ escape"))
        after = next(kept, None)
    return problems


def _attribute_changes(element: Element, after: Element) -> list[tuple[int, str, str]]:
    problems = []
    for name, value in element.attrs.items():
        what = f'the attribute {_tag(name)}="{_quote(value)}" of <{after.local}>'
        key = _key(name)
        new = after.attrs.get("href" if key == XLINK_HREF else key) if " " not in key or key == XLINK_HREF else None
        if new is None:
            problems.append((element.line, what, REMOVED))
        elif new.strip() != value.strip():
            problems.append((element.line, what, f'the cleaner would change it to "{_quote(new)}"'))
        elif key in ("href", XLINK_HREF) and not value.strip().startswith(("#", "data:")):
            # Even a file of the site: an <img> picture shows nothing it refers to, and print would read any file.
            problems.append((element.line, what, "it refers to another file"))
    return problems


def _grouped(problems: list[tuple[int, str, str]]):
    """Yield (first line, what, why) once per kind of problem, saying how often it occurs."""
    lines: dict[tuple[str, str], list[int]] = {}
    for line, what, why in problems:
        lines.setdefault((what, why), []).append(line)
    for (what, why), found in lines.items():
        yield found[0], what, why if len(found) == 1 else f"{why}; {len(found)} times in the file"


def _key(name: str) -> str:
    """Return a name without its prefix: "namespace local-name", or the local name alone."""
    return " ".join(name.split(" ")[:2])


def _tag(name: str) -> str:
    """Return a name as the editor wrote it: "http://www.w3.org/1999/xlink href xlink" -> "xlink:href"."""
    parts = name.split(" ")
    return parts[1] if len(parts) == 2 else ":".join(parts[:0:-1]) if len(parts) == 3 else name


def _quote(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= SHOWN else value[: SHOWN - 3] + "..."
