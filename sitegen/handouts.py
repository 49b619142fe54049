"""Printable PDF handouts: one per page, a large-print edition of each, and a packet per topic.

Files are written beside the page they come from:

    en/symptoms.md      -> symptoms/symptoms.pdf, symptoms/symptoms-large-print.pdf
    en/living/index.md  -> living/living.pdf, living/living-large-print.pdf,
                           and the topic's living/living-packet.pdf, living/living-packet-large-print.pdf
    en/index.md (home)  -> overview.pdf, overview-large-print.pdf, overview-packet.pdf, ...
    es/index.md         -> es/overview.pdf, ...

The home page has no folder of its own, so its handout and its topic's packet are called
"overview". A packet holds the topic's own pages (not its sub-topics) in menu order.

The PDFs come from templates/handout.html and templates/handout.css through WeasyPrint, in
worker processes. Each PDF is cached under a hash of everything that goes into it, so a
rebuild with no change renders nothing; deleting the cache folder is always safe.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html import unescape
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import segno
from markupsafe import Markup, escape

from .diagnostics import WARNING, ContentError, Diagnostic
from .glossary import terms_used
from .keys import handout_key
from .model import Page, Site, Topic
from .paths import handouts_index_out, packet_pdf, page_pdf, relative
from .signs import fill_numbers
from .text import html_to_text, strip_tooltips
from .write import write_atomic

if TYPE_CHECKING:
    from .outputs import Writing

MAX_PAGES = 2  # one sheet, both sides
WORKERS = 2
CSS_FILE = "handout.css"
TEMPLATE = "handout.html"
INDEX_TEMPLATE = "handouts.html"
CACHE_DAYS = 30  # cached PDFs unused this long are deleted
CACHE_FORMAT = "handouts-1"  # change when the rendering code changes what a PDF holds
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}  # tagged, with /Lang and a shown title
PAPER_CSS = {"letter": "letter", "a4": "A4"}
WRITE_LINES = 4  # ruled lines in the questions box (taller ones in large print)
FOOTER_PT = {False: 12, True: 18}
MARGINS = {False: "16mm 16mm 18mm", True: "15mm 19mm 26mm"}  # top, sides, bottom (with the footer); 16 mm > 0.6 in



@dataclass(frozen=True)
class Handout:
    """One PDF to make: where it goes and the pages it holds."""

    rel: str
    title: str
    pages: tuple[Page, ...]
    large: bool
    topic: Topic | None = None  # set for a packet

    @property
    def source(self) -> Page:
        """The page the handout is named after: the page itself, or the topic's index page."""
        return self.topic.index if self.topic else self.pages[0]


@dataclass
class Job:
    """A handout with its print HTML, the local files it reads, and its result."""

    handout: Handout
    html: str
    files: list[Path] = field(default_factory=list)
    key: str = ""
    pdf: bytes = b""
    page_count: int = 0


# What to make ----------------------------------------------------------------------------------

def page_pdf_of(page: Page, large: bool = False) -> str:
    return page_pdf(page.rel, page.out, large)


def packet_pdf_of(topic: Topic, large: bool = False) -> str:
    return packet_pdf(topic.index.rel, topic.index.out, large)


def plan(site: Site) -> list[Handout]:
    """Return every handout and packet of the site, in page order then topic order."""
    handouts = []
    for page in site.pages:
        if page.meta.handout:
            handouts += [Handout(page_pdf_of(page, large), page.meta.title, (page,), large) for large in (False, True)]
    for key in sorted(site.topics):
        topic = site.topics[key]
        pages = tuple(p for p in topic.pages if p.meta.handout)
        if pages and topic.index:
            handouts += [Handout(packet_pdf_of(topic, large), topic.index.meta.title, pages, large, topic)
                         for large in (False, True)]
    return handouts


# Print HTML ------------------------------------------------------------------------------------

_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
_HREF = re.compile(r'\bhref="([^"]*)"')
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\bsrc="([^"]*)"')
_WIDTH = re.compile(r'\bwidth="(\d+)"')
_ALT = re.compile(r'\balt="([^"]*)"')
_CHECKBOX = re.compile(r"<input\b[^>]*\btype=\"checkbox\"[^>]*>")
_CARE_LEVEL = re.compile(r'(<span class="care-level">[^<]*?):\s*(</span>)')
_ID_ATTR = re.compile(r'\b(id|aria-labelledby|for)="([^"]*)"')
_HEADING = re.compile(r"<(/?)h([1-5])\b")
_TAG = re.compile(r"<[^>]+>")
_LIST = re.compile(r"<ul>((?:(?!</?[uo]l\b).)*?)</ul>", re.S)  # a list with no list inside
_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
SHORT_ITEM = 24  # characters: a list of at least SHORT_LIST items this short prints in columns
SHORT_LIST = 4


def short_url(url: str) -> str:
    """Return a URL as people type it: without the scheme and the #fragment."""
    parts = urlsplit(url)
    return parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")


def online_url(url: str, base_url: str) -> str:
    """Return the public address of a link; links to our own pages drop 'index.html'."""
    if url.startswith(base_url):
        url = re.sub(r"(^|/)index\.html(?=$|#)", r"\1", url)
    return url


def print_links(html: str, page_url: str, base_url: str, prefix: str) -> str:
    """Make links absolute and print their address after the text, since paper cannot be clicked."""
    def fix(match: re.Match) -> str:
        attrs, text = match.group(1), match.group(2)
        found = _HREF.search(attrs)
        if not found:
            return match.group(0)
        href = unescape(found.group(1))
        if href.startswith("#"):
            anchor = f'href="#{prefix}{escape(href[1:])}"'
            return f"<a{attrs.replace(found.group(0), anchor)}>{text}</a>"
        if href.startswith(("tel:", "mailto:")):
            return match.group(0)
        url = online_url(urljoin(page_url, href), base_url)
        if urlsplit(url).fragment.startswith("term-"):
            return text  # a glossary term: its definition is printed in the words box instead
        shown = short_url(url)
        new_attrs = attrs.replace(found.group(0), f'href="{escape(url)}"')
        label = unescape(_TAG.sub("", text)).strip()
        suffix = "" if short_url(label) == shown else f'<span class="print-url"> ({escape(shown)})</span>'
        return f"<a{new_attrs}>{text}</a>{suffix}"
    return _LINK.sub(fix, html)


def local_images(html: str, page: Page, site: Site, site_dir: Path, files: list[Path]) -> str:
    """Point images at the files published in site_dir, keep their width, and caption them with their alt text.

    Printed from the site, not from the content folder: an SVG is printed as it is published, cleaned.
    """
    published = set(site.assets.values())

    def fix(match: re.Match) -> str:
        tag = match.group(0)
        src, width, alt = (pattern.search(tag) for pattern in (_SRC, _WIDTH, _ALT))
        out = posixpath.normpath(posixpath.join(posixpath.dirname(page.out), unescape(src.group(1)))) if src else ""
        if out in published:  # relative to the site's root, so the HTML and its hash do not depend on where it is
            files.append(site_dir / out)
            tag = tag.replace(src.group(0), f'src="{escape(out)}"')
        if width:  # WeasyPrint ignores the width attribute
            tag = tag.replace("<img", f'<img style="width: {int(width.group(1))}px"', 1)
        # Labels drawn inside an image may be small on paper; the alt text says it in body-size type.
        caption = f'<span class="caption">{alt.group(1)}</span>' if alt and alt.group(1).strip() else ""
        return f'<span class="figure">{tag}{caption}</span>'
    return _IMG.sub(fix, html)


def checkbox(match: re.Match) -> str:
    """Print a task-list checkbox as a box to tick with a pen."""
    mark = "\u2611" if "checked" in match.group(0) else "\u2610"
    return f'<span class="checkbox">{mark}</span>'


def in_packet(html: str, prefix: str) -> str:
    """Give ids a per-section prefix and move headings down a level, below the section title."""
    html = _ID_ATTR.sub(lambda m: f'{m.group(1)}="{prefix}{m.group(2)}"', html)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def short_lists(html: str) -> str:
    """Mark lists of a few words per item ("breast", "lung", ...) so they print in columns."""
    def mark(match: re.Match) -> str:
        items = _ITEM.findall(match.group(1))
        if len(items) < SHORT_LIST or len(items) != match.group(1).count("<li"):
            return match.group(0)
        if any(len(unescape(_TAG.sub("", item)).strip()) > SHORT_ITEM for item in items):
            return match.group(0)
        return '<ul class="short-list">' + match.group(1) + "</ul>"
    return _LIST.sub(mark, html)


def print_body(page: Page, site: Site, site_dir: Path, prefix: str, files: list[Path]) -> str:
    """Return the page's rendered HTML made fit for paper."""
    html = strip_tooltips(page.rendered.html)
    html = _CHECKBOX.sub(checkbox, html)
    html = _CARE_LEVEL.sub(r"\1\2", html)  # the urgency word shows as a label in print, without its colon
    html = short_lists(html)
    html = local_images(html, page, site, site_dir, files)
    html = print_links(html, site.config.base_url + page.url, site.config.base_url, prefix)
    return in_packet(html, prefix) if prefix else html


def page_terms(page: Page, site: Site) -> list:
    """Return the glossary terms used in the page's key points and body."""
    terms = site.glossary.get(page.lang, ())
    if page.meta.layout == "glossary":
        return list(terms)
    text = "\n".join(page.meta.key_points) + "\n" + html_to_text(page.rendered.html)
    return terms_used(text, terms)


def qr_svg(url: str) -> Markup:
    """Return a QR code of url as inline SVG, titled for screen readers."""
    code = segno.make(url, error="m", micro=False)
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, title=f"QR code: {short_url(url)}", svgclass="qr"))


def css_string(text: str) -> str:
    """Quote text as a CSS string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_counter(template: str) -> str:
    """Turn 'Page {page} of {pages}' into CSS content with page counters."""
    parts = re.split(r"(\{pages?\})", template)
    css = [f"counter({p[1:-1]})" if p in ("{page}", "{pages}") else css_string(p) for p in parts if p]
    return " ".join(css)


def page_css(paper: str, large: bool, strings: dict) -> str:
    """Return the @page rules: paper size, margins, and the title and page number in the footer."""
    # Margin boxes do not inherit the body font, so each sets it.
    font = (f'font-family: "DejaVu Sans", sans-serif; font-size: {FOOTER_PT[large]}pt; vertical-align: top; '
            f'padding-top: {5 if large else 4}mm;')
    return (f"@page {{ size: {PAPER_CSS[paper]}; margin: {MARGINS[large]};\n"
            f"  @bottom-left {{ content: string(doc-title); {font} }}\n"
            f"  @bottom-right {{ content: {page_counter(strings['page_x_of_y'])}; {font} white-space: nowrap; }}\n}}\n"
            ".doc-title { string-set: doc-title content(text); }\n")


def handout_html(handout: Handout, w: Writing, css: str) -> tuple[str, list[Path]]:
    """Return the print HTML of one handout and the local files it reads (from the site being written)."""
    site, ctx, site_dir = w.site, w.ctx, w.staging.root
    packet = handout.topic is not None
    first = handout.source
    lang = first.lang
    strings = ctx.strings[lang]
    files: list[Path] = []
    sections = []
    for n, page in enumerate(handout.pages, 1):
        prefix = f"s{n}-" if packet else ""
        url = site.config.base_url + page.url
        sections.append(dict(
            anchor=f"s{n}" if packet else "page", title=page.meta.title, url=url, short_url=short_url(url),
            key_points=page.meta.key_points, body=Markup(print_body(page, site, site_dir, prefix, files)),
            review=w.contexts.review_line(page.review, page.lang), sources=page.meta.sources,
            translation=page.translation, translation_reviewed=bool(page.meta.translation_reviewers),
            terms=[] if packet else page_terms(page, site)))
    glossary = {t.term: t for page in handout.pages for t in page_terms(page, site)} if packet else {}
    url = site.config.base_url + first.url
    title = strings["packet_title"].format(topic=handout.title) if packet else handout.title
    html = w.renderer.render(
        TEMPLATE, handout.rel, lang=lang, t=strings, title=title, description=first.meta.description,
        large=handout.large, packet=packet, sections=sections, glossary=list(glossary.values()),
        url=url, short_url=short_url(url), qr=qr_svg(url), lines=WRITE_LINES, help=help_line(site, lang),
        created=ctx.today.isoformat() + "T00:00:00Z", printed=ctx.date(ctx.today, lang),
        css=Markup(page_css(site.config.paper, handout.large, strings) + css))
    return html, files


def help_line(site: Site, lang: str) -> list[list[tuple[str, bool]]]:
    """Return the most urgent level's action and fallback, as (text, is number) parts, for the header."""
    if not site.config.levels:
        return []
    level = site.config.levels[0]
    texts = [level.text(name, lang) for name in ("action", "fallback")]
    return [fill_numbers(text, site.config) for text in texts if text]


# Rendering and the cache -----------------------------------------------------------------------

def render_pdf(html: str, base_url: str) -> tuple[bytes, int]:
    """Render print HTML to PDF bytes and its page count (runs in a worker process).

    base_url is the folder of the site being written, where the images are.
    """
    from weasyprint import HTML, URLFetcher  # imported here: only workers pay for it

    fetcher = URLFetcher(allowed_protocols={"file", "data"})  # never the network
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(**PDF_OPTIONS)
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)


def cache_key(job: Job) -> str:
    """Return the key of a PDF in the cache (see keys.handout_key)."""
    return handout_key([CACHE_FORMAT, version("weasyprint"), version("pydyf")], PDF_OPTIONS, job.html, job.files)


class PdfCache:
    """Finished PDFs by key, as <key>.pdf with <key>.json holding the page count."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, key: str) -> tuple[bytes, int] | None:
        if self.folder is None:
            return None
        try:
            pages = json.loads((self.folder / f"{key}.json").read_text())["pages"]
            pdf = (self.folder / f"{key}.pdf").read_bytes()
            os.utime(self.folder / f"{key}.json")  # still in use: prune() keeps it
            return pdf, pages
        except (OSError, ValueError, KeyError):
            return None

    def put(self, key: str, pdf: bytes, pages: int) -> None:
        """Store a PDF; a cache that cannot be written only makes the next build slower."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.folder / f"{key}.pdf", pdf)
            write_atomic(self.folder / f"{key}.json", json.dumps({"pages": pages}).encode())  # last: marks it complete
        except OSError:
            pass

    def prune(self, days: int = CACHE_DAYS) -> None:
        """Delete PDFs no build has used for some days; the dated handouts would otherwise pile up."""
        if self.folder is None or not self.folder.is_dir():
            return
        cutoff = time.time() - days * 86400
        for meta in self.folder.glob("*.json"):
            try:
                if meta.stat().st_mtime < cutoff:
                    meta.unlink()  # first, so a half-pruned entry is a miss, never a broken hit
                    meta.with_suffix(".pdf").unlink(missing_ok=True)
            except OSError:
                pass


def make_pdfs(jobs: list[Job], cache: PdfCache, base_url: str, stats: dict) -> None:
    """Fill in each job's PDF from the cache, rendering the missing ones in parallel; count them in stats."""
    missing: dict[str, list[Job]] = {}
    for job in jobs:
        job.key = cache_key(job)
        hit = cache.get(job.key)
        if hit:
            job.pdf, job.page_count = hit
        else:
            missing.setdefault(job.key, []).append(job)
    stats.update(pdfs_rendered=len(missing), pdfs_cached=len(jobs) - sum(map(len, missing.values())),
                 pdf_seconds=0.0)
    if not missing:
        return
    start = time.perf_counter()
    # Biggest first, so the two workers finish at about the same time.
    order = sorted(missing.values(), key=lambda same: -len(same[0].html))
    with ProcessPoolExecutor(max_workers=min(WORKERS, len(order))) as pool:
        futures = [(same, pool.submit(render_pdf, same[0].html, base_url)) for same in order]
        for same, future in futures:
            try:
                pdf, pages = future.result()
            except Exception as exc:  # a WeasyPrint failure names the page, not a traceback
                page = same[0].handout.source
                raise ContentError(Diagnostic(page.source.shown, None, "handout.render",
                                              f"the handout {same[0].handout.rel} could not be made: {exc}",
                                              "Build with --no-handouts to publish the web pages meanwhile, "
                                              "and report this to the developers.")) from None
            cache.put(same[0].key, pdf, pages)
            for job in same:
                job.pdf, job.page_count = pdf, pages
    stats["pdf_seconds"] = time.perf_counter() - start
    cache.prune()


# Writing ---------------------------------------------------------------------------------------

def write_handouts(w: Writing) -> list[Diagnostic]:
    """Write every handout and packet, then the Handouts page of each language; return warnings."""
    site, staging = w.site, w.staging
    css = (w.ctx.templates_dir / CSS_FILE).read_text(encoding="utf-8")
    jobs = [Job(h, *handout_html(h, w, css)) for h in plan(site)]
    folder = w.ctx.cache_dir
    make_pdfs(jobs, PdfCache(Path(folder) / "handouts" if folder else None), staging.root.resolve().as_uri() + "/",
              w.ctx.stats)
    for job in jobs:
        staging.write_bytes(job.handout.rel, job.pdf)
    warnings = [too_long(job, site) for job in jobs
                if job.page_count > MAX_PAGES and not job.handout.large and job.handout.topic is None]
    return warnings + write_index_pages(w, jobs)


def too_long(job: Job, site: Site) -> Diagnostic:
    paper = "Letter" if site.config.paper == "letter" else "A4"
    page = job.handout.source
    return Diagnostic(page.source.shown, None, "handout.length",
                      f"the printed handout {job.handout.rel} is {job.page_count} {paper} pages long; "
                      f"a handout should fit on {MAX_PAGES} (one sheet, both sides)",
                      "Shorten the page or split it into two pages. Large-print editions and packets may be longer.",
                      WARNING)


def write_index_pages(w: Writing, jobs: list[Job]) -> list[Diagnostic]:
    """Write the Handouts page of each language, listing every PDF with its pages and size."""
    site = w.site
    warnings = []
    by_rel = {job.handout.rel: job for job in jobs}
    taken = {page.out for page in site.pages}
    for lang in site.config.languages:
        out = handouts_index_out(lang, site.config.default_language)
        if out in taken:
            warnings.append(Diagnostic(site.by_rel.get(f"{lang}/handouts.md", site.pages[0]).source.shown, None,
                                       "handout.index", f"a page is already written to {out}, so the list of handouts is left out",
                                       "Rename the page; handouts/ is where the list of printable handouts goes.", WARNING))
            continue
        strings = w.ctx.strings[lang]
        topics = [site.topics[key] for key in sorted(site.topics) if site.topics[key].lang == lang]
        groups = [group for topic in topics if (group := topic_rows(topic, out, by_rel, strings))]
        paper = strings["paper_letter" if site.config.paper == "letter" else "paper_a4"]
        context = dict(w.contexts.base_context(out, lang), groups=groups, paper=paper, handouts_index=relative(out, out))
        w.staging.write_text(out, w.renderer.render(INDEX_TEMPLATE, out, **context))
    return warnings


def topic_rows(topic: Topic, out: str, by_rel: dict[str, Job], strings: dict) -> dict | None:
    """Return one topic's rows for the Handouts page: its packet, then each page."""
    if topic.index is None:
        return None
    rows = []
    if packet_pdf_of(topic) in by_rel:
        title = strings["packet_title"].format(topic=topic.index.meta.title)
        rows.append(row(title, None, packet_pdf_of(topic), packet_pdf_of(topic, True), out, by_rel, strings))
    for page in topic.pages:
        if page_pdf_of(page) in by_rel:
            rows.append(row(page.meta.title, relative(out, page.out), page_pdf_of(page), page_pdf_of(page, True),
                            out, by_rel, strings))
    return {"title": topic.index.meta.title, "rows": rows} if rows else None


def row(title: str, href: str | None, standard: str, large: str, out: str, by_rel: dict, strings: dict) -> dict:
    return {"title": title, "href": href,
            "files": [pdf_link(by_rel[rel], out, strings) for rel in (standard, large)]}


def pdf_link(job: Job, out: str, strings: dict) -> dict:
    """Return a PDF's link and its 'PDF, 2 pages, 84 KB' description."""
    n = job.page_count
    pages = strings["pages_one"] if n == 1 else strings["pages_many"].format(count=n)
    size = max(1, round(len(job.pdf) / 1024))
    text = strings["pdf_details"].format(pages=pages, size=size)
    return {"href": relative(out, job.handout.rel), "text": re.sub(r"(\d) ", "\\1\u00a0", text)}  # keep "18 KB" on one line
