"""Care cards made from the warning signs (stage 4, inside the Markdown tree).

A page asks for cards with an admonition whose type is `signs`, followed by sign ids, group ids or
level ids:

    !!! signs spinal-cord
        Read more about [pressure on the spinal cord](spinal-cord-compression.md).

The build replaces it with one card per level among the signs asked for, most urgent first. Each
card's heading, first action and numbers come from the level in site.yml, its list from
warning-signs.yml; the admonition's own text follows the cards. In MkDocs the same lines show as a
box titled "Signs" holding that text. The help page (layout: warning-signs) gets a card for every
level after its text, each sign under its group, linked to the page that explains it.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from .diagnostics import closest, did_you_mean
from .phones import tel_uri
from .signs import Level, Sign, SignBook, by_level, fill_numbers, select, selector_names

# Python-Markdown and Material for MkDocs admonition types, with their aliases.
ADMONITION_TYPES = {
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check", "done",
    "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error",
    "bug", "example", "quote", "cite", "seealso",
}
SIGNS = "signs"
RETIRED = {"emergency", "urgent", "non-urgent"}  # hand-written cards, before the signs were data


@dataclass(frozen=True)
class CardSource:
    """What one language's pages need to make cards: the signs, the levels and the clinic's numbers."""

    book: SignBook | None
    levels: tuple[Level, ...]
    config: object  # SiteConfig, for the numbers
    lang: str
    failed: bool = False  # the language's warning-signs.yml has errors, reported already


def admonition_types(el) -> list[str] | None:
    """Return the types written after !!! (or ???) for an admonition element, else None."""
    classes = el.get("class", "").split()
    if el.tag == "div" and "admonition" in classes:
        return [c for c in classes if c != "admonition"]
    if el.tag == "details":
        return classes
    return None


def replace_cards(root, page) -> None:
    """Turn every `!!! signs` admonition into cards; report unknown types; add the help page's cards."""
    source: CardSource | None = page.cards
    for parent in list(root.iter()):
        for index, el in reversed(list(enumerate(parent))):
            types = admonition_types(el)
            if not types:
                continue
            if types[0] != SIGNS:
                _check_type(page, source, types[0])
                continue
            parent.remove(el)
            for offset, card in enumerate(_cards_for(page, source, el, types[1:])):
                parent.insert(index + offset, card)
    count = _place_headings(root)
    if page.help_page and source and source.book:
        _add_every_card(root, page, source, count)


def _add_every_card(root, page, source: CardSource, count: int) -> None:
    """Put a card for every level after the help page's introduction (before its first ## section)."""
    at = next((i for i, el in enumerate(root) if el.tag == "h2"), len(root))
    signs, _ = select(source.book, source.levels, [level.id for level in source.levels])
    for offset, card in enumerate(_level_cards(page, source, signs, grouped=True)):
        card[0].tag = "h2"  # the cards are the page's first sections
        card[0].set("id", f"care-{count + offset + 1}")
        root.insert(at + offset, card)


def _place_headings(root) -> int:
    """Make each card's title a heading one level below its section, with an id; return how many."""
    section_level, number = 1, 0
    for el in root.iter():
        if el.tag in ("h1", "h2", "h3", "h4", "h5") and "admonition-title" not in el.get("class", ""):
            section_level = int(el.tag[1])
        if "care-card" in el.get("class", "").split():
            number += 1
            el[0].tag = f"h{min(section_level + 1, 6)}"
            el[0].set("id", f"care-{number}")
    return number


def _check_type(page, source: CardSource | None, kind: str) -> None:
    """An unknown admonition type is an error: a misspelt card would show as a grey note, without its numbers."""
    if kind in ADMONITION_TYPES:
        return
    names = selector_names(source.book if source else None, source.levels if source else ())
    known = ADMONITION_TYPES | {SIGNS} | names | RETIRED
    target = kind if kind in names | RETIRED else closest(kind, known)
    if target in names:
        hint = (f'Did you mean "!!! {SIGNS} {target}"? Care cards are made from the warning signs: '
                "name the sign, group or level ids after !!! signs.")
    elif target in RETIRED:
        hint = (f'Care cards are made from the warning signs: write "!!! {SIGNS}" and the ids of the signs '
                "to show (see warning-signs.yml).")
    elif target:
        hint = f'Did you mean "{target}"?'
    else:
        hint = "Use a known type, such as note, tip or warning, or signs for a care card."
    page.problem(f"!!! {kind}", "card.type", f'there is no card type "{kind}"', hint)


def _cards_for(page, source: CardSource | None, el, names: list[str]) -> list:
    """Return the cards (and the admonition's own text) that replace one `!!! signs` admonition."""
    needle = f"!!! {SIGNS}"
    title = next((c for c in el if "admonition-title" in c.get("class", "")), None)
    body = [c for c in el if c is not title]
    if source is not None and source.failed:
        return body  # the signs file's own errors say what to fix
    if source is None or source.book is None:
        page.problem(needle, "card.signs", "this page asks for warning-sign cards, but there are no warning signs",
                     f"Write content/{page.lang}/warning-signs.yml first (see EDITING.md, Warning signs).")
        return body
    if not names:
        page.problem(needle, "card.empty", "this card does not say which signs to show",
                     f'Name sign, group or level ids after it, for example "!!! {SIGNS} spinal-cord".')
        return body
    if title is not None and (title.text or "").strip().lower() != SIGNS:
        page.problem(needle, "card.title", "a warning-sign card takes its heading from its level; this one has a title",
                     f'Remove the quoted title after "!!! {SIGNS} {" ".join(names)}".')
    signs, unknown = select(source.book, source.levels, names)
    for name in unknown:
        choices = selector_names(source.book, source.levels)
        page.problem(needle, "card.sign", f'there is no warning sign, group or level "{name}"',
                     did_you_mean(name, choices) or f"See the ids in {source.book.path} and site.yml.")
    return _level_cards(page, source, signs) + body


def _level_cards(page, source: CardSource, signs: list[Sign], grouped: bool = False) -> list:
    """Return one card per level among signs, most urgent first."""
    cards = []
    for level, level_signs in by_level(signs, source.levels):
        card = etree.Element("div", {"class": f"care-card care-{level.style} care-level-{level.id}"})
        # The same heading and calls are on every card: search indexes the signs, not this (data-pagefind-ignore).
        heading = etree.SubElement(card, "p", {"class": "admonition-title", "data-pagefind-ignore": ""})
        label = etree.SubElement(heading, "span", {"class": "care-level"})
        label.text = level.text("name", source.lang) + ": "
        label.tail = level.text("heading", source.lang)
        if grouped:
            _grouped_list(card, page, source, level_signs)
        else:
            _list(card, level_signs)
        _calls(card, level, source)
        cards.append(card)
    return cards


def _list(card, signs: list[Sign]) -> None:
    ul = etree.SubElement(card, "ul", {"class": "care-signs"})
    for sign in signs:
        etree.SubElement(ul, "li").text = sign.says


def _grouped_list(card, page, source: CardSource, signs: list[Sign]) -> None:
    """List the signs under their groups, each group linked to the page that explains it."""
    groups = []
    for sign in signs:
        group = source.book.group_of(sign)
        if group not in groups:
            groups.append(group)
    outer = etree.SubElement(card, "ul", {"class": "care-groups"})
    for group in groups:
        item = etree.SubElement(outer, "li")
        link = etree.SubElement(item, "a", {"class": "care-group", "href": _href(page, group.page)})
        link.text = group.name
        inner = etree.SubElement(item, "ul", {"class": "care-signs"})
        for sign in (s for s in signs if s.group == group.id):
            li = etree.SubElement(inner, "li")
            if sign.page != group.page:
                etree.SubElement(li, "a", {"class": "care-sign", "href": _href(page, sign.page)}).text = sign.says
            else:
                li.text = sign.says


def _href(page, rel: str) -> str:
    """Return the address of a content page from this page, checked like any link."""
    written = posixpath.relpath(rel, posixpath.dirname(page.rel))
    return page.rewrite(page, written, "link")


def _calls(card, level: Level, source: CardSource) -> None:
    """Add the level's first action, then its fallback, each with its numbers as phone links."""
    for name, css in (("action", "care-action"), ("fallback", "care-fallback")):
        text = level.text(name, source.lang)
        if not text:
            continue
        p = etree.SubElement(card, "p", {"class": f"care-call {css}", "data-pagefind-ignore": ""})
        holder = etree.SubElement(p, "strong") if name == "action" else p
        last = None
        for part, is_number in fill_numbers(text, source.config):
            if is_number:
                uri = tel_uri(part)  # every number of site.yml dials (config.py checks)
                last = etree.SubElement(holder, "a", {"href": uri, "class": "care-number"}) if uri else \
                    etree.SubElement(holder, "span", {"class": "care-number"})
                last.text = part
            elif last is None:
                holder.text = (holder.text or "") + part
            else:
                last.tail = (last.tail or "") + part
