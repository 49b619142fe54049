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

from .picturesize import PictureSize, fill_size
from .sanitize import SCHEMES

ADDRESSES = {"a": ("href", "link"), "img": ("src", "image")}  # the only address attributes the safe list keeps


def rewrite_addresses(raw: str, rewrite: Callable[[str, str], str | None],
                      no_alt: Callable[[str], None] = lambda address: None,
                      size_of: Callable[[str], PictureSize | None] = lambda address: None) -> str:
    """Return raw HTML with each link's and picture's address replaced by rewrite(address, kind), or
    left out where it returns None. Everything else stays exactly as written, and so do addresses the
    sanitiser refuses (javascript: and the like, or no address at all): it reports them, with their line.
    no_alt(address) is told of each picture without alternative text; a picture gets the width or
    height it lacks from size_of(address), as a Markdown one does (picturesize.fill_size)."""
    tags = _Tags()
    tags.feed(raw)
    tags.close()
    for address in tags.no_alt:
        no_alt(address)
    if not tags.found:
        return raw
    offset = _offsets(raw)
    pieces, done = [], 0
    for where, text, name, kind, address, attrs in tags.found:
        if _refused(address):
            continue
        start = offset(where)
        new = rewrite(address, kind)
        size = fill_size(attrs, size_of(address)) if kind == "image" and new is not None else {}
        if new != address or size:
            tag = _with_address(text, name, new) if new != address else text
            pieces += [raw[done:start], _with_attributes(tag, size)]
            done = start + len(text)
    return "".join(pieces) + raw[done:]


def mark_external(page_html: str, words: str) -> str:
    """Return the page's HTML with each link to another website that says nothing of it (one written as
    raw HTML: Markdown's are marked as they are made) given the class external, the arrow on screen,
    and words for screen readers before its end: as markdown._mark_external marks a Markdown link."""
    links = _Links()
    links.feed(page_html)
    links.close()
    offset = _offsets(page_html)
    pieces, done = [], 0
    for start, tag, end in links.external:
        begin, close = offset(start), offset(end)
        if 'class="visually-hidden"' in page_html[begin:close]:
            continue  # marked already
        pieces += [page_html[done:begin], _with_class(tag, "external"), page_html[begin + len(tag):close],
                   f'<span class="visually-hidden"> {html.escape(words)}</span>']
        done = close
    return "".join(pieces) + page_html[done:]


def _offsets(text: str) -> Callable[[tuple[int, int]], int]:
    """Return what turns an HTMLParser position (line from 1, column from 0) in text into an index."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return lambda position: line_starts[position[0] - 1] + position[1]


def is_external(href: str) -> bool:
    """True for an address on another website, as a browser reads it (any case, spaces around)."""
    return href.strip().lower().startswith(("http://", "https://"))


class _Links(HTMLParser):
    """Each link to another website: (where its start tag is, the tag as written, where its end tag is)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.external: list[tuple[tuple[int, int], str, tuple[int, int]]] = []
        self.open: tuple[tuple[int, int], str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":  # a second <a> ends the first, as in a browser
            href = next((value for key, value in attrs if key == "href"), None) or ""
            self.open = (self.getpos(), self.get_starttag_text()) if is_external(href) else None

    def handle_startendtag(self, tag, attrs):
        if tag == "a":  # <a href="..."/>: no end tag to put the words before (a browser opens a link here)
            self.open = None

    def handle_endtag(self, tag):
        if tag == "a" and self.open:  # links do not nest: the next </a> ends it
            self.external.append((*self.open, self.getpos()))
            self.open = None


def _with_class(tag: str, name: str) -> str:
    """Return the start tag as written with name added to its first class attribute (quoted or not),
    or given one."""
    at = re.match(r"<[^\s/>]+", tag).end()
    while (found := _ATTRIBUTE.match(tag, at)) and found.end() > at:
        if found.group("name").lower() == "class":
            value = found.group("value") or ""
            classes = html.unescape(value[1:-1] if value[:1] in ("'", '"') else value).split()
            if name in classes:
                return tag
            joined = html.escape(" ".join([*classes, name]), quote=True)
            return tag[:found.start("name")] + f'class="{joined}"' + tag[found.end():]
        at = found.end()
    return f'{tag[:at]} class="{name}"{tag[at:]}'


def _refused(address: str) -> bool:
    try:  # as a browser reads it: tabs and line breaks taken out
        scheme = urlsplit(re.sub(r"[\t\n\r]", "", address).strip()).scheme
    except ValueError:
        return True  # not an address at all ("http://[bad"): the sanitiser says so
    return scheme.lower() not in SCHEMES | {""}


class _Tags(HTMLParser):
    """The start tags that carry an address: ((line, column), tag as written, attribute, kind, address, attributes)."""

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
            self.found.append((self.getpos(), self.get_starttag_text(), name, kind, address,
                               {key: value or "" for key, value in attrs}))


# One attribute of a start tag, read as html.parser reads them: a name, then = and a value, or not.
_ATTRIBUTE = re.compile(r"""[\s/]*(?P<name>[^\s/>=]+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s>]*))?""")


def _with_attributes(tag: str, attributes: dict[str, str]) -> str:
    """Return the start tag as written with name="value" attributes added before its end."""
    if not attributes:
        return tag
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    added = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in attributes.items())
    return tag[:end].rstrip() + added + tag[end:]


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
