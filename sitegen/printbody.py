"""A page's print body: its rendered HTML, made fit for paper (handouts.print_body), as Typst markup.

Every piece of the reader's text becomes a Typst string literal (#"..."), never markup, so nothing
in the content (#, $, *, _, //, <, @, = or 1. at a line start, quotes, backslashes) can be read as
Typst. Structure becomes calls to the functions of templates/handout.typ (care cards, boxes,
pictures, lists). The HTML is what the Markdown stage and the raw-HTML safe list produce; an
unknown tag prints as its text, so no words are ever dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlsplit

from .htmltree import Node, parse

MIN_PT = {False: 12.0, True: 18.0}  # the smallest text a handout prints: body size, figures included
# What the design's functions can be given, by words of its text that show they can: a site's own
# copy of an older design lacks the newer ones, and is given only what it knows.
DESIGN_FEATURES = {
    "names_blocks": "what: none",  # cards and lists name themselves when too tall (BodyWriter.fits)
    "whole_cards": "head: none, calls: none",  # a card too tall for a page is printed whole on each (BodyWriter.card_parts)
}


def design_features(design: str) -> frozenset[str]:
    return frozenset(name for name, words in DESIGN_FEATURES.items() if words in design)


# Escaping --------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def tstr(text: str) -> str:
    """Return text as a Typst string literal: the only safe way to put user text in the source."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _CONTROL.sub(lambda m: "\\u{%x}" % ord(m.group()), text) + '"'


def ttext(text: str) -> str:
    """Return text as markup that prints exactly that text."""
    return "#" + tstr(text) if text else ""


def short_url(url: str) -> str:
    """Return a URL as people type it: without the scheme and the #fragment."""
    parts = urlsplit(url)
    return parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")


# Figures: SVG labels at print size ----------------------------------------------------------------

PAGE_PT = {"letter": 612.0, "a4": 595.28}
MM = 72 / 25.4
SIDE_MM = {False: 13, True: 14}  # must match the side margins of templates/handout.typ
PICTURE_SHARE = {False: 0.45, True: 0.70}  # the picture's share of the text width (see picture(), figure())
_FONT_SIZE = re.compile(r'(font-size\s*(?:=\s*"|:\s*))([\d.]+)')
_VIEWBOX = re.compile(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)')
MAX_PICTURE_PT = {False: 6.5 / 2.54 * 72, True: 12 / 2.54 * 72}  # 6.5 cm tall (12 cm in large print) at most:
# as handout.typ's picture-height


def picture_width_pt(paper: str, large: bool, svg: str = "") -> float:
    """Return how wide a picture prints: its share of the text width, or less for a tall drawing,
    which would otherwise take half a page (its labels then print as numbers, if they must)."""
    width = (PAGE_PT[paper] - 2 * SIDE_MM[large] * MM) * PICTURE_SHARE[large]
    box = _VIEWBOX.search(svg)
    if box and float(box.group(1)) > 0:
        width = min(width, MAX_PICTURE_PT[large] * float(box.group(1)) / float(box.group(2)))
    return width


def svg_label_pt(svg: str, width_pt: float) -> float | None:
    """Return the size in points that an SVG's smallest text label prints at, or None without text."""
    if "<text" not in svg:
        return None
    box = _VIEWBOX.search(svg)
    if not box:
        return None
    sizes = [float(m.group(2)) for m in _FONT_SIZE.finditer(svg)] or [12.0]  # usvg's default size
    return min(sizes) * width_pt / float(box.group(1))


SVG_NS = "http://www.w3.org/2000/svg"
LINE_STEP = 1.6  # labels' lines this close (in font sizes) below each other are one label


def numbered_labels(svg: str, min_pt: float, width_pt: float) -> tuple[str, list[str]]:
    """Return the drawing with each label replaced by its number, large enough to print at min_pt,
    and the labels' words in order, to print as a key at body size beside it.

    A drawing made for the screen has labels that shrink on paper (the skeleton's print at 8.8 pt
    at 45% of a Letter page); numbers stay short however large they are. Lines of one label (the
    same x, one below the other) are one number. Returns ([] for the words) when a label has no x
    and y of its own, so the caller can say so.
    """
    try:
        root = ET.fromstring(svg)
        box = [float(v) for v in root.get("viewBox", "").replace(",", " ").split()]
    except (ET.ParseError, ValueError):
        return svg, []
    if len(box) != 4:
        return svg, []
    size = min_pt * box[2] / width_pt
    labels: list[list] = []  # [x, last y, font size, words, first element]
    parents = {child: parent for parent in root.iter() for child in parent}
    for text in [el for el in root.iter(f"{{{SVG_NS}}}text")]:
        x, y = text.get("x"), text.get("y")
        words = " ".join("".join(text.itertext()).split())
        if x is None or y is None:
            return svg, []
        font = _font_size(text, parents)
        last = labels[-1] if labels else None
        if last and last[0] == x and 0 < float(y) - last[1] <= LINE_STEP * font:
            last[1], last[3] = float(y), f"{last[3]} {words}"
            parents[text].remove(text)
            continue
        labels.append([x, float(y), font, words, text])
    for number, (_, _, _, _, text) in enumerate(labels, 1):
        for child in list(text):
            text.remove(child)
        text.text = str(number)
        text.set("font-size", f"{size:.1f}")
        text.set("font-weight", "bold")
    ET.register_namespace("", SVG_NS)
    return ET.tostring(root, encoding="unicode"), [label[3] for label in labels]


def _font_size(el, parents) -> float:
    """Return an SVG element's font size, from it or the nearest group that sets one (usvg's default: 12)."""
    while el is not None:
        found = _FONT_SIZE.search(f'font-size="{el.get("font-size")}"') if el.get("font-size") else None
        if found:
            return float(found.group(2))
        el = parents.get(el)
    return 12.0


# Tree -> Typst markup --------------------------------------------------------------------------

CARD_STYLES = ("emergency", "urgent", "non-urgent")  # cards.Level.style, the print's border weights
BLOCK = {"p", "div", "section", "article", "aside", "nav", "header", "footer", "main", "ul", "ol", "li",
         "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "table", "blockquote", "pre", "hr",
         "dl", "dt", "dd", "details", "summary"}
SHEET_TURN = "// turn over"  # where the sheet's back begins: printdoc starts a page there
HIDDEN = {"script", "style", "template", "button"}
# Nothing smaller than the body: Typst sets code at 0.8 em (so 1.25 em around it), and super- and
# subscripts smaller still. Sized where they are written: as the design's rules they cost every block time.
FULL_SIZE = "size: 1em, typographic: false"
_SPACE = re.compile(r"\s+")

# The design keeps a card, a list of steps, a table, a box or a picture on one page, and Typst
# measures each first in case it is taller than a page and must break (keep() in handout.typ):
# that costs a sixth of the handouts' time. A block that surely fits is not measured: its text at
# a narrow CHARS_PER_LINE, plus a line for each item (and for a picture, the drawings' own height),
# comes to under SURE_LINES, about four fifths of the text lines of a page (44, 25 in large print).
# A photo counts as tall as a photo may print (handout.typ's photo()).
CHARS_PER_LINE = {False: 55, True: 36}
SURE_LINES = {False: 36, True: 21}
PAGE_LINES = {False: 44, True: 25}  # a whole page: a card counted at more might be taller (BodyWriter.might_split)
LINE_PT = {False: 12 * 1.35, True: 18 * 1.5}  # a line of body text, as handout.typ sets it
CAPTION_CHARS = {False: 25, True: 36}  # a caption's narrow line: beside the picture, or under it in large print
ITEM_TAGS = {"li", "p", "tr", "dt", "dd", "br", "h2", "h3", "h4", "h5", "h6", "figcaption", "summary"}


def items_in(node: Node) -> int:
    """The lines a block's items begin at least: one each, and two for a title and the space around."""
    return 2 + sum(1 for n in walk(node) if n.tag in ITEM_TAGS)


def surely_fits(text: str, items: int, large: bool) -> bool:
    """True when a block of this text and items cannot be taller than a page."""
    return lines_at_most(text, items, large) < SURE_LINES[large]


def lines_at_most(text: str, items: int, large: bool) -> float:
    """The text lines a block of this text and items takes at most, counted as surely_fits counts."""
    return len(_SPACE.sub(" ", text)) / CHARS_PER_LINE[large] + items


class BodyWriter:
    """Turn one section's body HTML into Typst markup (a sequence of block-level calls)."""

    def __init__(self, large: bool, min_level: int, site_dir: Path | None = None, paper: str = "letter",
                 sheet: bool = False, features: frozenset[str] = frozenset(DESIGN_FEATURES)):
        self.large = large
        self.names_blocks = "names_blocks" in features
        self.whole_cards = "whole_cards" in features
        self.site_dir = Path(site_dir) if site_dir else None  # the site being written, where the pictures are
        self.paper = paper
        self.sheet = sheet  # the help page's one-sheet edition: no pictures, cards flow across its columns
        self.in_card = False
        self.turned = False  # the sheet's calmer cards have begun, on its back
        self.warnings: list[list[str]] = []  # [kind, text]: figure labels that cannot reach the minimum size
        self.min_level = min_level  # the first heading level the body may use (2 on a page, 3 in a packet)
        self.last_level = min_level - 1
        self.card_level = "urgent"

    def might_split(self, card: Node) -> bool:
        """True for a card that might be taller than a page, which the design can then print whole on
        each page it takes. Only those: the other cards are printed as they always were, and faster."""
        return (self.whole_cards and not self.sheet
                and lines_at_most(card.text(), items_in(card), self.large) >= PAGE_LINES[self.large])

    def card_parts(self, card: Node) -> tuple[str, str] | None:
        """A card that might not fit a page, as the design's head: and calls: arguments and its signs,
        so that the design can print it whole on each page (care() in handout.typ); None for a card
        not made as cards.py makes them (its heading first, what to do last)."""
        children = [c for c in card.children if not (isinstance(c, str) and not c.strip())]
        calls = [c for c in children if isinstance(c, Node) and "care-call" in c.classes]
        first = children[0] if children else None
        if not (calls and isinstance(first, Node) and first.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
                and children[-len(calls):] == calls):
            return None
        head, body, what_to_do = ("\n".join(self.blocks(Node("div", {}, part)))
                                  for part in ([first], children[1:-len(calls)], calls))
        return f", head: [\n{head}\n], calls: [\n{what_to_do}\n]", body

    def fits(self, node: Node, what: tuple[str, str] | None = None) -> str:
        """The argument that lets the design keep a block together without measuring it, or "". A block
        that must not be split (what: ("card" or "steps", its first words)) gets what: to name it if it is
        too tall; %-encoded, the words pass through Typst's error message whatever they hold."""
        if surely_fits(node.text(), items_in(node), self.large):
            return "fits: true, "
        return f"what: ({tstr(what[0])}, {tstr(quote(what[1], safe=''))}), " if what and self.names_blocks else ""

    # Headings: PDF/UA-1 forbids skipped levels, so a heading is never more than one below the last.
    def level(self, html_level: int) -> int:
        level = max(self.min_level, min(html_level, self.last_level + 1))
        self.last_level = level
        return level

    def blocks(self, node: Node) -> list[str]:
        """Return the Typst blocks of a node's children: runs of inline content become paragraphs."""
        out, run = [], []

        def flush():
            text = self.join_inline(run)
            if text:
                out.append(f"#par[{text}]")
            run.clear()

        for child in node.children:
            if isinstance(child, Node) and (child.tag in BLOCK or self.is_figure(child)):
                flush()
                out.extend(self.block(child))
            else:
                run.append(child)
        flush()
        return out

    def is_figure(self, node: Node) -> bool:
        return node.tag == "span" and "figure" in node.classes

    def only_pictures(self, node: Node) -> bool:
        """True for a paragraph of pictures alone (a picture inside a sentence prints as its words)."""
        children = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
        return bool(children) and all(isinstance(c, Node) and self.is_figure(c) for c in children)

    def block(self, node: Node) -> list[str]:
        tag, cls = node.tag, node.classes
        if tag in HIDDEN or "visually-hidden" in cls:
            return []
        if self.sheet and not self.in_card and tag not in ("div", "section"):
            return []  # the sheet keeps to the cards: the signs and what to do
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return [f"#heading(level: {self.level(int(tag[1]))})[{self.inline(node)}]"]
        if tag == "p" and self.only_pictures(node):  # ![...](file) on a line of its own: as a figure
            return [self.figure(child) for child in node.children if isinstance(child, Node)]
        if tag == "p":
            text = self.inline(node).strip()
            return [f"#par[{text}]"] if text else []
        if tag == "div" and "care-card" in cls:
            level = next((style for style in CARD_STYLES if f"care-{style}" in cls), "urgent")
            self.card_level = level  # for the urgency word's label (span.care-level) in its heading
            saved = self.last_level
            self.in_card = True
            fits = self.fits(node, ("card", card_title(node)))
            parts = self.card_parts(node) if self.might_split(node) else None
            parts = parts or ("", "\n".join(self.blocks(joined_calls(node) if self.sheet else node)))
            self.in_card = False
            self.last_level = saved  # the card's heading does not deepen what follows it
            flow = ", tight: true" if self.sheet else ""
            card = f"#care({fits}level: {tstr(level)}{flow}{parts[0]})[\n{parts[1]}\n]"
            if self.sheet and level == "non-urgent" and not self.turned:
                self.turned = True  # the front keeps what to act on now; the rest goes on the back
                return [SHEET_TURN, card]
            return [card]
        if tag == "div" and "admonition" in cls:
            title = next((c for c in node.children if isinstance(c, Node) and "admonition-title" in c.classes), None)
            rest = Node("div", {}, [c for c in node.children if c is not title])
            return [f"#admonition({self.fits(node)}[{self.inline(title) if title else ''}])[\n" + "\n".join(self.blocks(rest))
                    + "\n]"]
        if tag in ("ul", "ol"):
            return [self.list_(node)]
        if tag == "figure" or self.is_figure(node):
            return [self.figure(node)]
        if tag == "table":
            return [self.table(node)]
        if tag == "blockquote":
            return ["#block(stroke: (left: 3pt), inset: (left: 0.8em), below: 0.6em)[\n" + "\n".join(self.blocks(node)) + "\n]"]
        if tag == "pre":
            return [f"#keep({self.fits(node)}below: 0.6em, text(size: 1.25em, raw(block: true, {tstr(node.text())})))"]
        if tag == "hr":
            return ["#line(length: 100%, stroke: 1pt)"]
        if tag == "dl":
            items = []
            for child in node.children:
                if isinstance(child, Node) and child.tag in ("dt", "dd", "div"):
                    inner = self.inline(child) if child.tag != "div" else self.join_inline(child.children)
                    items.append(f"#strong[{inner}]" if child.tag == "dt" else f"#par[{inner}]")
            return items
        if tag == "summary":
            return [f"#par[#strong[{self.inline(node)}]]"]
        # div, section, li, details, figcaption, dd... : their content
        return self.blocks(node)

    def list_(self, node: Node) -> str:
        items = [c for c in node.children if isinstance(c, Node) and c.tag == "li"]
        if self.sheet and "care-groups" in node.classes:  # each group's name, then its signs: less indented
            return "\n".join(self.group(li) for li in items)
        bodies = []
        for li in items:
            parts = self.blocks(li)
            bodies.append("[" + "\n".join(p[len("#par["):-1] if p.startswith("#par[") and len(parts) == 1 else p
                                           for p in parts) + "]")
        args = ", ".join(bodies)
        if node.tag == "ol":
            start = node.attrs.get("start", "")
            first = f"start: {int(start)}, " if start.isdigit() else ""
            return f"#steps({self.fits(node, ('steps', first_words(items[0]) if items else ''))}{first}{args})"
        if items and all("task-list-item" in li.classes for li in items):
            return f"#task-list({args})"
        if "short-list" in node.classes:
            return f"#short-list({args})"
        return f"#list({args})"

    def group(self, li: Node) -> str:
        name = next((c for c in li.children if isinstance(c, Node) and c.tag == "a"), None)
        signs = next((c for c in li.children if isinstance(c, Node) and c.tag == "ul"), None)
        head = f"#block(below: 0.2em, sticky: true, strong[{self.inline(name)}])" if name else ""
        return head + "\n" + (self.list_(signs) if signs else "")

    def figure(self, node: Node) -> str:
        if self.sheet:
            return ""
        imgs = [n for n in walk(node) if n.tag == "img"]
        caption_nodes = [n for n in walk(node) if n.tag == "figcaption"]
        pictures, keys, widths, heights = [], [], [], []
        for img in imgs:
            src = img.attrs.get("src", "")
            alt = img.attrs.get("alt", "").strip()
            if not src or re.match(r"^[a-z]+:", src):  # only files from the content folder, never the network
                continue
            picture, key, width, height = self.image(src, alt or "Picture")
            pictures.append(picture)
            keys += key
            widths.append(width)
            heights.append(height)
        # The figcaption is printed; the alt text stays the image's text alternative (in the PDF's tags),
        # and is printed only when there is no caption (it would repeat it).
        parts = ["\n".join(self.blocks(caption_nodes[0]))] if caption_nodes else []
        if not caption_nodes:
            alts = [i.attrs.get("alt", "").strip() for i in imgs if i.attrs.get("alt", "").strip()]
            parts += [f"#par[{ttext(' '.join(alts))}]"] if alts else []
        if keys:  # the words of a drawing's numbered labels, at body size
            parts.append("#enum(tight: true, " + ", ".join(f"[{ttext(label)}]" for label in keys) + ")")
        caption = "[" + "\n".join(parts) + "]" if parts else "none"
        img = "{" + "; ".join(pictures) + "}" if pictures else "[]"
        # A drawing narrowed to its height limit gives its caption the room it leaves.
        column = f"{max(widths):.1f}pt" if widths and None not in widths else f"{PICTURE_SHARE[self.large] * 100:.0f}%"
        fits = "fits: true, " if None not in heights and self.picture_fits(sum(heights), node, keys) else ""
        return f"#picture({fits}{img}, {caption}, column: {column})"

    def picture_fits(self, pictures_pt: float, node: Node, keys: list[str]) -> bool:
        """True when drawings this tall with this caption surely fit a page: beside them in standard
        print (the caption in a narrow column), under them in large print."""
        text = node.text() + " ".join(keys)
        items = items_in(node) + len(keys)
        caption_pt = (len(_SPACE.sub(" ", text)) / CAPTION_CHARS[self.large] + items) * LINE_PT[self.large]
        tall = pictures_pt + caption_pt if self.large else max(pictures_pt, caption_pt)
        return tall < SURE_LINES[self.large] * LINE_PT[self.large]

    def image(self, src: str, alt: str) -> tuple[str, list[str], float | None, float | None]:
        """Return a Typst image, the words of its labels when they print as numbers (see numbered_labels),
        and its width and height in points when it is a drawing (for a photo: None, the picture's share of
        the page, and the most it may be: handout.typ's photo() scales it down to that)."""
        path = self.site_dir / src.lstrip("/") if self.site_dir else None
        if path is not None and path.suffix == ".svg" and path.is_file():
            svg = path.read_text(encoding="utf-8")
            width_pt = picture_width_pt(self.paper, self.large, svg)
            keys: list[str] = []
            label = svg_label_pt(svg, width_pt)
            if label is not None and label < MIN_PT[self.large]:
                svg, keys = numbered_labels(svg, MIN_PT[self.large], width_pt)
            if not keys and label is not None and label < MIN_PT[self.large]:
                self.warnings.append(["figure", f"{src}: its labels print at {label:.1f} pt and cannot be numbered; "
                                                "give each <text> an x and a y"])
            box = _VIEWBOX.search(svg)
            height_pt = width_pt * float(box.group(2)) / float(box.group(1)) if box and float(box.group(1)) > 0 else None
            return (f'image(bytes({tstr(svg)}), format: "svg", width: {width_pt:.1f}pt, alt: {tstr(alt)})', keys,
                    width_pt, height_pt)
        # Read here: a path given to the design's photo() would be looked for in the design's package.
        data = f"read({tstr('/' + src.lstrip('/'))}, encoding: none)"
        return f"photo({data}, {tstr(alt)})", [], None, MAX_PICTURE_PT[self.large]

    def table(self, node: Node) -> str:
        rows = [n for n in walk(node) if n.tag == "tr"]
        if not rows:
            return ""
        columns = max(len([c for c in r.children if isinstance(c, Node) and c.tag in ("td", "th")]) for r in rows)
        # The page's text width, less room for a box or list around the table, shared by the columns.
        share = (PAGE_PT[self.paper] - 2 * SIDE_MM[self.large] * MM - 3 * MIN_PT[self.large]) / columns
        head, body = [], []
        for r in rows:
            cells = [c for c in r.children if isinstance(c, Node) and c.tag in ("td", "th")]
            is_head = all(c.tag == "th" for c in cells)
            text = [hyphenated_if_too_wide(f"[#strong{self.cell(c)}]" if c.tag == "th" else self.cell(c),
                                           c.text(), c.tag == "th", share, MIN_PT[self.large]) for c in cells]
            text += ["[]"] * (columns - len(cells))
            (head if is_head and not body else body).extend(text)
        header = f"table.header({', '.join(head)}), " if head else ""
        return (f"#keep({self.fits(node)}below: 0.8em, table(columns: {columns}, stroke: 1pt, "
                f"inset: (x: 0.4em, y: 0.3em), align: left + top, {header}{', '.join(body)}))")

    def cell(self, cell: Node) -> str:
        """Return a table cell's content: inline text, or blocks when it holds paragraphs or lists."""
        if any(isinstance(x, Node) and x.tag in BLOCK for x in cell.children):
            return "[" + "\n".join(self.blocks(cell)) + "]"
        return f"[{self.join_inline(cell.children)}]"

    # Inline content --------------------------------------------------------------------------

    def inline(self, node: Node | None) -> str:
        return self.join_inline(node.children) if node else ""

    def join_inline(self, children: list) -> str:
        """Return inline markup for a run of children, with HTML's whitespace collapsing."""
        pieces: list[tuple[str, str]] = []  # (kind, markup); kind "t" for text, "x" for anything else
        for child in children:
            if isinstance(child, str):
                pieces.append(("t", _SPACE.sub(" ", child)))
            else:
                pieces.extend(self.inline_node(child))
        # Trim leading/trailing spaces of the run, and never two spaces in a row.
        out, space = [], False
        for kind, value in pieces:
            if kind == "t":
                if space:
                    value = value.lstrip(" ")
                if not value:
                    continue
                if not out:
                    value = value.lstrip(" ")
                    if not value:
                        continue
                space = value.endswith(" ")
                out.append(["t", value])
            else:
                out.append(["x", value])
                space = False
        while out and out[-1][0] == "t" and out[-1][1].endswith(" "):
            out[-1][1] = out[-1][1].rstrip(" ")
            if not out[-1][1]:
                out.pop()
        return "".join(ttext(v) if k == "t" else v for k, v in out)

    def inline_node(self, node: Node) -> list[tuple[str, str]]:
        """Return the (kind, markup) pieces of one inline element.

        Spaces at the edges of an element ("<strong>Call </strong>911") matter in HTML; they are
        moved outside the element, where the collapsing in join_inline() sees them.
        """
        tag, cls = node.tag, node.classes
        if tag in HIDDEN or "visually-hidden" in cls or tag == "img":  # images: see figure()
            return []
        if "footnote-backref" in cls:  # the ↩ back to the text: a link, which paper cannot follow
            return []
        if tag == "br":
            return [("x", "#linebreak()")]
        if tag == "span" and "print-url" in cls:
            return [("x", f"#url-text({tstr(_SPACE.sub(' ', node.text()))})")]
        if not any(isinstance(c, Node) for c in node.children) and tag not in (
                "strong", "b", "em", "i", "a", "code", "sup", "sub") and "care-level" not in cls and "checkbox" not in cls:
            return [("t", _SPACE.sub(" ", node.text()))]  # span.term, abbr, label...: plain text
        inner = self.inline(node)
        if tag in ("strong", "b", "em", "i"):
            markup = f"#strong[{inner}]"
        elif tag == "span" and "care-level" in cls:
            markup = f"#care-level({tstr(self.card_level)}, [{inner}])#h(0.4em)"
        elif tag == "span" and "checkbox" in cls:
            markup = f"#box(width: 1.4em)[{inner}]"
        elif tag == "a" and node.attrs.get("href", "").startswith(("https://", "http://", "tel:", "mailto:")):
            markup = f"#link({tstr(node.attrs['href'])})[{inner}]"
        elif tag == "code":
            markup = f"#text(size: 1.25em, raw({tstr(node.text())}))"
        elif tag == "sup":
            markup = f"#super({FULL_SIZE}, baseline: -0.35em)[{inner}]"
        elif tag == "sub":
            markup = f"#sub({FULL_SIZE}, baseline: 0.2em)[{inner}]"
        else:  # in-page links, label, abbr, span...: their content
            markup = inner
        text = node.text()
        lead = [("t", " ")] if text[:1].isspace() else []
        trail = [("t", " ")] if text[-1:].isspace() else []
        return lead + [("x", markup)] + trail


# The widest a word of n characters can be, in em (DejaVu Sans Bold's capitals are about 0.75 em;
# its letters are 0.6 on average): a word no wider can never run out of its table column.
WIDEST_EM_PER_CHARACTER = 0.8
CELL_INSET_EM = 0.8  # the table's inset on both sides of a cell (printbody writes inset: (x: 0.4em))


def hyphenated_if_too_wide(cell: str, text: str, bold: bool, share_pt: float, size_pt: float) -> str:
    """Return a table cell that breaks its words at hyphens when its longest word is wider than its
    column, as in a narrow column or a table of more columns than the page has room for: Typst would
    print the word over the next cell (in large print, a four-column table of medicines did). Typst
    never shrinks a column below its share of the page (share_pt), so a cell whose words surely fit
    that is left as it is: measuring every cell costs time (a sixth more at 2,000 pages)."""
    longest = max(text.split(), key=len, default="")
    if (len(longest) * WIDEST_EM_PER_CHARACTER + CELL_INSET_EM) * size_pt <= share_pt:
        return cell
    weight = '"bold"' if bold else '"regular"'
    return (f"layout(size => {{ set text(hyphenate: measure(text(weight: {weight}, {tstr(longest)})).width "
            f"> size.width); {cell} }})")


def joined_calls(card: Node) -> Node:
    """Return a card whose first action and fallback make one paragraph (the sheet's room)."""
    calls = [c for c in card.children if isinstance(c, Node) and "care-call" in c.classes]
    if len(calls) < 2:
        return card
    merged = Node("p", calls[0].attrs, calls[0].children + [" "] + calls[1].children)
    return Node(card.tag, card.attrs, [merged if c is calls[0] else c for c in card.children if c is not calls[1]])


def walk(node: Node):
    for child in node.children:
        if isinstance(child, Node):
            yield child
            yield from walk(child)


def body_markup(body_html: str, large: bool, min_level: int, site_dir: Path | None = None,
                paper: str = "letter", warnings: list[list[str]] | None = None, sheet: bool = False,
                features: frozenset[str] = frozenset(DESIGN_FEATURES)) -> str:
    """Return the Typst markup of a section's body HTML; problems found are added to warnings."""
    writer = BodyWriter(large, min_level, site_dir, paper, sheet, features)
    markup = "\n".join(writer.blocks(parse(body_html)))
    if warnings is not None:
        warnings.extend(writer.warnings)
    return markup


def card_title(card: Node) -> str:
    """The words of a care card's heading, without its urgency word ("Emergency")."""
    heading = next((c for c in card.children if isinstance(c, Node) and c.tag in ("h1", "h2", "h3", "h4", "h5", "h6")), None)
    if heading is None:
        return first_words(card)
    return " ".join("".join(c if isinstance(c, str) else c.text() for c in heading.children
                            if isinstance(c, str) or "care-level" not in c.classes).split())


def first_words(node: Node, count: int = 8) -> str:
    words = node.text().split()
    return " ".join(words[:count]) + (" ..." if len(words) > count else "")
