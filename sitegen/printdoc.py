"""One handout as a Typst document: its parts (PrintDoc, gathered by handouts.py) and the source
that templates/handout.typ turns into the page. The counterpart of a page template for paper.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import zxingcpp

from .printbody import DESIGN_FEATURES, SHEET_TURN, body_markup, short_url, surely_fits, tstr, ttext


WRITE_LINES = 2  # the questions box's writing lines at least; it grows to fill the last page


@dataclass
class Section:
    """One page of the handout (a packet has several)."""

    title: str
    url: str  # the page online
    body_html: str  # handouts.print_body() of the page
    key_points: list[str] = field(default_factory=list)
    sources: list[tuple[str, str, str]] = field(default_factory=list)  # (title, publisher, url)
    notices: list[str] = field(default_factory=list)  # review and translation notices, already worded
    review_line: str = ""  # "Reviewed on ... Next review due ...", already worded ("" = none)
    terms: list[tuple[str, str]] = field(default_factory=list)  # (term, definition): the words box
    word_list: bool = False  # the glossary page: its words are the handout, in two columns to its end


@dataclass
class PrintDoc:
    """Everything one handout prints, worded in its language."""

    lang: str
    title: str  # the document title (packets: "All pages about: ...")
    url: str  # the page (or topic index) online, for the QR code
    site_title: str
    clinic: tuple[str, str, str]  # name, address, phone
    help: list[list[tuple[str, bool]]]  # the most urgent level's action and fallback: (text, is a number)
    strings: dict[str, str]  # templates/strings/<lang>.yml
    printed: str  # the build date as the language writes it
    date: dt.date  # the build date, for the PDF's own dates
    sections: list[Section]
    large: bool = False
    packet: bool = False
    sheet: bool = False  # the help page's one-sheet edition: cards only, for a fridge
    paper: str = "letter"
    description: str = ""
    glossary: list[tuple[str, str]] = field(default_factory=list)  # packets: every term, at the end
    features: frozenset[str] = frozenset(DESIGN_FEATURES)  # what the design's functions can be given (printbody)


@functools.lru_cache(maxsize=256)  # both editions of a page, and its packet, share one code
def qr_image(url: str, alt: str) -> tuple[str, str]:
    """Return a Typst image of the page's QR code (error correction M) whose code is QR_CM wide, and
    the image's width with its quiet zone (the white page around it adds more). zxing-cpp makes the
    code (Zint's encoder, mask chosen as ISO 18004 says) in half a millisecond; segno took 4."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)  # a byte a module: 0 is dark
    modules = image.shape[0]
    svg = qr_svg(bytes(memoryview(image)), modules)
    width = f"{QR_CM * (modules + 2 * QR_BORDER) / modules:.3f}cm"
    return f'image(bytes({tstr(svg)}), format: "svg", width: {width}, alt: {tstr(alt)})', width


def qr_svg(pixels: bytes, modules: int) -> str:
    """Return an SVG of a QR code's modules (one byte each, row by row, 0 for dark): each run of dark
    modules in a row is one filled rectangle, QR_BORDER modules in from the edge."""
    runs = []
    for y in range(modules):
        for run in _DARK_RUN.finditer(pixels, y * modules, (y + 1) * modules):
            x, n = run.start() - y * modules + QR_BORDER, run.end() - run.start()
            runs.append(f"M{x} {y + QR_BORDER}h{n}v1h-{n}z")
    side = modules + 2 * QR_BORDER
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}"><path d="{"".join(runs)}"/></svg>'


_DARK_RUN = re.compile(rb"\x00+")
QR_CM = 2.1  # the code's own width: phones read it at arm's length; about as tall as the lines beside it
QR_BORDER = 2  # modules of quiet zone in the image; the page's white margin and gutter add to it


def page_of(template: str) -> str:
    """'Page {page} of {pages}' -> a Typst array of its parts."""
    parts = [p for p in re.split(r"(\{pages?\})", template) if p]
    return "(" + ", ".join(tstr(p) for p in parts) + ",)"


def document_source(h: PrintDoc, design: str, site_dir, warnings: list[list[str]]) -> str:
    """Return the complete Typst source of a handout: the design (templates/handout.typ), then its parts.

    Images are read from site_dir, the site being written. Problems the print cannot fix by
    itself (a figure whose labels stay under the minimum size) are added to warnings.
    """
    t = h.strings
    date = f"datetime(year: {h.date.year}, month: {h.date.month}, day: {h.date.day})"
    paper = {"letter": "us-letter", "a4": "a4"}[h.paper]
    out = [design, f"#show: handout.with(title: {tstr(h.title)}, author: {tstr(h.clinic[0])}, "
                   f"description: {tstr(h.description)}, date: {date}, lang: {tstr(h.lang)}, paper: {tstr(paper)}, "
                   f"page-of: {page_of(t['page_x_of_y'])}, "
                   f"footer-left: {'none' if h.packet else tstr(h.sections[0].title)}, "
                   f"sheet: {'true' if h.sheet else 'false'})", clinic_header(h)]
    if h.packet:
        out.append(f"#doc-title(level: 1, [{ttext(h.title)}], {tstr(h.title)})")
        entries = ", ".join(f"([{ttext(s.title)}], <s{n}>)" for n, s in enumerate(h.sections, 1))
        out.append(f"#contents([{ttext(t['packet_contents'])}], ({entries},))")
    for n, s in enumerate(h.sections, 1):
        out += section_parts(h, n, s, site_dir, warnings)
    if h.glossary:
        out.append("#pagebreak(weak: true)")
        out.append(f"#words([{ttext(t['words_used'])}], {terms_markup(h.glossary)})")
    if not ends_in_columns(h):
        ask = " ".join(t[k] for k in ("ask_me_1", "ask_me_2", "ask_me_3"))
        intro = f"[{ttext(t['questions_intro'] + ' ')}#strong[{ttext(ask)}]]"
        out.append(f"#closing([{ttext(t['questions_for_team'])}], {intro}, {WRITE_LINES}, [{ttext(printed_line(h))}])")
    return "\n".join(out) + "\n"


def clinic_header(h: PrintDoc) -> str:
    """The clinic's name, phone and address and the page's address beside its QR code, then how to
    get help now, as the most urgent card says it, the full width (the sheet's cards say it first)."""
    t = h.strings
    name, address, phone = h.clinic
    left = (f"#par[#text(size: 1.2em, weight: \"bold\")[{ttext(name)}]]"
            f"#par[{ttext(t['phone'] + ': ')}#strong[{ttext(phone)}]{ttext(' · ' + address)}]")
    if h.sheet:  # the sheet's title stands beside the QR code, to leave its page to the cards
        title = h.sections[0].title
        left = f"#doc-title(level: 1, [{ttext(title)}], {tstr(title)})\n{left}"
    scan = "" if h.sheet else ttext(t["scan_or_type"]) + "#linebreak()"  # the sheet: just the code and its address
    scan = f"[#par[{scan}#link({tstr(h.url)})[#strong[#url-text({tstr(short_url(h.url))})]]]]"
    help_text = " ".join("".join(f"#strong[{ttext(text)}]" if number else ttext(text) for text, number in parts)
                         for parts in h.help)
    help_now = f"[#strong[{ttext(t['get_help_now'] + ': ')}]{help_text}]" if help_text and not h.sheet else "none"
    qr, qr_width = qr_image(h.url, t["qr_code"].format(address=short_url(h.url)))
    return f"#clinic-header([{left}], {qr}, {scan}, {help_now}, qr-width: {qr_width})"


def section_parts(h: PrintDoc, n: int, s: Section, site_dir, warnings: list[list[str]]) -> list[str]:
    """One page of the handout: its title, notices, key points, body, the words it uses and its sources."""
    t, out = h.strings, []
    if h.packet:
        out.append("#pagebreak(weak: true)")
        out.append(f"#[#doc-title(level: 2, [{ttext(s.title)}], {tstr(s.title)})<s{n}>]")
        out.append(f"#par[#link({tstr(s.url)})[{ttext(short_url(s.url))}]]")
    elif not h.sheet:
        out.append(f"#doc-title(level: 1, [{ttext(s.title)}], {tstr(s.title)})")
    if s.notices:
        out.append(f"#notice[{ttext(' '.join(s.notices))}]")
    if s.key_points and not h.sheet:
        points = ", ".join(f"[{ttext(p)}]" for p in s.key_points)
        fits = ", fits: true" if surely_fits(" ".join(s.key_points), len(s.key_points) + 2, h.large) else ""
        out.append(f"#boxed([{ttext(t['key_points'])}], list({points}){fits})")
    body = body_markup(s.body_html, h.large, 3 if h.packet else 2, site_dir, h.paper, warnings, h.sheet, h.features)
    if h.sheet:  # its cards in columns, the front then the back, its sources' publishers under them
        publishers = "; ".join(dict.fromkeys(publisher for _, publisher, _ in s.sources))
        review = " " + s.review_line if s.review_line else ""
        ended = publishers if publishers.endswith(".") else publishers + "."  # "... de los EE. UU." has its full stop
        sources = f"#par[#strong[{ttext(t['sources'] + ': ')}]{ttext(ended + review)}]"
        sides = f"{body}\n{sources}".split(SHEET_TURN)
        return out + ["\n#pagebreak()\n".join(f"#sheet[\n{side}\n]" for side in sides)]
    out.append(body)
    if ends_in_columns(h):  # the glossary: its words, sources and last line in two columns to the end
        return out + [f"#word-list(({terms_markup(s.terms)},), [{sources_markup(s, t)}\n"
                      f"#par[{ttext(printed_line(h))}]])"]
    if s.word_list and not h.packet:  # the glossary in large print: one column, then as any page
        out.append(f"#word-list(({terms_markup(s.terms)},), none)")
    elif s.terms:
        out.append(f"#words([{ttext(t['words_used'])}], {terms_markup(s.terms)})")
    return out + [sources_markup(s, t)]


def ends_in_columns(h: PrintDoc) -> bool:
    """The glossary's standard print is a reference list in two columns, with no questions box."""
    return not h.packet and not h.large and h.sections[0].word_list


def terms_markup(terms: list[tuple[str, str]]) -> str:
    return ", ".join(f"({tstr(a)}, {tstr(b)})" for a, b in terms)


def sources_markup(s: Section, t: dict[str, str]) -> str:
    """The sources by title, publisher and website; the page online links to each in full."""
    items = ", ".join(f"[{ttext(title + ', ' + publisher + ' (')}#link({tstr(url)})[#url-text({tstr(website(url))})]"
                      f"{ttext(')')}]" for title, publisher, url in s.sources)
    review = f"[{ttext(s.review_line)}]" if s.review_line else "none"
    return f"#sources([{ttext(t['sources'])}], ({items},), {review})"


def website(url: str) -> str:
    """Return the website of a source's address, as a reader would name it: "cancer.gov"."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def printed_line(h: PrintDoc) -> str:
    """Return "Printed from <site> on <date>." and that this is general information, for the end."""
    site = urlsplit(h.url).hostname or h.site_title
    return h.strings["printed_from"].format(site=site, date=h.printed) + " " + h.strings["disclaimer"]
