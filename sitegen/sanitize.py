"""Keep raw HTML in pages to a safe list of elements and attributes."""

from __future__ import annotations

import re

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd",
    "label", "li", "mark", "ol", "p", "pre", "q", "s", "section", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "hidden"},
    "a": {"href", "hreflang", "type"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"type", "checked"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "details": {"open"},
    "time": {"datetime"},
    "label": {"for"},
}
SCHEMES = {"http", "https", "mailto", "tel"}
# What an editor's raw HTML must never contain; each is reported as an error, not silently dropped.
FORBIDDEN = re.compile(
    r"<\s*(?P<tag>script|style|iframe|object|embed|form|base|meta|link|svg|math)\b"
    r"|\s(?P<event>on[a-z]+)\s*="
    r"|(?P<url>javascript|vbscript|data)\s*:",
    re.IGNORECASE,
)


def find_forbidden(raw_html: str) -> list[tuple[str, str]]:
    """Return (what was found, the matching text) for each unsafe construct in raw HTML."""
    found = []
    for match in FORBIDDEN.finditer(raw_html):
        if match.group("tag"):
            found.append((f"a <{match.group('tag').lower()}> element", match.group(0)))
        elif match.group("event"):
            found.append((f'an event-handler attribute "{match.group("event")}"', match.group("event")))
        else:
            found.append((f'a "{match.group("url").lower()}:" address', match.group(0)))
    return found


def clean(html: str) -> str:
    """Return html with anything outside the safe list removed."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, generic_attribute_prefixes={"aria-", "data-"},
                     url_schemes=SCHEMES, link_rel=None, strip_comments=True)
