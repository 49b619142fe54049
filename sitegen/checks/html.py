"""Read a page's rendered HTML into the pieces the checks measure: text blocks, tables, images."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Text a reader does not read as prose: the build's glossary tooltips and care-card phone
# lines, footnotes (references), figure captions and code (standards §5, rule 1).
SKIP_CLASSES = {"term-def", "care-call", "footnote"}
SKIP_TAGS = {"figcaption", "pre", "code", "script", "style", "summary"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list["Node | str"] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        """Return the text inside this node, without skipped parts, on one line."""
        return " ".join(self._raw_text().split())

    def _raw_text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append(" ")
            elif not _skipped(child):
                parts.append(child._raw_text())
        return "".join(parts)


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


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        # Close up to the matching open tag; ignore a stray end tag.
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """Return the tree of an HTML fragment."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def page_text(html: str) -> PageText:
    """Return the blocks, tables and images of a rendered page body."""
    out = PageText()
    _walk(parse(html), out, care=False)
    return out


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
        out.blocks.append(Block("heading", node.text(), care, int(node.tag[1])))
    elif "admonition-title" in node.classes:
        out.blocks.append(Block("title", _title_text(node), care))
    elif node.tag in ("p", "dd"):
        _add(out, Block(node.tag, node.text(), care))
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
    return kept.text()


def _own_text(li: Node) -> str:
    """Return a list item's text without its nested lists (they are items of their own)."""
    kept = Node("li", li.attrs, [c for c in li.children if not (isinstance(c, Node) and c.tag in ("ul", "ol"))])
    return kept.text()


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
    headers = tuple(c.text() for c in _descendants(node) if c.tag == "th")
    merged = any(c.attrs.get("colspan") or c.attrs.get("rowspan") for row in cells for c in row)
    return Table(max((len(r) for r in cells), default=0), headers, merged)


def _descendants(node: Node):
    for child in node.children:
        if isinstance(child, Node):
            yield child
            yield from _descendants(child)
