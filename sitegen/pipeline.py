"""Run the stages in order: load and check everything, then write the site."""

from __future__ import annotations

import datetime as dt
import gc
import time
from dataclasses import dataclass
from pathlib import Path

from .assets import load_assets
from .buildcache import BuildCache
from .config import load_config
from .context import BuildContext, make_context
from .diagnostics import ContentError, ContentErrors, Report
from .folders import check_build_folders, mark_cache
from .glossary import load_glossary
from .history import assign_changed
from .links import check_anchors
from .load import load_pages
from .model import Site, assemble, check_names
from .navigation import check_top_level
from .outputs import check_outputs, write_site
from .review import check_policy
from .signcheck import check_decisions, check_signs, load_books
from .sources import find_sources
from .theme import Theme, site_theme
from .stages import judge_page, render_markdown
from .today import build_date
from .translations import link_alternates


DEFAULT_CACHE = Path(".cache/sitegen")


@dataclass
class BuildOptions:
    content_dir: Path
    out_dir: Path
    templates_dir: Theme | Path | None  # a Path is that folder over the default theme; None: the site's own (theme.py)
    base_url: str | None = None
    today: dt.date | None = None  # None: today in the site's calendar, decided once site.yml is read
    preview: bool = False  # serve: unreviewed pages are always shown
    handouts: bool = True
    search: bool = True
    cache_dir: Path | None = DEFAULT_CACHE  # rendered pages and handouts, by content hash; safe to delete
    workers: int = 1  # processes for rendering; the command line uses one per core
    progress: object | None = None  # progress.Progress when a person watches the build on a terminal

    def __post_init__(self):
        self.templates_dir = site_theme(self.templates_dir, self.content_dir)
        # Checked and written as the system finds them (see cli.resolve_paths): "site/missing/.." is site/.
        self.out_dir = Path(self.out_dir).resolve()
        self.cache_dir = Path(self.cache_dir).resolve() if self.cache_dir is not None else None


@dataclass
class BuildResult:
    report: Report
    site: Site | None = None
    ctx: BuildContext | None = None
    seconds: float = 0.0
    published: bool = False


def guarded(report: Report, fn, *args):
    """Call fn; turn content errors into diagnostics and return None on failure."""
    try:
        return fn(*args)
    except ContentError as exc:
        report.add(exc.diagnostic)
    except ContentErrors as exc:
        report.extend(exc.problems)
    return None


def load_site(options: BuildOptions, report: Report, keep_partial: bool = False) -> tuple[Site | None, BuildContext | None]:
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
    cache = BuildCache(options.cache_dir)
    ctx = guarded(report, make_context, options, config, options.today or build_date(config.timezone), cache)
    if ctx is None:
        return None, None
    if ctx.progress:
        ctx.progress.stage("reading the content")
    site = load_content(options, ctx, report)
    if ctx.progress:
        ctx.progress.stage(f"rendering {len(site.pages)} pages")
    check_outputs(site, options.templates_dir, report)
    render_markdown(site, ctx, report)
    cache.save()
    check_anchors(site, report)
    return (None, None) if report.errors and not keep_partial else (site, ctx)


def load_content(options: BuildOptions, ctx: BuildContext, report: Report) -> Site:
    """Read and check every file of the content folder, and judge each page (stages 1 to 3)."""
    config = ctx.config
    sources = check_names(find_sources(options.content_dir, config.languages, report), report, config.languages)
    books, failed_books = load_books(options.content_dir, config, report)  # before the pages: their cards show them
    pages = load_pages([s for s in sources if s.is_page], config, ctx.cache, report, ctx.workers, books)
    glossary = {lang: guarded(report, load_glossary, options.content_dir / lang) or () for lang in config.languages}
    loaded = {page.rel for page in pages}
    site = assemble(config, pages, load_assets([s for s in sources if not s.is_page], report), glossary, report,
                    {s.rel for s in sources if s.is_page} - loaded)
    site.failed |= loaded - set(site.by_rel)  # and those that lost their output to another file
    site.signs, site.signs_failed = books, failed_books
    check_signs(site, report)
    check_top_level(site, report)
    link_alternates(site, report)
    for page in site.pages:
        judge_page(site, page, ctx.today, report)
    assign_changed(site, options.content_dir, ctx.today)  # after judging: a review can date a page
    if not (config.publish_unreviewed or options.preview):  # the preview always shows unreviewed pages
        check_decisions(site, report)
        check_policy(site.pages, config.publish_unreviewed, report)
    return site


def build(options: BuildOptions) -> BuildResult:
    """Build the site; publish it only when there are no errors.

    Raise OutputError before reading anything when the output or the cache is not ours to write.
    """
    start = time.perf_counter()
    check_build_folders(options)
    mark_cache(options.cache_dir)
    report = Report()
    collecting = gc.isenabled()
    # The cycle collector would walk every cached page again and again (a tenth of a second a time
    # at 2,000 pages); the few cycles a build makes are collected once it is over.
    gc.disable()
    try:
        site, ctx = load_site(options, report)
        result = BuildResult(report, site, ctx)
        if site is not None:
            result.published = bool(guarded(report, write_site, site, ctx, options, report))
    finally:
        if collecting:
            gc.enable()
    result.seconds = time.perf_counter() - start
    return result
