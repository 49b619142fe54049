"""Run every check on a content folder without writing the site."""

from __future__ import annotations

import time
from pathlib import Path

from ..diagnostics import WARNING, Report, display_path
from ..glyphs import printed_files, unprintable
from ..model import Page, Site
from ..pipeline import BuildOptions, guarded, load_site
from ..printpdf import FONTS_DIR
from ..today import build_date
from .context import PageCheck
from .html import page_text
from .jargon import check_jargon, load_jargon, scan
from .pemat import check_pemat
from .placeholders import placeholder_problems, site_placeholder_problems
from .reading import check_reading
from .results import CheckRun, PageResult
from .review import check_review
from .signs import check_mentions, check_sign_usage, list_decisions


def run_checks(content_dir: Path, templates_dir: Path, strict: bool = False) -> CheckRun:
    """Load the site as the build does, then check every page that loaded."""
    start = time.perf_counter()
    # No build cache: check writes nothing, not even a cache, into the editor's folder.
    options = BuildOptions(content_dir, Path("site"), templates_dir, handouts=False, cache_dir=None)
    report = Report()
    site, ctx = load_site(options, report, keep_partial=True)
    today = ctx.today if ctx else build_date()  # without site.yml, the UTC date
    run = CheckRun(display_path(content_dir), today, strict=strict)
    if site is not None:
        # What the handouts cannot print (the preview has no handouts to show it): the build refuses it.
        report.extend(unprintable(printed_files(site, ctx), ctx.templates_dir / FONTS_DIR, WARNING))
        jargon = {lang: guarded(report, load_jargon, content_dir / lang) or () for lang in site.config.languages}
        for page in ordered(site):
            ctx = PageCheck(page, page_text(page.rendered.html), site, _result(page), today,
                            content_dir, jargon[page.lang])
            check_page(ctx)
            run.pages.append(ctx.result)
        run.pages += [_failed(content_dir / rel, rel) for rel in sorted(site.failed)]
        check_sign_usage(site, run)
        list_decisions(site, run)
        run.site_problems += site_placeholder_problems(content_dir, site.config.languages)
    _file_build_problems(run, report)
    run.seconds = time.perf_counter() - start
    return run


def check_page(ctx: PageCheck) -> None:
    """Run each family of checks on one page."""
    ctx.result.problems += placeholder_problems(ctx.page.source.path, ctx.result.path)
    ctx.result.reading = check_reading(ctx)
    terms = scan(ctx)
    ctx.result.jargon = check_jargon(ctx, terms)
    ctx.result.items = check_pemat(ctx, terms)
    ctx.result.review = check_review(ctx)
    check_mentions(ctx)


def ordered(site: Site) -> list[Page]:
    """Return the pages as the menus show them: topic by topic, in each topic's order."""
    return [page for _, topic in sorted(site.topics.items()) for page in topic.pages if page.rendered]


def _result(page: Page) -> PageResult:
    return PageResult(page.source.shown, page.rel, page.meta.title)


def _failed(path: Path, rel: str) -> PageResult:
    """Return the result for a page that did not load: the build's errors, and any TODO left in it."""
    shown = display_path(path)
    return PageResult(shown, rel, "", loaded=False, problems=placeholder_problems(path, shown))


def _file_build_problems(run: CheckRun, report: Report) -> None:
    """Put what the build itself found (links, anchors, alt text, headings) with the page it is on."""
    by_path = {page.path: page for page in run.pages}
    for diagnostic in report.sorted():
        page = by_path.get(diagnostic.path)
        (page.problems if page else run.site_problems).append(diagnostic)
