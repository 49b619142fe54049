"""A page's `# Title` first line, as MkDocs pages have it: the title when the front matter has none.

The front matter's title is the page's only top heading (the templates show it as the h1). Most
Markdown that clinics already have starts with `# Title` instead, which MkDocs also reads as the
title. So a first heading is taken as the title when there is no `title:`, and dropped when it
repeats the `title:`; any other top-level heading stays an error (markdown.py, heading.h1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ATX = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")  # "# Title", "# Title #"
_SETEXT_RULE = re.compile(r"^ {0,3}=+[ \t]*$")  # "Title" on one line, "=====" under it


@dataclass(frozen=True)
class LeadingTitle:
    """The top heading a body starts with: its text and the lines it takes (0-based, end excluded)."""

    text: str
    start: int
    end: int

    def remove(self, body: str) -> str:
        """Return the body without the heading; blank lines keep every later line where it was."""
        lines = body.split("\n")
        lines[self.start:self.end] = [""] * (self.end - self.start)
        return "\n".join(lines)


def leading_title(body: str) -> LeadingTitle | None:
    """Return the top-level heading on the body's first non-blank line (# Title, or Title over ===)."""
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    atx = _ATX.match(lines[first])
    if atx:
        return LeadingTitle(atx.group(1).strip(), first, first + 1)
    below = lines[first + 1] if first + 1 < len(lines) else ""
    if _SETEXT_RULE.match(below) and not lines[first].startswith((" " * 4, "\t", "<", "!!!", "-", "*", "|")):
        return LeadingTitle(lines[first].strip(), first, first + 2)
    return None


def same_title(a: str, b: str) -> bool:
    """Return True when two titles read the same: spacing and capitals aside."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def take_title(data: dict, body: str) -> str:
    """Take the body's leading `# Title` as the title when data has none; drop it when it repeats the title.

    data is the page's front matter as parsed (changed in place); return the body to render.
    """
    heading = leading_title(body)
    if heading is None:
        return body
    title = data.get("title")
    if title is None:  # no title: line, or an empty one
        data["title"] = heading.text
        return heading.remove(body)
    if isinstance(title, str) and same_title(title, heading.text):
        return heading.remove(body)
    return body  # another heading: the build reports it (heading.h1)
