"""Printable PDF handouts: one per page, a large-print edition of each, and a packet per topic.

Files are written beside the page they come from (paths.py names them):

    en/symptoms/index.md -> symptoms/symptoms.pdf, symptoms/symptoms-large-print.pdf,
                            and the topic's symptoms/symptoms-packet.pdf, ...-packet-large-print.pdf
    en/index.md (home)   -> overview.pdf, overview-large-print.pdf, overview-packet.pdf, ...

A packet holds the topic's own pages (not its sub-topics) in menu order. The help page (layout:
warning-signs) prints as one sheet for the fridge: its cards in two columns, those to act on now
on the front, the calmer ones on the back.

Each handout is gathered here (PrintDoc); worker processes write it as Typst (printdoc.py, with the
design of templates/handout.typ) and compile it (printpdf.py). Each PDF is cached under a hash of
what it prints, its design, pictures, compiler and fonts, so a rebuild with no change writes and
compiles nothing; deleting the cache folder is always safe.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import WARNING, ContentError, ContentErrors, Diagnostic, display_path
from .checks.locate import line_of, source_text
from .glyphs import printed_files, unprintable
from .keys import handout_key
from .model import Page, Site, Topic
from .paths import handouts_index_out, packet_pdf, page_pdf, relative
from .printbody import design_features
from .printdoc import PrintDoc, Section
from .printhtml import page_terms, print_body
from .printpdf import FONTS_DIR, CompileFailed, compile_all, engine_version, fonts_digest, writers_digest
from .review import CHANGED, OVERDUE, UNREVIEWED
from .schema import HELP_LAYOUT
from .signs import DIRECTIVE, by_level, fill_numbers, select
from .theme import SITE_TEMPLATES, default_theme_dir
from .write import write_atomic

if TYPE_CHECKING:
    from .outputs import Writing

MAX_PAGES = 2  # one sheet, both sides
WORKERS = 2
DESIGN = "handout.typ"
INDEX_TEMPLATE = "handouts.html"
CACHE_DAYS = 30  # cached PDFs unused this long are deleted
CACHE_FORMAT = "handouts-5"  # change when the cache's files change; the code is in the key (writers_digest)


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

    @property
    def sheet(self) -> bool:
        """The help page's standard edition prints as one sheet (its large print is a normal handout)."""
        return self.topic is None and not self.large and self.pages[0].meta.layout == HELP_LAYOUT


@dataclass
class Job:
    """A handout, the pictures it reads, and what it came to."""

    handout: Handout
    files: list[Path] = field(default_factory=list)
    warnings: list[list[str]] = field(default_factory=list)  # the print's own, [kind, text] (see print_problems)
    key: str = ""
    size: int = 0  # bytes of the PDF (written, and let go)
    page_count: int = 0


# What to make -----------------------------------------------------------------------------------

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


# What a handout prints --------------------------------------------------------------------------

class PageParts:
    """A page's print body and the words it explains, worked out once for its two editions and its
    topic's packets (each takes a tenth of a millisecond to a few milliseconds: glossary matching)."""

    def __init__(self, w: Writing):
        self.w = w
        self.terms: dict[str, list[tuple[str, str]]] = {}
        self.bodies: dict[tuple[str, str], tuple[str, list[Path]]] = {}

    def words(self, page: Page) -> list[tuple[str, str]]:
        if page.rel not in self.terms:
            self.terms[page.rel] = [(t.term, t.definition) for t in page_terms(page, self.w.site)]
        return self.terms[page.rel]

    def body(self, page: Page, prefix: str, files: list[Path]) -> str:
        """The page's print body (print_body), and the pictures it reads added to files."""
        if (page.rel, prefix) not in self.bodies:
            read: list[Path] = []
            self.bodies[page.rel, prefix] = print_body(page, self.w.site, self.w.staging.root, prefix, read), read
        html, read = self.bodies[page.rel, prefix]
        files += read
        return html

    def clear(self) -> None:
        self.terms.clear()
        self.bodies.clear()


def print_doc(handout: Handout, w: Writing, files: list[Path], parts: PageParts | None = None) -> PrintDoc:
    """Gather what one handout prints, worded in its language; the pictures it reads go to files."""
    site, ctx = w.site, w.ctx
    parts = parts or PageParts(w)
    packet = handout.topic is not None
    first = handout.source
    strings = ctx.strings[first.lang]
    sections, glossary = [], {}
    for n, page in enumerate(handout.pages, 1):
        terms = parts.words(page)
        if packet:
            glossary.update((term, meaning) for term, meaning in terms if term not in glossary)
        sections.append(Section(
            title=page.meta.title, url=site.config.base_url + page.url,
            body_html=parts.body(page, f"s{n}-" if packet else "", files),
            key_points=list(page.meta.key_points), sources=[(s.title, s.publisher, s.url) for s in page.meta.sources],
            notices=notices(page, strings, w), review_line=review_line(page, strings, w),
            terms=[] if packet else terms, word_list=page.meta.layout == "glossary"))
    config = site.config.for_language(first.lang)
    clinic = config.clinic
    return PrintDoc(
        lang=first.lang, title=strings["packet_title"].format(topic=handout.title) if packet else handout.title,
        url=site.config.base_url + first.url, site_title=config.title, clinic=(clinic.name, clinic.address, clinic.phone),
        help=help_line(site, first.lang), strings=strings, printed=ctx.date(ctx.today, first.lang), date=ctx.today,
        sections=sections, large=handout.large, packet=packet, sheet=handout.sheet, paper=site.config.paper,
        description=first.meta.description, glossary=list(glossary.items()))


def notices(page: Page, t: dict, w: Writing) -> list[str]:
    """Return what the handout must say first about the page's review and translation (one box)."""
    line = w.contexts.review_line(page.review, page.lang)
    said = {UNREVIEWED: t["not_reviewed"], OVERDUE: t["review_overdue"].format(date=line.next_review),
            CHANGED: t["review_changed"].format(date=line.reviewed)}
    found = [said[page.review.state]] if page.review.state in said else []
    if page.translation == "behind":
        found.append(t["translation_behind"])
    if page.translation and not page.meta.translation_reviewers:
        found.append(t["translation_unreviewed"])
    return found


def review_line(page: Page, t: dict, w: Writing) -> str:
    """Return the review line under the sources, or "" when the notice at the top says it already."""
    if page.review.state in (UNREVIEWED, CHANGED):
        return ""
    line = w.contexts.review_line(page.review, page.lang)
    due = t["review_overdue"] if page.review.state == OVERDUE else t["next_review_due"]
    return t["reviewed_on"].format(date=line.reviewed, reviewers=line.reviewers) + " " + due.format(date=line.next_review)


def help_line(site: Site, lang: str) -> list[list[tuple[str, bool]]]:
    """Return the most urgent level's action and fallback, as (text, is number) parts, for the header."""
    if not site.config.levels:
        return []
    level = site.config.levels[0]
    texts = [level.text(name, lang) for name in ("action", "fallback")]
    return [fill_numbers(text, site.config) for text in texts if text]


# Making the PDFs --------------------------------------------------------------------------------

def cache_key(job: Job, doc: PrintDoc, design: str, fonts_dir: Path) -> str:
    """Return the key of a PDF in the cache (see keys.handout_key): what it prints and how."""
    printed = repr(doc)  # every field, in order: plain data (dataclasses.asdict would copy it all first)
    return handout_key([CACHE_FORMAT, *engine_version(), writers_digest(), fonts_digest(str(fonts_dir))],
                       {"large": job.handout.large}, design + "\0" + printed, job.files)


class PdfCache:
    """Finished PDFs by key, as <key>.pdf with <key>.json holding the page count and the print's warnings."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, key: str) -> tuple[bytes, int, list[list[str]]] | None:
        if self.folder is None:
            return None
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text())
            pdf = (self.folder / f"{key}.pdf").read_bytes()
            os.utime(self.folder / f"{key}.json")  # still in use: prune() keeps it
            return pdf, meta["pages"], meta["warnings"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, pdf: bytes, pages: int, warnings: list[list[str]]) -> None:
        """Store a PDF; a cache that cannot be written only makes the next build slower."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.folder / f"{key}.pdf", pdf)
            meta = {"pages": pages, "warnings": warnings}
            write_atomic(self.folder / f"{key}.json", json.dumps(meta).encode())  # last: marks it complete
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


def batches(jobs: list[Job]) -> list[list[int]]:
    """Return the jobs in the order to make them, in batches that print one QR code: a page's two
    editions, with its topic's packets for an index page. A worker makes each batch, and the code
    (4 ms of the 10 to 30 of a handout) once. Topic by topic, its packets first, so that what a
    page prints is worked out once (PageParts) and the biggest jobs are not left to the end."""
    by_source: dict[str, list[int]] = {}
    for index, job in enumerate(jobs):
        by_source.setdefault(job.handout.source.rel, []).append(index)

    def order(batch: list[int]) -> tuple[str, bool]:  # by topic, and in each the batch with its packets first
        return jobs[batch[0]].handout.source.topic, all(jobs[i].handout.topic is None for i in batch)
    return sorted(by_source.values(), key=order)


def make_pdfs(jobs: list[Job], design: str, w: Writing) -> None:
    """Write each job's PDF, from the cache or made in worker processes, as it comes.

    What a handout prints is gathered only when its turn comes and let go once a worker has it, so
    the main process holds a few handouts at a time however big the site."""
    folder = w.ctx.cache_dir
    cache, fonts_dir = PdfCache(Path(folder) / "handouts" if folder else None), w.ctx.templates_dir / FONTS_DIR
    stats, start, progress = w.ctx.stats, time.perf_counter(), w.ctx.progress
    finished, features = 0, design_features(design)

    def step() -> None:
        nonlocal finished
        finished += 1
        if progress:
            progress.step("handouts", finished, len(jobs))

    def to_make():
        parts, topic = PageParts(w), None
        for batch in batches(jobs):
            if jobs[batch[0]].handout.source.topic != topic:  # what a page prints is needed within its topic only
                parts.clear()
                topic = jobs[batch[0]].handout.source.topic
            todo = []
            for index in batch:
                job = jobs[index]
                doc = print_doc(job.handout, w, job.files, parts)
                doc.features = features
                job.key = cache_key(job, doc, design, fonts_dir)
                hit = cache.get(job.key)
                if hit:
                    save(job, *hit, w)
                    step()
                else:
                    todo.append((index, doc))
            if todo:
                yield todo

    def done(index: int, pdf: bytes, pages: int, warnings: list[list[str]]) -> None:
        save(jobs[index], pdf, pages, warnings, w)
        cache.put(jobs[index].key, pdf, pages, warnings)
        stats["pdfs_rendered"] += 1
        step()

    stats.update(pdfs_rendered=0, pdf_seconds=0.0)
    try:
        compile_all(to_make(), w.ctx.today, w.staging.root, fonts_dir, design, WORKERS, done)
    except CompileFailed as exc:  # a Typst failure names the design's line or the page, not a traceback
        job = jobs[exc.index]
        if exc.design_line is not None:
            raise ContentError(Diagnostic(display_path(w.ctx.templates_dir / DESIGN), exc.design_line, "handout.design",
                                          f"the handout design could not be compiled: {exc.message}",
                                          "Fix this line of the Typst design (the web pages do not use it); build with "
                                          "--no-handouts to publish the web pages meanwhile.")) from None
        if OLDER_DESIGN.search(exc.message) and own_design(w.ctx.templates_dir):
            raise ContentError(Diagnostic(display_path(w.ctx.templates_dir / DESIGN), None, "handout.design",
                                          f"the handout design is older than this version of sitegen: {exc.message}",
                                          older_design_hint(w.ctx.templates_dir / DESIGN, w.ctx.content_dir))) from None
        glyphs = unprintable(printed_files(w.site, w.ctx), fonts_dir)  # a character the font lacks: Typst names no file
        if glyphs:
            raise ContentErrors(glyphs) from None
        raise ContentError(Diagnostic(job.handout.source.source.shown, None, "handout.render",
                                      f"the handout {job.handout.rel} could not be made: {exc.message}",
                                      "Build with --no-handouts to publish the web pages meanwhile, "
                                      "and report this to the developers.")) from None
    stats["pdfs_cached"] = len(jobs) - stats["pdfs_rendered"]
    if stats["pdfs_rendered"]:
        stats["pdf_seconds"] = time.perf_counter() - start
        cache.prune()


# What Typst says when the handouts call a site's own copy of the design in a way it does not know
# yet: the copy (theme --copy) is older than the code that writes the handouts.
OLDER_DESIGN = re.compile(r"unexpected argument|missing argument|unknown variable")


def older_design_hint(design: Path, content_dir: Path) -> str:
    """Say how to replace an outdated copy of the design, in the folder it was read from."""
    beside = design.parent.resolve() == (Path(content_dir).parent / SITE_TEMPLATES).resolve()
    option = "" if beside else f" --templates {display_path(design.parent)}"
    return (f"Rename your {display_path(design)}, copy the current design with `sitegen theme{option} --copy "
            f"handout.typ`, then make your changes again in the new copy. Or delete yours to print with the "
            "default design.")


def own_design(theme) -> bool:
    """True when the site prints with its own copy of the design, not the default theme's."""
    return (theme / DESIGN).resolve() != (default_theme_dir() / DESIGN).resolve()


def save(job: Job, pdf: bytes, pages: int, warnings: list[list[str]], w: Writing) -> None:
    """Write one PDF into the site and keep only its size, page count and warnings."""
    w.staging.write_bytes(job.handout.rel, pdf)
    job.size, job.page_count, job.warnings = len(pdf), pages, list(warnings)


# Writing ---------------------------------------------------------------------------------------

def write_handouts(w: Writing) -> list[Diagnostic]:
    """Write every handout and packet; return their warnings. The Handouts pages come next."""
    design = (w.ctx.templates_dir / DESIGN).read_text(encoding="utf-8")
    jobs = [Job(handout) for handout in plan(w.site)]
    make_pdfs(jobs, design, w)
    w.handouts[:] = jobs
    return [problem for job in jobs for problem in print_problems(job, w.site)]


def handout_outputs(site: Site) -> list[str]:
    """Return every file the handouts write: the PDFs and the Handouts pages."""
    pages = [handouts_index_out(lang, site.config.default_language) for lang in site.config.languages]
    return [handout.rel for handout in plan(site)] + pages


def print_problems(job: Job, site: Site) -> list[Diagnostic]:
    """Return the warnings about one printed handout: too long, a picture's labels too small, or a care
    card or numbered list too tall for a page."""
    page = job.handout.source
    problems = [print_problem(job.handout.rel, page, kind, text, site) for kind, text in job.warnings]
    if job.page_count > MAX_PAGES and not job.handout.large and job.handout.topic is None:
        paper = "Letter" if site.config.paper == "letter" else "A4"
        problems.append(Diagnostic(page.source.shown, None, "handout.length",
                                   f"the printed handout {job.handout.rel} is {job.page_count} {paper} pages long; "
                                   f"it should fit on {MAX_PAGES} (one sheet, both sides)",
                                   "Shorten the page or split it into two pages. Large-print editions and packets "
                                   "may be longer.", WARNING))
    return problems


def print_problem(rel: str, page: Page, kind: str, text: str, site: Site) -> Diagnostic:
    """Return the warning for one problem the print found (printbody, the design's keep)."""
    if kind == "figure":
        return Diagnostic(page.source.shown, None, "handout.figure", f"in {rel}, {text}",
                          "Make a print edition of the drawing with fewer or shorter labels, as its warning says.", WARNING)
    if kind == "card":  # its words come from warning-signs.yml, and the card from the page's "!!! signs" line
        line, what = card_line(page, site, text), f'the care card "{text}"'
        hint = "Give it fewer or shorter signs in warning-signs.yml: a reader should find a card on one page, in large print too."
    else:
        line, what = line_of(page.source.path, text.removesuffix(" ...")), f'the numbered list that starts "{text}"'
        hint = "Shorten it, or make it two lists: a reader should find each on one page, in large print too."
    return Diagnostic(page.source.shown, line, "handout.split",
                      f"in {rel}, {what} is taller than a page, so it is printed across two pages", hint, WARNING)


def card_line(page: Page, site: Site, title: str) -> int | None:
    """Return the line of the page's `!!! signs` that asks for the care card with this heading (the
    first such line when two do), else the page's first `!!! signs` line, else None."""
    body, first = source_text(page.source.path), None
    book, levels = site.signs.get(page.lang), site.config.levels
    for match in DIRECTIVE.finditer(body):
        line = body.count("\n", 0, match.start()) + 1
        first = first or line
        signs = select(book, levels, match.group(1).split())[0] if book else []
        headings = ("".join(t for t, _ in fill_numbers(level.text("heading", page.lang), site.config))
                    for level, _ in by_level(signs, levels))
        if any(" ".join(heading.split()) == title for heading in headings):
            return line
    return first


def write_handout_pages(w: Writing) -> list[Diagnostic]:
    """Write the Handouts page of each language, listing every PDF (w.handouts) with its pages and size."""
    site, jobs = w.site, w.handouts
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
    size = max(1, round(job.size / 1024))
    text = strings["pdf_details"].format(pages=pages, size=size)
    return {"href": relative(out, job.handout.rel), "text": re.sub(r"(\d) ", "\\1\u00a0", text)}  # keep "18 KB" on one line
