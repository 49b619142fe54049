"""A page's rendered body read as Pagefind reads it, for the search index used from disk (searchdata.py).

Read once, when the page's Markdown is rendered, and cached with it: a build that changes one page
does not read the other pages' HTML again.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class SearchText:
    body: str  # all its text in order, each heading and list item ended like a sentence
    headings: str  # its headings, " | " between them
    signs: str  # the warning signs its cards list, " | " between them


def search_text(html: str) -> SearchText:
    """Return what search reads of a rendered body (kept as three strings: it is held for every page)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    parts = reader.parts
    return SearchText(sentences(parts["all"]), joined(parts["heading"]), joined(parts["sign"]))


def sentences(pieces: list[str]) -> str:
    return " ".join(_sentence(piece) for piece in pieces if piece)


def joined(pieces: list[str]) -> str:
    return " | ".join(piece for piece in pieces if piece)


def _sentence(piece: str) -> str:
    """End a heading or list item with a full stop, as Pagefind does, so an excerpt reads across them."""
    return piece if piece[-1] in ".?!:;)" else piece + "."


class _Reader(HTMLParser):
    """Read a page's rendered body as Pagefind does: all its text in order, its headings and warning signs apart.

    Whatever is marked data-pagefind-ignore (tooltips, the cards' headings and calls) is left out.
    """

    VOID = {"br", "hr", "img", "input", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: dict[str, list[str]] = {"heading": [], "sign": [], "body": [], "all": []}
        self._stack: list[tuple[str, str | None]] = []  # (tag, the part its text goes to, or None: ignored)

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        part = self._stack[-1][1] if self._stack else "body"
        if "data-pagefind-ignore" in a:
            part = None
        elif part and tag in ("h2", "h3", "h4", "h5", "h6"):
            part = "heading"
        elif part and tag == "ul" and "care-signs" in (a.get("class") or "").split():
            part = "sign"
        self._stack.append((tag, part))
        if part and tag in ("li", "p", "h2", "h3", "h4", "h5", "h6", "td", "dt", "dd"):
            self.parts[part].append("")  # each of these starts a new piece of text
            self.parts["all"].append("")

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        part = self._stack[-1][1] if self._stack else "body"
        if not part or not data.strip():
            return
        for pieces in (self.parts[part], self.parts["all"]):
            if not pieces:
                pieces.append("")
            pieces[-1] = " ".join(f"{pieces[-1]} {data}".split())
