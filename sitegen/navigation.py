"""The ways around a site: the topic bar, breadcrumbs, previous/next, and what a topic's index lists.

The top level of a language is its home page's folder (content/<lang>/): its topics (folders with
an index.md) and its other pages, such as the glossary, in the order of their `order` (then
title). A topic shows its short `menu_title` in the bar and in breadcrumbs, its `title` elsewhere.
Previous/next is the reading order within one topic (model.Topic.pages).

The header lists the top level on every page, so it stays short: with more than HEADER_TOPICS
entries it lists none (the home page lists them all), and the build warns. A header of hundreds of
links would make every page, and the whole build, grow with the square of the site.
"""

from __future__ import annotations

from .diagnostics import Report
from .model import Page, Site, Topic

HEADER_TOPICS = 8  # more do not fit one row of the topic bar at 1280 px, nor one screen of the phone menu


def label(page: Page) -> str:
    """Return the name a page goes by in menus: its menu_title, else its title."""
    return page.meta.menu_title or page.meta.title


def menu_order(page: Page):
    """Pages by their order (pages without one last), then by title: never by file name."""
    order = page.meta.order
    return (order is None, order or 0, page.meta.title.lower())


def top_level(site: Site, lang: str) -> list[Page]:
    """Return the entries of the topic bar: each topic's index page and the other top-level pages."""
    root = site.topics.get(lang)
    if root is None:
        return []
    entries = [child.index for child in root.children if child.index]
    entries += [page for page in root.pages if not page.is_index]
    return sorted(entries, key=menu_order)


def header_topics(site: Site, lang: str) -> list[Page]:
    """Return the entries of the header's topic bar and menu: the top level, unless it is too long."""
    entries = top_level(site, lang)
    return entries if len(entries) <= HEADER_TOPICS else []


def check_top_level(site: Site, report: Report) -> None:
    """Warn when a language's top level is too long for the header (which then lists no topics)."""
    for lang in site.config.languages:
        entries = top_level(site, lang)
        home = site.topics[lang].index if lang in site.topics else None
        if len(entries) > HEADER_TOPICS and home is not None:
            report.warning(home.source.path, None, "topic.too-many",
                           f"content/{lang}/ has {len(entries)} topics and pages at its top level: the header "
                           f"lists at most {HEADER_TOPICS}, so it lists none and readers find them on the home page",
                           f"Group them into {HEADER_TOPICS} topics or fewer: folders with an index.md each.")


def section_of(site: Site, page: Page) -> Page | None:
    """Return the entry of the topic bar that holds page (itself, or its topic's), None for the home page."""
    topic = site.topics.get(page.topic)
    if topic is None:
        return None
    if topic.parent is None:  # a page at the top level: its own entry, unless it is the home page
        return None if page.is_index else page
    while topic.parent is not None and topic.parent.parent is not None:
        topic = topic.parent
    return topic.index


def trail(page: Page, topic: Topic) -> list[Page]:
    """Return the index pages above page, from the home page down (page itself left out)."""
    pages = []
    while topic is not None:
        if topic.index and topic.index is not page:
            pages.append(topic.index)
        topic = topic.parent
    return list(reversed(pages))


def listed(topic: Topic) -> list[Page]:
    """Return what a topic's index page lists: its pages and its sub-topics' index pages, in menu order."""
    pages = [p for p in topic.pages if not p.is_index]
    pages += [child.index for child in topic.children if child.index]
    return sorted(pages, key=menu_order)


def neighbours(page: Page, topic: Topic) -> tuple[Page | None, Page | None]:
    """Return the previous and next pages in the topic's reading order."""
    index = topic.pages.index(page)
    before = topic.pages[index - 1] if index > 0 else None
    after = topic.pages[index + 1] if index + 1 < len(topic.pages) else None
    return before, after


def by_topic(site: Site, lang: str) -> list[tuple[Page, list[Page]]]:
    """Return every page of a language as (top-level entry, the pages under it), in menu order.

    For the lists of every page (search page, page-not-found page): the home page first, then
    the topic bar's entries, each topic's pages in its reading order (sub-topics after them).
    """
    root = site.topics.get(lang)
    groups = [(root.index, [])] if root and root.index else []
    for entry in top_level(site, lang):
        topic = site.topics.get(entry.topic) if entry.is_index else None
        groups.append((entry, _pages_under(topic) if topic else []))
    return groups


def _pages_under(topic: Topic) -> list[Page]:
    pages = [p for p in topic.pages if not p.is_index]
    for child in sorted((c for c in topic.children if c.index), key=lambda c: menu_order(c.index)):
        pages += [child.index, *_pages_under(child)]
    return pages
