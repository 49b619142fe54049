"""The small search index for a site opened from disk: search/pages.js, one per language.

Opened from disk (file://), a browser will not load Pagefind (its module and WebAssembly need a web
server), so the search page loads this script instead, and searches it itself (templates/static/
search.js). It holds what Pagefind indexes of each page, split by how much a match counts: title,
what it is about and its other keywords (searchwords.py), headings, the warning signs of its cards, description and body text;
and each page's place in the menu, which breaks ties, so results never come in file-name order.
Only the search page loads it, and only when Pagefind fails.
"""

from __future__ import annotations

import json

from .model import Page, Site
from .navigation import by_topic
from .pagetext import search_text, sentences
from .paths import relative, search_out
from .searchwords import Keywords

GLOBAL = "sitegenSearch"  # the name the script gives the index: window.sitegenSearch


def search_data(site: Site, lang: str, keywords: Keywords) -> str:
    """Return the text of one language's pages.js."""
    default = site.config.default_language
    out = search_out(lang, default)
    pages = [page for entry, under in by_topic(site, lang) for page in (entry, *under)]
    records = [record(page, relative(out, page.out), place, keywords) for place, page in enumerate(pages)
               if page.meta.layout != "home"]  # the doorway is not a search result (home.html)
    data = json.dumps({"lang": lang, "pages": records}, ensure_ascii=False, separators=(",", ":"))
    # "</" cannot end the script early, whatever a page says: written as "<\/" (the same in JSON).
    return f"window.{GLOBAL}={data.replace('</', '<' + chr(92) + '/')};\n"


def record(page: Page, href: str, place: int, keywords: Keywords) -> dict:
    """Return what the fallback search knows of one page."""
    text = page.rendered.text if page.rendered else search_text("")
    body = text.body
    if page.meta.layout == "glossary":
        body = " ".join(filter(None, [body, sentences([_entry(t) for t in keywords.site.glossary.get(page.lang, ())])]))
    words = keywords.of(page)
    return {"u": href, "o": place, "t": page.meta.title, "d": page.meta.description,
            "a": ", ".join(words.about), "k": ", ".join(words.more), "p": " ".join(page.meta.key_points),
            "h": text.headings, "s": text.signs, "b": body}


def _entry(term) -> str:
    """A glossary entry as the glossary page shows it (templates/glossary.html)."""
    also = f" ({', '.join(term.also)})" if term.also else ""
    return f"{term.term} {term.definition}{also}"
