"""Resolve links and images between pages, and check #anchors once all pages are rendered."""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic, Report, did_you_mean
from .markdown import LinkRef, PageInput
from .model import Page, Site
from .paths import relative
from .picturesize import PictureSize

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
CONTROLS_AND_SPACE = "".join(map(chr, range(0x21)))  # what the URL standard strips from both ends


class LinkResolver:
    """Rewrite the links of one page: .md links to page URLs, files to their copies."""

    def __init__(self, site: Site):
        self.site = site

    def rewrite(self, page: Page, ctx: PageInput, href: str, kind: str) -> str | None:
        """Return the address to publish for href, or None to leave it out (it has been reported)."""
        try:
            parts = urlsplit(as_read(href))
        except ValueError:  # e.g. "http://[bad": no browser could follow it
            ctx.problem(href, "link.invalid", f'the link "{href}" is not a valid address',
                        "Check the address: copy it again from the browser's address bar.")
            return None
        if parts.scheme or parts.netloc:
            if kind == "image" and parts.scheme.lower() in ("", "http", "https"):
                # the pages' security policy blocks it, and loading it would tell that website who reads the page
                ctx.problem(href, "image.external", f'the image "{href}" is on another website, so the page would '
                            "show a broken picture", "Save the picture (if you may use it) in the content folder "
                            "and give its file name, for example ![A drawing of the spine](images/spine.svg).")
                return None
            if not parts.scheme:
                ctx.problem(href, "link.scheme", f'the link "{href}" starts with "//" and no "https:"',
                            f"Write the whole address: https:{href}")
                return None
            if parts.scheme.lower() not in SAFE_SCHEMES:
                ctx.problem(href, "link.scheme", f'the link "{href}" uses "{parts.scheme}:", which is not allowed',
                            "Link to web pages with https://, or to another page of the site with its .md file.")
                return None
            return href
        if not parts.path:
            if parts.fragment:
                ctx.links.append(LinkRef(page.rel, parts.fragment, href, ctx.line_of(href)))
            return href
        target = _target(page, parts.path)
        if parts.path.startswith("/") or target.split("/")[0] != page.lang:
            return self._missing(ctx, href, kind, "it points outside this language's content folder", page)
        if target.endswith(".md"):
            return self._page_link(page, ctx, href, target, parts.fragment)
        out = self.site.assets.get(target)
        if out is None:
            return self._missing(ctx, href, kind, "there is no such file", page)
        return relative(page.out, out)

    def size_of(self, page: Page, src: str) -> PictureSize | None:
        """Return the size of the picture src names (as written in the page), if it is one of the site's."""
        try:
            parts = urlsplit(as_read(src))
        except ValueError:
            return None
        if parts.scheme or parts.netloc or not parts.path:
            return None
        return self.site.picture_sizes.get(_target(page, parts.path))

    def _page_link(self, page: Page, ctx: PageInput, href: str, target: str, fragment: str) -> str:
        other = self.site.by_rel.get(target) or self._untranslated(target)
        if other is None and target in self.site.failed:
            return href  # that page has its own error; one message is enough
        if other is None:
            return self._missing(ctx, href, "link", "there is no such page", page)
        ctx.links.append(LinkRef(target, fragment, href, ctx.line_of(href)))
        link = relative(page.out, other.out)
        return f"{link}#{fragment}" if fragment else link

    def _untranslated(self, target: str) -> Page | None:
        """Return the default-language page for a page not yet translated (never a broken link)."""
        default = self.site.config.default_language
        lang, rest = target.split("/", 1)
        return self.site.by_rel.get(f"{default}/{rest}") if lang != default else None

    def _missing(self, ctx: PageInput, href: str, kind: str, why: str, page: Page) -> str:
        noun = "image" if kind == "image" else "link"
        names = [posixpath.relpath(rel, posixpath.dirname(page.rel)) for rel in self.site.by_rel if rel.startswith(page.lang + "/")]
        names += [posixpath.relpath(rel, posixpath.dirname(page.rel)) for rel in self.site.assets]
        guess = did_you_mean(urlsplit(href).path, names)
        hint = guess or ("Link to another page by its file name, for example [Symptoms](symptoms.md)."
                         if noun == "link" else "Put the image file in the content folder and give its path from this page.")
        ctx.problem(href, f"{noun}.missing", f'the {noun} "{href}" goes nowhere: {why}', hint)
        return href


def _target(page: Page, path: str) -> str:
    """The content file a link's path names, from the page it is on."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), unquote(path)))


def as_read(href: str) -> str:
    """Return the address a browser follows for href: entities decoded, tabs and line breaks dropped."""
    return re.sub(r"[\t\n\r]", "", html.unescape(href)).strip(CONTROLS_AND_SPACE)


def check_anchors(site: Site, report: Report) -> None:
    """Report links whose #anchor is not a heading or id on the target page."""
    for page in site.pages:
        check_page_anchors(site, page, report)


def check_page_anchors(site: Site, page: Page, report: Report) -> None:
    """Report the links of one page whose #anchor the target page does not have."""
    for link in page.rendered.links if page.rendered else ():
        target = site.by_rel.get(link.target)
        if not link.fragment or target is None or target.rendered is None:
            continue
        if link.fragment not in target.rendered.ids:
            guess = did_you_mean(link.fragment, target.rendered.ids)
            report.add(Diagnostic(page.source.shown, link.line, "link.anchor",
                                  f'the link "{link.href}" points to "#{link.fragment}", which {target.rel} does not have',
                                  guess or "Anchors are the heading text in lowercase with hyphens, "
                                            "for example #what-does-the-pain-feel-like."))
