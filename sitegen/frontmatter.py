"""Split a page into its YAML front matter and its Markdown body (stage 2)."""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import ContentError, Diagnostic
from .titles import leading_title

FENCE = "---"


@dataclass(frozen=True)
class SplitPage:
    """The two parts of a page file; body_line is the file line where the body starts."""

    meta_text: str
    body: str
    body_line: int


def split_front_matter(text: str, shown: str) -> SplitPage:
    """Return the front matter and body, or raise ContentError when the fences are wrong."""
    lines = text.split("\n")
    if not text.strip():
        raise ContentError(Diagnostic(shown, 1, "empty", "the file is empty",
                                      "Start the page with front matter between two '---' lines: title, description and sources."))
    if lines[0].rstrip() != FENCE:
        if leading_title(text):  # a `# Title` page (MkDocs): the checks then ask for its other fields
            return SplitPage("", text, 1)
        raise ContentError(Diagnostic(shown, 1, "frontmatter.missing", "the page does not start with front matter",
                                      "Put a line '---' first, then title:, description: and sources:, then another '---' "
                                      "(or start the page with its title as a heading: # Title)."))
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in (FENCE, "..."):
            return SplitPage("\n".join(lines[1: number - 1]), "\n".join(lines[number:]), number + 1)
    raise ContentError(Diagnostic(shown, 1, "frontmatter.unclosed", "the front matter starts here but never closes",
                                  "Add a line with only '---' after the last front matter field."))
