"""What search knows of each page besides its text: the words patients use for what it explains.

A page's keywords are, for each glossary term it uses, the term, its other forms (`also`: plurals,
British and American spellings, brand and generic names) and its everyday words (`plain`); and,
for each warning sign it explains (its group's `page` in warning-signs.yml), what the sign says and
its everyday `words`. So "broken bone", "hypercalcaemia" or "Zometa" find the page that explains
them, and a symptom finds the page that says what to do about it first.

The words a page is about count more: the forms of the terms its title or headings name ("High
blood calcium" is about hypercalcaemia) and the everyday words of the signs it explains. The
keywords go to Pagefind as metadata (searched, weighted, never shown in an excerpt) and to the
small index the search page uses when Pagefind cannot load (searchdata.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Page, Site


@dataclass(frozen=True)
class PageWords:
    about: list[str]  # what the page is about: the terms its title and headings name, its signs' words
    more: list[str]  # the other glossary words of the terms it uses, and what its signs say

    def __str__(self) -> str:
        return ", ".join(self.about + self.more)


class Keywords:
    """The keywords of every page of one site, worked out once per build."""

    def __init__(self, site: Site):
        self.site = site
        self.terms = {lang: {term.slug: term for term in terms} for lang, terms in site.glossary.items()}
        self.explained = _signs_by_page(site)

    def of(self, page: Page) -> PageWords:
        """Return a page's keywords, each once, in a fixed order (terms as the page uses them, then signs)."""
        terms = self.terms.get(page.lang, {})
        if page.meta.layout == "glossary":  # its text lists every term already; the pages explain them
            return PageWords([], [])
        slugs = page.rendered.terms if page.rendered else []
        named = _names(page)
        about, more = [], []
        for term in (terms[slug] for slug in slugs if slug in terms):
            forms = [term.term, *term.also, *term.plain]
            (about if any(_says(named, form) for form in forms) else more).extend(forms)
        for sign in self.explained.get(page.rel, ()):
            about += sign.words
            more.append(sign.says)
        about = list(dict.fromkeys(about))
        return PageWords(about, [word for word in dict.fromkeys(more) if word not in about])


def _names(page: Page) -> str:
    """Return the page's title, menu title and headings, in small letters: what the page says it is about."""
    headings = [h.text for h in page.rendered.headings] if page.rendered else []
    return " | ".join([page.meta.title, page.meta.menu_title or "", *headings]).lower()


def _says(text: str, form: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(form.lower()) + r"(?!\w)", text) is not None


def _signs_by_page(site: Site) -> dict[str, list]:
    """Return {page rel: the warning signs it explains}: each sign's own page, else its group's."""
    explained: dict[str, list] = {}
    for book in site.signs.values():
        for sign in book.signs:
            explained.setdefault(sign.page, []).append(sign)
    return explained
