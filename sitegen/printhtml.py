"""A page's rendered HTML made fit for paper: links with their printed addresses, pictures from the
site being written, checkboxes to tick with a pen, short lists in columns, ids kept apart in packets.
printbody.py turns the result into the handout's Typst markup.
"""

from __future__ import annotations

import posixpath
import re
from html import escape, unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .glossary import terms_unexplained
from .model import Page, Site
from .printbody import short_url
from .text import html_to_text, strip_tooltips


_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
_HREF = re.compile(r'\bhref="([^"]*)"')
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\bsrc="([^"]*)"')
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
        if 'class="care-group"' in attrs or 'class="care-sign"' in attrs:  # the help page's signs: the QR code leads online
            return f"<a{new_attrs}>{text}</a>"
        label = unescape(_TAG.sub("", text)).strip()
        suffix = "" if short_url(label) == shown else f'<span class="print-url"> ({escape(shown)})</span>'
        return f"<a{new_attrs}>{text}</a>{suffix}"
    return _LINK.sub(fix, html)


def local_images(html: str, page: Page, site: Site, site_dir: Path, files: list[Path]) -> str:
    """Point images at the files published in site_dir, and caption them with their alt text.

    Printed from the site, not from the content folder: an SVG is printed as it is published, cleaned.
    """
    published = set(site.assets.values())

    def fix(match: re.Match) -> str:
        tag = match.group(0)
        src, alt = (pattern.search(tag) for pattern in (_SRC, _ALT))
        out = posixpath.normpath(posixpath.join(posixpath.dirname(page.out), unescape(src.group(1)))) if src else ""
        if out in published:  # relative to the site's root, so the HTML and its hash do not depend on where it is
            files.append(site_dir / out)
            tag = tag.replace(src.group(0), f'src="{escape(out)}"')
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
    """Return the glossary terms used in the page's key points and body that its text does not explain
    where they first appear: on screen they have pop-ups, on paper this list (a handout's room is for
    the page, not for the same words twice)."""
    terms = site.glossary.get(page.lang, ())
    if page.meta.layout == "glossary":
        return list(terms)
    text = "\n".join(page.meta.key_points) + "\n" + html_to_text(page.rendered.html)
    return terms_unexplained(text, terms)
