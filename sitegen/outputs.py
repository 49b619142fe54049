"""Write every output of the site: pages, assets, sitemap, robots.txt and 404 page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from html import escape

from .buildcache import digest
from .diagnostics import ContentError, ContentErrors, Report
from .handouts import plan, write_handouts
from .parallel import map_pages
from .model import Site, relative
from .search import index_search, pagefind_version
from .render import Link, Templates
from .write import Staging, write_failed

STATIC_DIR = "static"
SEARCH_INDEX = "pagefind"  # the folder Pagefind writes as a whole


def write_site(site: Site, templates: Templates, options, report=None) -> bool:
    """Render and write everything into a staging folder, then publish it; warnings go to report."""
    try:
        _write_site(site, templates, options, report)
    except OSError as exc:  # a read-only folder, a full disk: the published site is as it was
        raise write_failed(exc, options.out_dir) from None
    return True


def _write_site(site: Site, templates: Templates, options, report) -> None:
    staging = Staging(options.out_dir)
    try:
        page_keys = write_pages(site, templates, staging, options.workers)
        for rel, out in sorted(site.assets.items()):
            staging.write_bytes(out, site.asset_files[rel].data)
        copy_static(options.templates_dir / STATIC_DIR, staging)
        if getattr(options, "handouts", True):
            warnings = write_handouts(site, templates, staging, options)
            if report is not None:
                report.extend(warnings)
        # Both list every page by title: rendered again only when titles or places changed.
        lists_key = digest(templates.signature, templates.shape)
        if staging.claim("404.html", lists_key):
            staging.write_file("404.html", not_found_page(site, templates).encode("utf-8"))
        for lang in site.config.languages:
            out = templates.search_out(lang)
            if staging.claim(out, lists_key):
                staging.write_file(out, search_page(site, templates, lang, out).encode("utf-8"))
        staging.write_text("sitemap.xml", sitemap(site))
        staging.write_text("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {site.config.base_url}sitemap.xml\n")
        if options.search:  # last: Pagefind indexes the finished site
            # The index depends only on the pages' HTML: unchanged pages, unchanged index.
            key = digest(pagefind_version(), *page_keys)
            staging.tree(SEARCH_INDEX, key, lambda folder: index_search(folder.parent, key, templates.cache.folder))
        staging.publish()
    except BaseException:
        staging.discard()
        raise


def write_pages(site: Site, templates: Templates, staging: Staging, workers: int) -> list[str]:
    """Write every page whose HTML is not already in the staging folder, in parallel.

    Return the pages' keys (hashes of everything their HTML depends on), in page order.
    """
    keys = [templates.page_key(page) for page in site.pages]
    todo = [i for i, page in enumerate(site.pages) if staging.claim(page.out, keys[i])]

    def task(index: int):
        page = site.pages[index]
        try:
            html = templates.page(page, templates.page_context(page))
        except ContentError as exc:
            return exc.diagnostic
        staging.write_file(page.out, html.encode("utf-8"))
        return None

    problems = [problem for problem in map_pages(task, todo, workers) if problem]
    if problems:
        raise ContentErrors(problems)
    return keys


def copy_static(static_dir: Path, staging: Staging) -> None:
    """Copy templates/static/ to assets/ in the site."""
    for out, path in static_files(static_dir).items():
        staging.copy(out, path)


def static_files(static_dir: Path) -> dict[str, Path]:
    """Return {output file: file} of templates/static/, which goes to assets/ in the site."""
    if not static_dir.is_dir():
        return {}
    return {"assets/" + path.relative_to(static_dir).as_posix(): path
            for path in sorted(p for p in static_dir.rglob("*") if p.is_file())}


def check_outputs(site: Site, templates: Templates, static_dir: Path, report: Report) -> None:
    """Report the pages and assets that would be written where the build writes a file of its own.

    A page at handouts/ is not among them: it takes the place of the list of handouts, with a warning.
    """
    own = {"404.html": "the page-not-found page", "sitemap.xml": "the sitemap", "robots.txt": "the robots.txt file"}
    own.update(dict.fromkeys(static_files(static_dir), "a file of the site's design, from templates/static/"))
    own.update((h.rel, f"a handout of {h.source.source.shown}") for h in plan(site))
    own.update((templates.search_out(lang), "the search page") for lang in site.config.languages)
    outputs = [(page.source, page.out) for page in site.pages]
    outputs += [(site.asset_files[rel].source, out) for rel, out in site.assets.items()]
    for source, out in outputs:
        needed = SEARCH_INDEX + "/" if out.startswith(SEARCH_INDEX + "/") else out
        what = f"the search index (the whole {needed} folder)" if needed != out else own.get(out)
        if what:
            report.error(source.path, None, "output.reserved", f"this file would be written to {out}, where the build writes {what}",
                         f"Rename the file or move it to another folder: the build needs {needed} for itself.")


def not_found_page(site: Site, templates: Templates) -> str:
    """Render 404.html with links from the site root, since hosts serve it at any address."""
    lang = site.config.default_language
    root = urlsplit(site.config.base_url).path or "/"
    pages = [Link(p.meta.title, root + p.url) for p in site.pages if p.lang == lang]
    context = dict(templates.base_context("404.html", lang), asset=lambda path: root + path, home=root,
                   root=root, search_href=root + "search/")
    return templates.render("404.html", "404.html", pages=pages, **context)


def search_page(site: Site, templates: Templates, lang: str, out: str) -> str:
    """Return the HTML of one language's search page (at out), which also lists every page."""
    pages = [Link(p.meta.title, relative(out, p.out)) for p in site.pages_in(lang)]
    return templates.render("search.html", out, pages=pages, **templates.base_context(out, lang))


def sitemap(site: Site) -> str:
    """Return sitemap.xml listing every page by its full address."""
    rows = []
    for page in site.pages:
        lastmod = f"<lastmod>{page.meta.reviewed.isoformat()}</lastmod>" if page.meta.reviewed else ""
        rows.append(f"  <url><loc>{escape(site.config.base_url + page.url, quote=False)}</loc>{lastmod}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")
