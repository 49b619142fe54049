"""A page's rendered body read as Pagefind reads it, for the search index used from disk (searchdata.py).

Read once, when the page's Markdown is rendered, and cached with it: a build that changes one page
does not read the other pages' HTML again.
"""

from __future__ import annotations

from html.parser import HTMLParser


def text_parts(html: str) -> dict[str, list[str]]:
    """Return the body's text in pieces: "all" of it in order, and its "heading", "sign" and "body" parts."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.parts


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
