"""Render pages through the Jinja templates (stage 5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2
from babel.dates import format_date
from markupsafe import Markup

from .buildcache import BuildCache, digest, engine_signature
from .diagnostics import ContentError, Diagnostic, display_path
from .fields import FieldCheck
from .handouts import handout_links
from .handouts import index_out as handouts_index_out
from .model import Page, Site, Topic, relative
from .signcheck import help_pages
from .sources import read_text
from .yamltext import YamlProblem, parse_mapping


@dataclass(frozen=True)
class Link:
    title: str
    href: str
    current: bool = False


@dataclass(frozen=True)
class Alternate:
    """The same page in another language (or that language's home page when untranslated)."""

    lang: str
    name: str
    href: str
    url: str
    translated: bool


@dataclass(frozen=True)
class Review:
    """What the page says about its medical review."""

    state: str  # "reviewed", "overdue", "changed" (text edited since) or "unreviewed"
    reviewed: str = ""
    reviewers: str = ""
    next_review: str = ""


class Templates:
    """The Jinja environment of one build, with the interface strings of each language."""

    def __init__(self, templates_dir: Path, site: Site, today: dt.date, handouts: bool = True,
                 cache: BuildCache | None = None):
        self.dir = templates_dir
        self.site = site
        self.today = today
        self.handouts = handouts  # link pages to their PDF handouts
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # Compiled templates are kept between builds: compiling them is a third of a small rebuild.
            bytecode_cache=_bytecode_cache(cache.folder if cache else None),
        )
        self.strings = {lang: load_strings(templates_dir, lang) for lang in site.config.languages}
        self.cache = cache or BuildCache(None)
        self.plain_words = {lang: {term.slug: term.plain for term in terms} for lang, terms in site.glossary.items()}
        self.signature = digest(engine_signature(), repr(site.config), today, handouts, repr(sorted(self.strings.items())),
                                repr(sorted(site.glossary.items())),
                                *(f"{p.relative_to(templates_dir)}:{p.read_text(encoding='utf-8')}"
                                  for p in sorted(templates_dir.glob("*.html"))))

    def render(self, name: str, shown: str, **context) -> str:
        """Render one template; a template mistake becomes a ContentError naming both files."""
        try:
            site = self.site.config.for_language(context.get("lang", self.site.config.default_language))
            return self.env.get_template(name).render(site=site, **context)
        except jinja2.TemplateSyntaxError as exc:
            raise ContentError(Diagnostic(display_path(exc.filename or self.dir / name), exc.lineno, "template",
                                          f"template error while rendering {shown}: {exc.message}",
                                          "Fix the template; check that every {% block %} and {% if %} is closed.")) from None
        except jinja2.TemplateError as exc:
            raise ContentError(Diagnostic(display_path(self.dir / name), _template_line(exc), "template",
                                          f"template error while rendering {shown}: {exc}",
                                          "Check the names the template uses; see the template context in README.md.")) from None

    def page(self, page: Page, context: dict) -> str:
        """Return the HTML of one page from its context (see page_context)."""
        return self.render(f"{page.meta.layout}.html", page.source.shown, **context)

    def base_context(self, out: str, lang: str) -> dict:
        """Return what every template needs: strings, and links relative to the file at out."""
        home = self.home_out(lang)
        help_page = self.help_pages.get(lang) or self.help_pages.get(self.site.config.default_language)
        return dict(
            help_href=relative(out, help_page.out) if help_page else None,
            lang=lang,
            t=self.strings[lang],
            asset=lambda path: relative(out, path),
            root=relative(out, "index.html")[: -len("index.html")] or "./",
            home=relative(out, home),
            search_href=relative(out, self.search_out(lang)),
            languages=[Alternate(other, self.strings[other]["language_name"], relative(out, self.home_out(other)),
                                 self.site.config.base_url + self.home_out(other)[: -len("index.html")], False)
                       for other in self.site.config.languages if other != lang],
        )

    def page_key(self, page: Page) -> str:
        """Return a hash of everything the page's HTML depends on (its content id in the output manifest).

        It is made without the page's context, so an unchanged page costs a hash, not a render:
        the page's own file (source_key) and Markdown (md_key), and the site's shape, which other
        pages' titles and places reach this page through (navigation, breadcrumbs, languages).
        """
        return digest(self.signature, self.shape, page.source_key, page.md_key, page.translation, page.review_changed)

    @cached_property
    def shape(self) -> str:
        """Return a hash of what a page's context takes from other pages: their titles, places and links."""
        pages = [(p.rel, p.meta.title, p.meta.layout, p.meta.handout, p.translation, p.review_changed,
                  sorted((lang, other.rel) for lang, other in p.alternates.items())) for p in self.site.pages]
        topics = [(key, [p.rel for p in t.pages], [c.key for c in t.children], t.parent.key if t.parent else None)
                  for key, t in sorted(self.site.topics.items())]
        return digest(repr(pages), repr(topics))

    def page_context(self, page: Page) -> dict:
        topic = self.site.topics[page.topic]
        nav = [Link(p.meta.title, relative(page.out, p.out), p is page) for p in topic.pages]
        index = topic.pages.index(page)
        return dict(
            self.base_context(page.out, page.lang),
            page=page,
            body=Markup(page.rendered.html),
            search_words=self.search_words(page),
            canonical=self.site.config.base_url + page.url,
            nav=nav,
            prev=nav[index - 1] if index > 0 else None,
            next=nav[index + 1] if index + 1 < len(nav) else None,
            breadcrumbs=self.breadcrumbs(page, topic),
            children=[Link(t.index.meta.title, relative(page.out, t.index.out)) for t in topic.children if t.index]
            if page.is_index else [],
            toc=[h for h in page.rendered.headings if h.level == 2],
            review=self.review(page),
            languages=self.languages(page),
            original=self.original(page),
            terms=self.site.glossary.get(page.lang, ()),
            jsonld=self.jsonld(page, topic),
            handout=handout_links(page) if self.handouts else None,
            handouts_index=relative(page.out, handouts_index_out(self.site, page.lang)) if self.handouts else None,
        )

    def languages(self, page: Page) -> list[Alternate]:
        """Return the page in every other language, or that language's home when it is not translated."""
        links = []
        for lang in self.site.config.languages:
            other = page.alternates.get(lang)
            if lang == page.lang:
                continue
            out = other.out if other else self.home_out(lang)
            url = other.url if other else out[: -len("index.html")]
            links.append(Alternate(lang, self.strings[lang]["language_name"], relative(page.out, out),
                                   self.site.config.base_url + url, other is not None))
        return links

    def original(self, page: Page) -> Link | None:
        """Return the page this one translates, for the notice on translated pages."""
        source = page.alternates.get(self.site.config.default_language)
        return Link(source.meta.title, relative(page.out, source.out)) if source and page.translation else None

    def search_words(self, page: Page) -> str:
        """Return the everyday words for the glossary terms on a page, so patients' own words find it."""
        plain = self.plain_words[page.lang]
        slugs = plain if page.meta.layout == "glossary" else page.rendered.terms
        return ", ".join(word for slug in slugs for word in plain.get(slug, ()))

    @cached_property
    def help_pages(self) -> dict[str, Page]:
        """The page of each language that lists every warning sign: the header's "Get help now"."""
        return help_pages(self.site)

    def home_out(self, lang: str) -> str:
        return "index.html" if lang == self.site.config.default_language else f"{lang}/index.html"

    def search_out(self, lang: str) -> str:
        return self.home_out(lang)[: -len("index.html")] + "search/index.html"

    def breadcrumbs(self, page: Page, topic: Topic) -> list[Link]:
        trail = []
        while topic is not None:
            if topic.index and topic.index is not page:
                trail.append(Link(topic.index.meta.title, relative(page.out, topic.index.out)))
            topic = topic.parent
        return list(reversed(trail))

    def date(self, day: dt.date, lang: str) -> str:
        return format_date(day, format="long", locale=lang)

    def review(self, page: Page) -> Review:
        meta = page.meta
        if not meta.reviewed:
            return Review("unreviewed")
        names = ", ".join(f"{r.name}, {r.credentials}" for r in meta.reviewers)
        state = "changed" if page.review_changed else "overdue" if meta.next_review <= self.today else "reviewed"
        return Review(state, self.date(meta.reviewed, page.lang), names, self.date(meta.next_review, page.lang))

    def jsonld(self, page: Page, topic: Topic) -> dict:
        """Return schema.org MedicalWebPage data for search engines."""
        meta = page.meta
        about = topic.index.meta.title if topic.index else meta.title
        data = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": meta.title,
            "description": meta.description,
            "url": self.site.config.base_url + page.url,
            "inLanguage": page.lang,
            "about": {"@type": "MedicalCondition", "name": about},
            "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
            "publisher": {"@type": "MedicalOrganization", "name": self.site.config.clinic.name},
            "citation": [{"@type": "CreativeWork", "name": s.title, "publisher": s.publisher, "url": s.url}
                         for s in meta.sources],
        }
        if meta.reviewed and not page.review_changed:  # claim only the review the current text got
            data["lastReviewed"] = meta.reviewed.isoformat()
            data["reviewedBy"] = [{"@type": "Person", "name": r.name, "honorificSuffix": r.credentials}
                                  for r in meta.reviewers]
        return data


def _bytecode_cache(cache_dir: Path | None):
    if cache_dir is None:
        return None
    folder = cache_dir / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(folder))


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk; one that cannot be written (a full disk) only makes the next build slower."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def load_strings(templates_dir: Path, lang: str) -> dict[str, str]:
    """Return the interface strings of one language from templates/strings/<lang>.yml."""
    path = templates_dir / "strings" / f"{lang}.yml"
    shown = display_path(path)
    if not path.is_file():
        raise ContentError(Diagnostic(shown, None, "strings.missing", f'there are no interface strings for "{lang}"',
                                      f"Copy templates/strings/en.yml to {shown} and translate each line."))
    try:
        doc = parse_mapping(read_text(path))
    except YamlProblem as exc:
        raise ContentError(Diagnostic(shown, exc.line, "yaml", str(exc), exc.hint)) from None
    check = FieldCheck(shown, doc, default_line=1)
    strings = {key: check.text(doc.data, key, required=True) for key in doc.data}
    check.raise_if_failed()
    return strings


def _template_line(exc: Exception) -> int | None:
    """Return the template line from the traceback of a runtime template error."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
