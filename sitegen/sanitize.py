"""Keep raw HTML in pages to a safe list of elements and attributes, and say what was left out."""

from __future__ import annotations

import html as htmllib
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

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
PREFIXES = ("aria-", "data-")
SCHEMES = {"http", "https", "mailto", "tel"}
# Elements that run, load or style something, or take their content with them when left out:
# an error, not a warning. Any other element outside TAGS is left out and its text kept.
UNSAFE_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "base", "meta",
    "link", "svg", "math", "template", "noscript", "portal",
}
DROPS_CONTENT = {"script", "style", "template", "svg", "math"}  # nh3 leaves out their elements with them
# Elements whose content html5ever writes out as it is, not as HTML (Python's parser knows only script and style).
RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "param", "keygen", "basefont", "bgsound", "frame", "image"}
# html5ever (in nh3) takes time that grows with the square of the nesting depth and of the number
# of these characters (entities decoded) in one text, and cannot be interrupted: such HTML is refused before it gets there.
MAX_DEPTH = 100
MAX_SLOW_CHARACTERS = 10_000
SLOW_CHARACTERS = re.compile("[&\x80-\xbf]")
NOT_NESTING = VOID | {"p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
                      "colgroup", "rb", "rp", "rt", "rtc"}  # void, or closed by the next one
TAG = re.compile(r"<(/?)([a-zA-Z][^\t\n\f\r />]*)")


UNSAFE_HINT = "Remove it: pages may use plain HTML for layout only, without scripts or styles."
ADDRESS_HINT = "Link to web pages with https://, or to another page of the site with its .md file."
OTHER_HINT = "Use Markdown, or an element and attribute of the safe list (see EDITING.md); the text inside it is kept."


@dataclass(frozen=True)
class Removal:
    """Something of a page's HTML that clean() left out."""

    what: str  # for the message: 'a <script> element, which is not allowed'
    unsafe: bool  # an error when true, else a warning (all the text is kept)
    hint: str
    tag: str
    attribute: str = ""  # empty when the whole element was left out
    value: str = ""


def clean(html: str) -> str:
    """Return html with anything outside the safe list removed."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, generic_attribute_prefixes=set(PREFIXES),
                     url_schemes=SCHEMES, link_rel=None, strip_comments=True)


def too_deep(html: str) -> int | None:
    """Return where html nests elements more than MAX_DEPTH deep (clean() would take too long), or None."""
    depth = 0
    for tag in TAG.finditer(html):
        if tag.group(2).lower() not in NOT_NESTING:
            depth += -1 if tag.group(1) else 1
            if depth > MAX_DEPTH:
                return tag.start()
    return None


def too_many_slow_characters(html: str) -> int | None:
    """Return where one text of html has more than MAX_SLOW_CHARACTERS (clean() would take too long), or None."""
    for text in re.finditer(r"[^<]{%d,}" % MAX_SLOW_CHARACTERS, html):
        if len(SLOW_CHARACTERS.findall(htmllib.unescape(text.group()))) > MAX_SLOW_CHARACTERS:
            return text.start()
    return None


def removals(html: str, cleaned: str) -> list[Removal]:
    """Return what clean() left out of html (cleaned is clean(html)), in document order.

    nh3 parses HTML as browsers do, so the page is compared with nh3's own reading of it: a
    second pass that allows every element, attribute and scheme the page could contain gives the
    same serialisation minus nothing; what it has and cleaned lacks is what clean() removed.
    Comments are left out on purpose (notes for editors) and not reported.
    """
    if cleaned == html:
        return []
    loose = nh3.clean(html, tags=_names(html) | IMPLIED, clean_content_tags=set(), attributes={"*": _attribute_names(html)},
                      url_schemes=_schemes(html), link_rel=None, strip_comments=True)
    read = _tokens(loose)
    found = _unreadable_addresses(html, read)
    if loose != cleaned:
        found += _compare(read, _tokens(cleaned))
    return found


# Elements the HTML parser adds where the page leaves them out (<table><tr> gets a <tbody>): the
# second pass keeps them too, or every row would look removed.
IMPLIED = {"tbody", "colgroup"}


def _names(html: str) -> set[str]:
    """Every name that can be a tag in html (a superset: anything after a '<')."""
    return {m.lower().replace("\0", "\ufffd") for m in re.findall(r"</?([a-zA-Z][^\t\n\f\r />]*)", html)}


def _attribute_names(html: str) -> set[str]:
    """Every run of characters that can be an attribute name in html (a superset)."""
    words = set(re.split(r"[\s/>=]+", html)) | set(re.split(r"[\s/>=\"'<]+", html))
    return {w.lower().replace("\0", "\ufffd") for w in words if w}


def _schemes(html: str) -> set[str]:
    """Every word that can be the scheme of an address in html, entities decoded (a superset)."""
    text = re.sub(r"[\t\n\r]", "", htmllib.unescape(html))
    return {m.lower() for m in re.findall(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", text)}


def _compare(loose: list[tuple], cleaned: list[tuple]) -> list[Removal]:
    """Return the elements and attributes of loose that cleaned lacks.

    cleaned is loose with elements and attributes taken out, so each element of loose is either
    the next one of cleaned (perhaps with fewer attributes) or was taken out.
    """
    found, kept = [], iter(cleaned)
    after = next(kept, None)
    for tag, attrs, _ in _outside(loose, DROPS_CONTENT):
        if after is not None and after[0] == tag and after[1].items() <= attrs.items():
            found += [_attribute(tag, name, value) for name, value in attrs.items() if name not in after[1]]
            after = next(kept, None)
        else:
            found.append(_element(tag))
    return found


def _outside(tokens: list[tuple], tags: set[str]):
    """Yield the tokens that are not inside one of tags (those are reported once, as that element)."""
    below = None
    for token in tokens:
        if below is not None and token[2] > below:
            continue
        below = token[2] if token[0] in tags else None
        yield token


def _element(tag: str) -> Removal:
    if tag in UNSAFE_TAGS:
        return Removal(f"a <{tag}> element, which is not allowed", True, UNSAFE_HINT, tag)
    return Removal(f"the element <{tag}>, which is not on the safe list", False, OTHER_HINT, tag)


def _attribute(tag: str, name: str, value: str) -> Removal:
    if name.startswith("on"):
        return Removal(f'an event-handler attribute "{name}", which is not allowed', True, UNSAFE_HINT, tag, name, value)
    if name in ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set()) or name.startswith(PREFIXES):
        return _address(tag, name, value)  # an allowed attribute is left out only for its address
    return Removal(f'the attribute "{name}" on <{tag}>, which is not on the safe list', False, OTHER_HINT, tag, name, value)


def _address(tag: str, name: str, value: str) -> Removal:
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", re.sub(r"[\t\n\r]", "", value).strip())
    if scheme and scheme.group(1).lower() not in SCHEMES:
        what = f'a "{scheme.group(1).lower()}:" address, which is not allowed'
    else:
        what = f'the address "{value}", which is not a valid web address'
    return Removal(what, True, ADDRESS_HINT, tag, name, value)


def _unreadable_addresses(html: str, loose: list[tuple]) -> list[Removal]:
    """Return the attributes even the loose pass left out: addresses nh3 cannot read (href="http://[x")."""
    kept = [(tag, name, value) for tag, attrs, _ in loose for name, value in attrs.items()]
    same = Counter(kept)  # (tag, attribute, value) as nh3 read them
    other = Counter((tag, name) for tag, name, _ in kept)
    missing = []
    for tag, attrs, _ in _outside(_tokens(html), DROPS_CONTENT):
        for name, value in attrs.items():
            if not _is_address(name):
                continue
            if same[(tag, name, value)]:
                same[(tag, name, value)] -= 1
                other[(tag, name)] -= 1
            else:
                missing.append((tag, name, value))
    found = []
    for tag, name, value in missing:
        if other[(tag, name)] > 0:
            other[(tag, name)] -= 1  # kept, only read another way than Python's parser reads it
        else:
            found.append(_address(tag, name, value))
    return found


def _is_address(name: str) -> bool:
    """Whether html5ever (nh3) may read the attribute as an address (href, src, xlink:href, cite ...)."""
    return name.endswith(("href", "src")) or name in {"cite", "action", "formaction", "poster", "data", "ping"}


def _tokens(html: str) -> list[tuple[str, dict, int]]:
    """Return (tag, attributes, depth) of each start tag of well-formed html, in order."""
    tokens = _Tokens()
    tokens.feed(html)
    tokens.close()
    return tokens.found


class _Tokens(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict, int]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        # reversed: of two attributes of one name, the first counts, as in browsers
        self.found.append((tag, {name: value or "" for name, value in reversed(attrs)}, len(self.open)))
        if tag not in VOID:
            self.open.append(tag)
        if tag in RAW_TEXT:
            self.set_cdata_mode(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass
