"""Read one page file into a checked Page (stages 1 to 3 for a single file)."""

from __future__ import annotations

import posixpath

from .keys import source_key
from .config import SiteConfig
from .diagnostics import ContentError, ContentErrors, Diagnostic, Report
from .fields import FieldCheck
from .frontmatter import split_front_matter
from .model import Page
from .paths import page_output
from .parallel import map_pages
from .schema import check_meta
from .signcheck import page_fingerprint
from .sources import SourceFile, read_text, unreadable
from .titles import take_title
from .translations import fingerprint
from .yamltext import YamlProblem, parse_mapping

MAX_PAGE_BYTES = 1_000_000  # a patient page is a few KB; a bigger file is a mistake, and Markdown slows on it


def load_page(source: SourceFile, config: SiteConfig, cache=None, books=None) -> Page:
    """Return the page in source, or raise ContentError / ContentErrors.

    With a build cache, an unchanged file is not parsed again: its checked front matter is reused.
    books are the warning signs of each language ({lang: SignBook}), which its cards show.
    """
    text, key = read_page(source, config)
    parsed = cache.get(key) if cache else None
    if parsed is None:
        parsed = _parse(source, config, text)
        if cache:
            cache.put(key, parsed)
    return make_page(source, config, key, parsed, books)


def load_pages(sources: list[SourceFile], config: SiteConfig, cache, report: Report, workers: int = 1,
               books=None) -> list[Page]:
    """Return the pages that load, reporting the others; files not in the cache are parsed in parallel."""
    read = []
    for source in sources:
        try:
            text, key = read_page(source, config)
        except ContentError as exc:
            report.add(exc.diagnostic)
            continue
        read.append((source, text, key, cache.get(key) if cache else None))

    def parse(index: int):
        source, text = read[index][:2]
        try:
            return _parse(source, config, text)
        except ContentError as exc:
            return [exc.diagnostic]
        except ContentErrors as exc:
            return exc.problems

    misses = [i for i, (*_, parsed) in enumerate(read) if parsed is None]
    results = dict(zip(misses, map_pages(parse, misses, workers)))
    pages = []
    for index, (source, _, key, parsed) in enumerate(read):
        parsed = results.get(index, parsed)
        if isinstance(parsed, list):  # the file's problems
            report.extend(parsed)
            continue
        if cache and index in results:
            cache.put(key, parsed)
        pages.append(make_page(source, config, key, parsed, books))
    return pages


def read_page(source: SourceFile, config: SiteConfig) -> tuple[str, str]:
    """Return the page's text and its key: a hash of everything its checked front matter depends on."""
    try:
        size = source.path.stat().st_size
    except OSError as exc:  # deleted since the folder was listed
        raise unreadable(source.path, exc) from None
    if size > MAX_PAGE_BYTES:
        raise ContentError(Diagnostic(source.shown, None, "page.size", f"the page is too large ({size // 1000} KB)",
                                      f"Split it into pages of under {MAX_PAGE_BYTES // 1000} KB; patients read short pages best."))
    text = read_text(source.path)
    return text, source_key(source.rel, source.shown, config, text)


def make_page(source: SourceFile, config: SiteConfig, key: str, parsed: tuple, books=None) -> Page:
    meta, body, body_line, text_fingerprint = parsed
    url, out = page_output(source.rel, config.default_language)
    book = (books or {}).get(source.lang)
    return Page(source, meta, body, body_line, url, out, posixpath.dirname(source.rel), source_key=key,
                fingerprint=page_fingerprint(text_fingerprint, meta, body, source.lang, book, config.levels))


def _parse(source: SourceFile, config: SiteConfig, text: str) -> tuple:
    """Split and check one page's text; return (meta, body, body line, fingerprint)."""
    split = split_front_matter(text, source.shown)
    try:
        doc = parse_mapping(split.meta_text, first_line=2)  # below the first '---'
    except YamlProblem as exc:
        raise ContentError(Diagnostic(source.shown, exc.line or 1, "yaml", str(exc), exc.hint)) from None
    body = take_title(doc.data, split.body)  # a first line "# Title" is the title (titles.py)
    meta = check_meta(FieldCheck(source.shown, doc, default_line=1), doc.data,
                      config.review_interval_months)
    return meta, body, split.body_line, fingerprint(meta, body)
