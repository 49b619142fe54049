"""Every cache key of the build, in one place.

A key hashes everything its output depends on, so a cached output is byte-identical to a fresh
one: forget a part here and an edit can leave a stale page. Each key says what it covers.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from . import __version__
from .schema import MENU_FIELDS


@functools.cache
def engine_signature() -> str:
    """Return a hash of the generator's own code, so a new version never reuses old output."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def digest(*parts) -> str:
    """Return the sha256 of the parts' text."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def source_key(rel: str, shown: str, config, text: str) -> str:
    """A page file as parsed and checked: its text and the settings its front matter is checked with."""
    return digest(engine_signature(), rel, shown, config.review_interval_months, text)


def markdown_signature(site, ctx) -> str:
    """Everything besides its own text that a page's Markdown output depends on."""
    return digest(engine_signature(), repr(site.config), sorted((p.rel, p.out, p.meta.layout) for p in site.pages),
                  sorted(site.assets.items()), sorted(site.picture_sizes.items()), sorted(site.failed),
                  sorted(site.signs_failed), repr(sorted(ctx.strings.items())),
                  repr(sorted(site.glossary.items())), repr(sorted(site.signs.items())))


def markdown_key(signature: str, page) -> str:
    """One page's rendered Markdown: the signature and the page's body where it sits in its file."""
    return digest(signature, page.rel, page.source.shown, page.body_line, page.body)


def template_signature(site, ctx, renderer) -> str:
    """What every templated file depends on besides its own page: settings, day, strings, glossary, templates."""
    return digest(engine_signature(), repr(site.config), ctx.today, ctx.handouts, repr(sorted(ctx.strings.items())),
                  repr(sorted(site.glossary.items())), *renderer.sources())


def site_shape(site) -> str:
    """What a page's context takes from other pages: their menu fields, places, states and links."""
    pages = [(p.rel, *(getattr(p.meta, name) for name in MENU_FIELDS), p.translation, p.review.state,
              sorted((lang, other.rel) for lang, other in p.alternates.items())) for p in site.pages]
    topics = [(key, [p.rel for p in t.pages], [c.key for c in t.children], t.parent.key if t.parent else None)
              for key, t in sorted(site.topics.items())]
    return digest(repr(pages), repr(topics))


def page_key(signature: str, shape: str, page) -> str:
    """A page's HTML, made without its context, so an unchanged page costs a hash, not a render.

    Its own file (source_key), Markdown (md_key), states and date, and the site's shape, which other
    pages' titles and places reach this page through (navigation, breadcrumbs, languages).
    """
    return digest(signature, shape, page.source_key, page.md_key, page.translation, page.review, page.changed)


def lists_key(signature: str, shape: str) -> str:
    """The pages that list every page by title (404 and search): only titles and places count."""
    return digest(signature, shape)


def search_index_key(engine_version: str, page_keys: list[str]) -> str:
    """The search index: it depends only on the pages' HTML, so unchanged pages give an unchanged index."""
    return digest(engine_version, *page_keys)


def handout_key(engine: list[str], options: dict, html: str, files: list[Path]) -> str:
    """A PDF's bytes: the PDF engine's versions and options, the print HTML (with its CSS) and its images."""
    h = hashlib.sha256()
    for part in (*engine, json.dumps(options, sort_keys=True), html):
        h.update(part.encode() + b"\0")
    for path in files:
        h.update(path.read_bytes() if path.is_file() else b"missing")
    return h.hexdigest()
