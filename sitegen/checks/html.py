"""Read a page's rendered HTML into the pieces the checks measure: text blocks, tables, images."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..htmltree import Node, parse

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Text a reader does not read as prose: the build's glossary tooltips and care-card phone
# lines, footnotes (references), figure captions and code (standards §5, rule 1).
SKIP_CLASSES = {"term-def", "care-call", "footnote"}
SKIP_TAGS = {"figcaption", "pre", "code", "script", "style", "summary"}


@dataclass(frozen=True)
class Block:
    """One piece of prose: a paragraph, a list item, a heading or a title."""

    kind: str  # "p", "li", "heading", "title" (admonition title), "dd"
    text: str
    care: bool = False  # inside a care card
    level: int = 0  # heading level


@dataclass(frozen=True)
class Table:
    columns: int
    headers: tuple[str, ...]
    merged: bool  # has colspan or rowspan


@dataclass(frozen=True)
class Image:
    src: str
    alt: str | None


@dataclass
class PageText:
    """What the checks need from one rendered page, in reading order."""

    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    care_cards: int = 0
    lists: int = 0


def page_text(html: str) -> PageText:
    """Return the blocks, tables and images of a rendered page body."""
    out = PageText()
    _walk(parse(html), out, care=False)
    return out


def prose(node: Node) -> str:
    """Return the text inside a node as a reader reads it as prose: skipped parts left out, on one line."""
    return " ".join(_raw_prose(node).split())


def _raw_prose(node: Node) -> str:
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag == "br":
            parts.append(" ")
        elif not _skipped(child):
            parts.append(_raw_prose(child))
    return "".join(parts)


def _skipped(node: Node) -> bool:
    return node.tag in SKIP_TAGS or bool(node.classes & SKIP_CLASSES)


def _walk(node: Node, out: PageText, care: bool) -> None:
    for child in node.children:
        if isinstance(child, Node):
            _visit(child, out, care)


def _visit(node: Node, out: PageText, care: bool) -> None:
    if node.tag == "img":
        _images_in(node, out)
        return
    if _skipped(node):
        return
    if node.tag == "table":
        out.tables.append(_table(node))
        return
    if "care-card" in node.classes:
        out.care_cards += 1
        care = True
    if node.tag in HEADINGS:
        out.blocks.append(Block("heading", prose(node), care, int(node.tag[1])))
    elif "admonition-title" in node.classes:
        out.blocks.append(Block("title", _title_text(node), care))
    elif node.tag in ("p", "dd"):
        _add(out, Block(node.tag, prose(node), care))
        _images_in(node, out)
    elif node.tag == "li":
        _add(out, Block("li", _own_text(node), care))
        _li_children(node, out, care)
    else:
        out.lists += node.tag in ("ul", "ol")
        _walk(node, out, care)


def _add(out: PageText, block: Block) -> None:
    if block.text:
        out.blocks.append(block)


def _title_text(node: Node) -> str:
    """Return a care-card title without the hidden urgency label the build adds."""
    kept = Node(node.tag, node.attrs, [c for c in node.children
                                        if not (isinstance(c, Node) and "care-level" in c.classes)])
    return prose(kept)


def _own_text(li: Node) -> str:
    """Return a list item's text without its nested lists (they are items of their own)."""
    kept = Node("li", li.attrs, [c for c in li.children if not (isinstance(c, Node) and c.tag in ("ul", "ol"))])
    return prose(kept)


def _li_children(li: Node, out: PageText, care: bool) -> None:
    """Visit a list item's nested lists and record its images."""
    for child in li.children:
        if isinstance(child, Node):
            if child.tag in ("ul", "ol"):
                _visit(child, out, care)
            else:
                _images_in(child, out)


def _images_in(node: Node, out: PageText) -> None:
    """Record node if it is an image, and the images inside it."""
    if node.tag == "img":
        out.images.append(Image(node.attrs.get("src", ""), node.attrs.get("alt")))
        return
    for child in node.children:
        if isinstance(child, Node):
            _images_in(child, out)


def _table(node: Node) -> Table:
    rows = [n for n in _descendants(node) if n.tag == "tr"]
    cells = [[c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")] for row in rows]
    headers = tuple(prose(c) for c in _descendants(node) if c.tag == "th")
    merged = any(c.attrs.get("colspan") or c.attrs.get("rowspan") for row in cells for c in row)
    return Table(max((len(r) for r in cells), default=0), headers, merged)


def _descendants(node: Node):
    for child in node.children:
        if isinstance(child, Node):
            yield child
            yield from _descendants(child)
