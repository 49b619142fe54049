"""Render a page's Markdown body to HTML (stage 4).

Python-Markdown with the extensions Material for MkDocs uses, plus our tree processors:
links between pages are rewritten to output URLs, care cards get the site's phone
numbers, and headings are collected for the contents list and the checks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Callable

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .cards import CardSource, replace_cards
from .diagnostics import Diagnostic
from .sanitize import clean, find_forbidden

EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
    "toc", "sane_lists", "pymdownx.details", "pymdownx.superfences",
]
CHECKBOX = re.compile(r"^\[([ xX])\]\s+")


@dataclass
class LinkRef:
    """A link to another page, kept so its #anchor can be checked once every page is rendered."""

    target: str
    fragment: str
    href: str
    line: int | None


@dataclass
class Heading:
    level: int
    text: str
    id: str


@dataclass(frozen=True)
class GlossaryLinks:
    """The glossary terms to explain where they appear, and where the glossary page is."""

    pattern: re.Pattern
    definitions: dict[str, tuple[str, str]]  # lower-case form -> (term slug, definition)
    href: str  # the glossary page, relative to the page being rendered


@dataclass
class PageInput:
    """What the tree processors need to know about the page being rendered."""

    shown: str
    body: str
    body_line: int
    rewrite: Callable[["PageInput", str, str], str]
    cards: CardSource | None
    strings: dict[str, str]
    glossary: GlossaryLinks | None = None
    rel: str = ""  # the page's content path, en/symptoms.md
    help_page: bool = False  # the page that lists every warning sign after its text
    problems: list[Diagnostic] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    terms: list[str] = field(default_factory=list)  # slugs of the glossary terms the page uses

    @property
    def lang(self) -> str:
        return self.rel.split("/", 1)[0]

    def line_of(self, needle: str) -> int | None:
        """Return the file line where needle first appears in the body."""
        index = self.body.find(needle)
        return self.body_line + self.body.count("\n", 0, index) if index >= 0 else None

    def problem(self, needle: str, code: str, message: str, hint: str, severity="error") -> None:
        self.problems.append(Diagnostic(self.shown, self.line_of(needle), code, message, hint, severity))


@dataclass
class Rendered:
    html: str
    headings: list[Heading]
    ids: set[str]
    links: list[LinkRef]
    problems: list[Diagnostic]
    terms: list[str] = field(default_factory=list)


class PageRenderer:
    """One Markdown converter, reused for every page of a build (reset between pages)."""

    def __init__(self):
        self._ext = _SiteExtension()
        self.md = markdown.Markdown(
            extensions=[*EXTENSIONS, self._ext, UnusedPatterns()],
            extension_configs={"toc": {"toc_depth": "2-3"}},
            output_format="html",
        )

    def render(self, page: PageInput) -> Rendered:
        """Convert one page body; problems and links are collected on the result."""
        self._ext.page = page
        self.md.reset()
        html = self.md.convert(page.body)
        self._check_raw_html(page)
        return Rendered(clean(html), page.headings, page.ids, page.links, page.problems, page.terms)

    def _check_raw_html(self, page: PageInput) -> None:
        """Report unsafe raw HTML as errors; clean() removes it anyway, but the editor should know."""
        for block in map(str, self.md.htmlStash.rawHtmlBlocks):
            start = page.line_of(block.split("\n", 1)[0])
            for what, text in find_forbidden(block):
                line = start + block.count("\n", 0, block.find(text)) if start else None
                page.problems.append(Diagnostic(page.shown, line, "html.unsafe", f"the page contains {what}, which is not allowed",
                                                "Remove it: pages may use plain HTML for layout only, without scripts or styles."))


class _SiteExtension(Extension):
    page: PageInput | None = None

    def extendMarkdown(self, md):
        # After toc (priority 5) so heading ids exist; attr_list runs at 8.
        md.treeprocessors.register(_Links(self), "site_links", 4)
        md.treeprocessors.register(_Checklists(self), "site_checklists", 3.5)
        md.treeprocessors.register(_CareCards(self), "site_care_cards", 3)
        md.treeprocessors.register(_Headings(self), "site_headings", 2)
        md.treeprocessors.register(_Terms(self), "site_terms", 1)


class _PageProcessor(Treeprocessor):
    def __init__(self, ext: _SiteExtension):
        super().__init__()
        self.ext = ext


class _Links(_PageProcessor):
    """Rewrite links and image sources through the site's resolver."""

    def run(self, root):
        page = self.ext.page
        for el in root.iter():
            if el.tag == "a" and el.get("href") is not None:
                el.set("href", page.rewrite(page, el.get("href"), "link"))
                if el.get("href").startswith(("http://", "https://")):
                    _mark_external(el, page.strings["external_link"])
            elif el.tag == "img" and el.get("src") is not None:
                src = el.get("src")  # as written in the page, so the problem gets its line
                el.set("src", page.rewrite(page, src, "image"))
                if el.get("alt") is None or not el.get("alt").strip():
                    page.problem(src, "image.alt", "this image has no alternative text",
                                 "Describe what the image shows between the brackets: ![A skeleton with ...](file.svg)",
                                 severity="warning")


def _mark_external(link, words: str) -> None:
    """Say that a link leaves the site: an arrow on screen, words for screen readers."""
    link.set("class", (link.get("class", "") + " external").strip())
    hidden = etree.SubElement(link, "span", {"class": "visually-hidden"})
    hidden.text = f" {words}"


class _Checklists(_PageProcessor):
    """Turn '- [ ] question' items into labelled checkboxes a reader can tick (task-list syntax)."""

    def run(self, root):
        for li in root.iter("li"):
            holder = li[0] if len(li) and li[0].tag == "p" and not (li.text or "").strip() else li
            match = CHECKBOX.match(holder.text or "")
            if not match:
                continue
            label = etree.Element("label")
            box = etree.SubElement(label, "input", {"type": "checkbox"})
            if match.group(1) != " ":
                box.set("checked", "checked")
            box.tail = holder.text[match.end():]
            for child in list(holder):
                holder.remove(child)
                label.append(child)
            holder.text = None
            holder.insert(0, label)
            li.set("class", "task-list-item")


class _CareCards(_PageProcessor):
    """Make care cards from the warning signs (see cards.py); each card's heading says its urgency."""

    def run(self, root):
        replace_cards(root, self.ext.page)


class _Headings(_PageProcessor):
    """Collect headings and ids; the page title is the only h1."""

    def run(self, root):
        page = self.ext.page
        last_level = 1
        for el in root.iter():
            if el.get("id"):
                page.ids.add(el.get("id"))
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and "admonition-title" not in el.get("class", ""):
                level = int(el.tag[1])
                text = "".join(el.itertext()).strip()
                if level == 1:
                    page.problem("# " + text, "heading.h1", f'the body has a top-level heading "{text}"',
                                 "The title from the front matter is the page's only top heading: start sections with ## .")
                elif level > last_level + 1:
                    page.problem("#" * level + " " + text, "heading.skip",
                                 f'heading "{text}" jumps from level {last_level} to {level}',
                                 f"Use {'#' * (last_level + 1)} for this heading.", severity="warning")
                last_level = level
                page.headings.append(Heading(level, text, el.get("id", "")))


_NO_TERMS = {"a", "abbr", "code", "pre", "dfn", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}
_NO_TERMS_CLASSES = {"admonition-title", "care-call", "term"}


class _Terms(_PageProcessor):
    """Explain the first use of each glossary term: a link to the glossary with its definition."""

    def run(self, root):
        glossary = self.ext.page.glossary
        if glossary is None:
            return
        self.glossary, self.seen, self.count = glossary, set(), 0
        self._walk(root)

    def _walk(self, el):
        if el.tag in _NO_TERMS or _NO_TERMS_CLASSES & set(el.get("class", "").split()):
            return
        head, marks = self._mark(el.text)
        el.text = head
        for i, mark in enumerate(marks):
            el.insert(i, mark)
        for child in list(el)[len(marks):]:
            self._walk(child)
            head, marks = self._mark(child.tail)
            child.tail = head
            at = list(el).index(child) + 1
            for i, mark in enumerate(marks):
                el.insert(at + i, mark)

    def _mark(self, text):
        """Split text around the first uses of terms; return the leading text and the new elements."""
        if not text:
            return text, []
        head, marks, last = None, [], 0
        for match in self.glossary.pattern.finditer(text):
            slug, definition = self.glossary.definitions[match.group(1).lower()]
            if slug in self.seen:
                continue
            self.seen.add(slug)
            self.ext.page.terms.append(slug)
            before = text[last:match.start()]
            if marks:
                marks[-1].tail = before
            else:
                head = before
            marks.append(self._term(match.group(1), slug, definition))
            last = match.end()
        if not marks:
            return text, []
        marks[-1].tail = text[last:]
        return head, marks

    def _term(self, word, slug, definition):
        self.count += 1
        tip = f"term-tip-{self.count}"
        span = etree.Element("span", {"class": "term"})
        link = etree.SubElement(span, "a", {"href": f"{self.glossary.href}#{slug}", "aria-describedby": tip})
        link.text = word
        tooltip = etree.SubElement(span, "span", {"class": "term-def", "role": "tooltip", "id": tip,
                                                  "data-pagefind-ignore": ""})
        tooltip.text = definition
        return span


# What an inline pattern must find in the page to match at all. Python-Markdown tries every
# pattern on every text of a page, though a page uses few of them: leaving out those that cannot
# match gives the same HTML, and makes the Markdown stage about a third faster.
PATTERN_NEEDS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "link": ("[",),
    "image_link": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "html": ("<",),
    "entity": ("&",),
    "linebreak": ("  \n", "\t"),  # tabs are turned into spaces before the inline stage
}  # and "em_strong" needs one of its delimiters (its tokens: * and _)
# These match only link references defined in the page ([text][id] with [id]: url).
REFERENCE_PATTERNS = ("reference", "image_reference", "short_reference", "short_image_ref")


class UnusedPatterns(Extension):
    """Run, on each page, only the inline patterns that can match its text."""

    def extendMarkdown(self, md):
        gate = _PatternGate(md)
        md.preprocessors.register(gate.source_keeper, "site_keep_source", 100)  # first: the text as written
        md.treeprocessors.register(gate, "site_pattern_gate", 21)  # after block parsing, just before "inline"


class _PatternGate(Treeprocessor):
    def __init__(self, md):
        super().__init__(md)
        self.source = ""
        self.source_keeper = _SourceKeeper(self)

    def run(self, root) -> None:
        patterns = self.md.inlinePatterns
        needs = dict(PATTERN_NEEDS)
        if "em_strong" in patterns:
            needs["em_strong"] = tuple(getattr(patterns["em_strong"], "tokens", None) or ("",))
        unused = {name for name, needles in needs.items() if not any(n in self.source for n in needles)}
        if not self.md.references:  # known now: the block parser has collected them
            unused.update(REFERENCE_PATTERNS)
        skipped = {id(patterns[name]) for name in unused if name in patterns}
        # The inline processor reads its patterns by position only, so a list of the others will do.
        self.md.treeprocessors["inline"].inlinePatterns = [p for p in patterns if id(p) not in skipped]


class _SourceKeeper(Preprocessor):
    def __init__(self, gate: _PatternGate):
        super().__init__()
        self.gate = gate

    def run(self, lines: list[str]) -> list[str]:
        self.gate.source = "\n".join(lines)
        return lines
