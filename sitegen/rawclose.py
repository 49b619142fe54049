"""Raw HTML elements that a page opens and never closes.

A browser carries an unclosed <a>, <strong> or <details> on into the paragraphs after it: one
missing </a> makes the rest of the page a single link, and a missing </details> hides it. The
sanitiser cannot tell, so the page gets an error at the line of the start tag instead.
"""

from __future__ import annotations

import bisect
import re
from html.parser import HTMLParser

from .sanitize import NOT_NESTING, VOID

# HTML's "formatting elements": a browser opens them again in every paragraph after one left open.
FORMATTING = {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"}
# Other elements of a line's text: the end of their paragraph closes them, and nothing after is changed.
PHRASING = {"abbr", "bdi", "bdo", "cite", "data", "del", "dfn", "ins", "kbd", "label", "mark", "q", "samp", "span",
            "sub", "sup", "time", "var"}


def unclosed(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Return (where, start tag as written) of each element that the raw HTML pieces open and no later
    end tag closes, in the order written. The pieces are (where in the page, text): the page's raw
    HTML, a tag or a block each, in the order of the page. Elements whose paragraph or next sibling
    closes them (<span>, <p>, <li>) do not count, nor do end tags in the wrong order."""
    tags = _Tags()
    for where, piece in pieces:
        tags.piece = where
        tags.feed(piece)
    tags.close()
    return [(where, text) for tag, where, text in tags.open if tag in FORMATTING or tag not in PHRASING | NOT_NESTING]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.piece = 0
        self.open: list[tuple[str, int, str]] = []  # (tag, where its piece starts, start tag text), outermost first

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append((tag, self.piece, self.get_starttag_text()))

    def handle_startendtag(self, tag, attrs):  # <span/> opens a span: in HTML only void elements close so
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth]
                return


def in_page_order(body: str, pieces: list[str]) -> list[tuple[int, str]]:
    """Return the raw HTML pieces as (where in the body, text), in the body's order: the stash keeps
    them in the order Markdown met them, which inside a <div markdown> block is not the page's.
    Longest first, each piece takes the first place it is written that no other piece holds, nor
    the tags of a <div markdown> block (which are not raw HTML: its </div> is no piece's)."""
    taken = _markdown_block_tags(body)
    starts, ends, placed = [s for s, _ in taken], [e for _, e in taken], []  # the places taken, sorted
    for piece in sorted(pieces, key=len, reverse=True):
        at = body.find(piece)
        while at >= 0:
            i = bisect.bisect_right(starts, at)
            if (i == 0 or ends[i - 1] <= at) and (i == len(starts) or at + len(piece) <= starts[i]):
                starts.insert(i, at)
                ends.insert(i, at + len(piece))
                break
            at = body.find(piece, at + 1)
        placed.append((at if at >= 0 else len(body), piece))  # not found as typed (tabs made spaces): last
    return sorted(placed, key=lambda p: p[0])


_MARKDOWN_BLOCK = re.compile(r"""<([A-Za-z][\w-]*)\b[^>]*?\smarkdown\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)[^>]*>""")


def _markdown_block_tags(body: str) -> list[tuple[int, int]]:
    """The places of the start and end tags of each <div markdown> (md_in_html) block, sorted: each
    start tag's end is the first end tag of its name that closes as many as were opened after it."""
    spans = []
    for opening in _MARKDOWN_BLOCK.finditer(body):
        spans.append(opening.span())
        depth = 1
        for tag in re.finditer(rf"<(/?){re.escape(opening.group(1))}\b[^>]*>", body[opening.end():]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                spans.append((opening.end() + tag.start(), opening.end() + tag.end()))
                break
    return sorted(set(spans))
