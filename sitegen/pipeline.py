"""Run the stages in order: load and check everything, then write the site."""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .config import SiteConfig, load_config
from .diagnostics import ContentError, Report
from .fields import ContentErrors
from .buildcache import BuildCache, digest, engine_signature
from .glossary import load_glossary, term_pattern
from .links import LinkResolver, check_anchors
from .load import load_pages
from .markdown import CARE_LEVELS, GlossaryLinks, PageInput, PageRenderer
from .model import Page, Site, assemble, check_names, relative
from .outputs import write_site
from .parallel import map_pages
from .render import Templates
from .sources import find_sources
from .translations import link_translations


@dataclass
class BuildOptions:
    content_dir: Path
    out_dir: Path
    templates_dir: Path
    base_url: str | None = None
    today: dt.date = field(default_factory=lambda: build_date())
    preview: bool = False  # serve: unreviewed pages are always shown
    handouts: bool = True
    search: bool = True
    cache_dir: Path | None = Path(".cache/sitegen")  # rendered pages and handouts, by content hash; safe to delete
    workers: int = 1  # processes for rendering; the command line uses one per core


@dataclass
class BuildResult:
    report: Report
    site: Site | None = None
    templates: Templates | None = None
    seconds: float = 0.0
    published: bool = False


def build_date() -> dt.date:
    """Return 'today' for the build: SOURCE_DATE_EPOCH when set, so builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def guarded(report: Report, fn, *args):
    """Call fn; turn content errors into diagnostics and return None on failure."""
    try:
        return fn(*args)
    except ContentError as exc:
        report.add(exc.diagnostic)
    except ContentErrors as exc:
        report.extend(exc.problems)
    return None


def load_site(options: BuildOptions, report: Report, keep_partial: bool = False) -> tuple[Site | None, Templates | None]:
    """Load, check and render every page's Markdown; return (None, None) on errors.

    With keep_partial=True (for `check`), return what did load despite content errors, so every
    page that can be checked is; (None, None) still means nothing could be loaded at all.
    """
    if not options.content_dir.is_dir():
        report.error(options.content_dir, None, "content.missing", "the content folder does not exist",
                     "Run the command from the project folder, or give the folder with --content.")
        return None, None
    config = guarded(report, load_config, options.content_dir, options.base_url)
    if config is None:
        return None, None
    sources = check_names(find_sources(options.content_dir, config.languages, report), report)
    cache = BuildCache(options.cache_dir)
    pages = load_pages([s for s in sources if s.is_page], config, cache, report, options.workers)
    glossary = {lang: guarded(report, load_glossary, options.content_dir / lang) or ()
                for lang in config.languages}
    site = assemble(config, pages, [s for s in sources if not s.is_page], glossary, report)
    site.failed = {s.rel for s in sources if s.is_page} - set(site.by_rel)
    link_translations(site, report)
    _check_review_policy(site, options, report)
    templates = guarded(report, Templates, options.templates_dir, site, options.today, options.handouts, cache)
    if templates is None:
        return None, None
    render_markdown(site, templates, report, options.workers)
    templates.cache.save()
    check_anchors(site, report)
    return (None, None) if report.errors and not keep_partial else (site, templates)


def render_markdown(site: Site, templates: Templates, report: Report, workers: int = 1) -> None:
    """Convert every page body to HTML (from the cache when unchanged), collecting link and heading problems."""
    signature = markdown_signature(site, templates)
    missing = []
    for index, page in enumerate(site.pages):
        page.md_key = digest(signature, page.rel, page.source.shown, page.body_line, page.body)
        page.rendered = templates.cache.get(page.md_key)
        if page.rendered is None:
            missing.append(index)
    for index, rendered in zip(missing, map_pages(markdown_task(site, templates), missing, workers)):
        site.pages[index].rendered = rendered
        if rendered.cacheable:
            templates.cache.put(site.pages[index].md_key, rendered)
    for page in site.pages:
        report.extend(page.rendered.problems)


def markdown_task(site: Site, templates: Templates):
    """Return a function that renders the Markdown of site.pages[i]; each process makes its own converter."""
    resolver = LinkResolver(site)
    calls = {lang: care_calls(site.config, templates.strings[lang]) for lang in site.config.languages}
    glossaries = {lang: glossary_parts(site, lang) for lang in site.config.languages}
    renderers: dict[int, PageRenderer] = {}  # one converter per process (workers are forked copies)

    def task(index: int):
        if os.getpid() not in renderers:
            renderers[os.getpid()] = PageRenderer()
        renderer = renderers[os.getpid()]
        page = site.pages[index]
        ctx = PageInput(page.source.shown, page.body, page.body_line, partial(resolver.rewrite, page),
                        calls[page.lang], templates.strings[page.lang], glossary_links(page, glossaries[page.lang]))
        return renderer.render(ctx)

    return task


def markdown_signature(site: Site, templates: Templates) -> str:
    """Return a hash of everything besides its own text that a page's Markdown output depends on."""
    return digest(engine_signature(), repr(site.config), sorted((p.rel, p.out, p.meta.layout) for p in site.pages),
                  sorted(site.assets.items()), sorted(site.failed), repr(sorted(templates.strings.items())),
                  repr(sorted(site.glossary.items())))


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


def care_calls(config: SiteConfig, strings: dict) -> dict[str, list[tuple[str, str]]]:
    """Return who to call for each care-card level, from site.yml."""
    clinic = config.clinic
    after_hours = clinic.after_hours_phone or clinic.phone
    calls = {
        "emergency": [(strings["call_emergency"], config.emergency_number),
                      (strings["call_after_hours"], after_hours)],
        "urgent": [(strings["call_after_hours"], after_hours)],
        "non-urgent": [(strings["call_clinic"], clinic.phone)],
    }
    assert set(calls) == set(CARE_LEVELS)
    return calls


def _check_review_policy(site: Site, options: BuildOptions, report: Report) -> None:
    if site.config.publish_unreviewed or options.preview:
        return
    for page in site.pages:
        if not page.meta.reviewed:
            report.error(page.source.path, 1, "review.missing", "this page has not been reviewed by a clinician",
                         "Ask a clinician to review it and add reviewed: and reviewers:, "
                         "or set publish_unreviewed: true in site.yml to publish it with a notice.")


def build(options: BuildOptions) -> BuildResult:
    """Build the site; publish it only when there are no errors."""
    start = time.perf_counter()
    report = Report()
    collecting = gc.isenabled()
    # The cycle collector would walk every cached page again and again (a tenth of a second a time
    # at 2,000 pages); the few cycles a build makes are collected once it is over.
    gc.disable()
    try:
        site, templates = load_site(options, report)
        result = BuildResult(report, site, templates)
        if site is not None:
            result.published = bool(guarded(report, write_site, site, templates, options, report))
    finally:
        if collecting:
            gc.enable()
    result.seconds = time.perf_counter() - start
    return result
