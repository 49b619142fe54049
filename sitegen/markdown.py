"""Render a page's Markdown body to HTML (stage 4).

Python-Markdown with the extensions Material for MkDocs uses, plus our tree processors:
links between pages are rewritten to output URLs, care cards get the site's phone
numbers, and headings are collected for the contents list and the checks.
"""

from __future__ import annotations

import bisect
import html as htmllib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Callable

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .budget import OverBudget, time_limit
from .cards import CardSource, replace_cards
from .diagnostics import ContentError, Diagnostic
from .pagetext import SearchText, search_text
from .picturesize import PictureSize, fill_size
from .rawclose import in_page_order, unclosed
from .rawlinks import is_external, mark_external, rewrite_addresses
from .sanitize import MAX_DEPTH, MAX_SLOW_CHARACTERS, Removal, clean, removals, too_deep, too_many_slow_characters

EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
    "toc", "sane_lists", "pymdownx.details", "pymdownx.superfences",
]
NESTING_HINT = "Close each HTML element you open and each * and _; nest lists, quotes and <div> blocks a few levels deep at most."
MAX_REMOVALS = 20  # reported one by one; the rest of a page's are counted in one more line
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
    rewrite: Callable[["PageInput", str, str], str | None]  # None: leave the address out
    cards: CardSource | None
    strings: dict[str, str]
    glossary: GlossaryLinks | None = None
    rel: str = ""  # the page's content path, en/symptoms.md
    help_page: bool = False  # the page that lists every warning sign after its text
    size_of: Callable[[str], PictureSize | None] | None = None  # a picture's size, by its address as written
    problems: list[Diagnostic] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    terms: list[str] = field(default_factory=list)  # slugs of the glossary terms the page uses
    _line_starts: list[int] = field(default_factory=list, repr=False)

    @property
    def lang(self) -> str:
        return self.rel.split("/", 1)[0]

    def line_of(self, needle: str) -> int | None:
        """Return the file line where needle first appears in the body."""
        index = self.body.find(needle)
        if index < 0:  # raw HTML gives its addresses decoded: "a?x=1&y=2" is written "a?x=1&amp;y=2"
            index = self.body.find(htmllib.escape(needle, quote=False))
        return self.line_at(index) if index >= 0 else None

    def line_at(self, index: int) -> int:
        """Return the file line of a position in the body."""
        if not self._line_starts:  # found once per page: a page may have thousands of links
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.body)]
        return self.body_line + bisect.bisect_right(self._line_starts, index) - 1

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
    text: SearchText = field(default_factory=lambda: search_text(""))  # what search reads of it
    cacheable: bool = True  # false when the verdict depends on the machine (the page ran out of time)


class PageRenderer:
    """One Markdown converter, reused for every page of a build (reset between pages)."""

    def __init__(self):
        self._ext = _SiteExtension()
        self.md = self._converter()

    def _converter(self) -> markdown.Markdown:
        return markdown.Markdown(
            extensions=[*EXTENSIONS, self._ext, UnusedPatterns()],
            # Table columns aligned with align="...", which the safe list keeps (style="..." it does not).
            extension_configs={"toc": {"toc_depth": "2-3"}, "tables": {"use_align_attribute": True}},
            output_format="html",
        )

    def render(self, page: PageInput) -> Rendered:
        """Convert one page body; problems and links are collected on the result."""
        self._ext.page = page
        try:
            with time_limit():
                self.md.reset()
                html = self.md.convert(page.body)
                if any(isinstance(raw, str) and "<a" in raw.lower() for raw in self.md.htmlStash.rawHtmlBlocks):
                    html = mark_external(html, page.strings["external_link"])  # raw HTML links, as _Links marks the others
                _refuse_complex(page, html)
                safe = clean(html)
                _report_removals(page, removals(html, safe))
                safe = _scrollable_tables(safe, page.strings.get("table_region", "Table"),
                                          page.strings.get("table_region_n", "Table {n} of {count}"))
        except ContentError as exc:
            return Rendered("", [], set(), [], [exc.diagnostic])
        except (OverBudget, RecursionError) as exc:
            self.md = self._converter()  # stopped half-way: the next page gets a fresh converter
            return Rendered("", [], set(), [], [_too_complex(page, exc)], cacheable=isinstance(exc, RecursionError))
        return Rendered(safe, page.headings, page.ids, page.links, page.problems, page.terms, search_text(safe))


def _scrollable_tables(html: str, label: str, numbered: str) -> str:
    """Wrap each table in a region that scrolls sideways when the screen is too narrow for it: a
    keyboard can reach it and scroll it (tabindex), and a screen reader names it (WCAG 2.1.1). The
    safe list keeps no tabindex, so the wrapping comes after it. A region is a landmark, so two on
    a page are numbered: a screen reader's list of landmarks tells them apart."""
    pieces = html.split("<table")
    count = len(pieces) - 1
    if not count:
        return html
    out = [pieces[0]]
    for n, piece in enumerate(pieces[1:], 1):
        name = label if count == 1 else numbered.format(n=n, count=count)
        out.append(f'<div class="table-scroll" role="region" tabindex="0" aria-label="{htmllib.escape(name)}"><table{piece}')
    return "".join(out).replace("</table>", "</table></div>")


def _too_complex(page: PageInput, exc: BaseException) -> Diagnostic:
    if isinstance(exc, RecursionError):
        return Diagnostic(page.shown, None, "page.nesting", "the page nests lists, quotes, emphasis or HTML too deeply to build",
                          NESTING_HINT)
    return Diagnostic(page.shown, None, "page.slow", "the page takes too long to build: it has more marks than patient pages have",
                      "Look for long runs of [, *, _, <, \\ or `, thousands of links in one paragraph, or lines without "
                      "blank lines between them; split the page or remove the marks.")


def _refuse_complex(page: PageInput, html: str) -> None:
    """Raise a content error for HTML the sanitiser would take too long on (it cannot be interrupted)."""
    for find, code, message, hint in (
            (too_deep, "page.nesting", f"the page nests HTML elements, lists or quotes more than {MAX_DEPTH} deep, "
             "too deep to build", NESTING_HINT),
            (too_many_slow_characters, "page.slow", f"a paragraph has more than {MAX_SLOW_CHARACTERS:,} characters "
             "such as &, © or ¿, too many to build", "Split the paragraph, or remove the repeated characters.")):
        if find(html) is not None:
            written = find(page.body)  # where the editor typed it, when it is HTML or characters as they are
            raise ContentError(Diagnostic(page.shown, page.line_at(written) if written is not None else None,
                                          code, message, hint))


def _report_removals(page: PageInput, found: list[Removal]) -> None:
    """Report what the safe list left out: errors for what could harm a reader, warnings for the rest."""
    after: dict[str, int] = {}  # where the last report of each kind was found, so repeats get their own line
    for removal in found[:MAX_REMOVALS]:
        line = _find_written(page, removal, after)
        if removal.unsafe:
            page.problems.append(Diagnostic(page.shown, line, "html.unsafe", f"the page contains {removal.what}", removal.hint))
        else:
            page.problems.append(Diagnostic(page.shown, line, "html.removed", f"the page contains {removal.what}; it is left out",
                                            removal.hint, severity="warning"))
    rest = found[MAX_REMOVALS:]
    if rest:
        unsafe = any(r.unsafe for r in rest)
        page.problems.append(Diagnostic(page.shown, _find_written(page, rest[0], after), "html.unsafe" if unsafe else "html.removed",
                                        f"and {len(rest)} more elements or attributes outside the safe list",
                                        rest[0].hint, "error" if unsafe else "warning"))


def _find_written(page: PageInput, removal: Removal, after: dict[str, int]) -> int | None:
    """Return the line where the editor wrote what was removed: its tag, or its attribute with that value."""
    for pattern, value in _written_forms(removal):
        key = f"{pattern}\0{value}"
        for start in (after.get(key, 0), 0):
            for match in re.compile(pattern, re.IGNORECASE).finditer(page.body, start):
                if value is None or htmllib.unescape(match.group(1).strip("\"'")) == value:
                    after[key] = match.end()
                    return page.line_at(match.start())
    return None


def _written_forms(removal: Removal) -> list[tuple[str, str | None]]:
    """Return (regex, decoded value it must have or None) for how the removed thing may be written."""
    if not removal.attribute:
        return [(rf"<{re.escape(removal.tag)}(?=[\s/>]|$)", None)]
    name = rf"(?<![\w:.-]){re.escape(removal.attribute)}(?![\w:.-])"  # in a tag, or in {: ...} after Markdown
    return [(name + r"""\s*=\s*("[^"]*"|'[^']*'|[^\s>}]+)""", removal.value), (name, None)]


class _SiteExtension(Extension):
    page: PageInput | None = None

    def extendMarkdown(self, md):
        self.md = md  # its stash of raw HTML, whose links _Links resolves too
        # After toc (priority 5) so heading ids exist; attr_list runs at 8.
        md.treeprocessors.register(_Links(self), "site_links", 4)
        md.treeprocessors.register(_Checklists(self), "site_checklists", 3.5)
        md.treeprocessors.register(_CareCards(self), "site_care_cards", 3)
        md.treeprocessors.register(_Headings(self), "site_headings", 2)
        md.treeprocessors.register(_Terms(self), "site_terms", 1)
        md.treeprocessors.register(_LeakedMarkup(self), "site_leaked_markup", 0.5)


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
                _set_address(el, "href", page.rewrite(page, el.get("href"), "link"))
                if is_external(el.get("href", "")):
                    _mark_external(el, page.strings["external_link"])
            elif el.tag == "img" and el.get("src") is not None:
                src = el.get("src")  # as written in the page, so the problem gets its line
                _set_address(el, "src", page.rewrite(page, src, "image"))
                if page.size_of and el.get("src") is not None:  # its room kept while it loads
                    for name, value in fill_size(el.attrib, page.size_of(src)).items():
                        el.set(name, value)
                if el.get("alt") is None or not el.get("alt").strip():
                    _no_alt(page, src, "Describe what the image shows between the brackets: ![A skeleton with ...](file.svg)")
        stash = self.ext.md.htmlStash.rawHtmlBlocks
        _report_unclosed(page, stash)  # before the addresses change: the tags are found as typed
        for n, raw in enumerate(stash):
            if isinstance(raw, str):  # md_in_html keeps elements here too; they are in the tree walked above
                stash[n] = rewrite_addresses(raw, lambda address, kind: page.rewrite(page, address, kind),
                                             lambda address: _no_alt(page, address, HTML_ALT_HINT),
                                             page.size_of or (lambda address: None))


HARMLESS_UNCLOSED = {"div", "section"}  # unstyled: what they take in looks the same, so a warning, not an error


def _report_unclosed(page: PageInput, stash: list) -> None:
    """Report each raw HTML element that the page opens and never closes, at the line of its start tag."""
    pieces = [piece for piece in stash if isinstance(piece, str) and "<" in piece]  # not md_in_html's elements: closed
    if not unclosed(list(enumerate(pieces))):  # in Markdown's order: a quick look, as most pages close everything
        return
    for where, text in unclosed(in_page_order(page.body, pieces))[:MAX_REMOVALS]:
        tag = re.match(r"<([^\s/>]+)", text).group(1).lower()
        at = page.body.find(text, where)
        page.problems.append(Diagnostic(
            page.shown, page.line_at(at) if at >= 0 else page.line_of(f"<{tag}"), "html.unclosed",
            f"this <{tag}> is never closed, so everything after it on the page would become part of it",
            f"Add </{tag}> where it should end: " + (f"{text}the link's words</a>" if tag == "a" else f"{text}...</{tag}>"),
            "warning" if tag in HARMLESS_UNCLOSED else "error"))


HTML_ALT_HINT = 'Describe what the image shows in its alt: <img src="images/spine.svg" alt="A drawing of the spine">'


def _no_alt(page: PageInput, src: str, hint: str) -> None:
    page.problem(src, "image.alt", "this image has no alternative text", hint, severity="warning")


def _set_address(el, name: str, address: str | None) -> None:
    """Set the rewritten address, or leave out one the resolver refused (and reported)."""
    if address is None:
        del el.attrib[name]
    else:
        el.set(name, address)


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
                                 "The page's title (its title: field, or a # Title on its first line) is its only "
                                 "top heading: start sections with ## .")
                elif level > last_level + 1:
                    page.problem("#" * level + " " + text, "heading.skip",
                                 f'heading "{text}" jumps from level {last_level} to {level}',
                                 f"Use {'#' * (last_level + 1)} for this heading.", severity="warning")
                last_level = level
                page.headings.append(Heading(level, text, el.get("id", "")))


class _LeakedMarkup(_PageProcessor):
    """Warn where markup the editor meant shows as typed: !!! note "Title with a quote missing, or
    what Material for MkDocs has and this site does not (content tabs, icons), as pages brought in
    by `import` may hold."""

    def run(self, root):
        page = self.ext.page
        for found in _DIAGRAM.finditer(page.body):
            page.problems.append(Diagnostic(
                page.shown, page.line_at(found.start()), "markup.diagram", "a Mermaid diagram shows as its code: "
                "this site draws no diagrams (MkDocs draws them with a script)", "Draw it as a picture (an SVG "
                "file) and show it with ![what it shows](file.svg).", "warning"))
        for text in _prose(root):
            for pattern, where, code, message, hint in _LEAKS:
                if where == "all":
                    found = pattern.findall(text)
                else:  # "start": a line as typed, from the text's start; "first": its first place in the text
                    match = (pattern.match if where == "start" else pattern.search)(text)
                    found = [match.group(0).strip() if where == "start" else match.group(0)] if match else []
                for typed in found:
                    page.problem(typed, code, message.format(typed), hint, severity="warning")


_NOT_A_BOX = re.compile(r"\s*!!!\s*\w+[^\n]*")
_SNIPPET = re.compile(r'\s*-{1,2}8<-{1,2}\s*"[^\n]*')  # pymdownx.snippets: --8<-- "file.md"
_DIAGRAM = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*\{?\.?mermaid\b", re.MULTILINE)  # drawn by a script in MkDocs
_OPEN_COMMENT = re.compile(r"<!--[^\n]{0,30}")  # what a comment without --> leaves on the page, as typed
_TAB = re.compile(r'\s*===\+?\s*"[^\n]*')  # a content tab of Material for MkDocs (pymdownx.tabbed)
_ICON = re.compile(r"(?<![\w:/]):[a-z][a-z0-9_+-]{2,}:(?![\w:/])")  # :material-heart:, :smile: (pymdownx.emoji)
# What shows as typed in prose: (pattern, where it is looked for, code, message with {} for what was
# typed, hint). Each is a warning at the line of what was typed.
_LEAKS = (
    (_NOT_A_BOX, "start", "markup.box", '"{}" shows as typed, not as a box',
     'Write it as !!! note "The title", with both quotes, on a line of its own, and indent the box\'s text by four spaces.'),
    (_TAB, "start", "markup.tabs", "{} shows as typed: this site has no tabs, and their text shows as code",
     "Make each tab a heading (### and its title) with its text under it, not indented: readers then see all of it, "
     "and it prints."),
    (_OPEN_COMMENT, "first", "markup.comment", '"{}" shows on the page: the comment is never closed',
     "End it with --> where the note to editors ends; the comment is then left out of the page."),
    (_SNIPPET, "start", "markup.snippet", "{} shows as typed: this site does not put one file's text into another",
     "Copy the text into the page itself, or link to the page that has it."),
    (_ICON, "all", "markup.icon", "{} shows as typed: this site has no icons or emoji shortcodes",
     "Remove it, or write the word it stands for."),
)


def _prose(root):
    """Yield the text of the page outside code, as Markdown left it."""
    stack = [root]
    while stack:
        el = stack.pop()
        if el.tag in ("code", "pre", "script", "style"):
            continue
        if el.text:
            yield el.text
        for child in el:
            stack.append(child)
            if child.tail:
                yield child.tail


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
        el.text, children = self._mark(el.text)
        for child in list(el):
            self._walk(child)
            child.tail, marks = self._mark(child.tail)
            children += [child, *marks]
        el[:] = children  # set once: inserting one by one takes the square of the children's number

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
