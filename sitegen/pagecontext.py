"""What the templates are given: the names every template may use, and a page's own.

BaseContext is what base.html needs on every page the build writes; PageContext is what page.html
and its layouts (glossary.html, warning-signs.html) add. A template that uses any other name fails
the build with the template's file and line (StrictUndefined).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, TypedDict

from markupsafe import Markup

from .context import BuildContext
from .glossary import Term
from .markdown import Heading
from .model import Page, Site, Topic
from .navigation import header_topics, label, listed, neighbours, section_of, trail
from .paths import handouts_index_out, home_out, page_pdf, relative, search_out, url_of
from .review import ReviewState
from .searchwords import Keywords, PageWords
from .signcheck import help_pages


@dataclass(frozen=True)
class Link:
    title: str
    href: str
    current: bool = False
    description: str = ""


@dataclass(frozen=True)
class Alternate:
    """The same page in another language (or that language's home page when untranslated)."""

    lang: str
    name: str
    href: str
    url: str
    translated: bool


@dataclass(frozen=True)
class ReviewLine:
    """A page's review as the page and its handouts word it, dates in the reader's language."""

    state: str  # see review.py: "reviewed", "due soon", "overdue", "changed" or "unreviewed"
    reviewed: str = ""
    reviewers: str = ""
    next_review: str = ""
    changed: str = ""  # when the page's text last changed (history.py), "" when nothing can tell


class BaseContext(TypedDict):
    lang: str
    t: dict[str, str]  # the interface strings of the language (templates/strings/<lang>.yml)
    asset: Callable[[str], str]  # the link to a file of the site root: asset("assets/site.css")
    root: str
    home: str
    search_href: str
    help_href: str | None  # "Get help now": the page that lists every warning sign
    languages: list[Alternate]
    topics: list[Link]  # the topic bar: the top-level topics and pages, the reader's own marked current


class PageContext(BaseContext):
    page: Page
    body: Markup  # the page's rendered Markdown
    search_words: PageWords  # the words patients use for what the page explains (searchwords.py), for search
    canonical: str
    prev: Link | None  # previous/next: the reading order within the page's topic
    next: Link | None
    up: Link | None  # the last page of a topic leads back to the topic's index page, in place of next
    breadcrumbs: list[Link]  # the index pages above this one, the home page first
    listing: list[Link]  # a topic's index page: its pages and sub-topics, with their descriptions
    toc: list[Heading]  # the level-2 headings, for the contents list
    review: ReviewLine
    original: Link | None  # a translation: the page it translates
    terms: tuple[Term, ...]
    jsonld: dict
    handout: dict[str, str] | None  # links to the page's PDFs: pdf, large
    handouts_index: str | None


def _folder(href: str) -> str:
    """Return the folder part of a link to an index.html: "../index.html" -> "../", "index.html" -> "./"."""
    return (href[: -len("index.html")] if href.endswith("index.html") else href) or "./"


class Contexts:
    """Make the template context of each page of one site."""

    def __init__(self, site: Site, ctx: BuildContext):
        self.site = site
        self.ctx = ctx
        self.default = site.config.default_language
        self.keywords = Keywords(site)

    @cached_property
    def help_pages(self) -> dict[str, Page]:
        return help_pages(self.site)

    @cached_property
    def header(self) -> dict[str, list[Page]]:
        """The topic bar's entries of each language, worked out once: every page shows them."""
        return {lang: header_topics(self.site, lang) for lang in self.site.config.languages}

    def base_context(self, out: str, lang: str, link: Callable[[str], str] | None = None,
                     current: Page | None = None) -> BaseContext:
        """Return what every template needs: strings, and links to other files.

        Links are relative to the file at out, or made by link(target output file) when given (the
        page-not-found page, served at any address, links from the site root). current is the
        entry of the topic bar the reader is in.
        """
        config, strings = self.site.config, self.ctx.strings
        link = link or (lambda target: relative(out, target))
        help_page = self.help_pages.get(lang) or self.help_pages.get(self.default)
        return BaseContext(
            help_href=link(help_page.out) if help_page else None,
            lang=lang,
            t=strings[lang],
            asset=link,
            root=_folder(link("index.html")),
            home=link(home_out(lang, self.default)),
            search_href=link(search_out(lang, self.default)),
            languages=[Alternate(other, strings[other]["language_name"], link(home_out(other, self.default)),
                                 config.base_url + url_of(home_out(other, self.default)), False)
                       for other in config.languages if other != lang],
            topics=[Link(label(entry), link(entry.out), entry is current) for entry in self.header.get(lang, [])],
        )

    def page_context(self, page: Page) -> PageContext:
        topic = self.site.topics[page.topic]
        handouts = self.ctx.handouts
        base = self.base_context(page.out, page.lang, current=section_of(self.site, page))
        base["languages"] = self.languages(page)  # this page in the other languages, not their home pages
        before, after = neighbours(page, topic)
        return PageContext(
            **base,
            page=page,
            body=Markup(page.rendered.html),
            search_words=self.search_words(page),
            canonical=self.site.config.base_url + page.url,
            prev=self.link(page, before),
            next=self.link(page, after),
            up=self.link(page, topic.index, label(topic.index)) if after is None and topic.index is not page else None,
            breadcrumbs=[self.link(page, p, base["t"]["home"] if p.topic == p.lang else label(p))
                         for p in trail(page, topic)],
            listing=[self.link(page, p, description=p.meta.description) for p in listed(topic)]
            if page.is_index else [],
            toc=[h for h in page.rendered.headings if h.level == 2],
            review=self.review_line(page.review, page.lang, page.changed),
            original=self.original(page),
            terms=self.site.glossary.get(page.lang, ()),
            jsonld=self.jsonld(page, topic),
            handout=self.handout_links(page) if handouts else None,
            handouts_index=relative(page.out, handouts_index_out(page.lang, self.default)) if handouts else None,
        )

    def review_line(self, state: ReviewState, lang: str, changed: dt.date | None = None) -> ReviewLine:
        when = self.ctx.date(changed, lang) if changed else ""
        if state.reviewed is None:
            return ReviewLine(state.state, changed=when)
        return ReviewLine(state.state, self.ctx.date(state.reviewed, lang), state.names,
                          self.ctx.date(state.next_review, lang), when)

    def handout_links(self, page: Page) -> dict[str, str] | None:
        """Return the links from a web page to its handouts, or None when it has none."""
        if not page.meta.handout:
            return None
        return {"pdf": relative(page.out, page_pdf(page.rel, page.out)),
                "large": relative(page.out, page_pdf(page.rel, page.out, True))}

    def languages(self, page: Page) -> list[Alternate]:
        """Return the page in every other language, or that language's home when it is not translated."""
        links = []
        for lang in self.site.config.languages:
            other = page.alternates.get(lang)
            if lang == page.lang:
                continue
            out = other.out if other else home_out(lang, self.default)
            url = other.url if other else url_of(out)
            links.append(Alternate(lang, self.ctx.strings[lang]["language_name"], relative(page.out, out),
                                   self.site.config.base_url + url, other is not None))
        return links

    def original(self, page: Page) -> Link | None:
        """Return the page this one translates, for the notice on translated pages."""
        source = page.alternates.get(self.default)
        return Link(source.meta.title, relative(page.out, source.out)) if source and page.translation else None

    def search_words(self, page: Page) -> PageWords:
        """Return the page's keywords for the search index: glossary forms and everyday words, its signs."""
        return self.keywords.of(page)

    @staticmethod
    def link(page: Page, target: Page | None, title: str = "", description: str = "") -> Link | None:
        """Return a link from page to target (None for none), under its title unless given another."""
        if target is None:
            return None
        return Link(title or target.meta.title, relative(page.out, target.out), description=description)

    def jsonld(self, page: Page, topic: Topic) -> dict:
        """Return schema.org MedicalWebPage data for search engines."""
        meta = page.meta
        about = topic.index.meta.title if topic.index else meta.title
        data = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": meta.title,
            "description": meta.description,
            "url": self.site.config.base_url + page.url,
            "inLanguage": page.lang,
            "about": {"@type": "MedicalCondition", "name": about},
            "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
            "publisher": {"@type": "MedicalOrganization", "name": self.site.config.clinic.name},
            "citation": [{"@type": "CreativeWork", "name": s.title, "publisher": s.publisher, "url": s.url}
                         for s in meta.sources],
        }
        if page.changed:
            data["dateModified"] = page.changed.isoformat()
        if page.review.covers_text:  # claim only the review the current text got
            data["lastReviewed"] = meta.reviewed.isoformat()
            data["reviewedBy"] = [{"@type": "Person", "name": r.name, "honorificSuffix": r.credentials}
                                  for r in meta.reviewers]
        return data
