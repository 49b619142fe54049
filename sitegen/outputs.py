"""Write every output of the site, each kind by its own writer (OUTPUTS), into one staging folder.

A new kind of output is a writer, in a module of its own if it is big (handouts.py), and one line in
OUTPUTS. Where each output goes is paths.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from .context import BuildContext
from .diagnostics import ContentError, ContentErrors, Diagnostic, Report
from .handouts import handout_outputs, plan, write_handout_pages, write_handouts
from .keys import lists_key, page_key, search_index_key, site_shape, template_signature
from .model import Page, Site
from .pagecontext import Contexts, Link
from .parallel import map_pages
from .navigation import by_topic, label
from .paths import NOT_FOUND, ROBOTS, SEARCH_INDEX, SITEMAP, relative, search_data_out, search_out, static_out, url_of
from .render import Renderer
from .search import SearchIndex, pagefind_version
from .theme import Theme
from .searchdata import search_data
from .write import Staging, write_failed

STATIC_DIR = "static"
# Pagefind beside the PDF workers saves about the time it takes (a tenth of a second for the bundled
# site, 2 s of 88 at 2,000 pages), but adds its memory to theirs (300 MB at 2,000 pages): only up to here.
BESIDE_PDFS_PAGES = 500


@dataclass(frozen=True)
class Writing:
    """What every writer is given: the site, the build's context, the renderer and page contexts, the staging folder."""

    site: Site
    ctx: BuildContext
    renderer: Renderer
    contexts: Contexts
    staging: Staging
    signature: str  # what every templated file depends on (keys.template_signature)
    shape: str  # what a page takes from the other pages (keys.site_shape)
    beside: dict = field(default_factory=dict)  # work going on while the next outputs are written, by name
    handouts: list = field(default_factory=list)  # the PDFs made (handouts.Job), for the Handouts pages


@dataclass(frozen=True)
class Output:
    """One kind of output: a name, whether this build makes it, and the writer that makes it."""

    name: str
    write: Callable[[Writing], list[Diagnostic]]
    wanted: Callable[[object], bool] = lambda options: True


def write_site(site: Site, ctx: BuildContext, options, report: Report) -> bool:
    """Write every wanted output into a staging folder, then publish it; their warnings go to report."""
    try:
        _write_site(site, ctx, options, report)
    except OSError as exc:  # a read-only folder, a full disk: the published site is as it was
        raise write_failed(exc, options.out_dir) from None
    return True


def _write_site(site: Site, ctx: BuildContext, options, report: Report) -> None:
    staging = Staging(options.out_dir)
    renderer = Renderer(ctx.templates_dir, site.config, ctx.cache.folder)
    writing = Writing(site, ctx, renderer, Contexts(site, ctx), staging,
                      template_signature(site, ctx, renderer), site_shape(site))
    try:
        for output in OUTPUTS:
            if output.wanted(options):
                if ctx.progress:
                    ctx.progress.stage(output.name)
                report.extend(output.write(writing))
        staging.publish()
    except BaseException:
        for work in writing.beside.values():
            work.stop()
        staging.discard()
        raise


def write_pages(w: Writing) -> list[Diagnostic]:
    """Write every page whose HTML is not already in the staging folder, in parallel."""
    site, staging = w.site, w.staging
    keys = [page_key(w.signature, w.shape, page) for page in site.pages]
    todo = [i for i, page in enumerate(site.pages) if staging.claim(page.out, keys[i])]

    def task(index: int):
        page = site.pages[index]
        try:
            html = render_page(w.renderer, w.contexts, page)
        except ContentError as exc:
            return exc.diagnostic
        staging.write_file(page.out, html.encode("utf-8"))
        return None

    problems = [problem for problem in map_pages(task, todo, w.ctx.workers) if problem]
    if problems:
        raise ContentErrors(problems)
    return []


def render_page(renderer: Renderer, contexts: Contexts, page: Page) -> str:
    """Return the HTML of one page: its layout's template with the page's context."""
    return renderer.render(f"{page.meta.layout}.html", page.source.shown, **contexts.page_context(page))


def write_assets(w: Writing) -> list[Diagnostic]:
    for rel, out in sorted(w.site.assets.items()):
        w.staging.write_bytes(out, w.site.asset_files[rel].data)
    return []


def write_static(w: Writing) -> list[Diagnostic]:
    """Copy templates/static/ to assets/ in the site."""
    for out, path in static_files(w.ctx.templates_dir).items():
        w.staging.copy(out, path)
    return []


def write_not_found(w: Writing) -> list[Diagnostic]:
    # It lists every page by title: rendered again only when titles or places changed (so do the search pages).
    if w.staging.claim(NOT_FOUND, lists_key(w.signature, w.shape)):
        w.staging.write_file(NOT_FOUND, not_found_page(w).encode("utf-8"))
    return []


def write_search_pages(w: Writing) -> list[Diagnostic]:
    default = w.site.config.default_language
    for lang in w.site.config.languages:
        out = search_out(lang, default)
        if w.staging.claim(out, lists_key(w.signature, w.shape)):
            w.staging.write_file(out, search_page(w, lang, out).encode("utf-8"))
    return []


def write_search_data(w: Writing) -> list[Diagnostic]:
    """Write each language's search/pages.js, the index the search page uses where Pagefind cannot load."""
    key = search_index_key("pages.js", [page_key(w.signature, w.shape, page) for page in w.site.pages])
    for lang in w.site.config.languages:
        out = search_data_out(lang, w.site.config.default_language)
        if w.staging.claim(out, key):  # worked out only when it changed: it reads every page's HTML
            w.staging.write_file(out, search_data(w.site, lang, w.contexts.keywords).encode("utf-8"))
    return []


def write_sitemap(w: Writing) -> list[Diagnostic]:
    w.staging.write_text(SITEMAP, sitemap(w.site))
    return []


def write_robots(w: Writing) -> list[Diagnostic]:
    w.staging.write_text(ROBOTS, f"User-agent: *\nAllow: /\nSitemap: {w.site.config.base_url}{SITEMAP}\n")
    return []


def start_search_index(w: Writing) -> list[Diagnostic]:
    """Index the pages with Pagefind (only when a page changed). Up to BESIDE_PDFS_PAGES pages it reads
    them while the handouts are made, so it comes after every other output that writes HTML but the
    Handouts pages; on a bigger site it is done first, as its memory would add to the PDF workers'."""
    key = search_index_key(pagefind_version(), [page_key(w.signature, w.shape, page) for page in w.site.pages])
    coming = set(handout_outputs(w.site)) if w.ctx.handouts else set()

    def index(folder: Path) -> SearchIndex:
        return SearchIndex(folder.parent, key, w.ctx.cache.folder)
    filling = w.staging.tree(SEARCH_INDEX, key, index, coming)
    if coming and len(w.site.pages) <= BESIDE_PDFS_PAGES:
        w.beside[SEARCH_INDEX] = filling
    else:
        filling.done()
    return []


def finish_search_index(w: Writing) -> list[Diagnostic]:
    filling = w.beside.pop(SEARCH_INDEX, None)
    if filling is not None:
        filling.done()
    return []


def static_files(theme: Theme) -> dict[str, Path]:
    """Return {output file: file} of the theme's static/ (the site's own files first), which goes to assets/."""
    return {static_out(rel): path for rel, path in theme.files(STATIC_DIR).items()}


def check_outputs(site: Site, theme: Theme, report: Report) -> None:
    """Report the pages and assets that would be written where the build writes a file of its own.

    A page at handouts/ is not among them: it takes the place of the list of handouts, with a warning.
    """
    own = {NOT_FOUND: "the page-not-found page", SITEMAP: "the sitemap", ROBOTS: "the robots.txt file"}
    own.update(dict.fromkeys(static_files(theme), "a file of the site's design, from templates/static/"))
    own.update((h.rel, f"a handout of {h.source.source.shown}") for h in plan(site))
    own.update((search_out(lang, site.config.default_language), "the search page") for lang in site.config.languages)
    own.update((search_data_out(lang, site.config.default_language), "the search index for pages opened from disk")
               for lang in site.config.languages)
    outputs = [(page.source, page.out) for page in site.pages]
    outputs += [(site.asset_files[rel].source, out) for rel, out in site.assets.items()]
    for source, out in outputs:
        needed = SEARCH_INDEX + "/" if out.startswith(SEARCH_INDEX + "/") else out
        what = f"the search index (the whole {needed} folder)" if needed != out else own.get(out)
        if what:
            report.error(source.path, None, "output.reserved", f"this file would be written to {out}, where the build writes {what}",
                         f"Rename the file or move it to another folder: the build needs {needed} for itself.")


def not_found_page(w: Writing) -> str:
    """Render 404.html with links from the site root, since hosts serve it at any address."""
    lang = w.site.config.default_language
    root = urlsplit(w.site.config.base_url).path or "/"
    link = lambda target: root + url_of(target)  # noqa: E731
    return w.renderer.render("404.html", NOT_FOUND, groups=page_groups(w.site, lang, link),
                             **w.contexts.base_context(NOT_FOUND, lang, link))


def search_page(w: Writing, lang: str, out: str) -> str:
    """Return the HTML of one language's search page (at out), which also lists every page by topic."""
    link = lambda target: relative(out, target)  # noqa: E731
    return w.renderer.render("search.html", out, groups=page_groups(w.site, lang, link),
                             search_data=link(search_data_out(lang, w.site.config.default_language)),
                             canonical=w.site.config.base_url + url_of(out), **w.contexts.base_context(out, lang))


def page_groups(site: Site, lang: str, link) -> list[tuple[Link, list[Link]]]:
    """Return every page of a language as (topic, its pages) links, in menu order (navigation.by_topic)."""
    return [(Link(label(entry), link(entry.out), description=entry.meta.description),
             [Link(p.meta.title, link(p.out)) for p in pages]) for entry, pages in by_topic(site, lang)]


def sitemap(site: Site) -> str:
    """Return sitemap.xml listing every page by its full address."""
    rows = []
    for page in site.pages:
        day = page.changed or page.meta.reviewed  # when its text last changed (history.py)
        lastmod = f"<lastmod>{day.isoformat()}</lastmod>" if day else ""
        rows.append(f"  <url><loc>{escape(site.config.base_url + page.url, quote=False)}</loc>{lastmod}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")


# Every kind of output, in the order they are written (or started: the search index).
OUTPUTS = (
    Output("pages", write_pages),
    Output("pictures and documents", write_assets),
    Output("design files", write_static),
    Output("page-not-found page", write_not_found),
    Output("search pages", write_search_pages),
    Output("search index for pages opened from disk", write_search_data),
    Output("sitemap", write_sitemap),
    Output("robots.txt", write_robots),
    # Pagefind reads the pages while the PDFs are made (on a small site); the Handouts pages, HTML too, wait for it.
    Output("search index", start_search_index, lambda options: options.search),
    Output("handouts", write_handouts, lambda options: options.handouts),
    Output("search index", finish_search_index, lambda options: options.search),
    Output("handouts pages", write_handout_pages, lambda options: options.handouts),
)
