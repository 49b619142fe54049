"""The site as data: pages, topics and assets (no I/O); where they are written is paths.py."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field

from .config import SiteConfig
from .diagnostics import Report
from .glossary import Term
from .markdown import Rendered
from .paths import asset_output
from .picturesize import PictureSize, picture_size
from .review import UNREVIEWED, ReviewState
from .schema import PageMeta
from .sources import SourceFile

SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SAFE_ASSET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass
class Page:
    """One Markdown page: its source, checked front matter, output path and rendered body."""

    source: SourceFile
    meta: PageMeta
    body: str
    body_line: int
    url: str
    out: str
    topic: str
    rendered: Rendered | None = None
    fingerprint: str = ""
    alternates: dict[str, "Page"] = field(default_factory=dict)  # the same page in each language
    translation: str | None = None  # current, behind, untracked or orphan; None in the default language
    review: ReviewState = ReviewState(UNREVIEWED)  # see review.py; set once the page's text is judged
    changed: dt.date | None = None  # when its text last changed (history.py); None when nothing can tell
    source_key: str = ""  # hash of the page's file and what its checked front matter depends on
    md_key: str = ""  # hash of everything the rendered Markdown depends on (the build cache's key)

    @property
    def rel(self) -> str:
        return self.source.rel

    @property
    def lang(self) -> str:
        return self.source.lang

    @property
    def is_index(self) -> bool:
        return self.rel.endswith("/index.md")


@dataclass(frozen=True)
class Asset:
    """A file published as it is, such as a picture: its source and the bytes published (an SVG cleaned)."""

    source: SourceFile
    data: bytes


@dataclass
class Topic:
    """A folder with an index.md: its pages in navigation order, and its sub-topics."""

    key: str
    lang: str
    pages: list[Page] = field(default_factory=list)
    children: list["Topic"] = field(default_factory=list)
    parent: "Topic | None" = None

    @property
    def index(self) -> Page | None:
        return self.pages[0] if self.pages and self.pages[0].is_index else None


@dataclass
class Site:
    """Everything a build knows once the content is loaded."""

    config: SiteConfig
    pages: list[Page]
    assets: dict[str, str]  # source rel -> output file
    glossary: dict[str, tuple[Term, ...]]
    asset_files: dict[str, Asset] = field(default_factory=dict)  # source rel -> the file and the bytes published
    picture_sizes: dict[str, PictureSize] = field(default_factory=dict)  # source rel -> its size, where its file says
    by_rel: dict[str, Page] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)  # pages on disk that did not load: links to them are not errors too
    signs: dict = field(default_factory=dict)  # language -> signs.SignBook, for the languages that have warning signs
    signs_failed: set[str] = field(default_factory=set)  # languages whose warning signs have errors: cards wait for them
    in_git: bool = False  # the content folder is in a git work tree, which dates the pages (history.py)

    def pages_in(self, lang: str) -> list[Page]:
        return [p for p in self.pages if p.lang == lang]


def check_names(sources: list[SourceFile], report: Report, languages: tuple[str, ...] = ()) -> list[SourceFile]:
    """Keep the files whose names make safe, readable URLs; report the others. The default language
    (languages[0]) is published at the top of the site, so a folder of it named like another
    language would be published over that language's pages."""
    good, said = [], set()
    for source in sources:
        lang, *folders, name = source.rel.split("/")
        if languages and lang == languages[0] and folders and folders[0] in languages[1:]:
            if folders[0] in said:
                continue  # one message for the folder
            said.add(folders[0])
            report.error(source.path, None, "name.language", f'the folder "{lang}/{folders[0]}" has the name of the '
                         f'{folders[0]} language, so its files would be published where the {folders[0]} pages are',
                         f'Move its pages to content/{folders[0]}/ if they are translations, or rename the folder.')
            continue
        stem = name[:-3] if source.is_page else name
        pattern = SAFE_NAME if source.is_page else SAFE_ASSET
        bad = [part for part in folders if not SAFE_NAME.match(part)] + ([] if pattern.match(stem) else [name])
        if bad:
            suggestion = _safe_name(bad[0], keep_suffix=bad[0] == name and not source.is_page)
            report.error(source.path, None, "name.unsafe", f'"{bad[0]}" cannot be part of a web address',
                         f'Rename it using lowercase letters, digits and hyphens, for example "{suggestion}".')
        else:
            good.append(source)
    return good


def _safe_name(name: str, keep_suffix: bool) -> str:
    """A name made of lowercase letters, digits and hyphens ("Bone Pain.md" -> "bone-pain"); a
    picture keeps its type ("My Spine.svg" -> "my-spine.svg")."""
    stem, dot, suffix = name.rpartition(".") if keep_suffix and "." in name else (name.removesuffix(".md"), "", "")
    safe = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "page"
    return safe + dot + suffix.lower()


def assemble(config: SiteConfig, pages: list[Page], assets: list[Asset],
             glossary: dict, report: Report, failed: set[str] = frozenset()) -> Site:
    """Index pages and assets, refuse two files for one output, and build the topics. failed: the
    pages on disk that did not load (their own errors are reported)."""
    site = Site(config, sorted(pages, key=lambda p: p.rel), {}, glossary, failed=set(failed))
    owners: dict[str, str] = {}
    for page in site.pages:
        if _claim(owners, page.out, page.source, report):
            site.by_rel[page.rel] = page
    for asset in assets:
        out = asset_output(asset.source.rel, config.default_language)
        if _claim(owners, out, asset.source, report):
            site.assets[asset.source.rel] = out
            site.asset_files[asset.source.rel] = asset
            size = picture_size(asset.source.rel, asset.data)
            if size is not None:
                site.picture_sizes[asset.source.rel] = size
    site.pages = list(site.by_rel.values())
    _build_topics(site, report)
    return site


def _claim(owners: dict, out: str, source: SourceFile, report: Report) -> bool:
    if out in owners:
        report.error(source.path, None, "output.duplicate",
                     f"this file and {owners[out]} would both be written to {out}",
                     "Rename or remove one of them.")
        return False
    owners[out] = source.shown
    return True


def _build_topics(site: Site, report: Report) -> None:
    for page in site.pages:
        topic = site.topics.setdefault(page.topic, Topic(page.topic, page.lang))
        topic.pages.append(page)
    for key, topic in sorted(site.topics.items()):
        topic.pages.sort(key=_nav_key)
        if topic.index is None and posixpath.join(key, "index.md") not in site.failed:  # one error is enough
            folder = posixpath.join("content", key)  # shown path; the folder itself has no source file
            report.error(topic.pages[0].source.path.parent, None, "topic.index",
                         f"the folder {folder} has pages but no index.md",
                         "Add an index.md to introduce the topic; it becomes the first page of its menu.")
        parent = site.topics.get(posixpath.dirname(key)) if "/" in key else None
        if parent:
            topic.parent = parent
            parent.children.append(topic)


def _nav_key(page: Page):
    """The index page comes first, then pages by their order, then by title."""
    order = page.meta.order
    return (not page.is_index, order is None, order or 0, page.meta.title.lower())
