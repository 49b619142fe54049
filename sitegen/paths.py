"""Where every output goes: pages, assets, handouts and the build's own files, and links between them.

All paths are relative to the site root, with forward slashes. The default language is built at
the root and the others under /<lang>/:

    en/symptoms.md          -> symptoms/index.html          (URL symptoms/)
    en/index.md             -> index.html
    es/symptoms.md          -> es/symptoms/index.html
    en/images/skeleton.svg  -> images/skeleton.svg
    handouts of en/symptoms.md -> symptoms/symptoms.pdf, symptoms/symptoms-large-print.pdf
    the packet of en/living/   -> living/living-packet.pdf, living/living-packet-large-print.pdf

The home page has no folder of its own, so its handout and its topic's packet are called "overview".
"""

from __future__ import annotations

import posixpath

NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
STATIC = "assets"  # templates/static/ is published here
SEARCH_INDEX = "pagefind"  # the folder Pagefind writes as a whole
HOME_NAME = "overview"
INDEX = "index.html"


def page_output(rel: str, default_lang: str) -> tuple[str, str]:
    """Return (url, output file) for a page: en/symptoms.md -> ('symptoms/', 'symptoms/index.html')."""
    lang, *parts = rel.split("/")
    stem = parts[-1][: -len(".md")]
    dirs = parts[:-1] + ([] if stem == "index" else [stem])
    url_parts = ([] if lang == default_lang else [lang]) + dirs
    url = "/".join(url_parts) + "/" if url_parts else ""
    return url, url + INDEX


def asset_output(rel: str, default_lang: str) -> str:
    """Return the output file of an asset: en/images/a.svg -> images/a.svg."""
    lang, rest = rel.split("/", 1)
    return rest if lang == default_lang else f"{lang}/{rest}"


def relative(from_out: str, to_out: str) -> str:
    """Return the relative link from one output file to another (both relative to the site root)."""
    # Not posixpath.relpath: it calls os.getcwd() each time, and this runs for every link of every page.
    start = from_out.split("/")[:-1]
    target = to_out.split("/")
    common = 0
    while common < len(start) and common < len(target) - 1 and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:])


def url_of(out: str) -> str:
    """Return the address of an output file as published: symptoms/index.html -> symptoms/."""
    return out[: -len(INDEX)] if out.endswith(INDEX) else out


def language_root(lang: str, default_lang: str) -> str:
    """Return the folder of a language's pages: '' for the default language, 'es/' for the others."""
    return "" if lang == default_lang else f"{lang}/"


def home_out(lang: str, default_lang: str) -> str:
    return language_root(lang, default_lang) + INDEX


def search_out(lang: str, default_lang: str) -> str:
    return language_root(lang, default_lang) + "search/" + INDEX


def search_data_out(lang: str, default_lang: str) -> str:
    """Return the small search index the search page loads when Pagefind cannot (opened from disk)."""
    return language_root(lang, default_lang) + "search/pages.js"


def is_search_data(out: str) -> bool:
    """True for a language's search/pages.js (search_data_out)."""
    return out == "search/pages.js" or (out.endswith("/search/pages.js") and out.count("/") == 2)


def handouts_index_out(lang: str, default_lang: str) -> str:
    """Return the Handouts page of a language: handouts/index.html, es/handouts/index.html."""
    return language_root(lang, default_lang) + "handouts/" + INDEX


def static_out(name: str) -> str:
    """Return where a file of templates/static/ is published: site.css -> assets/site.css."""
    return f"{STATIC}/{name}"


# Handouts ---------------------------------------------------------------------------------------

def handout_stem(rel: str) -> str:
    """Return the file name a page's handout starts with: symptoms, living or overview."""
    parts = rel[: -len(".md")].split("/")[1:]
    if parts[-1] == "index":
        parts = parts[:-1]
    return parts[-1] if parts else HOME_NAME


def page_pdf(rel: str, out: str, large: bool = False) -> str:
    """Return where a page's handout goes: symptoms/symptoms.pdf."""
    return posixpath.join(posixpath.dirname(out), handout_stem(rel) + ("-large-print" if large else "") + ".pdf")


def packet_pdf(index_rel: str, index_out: str, large: bool = False) -> str:
    """Return where a topic's packet goes, beside its index page: living/living-packet.pdf."""
    name = handout_stem(index_rel) + "-packet" + ("-large-print" if large else "") + ".pdf"
    return posixpath.join(posixpath.dirname(index_out), name)
