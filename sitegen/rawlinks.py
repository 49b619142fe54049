"""Links and pictures written as raw HTML (<a href>, <img src>), resolved as Markdown ones are.

Python-Markdown keeps raw HTML aside as text, out of the tree its link rewriting walks, so without
this a raw <a href="tests.md"> was published as it was typed: a link to nowhere, never checked.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import urlsplit

from .sanitize import SCHEMES

ADDRESSES = {"a": ("href", "link"), "img": ("src", "image")}  # the only address attributes the safe list keeps


def rewrite_addresses(raw: str, rewrite: Callable[[str, str], str | None],
                      no_alt: Callable[[str], None] = lambda address: None) -> str:
    """Return raw HTML with each link's and picture's address replaced by rewrite(address, kind), or
    left out where it returns None. Everything else stays exactly as written, and so do addresses the
    sanitiser refuses (javascript: and the like, or no address at all): it reports them, with their line.
    no_alt(address) is told of each picture without alternative text."""
    tags = _Tags()
    tags.feed(raw)
    tags.close()
    for address in tags.no_alt:
        no_alt(address)
    if not tags.found:
        return raw
    line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
    pieces, done = [], 0
    for (line, column), text, name, kind, address in tags.found:
        if _refused(address):
            continue
        start = line_starts[line - 1] + column
        new = rewrite(address, kind)
        if new != address:
            pieces += [raw[done:start], _with_address(text, name, new)]
            done = start + len(text)
    return "".join(pieces) + raw[done:]


def _refused(address: str) -> bool:
    try:  # as a browser reads it: tabs and line breaks taken out
        scheme = urlsplit(re.sub(r"[\t\n\r]", "", address).strip()).scheme
    except ValueError:
        return True  # not an address at all ("http://[bad"): the sanitiser says so
    return scheme.lower() not in SCHEMES | {""}


class _Tags(HTMLParser):
    """The start tags that carry an address: ((line, column), tag as written, attribute, kind, address)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, str, str, str]] = []
        self.no_alt: list[str] = []  # the addresses of pictures without alternative text

    def handle_starttag(self, tag, attrs):
        name, kind = ADDRESSES.get(tag, (None, None))
        address = next((value for key, value in attrs if key == name), None)  # the first, as browsers read it
        if tag == "img" and not (dict(attrs).get("alt") or "").strip():
            self.no_alt.append(address or "")
        if address is not None:
            self.found.append((self.getpos(), self.get_starttag_text(), name, kind, address))


# One attribute of a start tag, read as html.parser reads them: a name, then = and a value, or not.
_ATTRIBUTE = re.compile(r"""[\s/]*(?P<name>[^\s/>=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")


def _with_address(tag: str, name: str, address: str | None) -> str:
    """Return the tag as written with its first name="..." attribute set to address, or left out (None)."""
    at = re.match(r"<[^\s/>]+", tag).end()
    while (found := _ATTRIBUTE.match(tag, at)) and found.end() > at:
        if found.group("name").lower() == name:
            if address is None:
                return tag[:found.start()] + tag[found.end():]
            return tag[:found.start("name")] + f'{name}="{html.escape(address, quote=True)}"' + tag[found.end():]
        at = found.end()
    return tag
