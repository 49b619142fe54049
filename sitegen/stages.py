"""The stages every page goes through once the site is loaded, the same for the build, the preview's
early page and `check`: its translation and review state (judge), then its Markdown (render).
"""

from __future__ import annotations

import datetime as dt
import os
from functools import partial

from .cards import CardSource
from .checks.locate import key_line
from .context import BuildContext
from .diagnostics import Report
from .glossary import term_pattern
from .keys import markdown_key, markdown_signature
from .links import LinkResolver
from .markdown import GlossaryLinks, PageInput, PageRenderer, Rendered
from .model import Page, Site
from .parallel import map_pages
from .paths import relative
from .review import changed_warning, future_review_error, review_state
from .schema import HELP_LAYOUT
from .translations import judge_translation


def judge_page(site: Site, page: Page, today: dt.date, report: Report) -> None:
    """Set the page's translation state and its review state, reporting a text changed since its review.

    Its alternates must be linked first (translations.link_alternates).
    """
    page.translation = judge_translation(site, page, report)
    page.review = review_state(page.meta, page.fingerprint, today)
    warning = changed_warning(page.source.shown, page.rel, page.review)
    if warning:
        report.add(warning)
    if page.meta.reviewed and page.meta.reviewed > today:
        report.add(future_review_error(page.source.shown, page.meta.reviewed, today, key_line(page.source.path, "reviewed")))


def render_markdown(site: Site, ctx: BuildContext, report: Report) -> None:
    """Convert every page body to HTML (from the cache when unchanged), collecting link and heading problems."""
    signature = markdown_signature(site, ctx)
    missing = []
    for index, page in enumerate(site.pages):
        page.md_key = markdown_key(signature, page)
        page.rendered = ctx.cache.get(page.md_key)
        if page.rendered is None:
            missing.append(index)
    for index, rendered in zip(missing, map_pages(markdown_task(site, ctx), missing, ctx.workers)):
        site.pages[index].rendered = rendered
        if rendered.cacheable:  # a page that ran out of time may render on a faster machine
            ctx.cache.put(site.pages[index].md_key, rendered)
    for page in site.pages:
        report.extend(page.rendered.problems)


def markdown_task(site: Site, ctx: BuildContext):
    """Return a function that renders the Markdown of site.pages[i]; each process makes its own converter."""
    resolver = LinkResolver(site)
    cards = {lang: CardSource(site.signs.get(lang), site.config.levels, site.config, lang, lang in site.signs_failed)
             for lang in site.config.languages}
    glossaries = {lang: glossary_parts(site, lang) for lang in site.config.languages}
    renderers: dict[int, PageRenderer] = {}  # one converter per process (workers are forked copies)

    def task(index: int) -> Rendered:
        if os.getpid() not in renderers:
            renderers[os.getpid()] = PageRenderer()
        page = site.pages[index]
        page_input = PageInput(page.source.shown, page.body, page.body_line, partial(resolver.rewrite, page),
                               cards[page.lang], ctx.strings[page.lang], glossary_links(page, glossaries[page.lang]),
                               page.rel, page.meta.layout == HELP_LAYOUT, partial(resolver.size_of, page))
        return renderers[os.getpid()].render(page_input)

    return task


def glossary_parts(site: Site, lang: str):
    """Return (pattern, definitions, glossary page) for one language, or None without a glossary page."""
    terms = site.glossary.get(lang, ())
    page = next((p for p in site.pages_in(lang) if p.meta.layout == "glossary"), None)
    pattern = term_pattern(terms)
    if page is None or pattern is None:
        return None
    definitions = {form.lower(): (term.slug, term.definition) for term in terms for form in term.forms}
    return pattern, definitions, page


def glossary_links(page: Page, parts) -> GlossaryLinks | None:
    """Return how this page links its terms to the glossary (not on the glossary page itself)."""
    if parts is None or parts[2] is page:
        return None
    pattern, definitions, glossary_page = parts
    return GlossaryLinks(pattern, definitions, relative(page.out, glossary_page.out))
