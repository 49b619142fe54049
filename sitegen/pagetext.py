"""A page's rendered body read as Pagefind reads it, for the search index used from disk (searchdata.py).

Read once, when the page's Markdown is rendered, and cached with it: a build that changes one page
does not read the other pages' HTML again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape


@dataclass(frozen=True)
class SearchText:
    body: str  # all its text in order, each heading and list item ended like a sentence
    headings: str  # its headings, " | " between them
    signs: str  # the warning signs its cards list, " | " between them


def search_text(html: str) -> SearchText:
    """Return what search reads of a rendered body (kept as three strings: it is held for every page)."""
    parts = _read(html)
    return SearchText(sentences(parts["all"]), joined(parts["heading"]), joined(parts["sign"]))


def sentences(pieces: list[str]) -> str:
    return " ".join(_sentence(piece) for piece in pieces if piece)


def joined(pieces: list[str]) -> str:
    return " | ".join(piece for piece in pieces if piece)


def _sentence(piece: str) -> str:
    """End a heading or list item with a full stop, as Pagefind does, so an excerpt reads across them."""
    return piece if piece[-1] in ".?!:;)" else piece + "."


# The body is HTML as the sanitiser writes it (quoted attributes, no comments or scripts), so a
# tokenizer of three patterns reads it as html.parser would, five times faster.
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<[^>]*>|([^<]+)")
_IGNORED = re.compile(r"\sdata-pagefind-ignore(?=[\s=/]|$)")
_CLASS = re.compile(r'\sclass="([^"]*)"')
_VOID = {"br", "hr", "img", "input", "wbr"}
_PIECES = {"li", "p", "h2", "h3", "h4", "h5", "h6", "td", "dt", "dd"}  # each starts a new piece of text
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}


def _read(html: str) -> dict[str, list[str]]:
    """Read a body as Pagefind does: all its text in order, its headings and warning signs apart.

    Whatever is marked data-pagefind-ignore (tooltips, the cards' headings and calls) is left out.
    """
    parts: dict[str, list[list[str]]] = {"heading": [], "sign": [], "body": [], "all": []}
    stack: list[tuple[str, str | None]] = []  # (tag, the part its text goes to, or None: ignored)
    for match in _TOKEN.finditer(html):
        closing, tag, attrs, data = match.groups()
        if data is not None:
            part = stack[-1][1] if stack else "body"
            words = unescape(data).split()
            if part and words:
                for pieces in (parts[part], parts["all"]):
                    if not pieces:
                        pieces.append([])
                    pieces[-1].extend(words)
        elif tag is None:
            continue  # a comment or declaration
        elif closing:
            tag = tag.lower()
            while stack and stack.pop()[0] != tag:
                pass
        elif tag.lower() not in _VOID and not attrs.rstrip().endswith("/"):
            tag = tag.lower()
            part = stack[-1][1] if stack else "body"
            if _IGNORED.search(attrs):
                part = None
            elif part and tag in _HEADINGS:
                part = "heading"
            elif part and tag == "ul" and "care-signs" in (_CLASS.search(attrs) or [None, ""])[1].split():
                part = "sign"
            stack.append((tag, part))
            if part and tag in _PIECES:
                parts[part].append([])
                parts["all"].append([])
    return {name: [" ".join(words) for words in pieces] for name, pieces in parts.items()}
