"""Show an edited page in the preview at once, before the whole site is rebuilt.

After a save, `serve` rebuilds the whole site: half a second to seconds at 2,000 pages. A saved
page whose place and layout stay as they were, and whose edit breaks no link from another page,
looks the same whether it is rendered alone, from the site the last build loaded, or in a full
build: so it is rendered alone and shown at once. The full build follows and is the judge: open
pages reload again only if it wrote their file differently (a title, for instance, also shows in
the other pages' menus) or found an error.
"""

from __future__ import annotations

import os

from ..diagnostics import ContentError, ContentErrors, Report
from ..links import check_anchors, check_page_anchors
from ..load import load_page
from ..model import Page
from ..outputs import render_page
from ..pagecontext import Contexts
from ..pipeline import BuildResult
from ..render import Renderer
from ..schema import PLACE_FIELDS
from ..sources import ignored
from ..stages import judge_page, markdown_task
from ..history import saved_date
from ..translations import fingerprint


class LastBuild:
    """The site as the last successful build loaded it, able to re-render single pages."""

    def __init__(self, result: BuildResult, content_dir):
        self.site, self.ctx = result.site, result.ctx
        self.renderer = Renderer(self.ctx.templates_dir, self.site.config, self.ctx.cache.folder)
        self.contexts = Contexts(self.site, self.ctx)
        self.pages = {os.path.abspath(p.source.path): p for p in self.site.pages}
        self.assets = {os.path.abspath(os.path.join(content_dir, rel)) for rel in self.site.assets}
        self.index = {p.rel: i for i, p in enumerate(self.site.pages)}
        self._render_markdown = markdown_task(self.site, self.ctx)  # made now, not after the save

    def render_edits(self, paths) -> dict[str, bytes] | None:
        """Return {output file: HTML} for the pages saved at paths, or None when the site must be rebuilt first.

        The pages of this object are updated in place, so after a call it must not be used again
        once the full build has run (serve makes a new one from each build).
        """
        pages = []
        for path in map(os.path.abspath, paths):
            page = self.pages.get(path)
            if page is not None:
                pages.append(page)
            elif path in self.assets or (os.path.exists(path) and not ignored(os.path.basename(path))):
                return None  # an image or a new file: other pages may show it
            # else an editor's temporary file, already gone
        rendered = {}
        for page in pages:
            html = self._render(page)
            if html is None:
                return None
            rendered[page.out] = html
        return rendered or None

    def _render(self, page: Page) -> bytes | None:
        """Render one saved page, or return None when it moved in the menu, has errors or breaks a link to it."""
        try:
            fresh = load_page(page.source, self.site.config, books=self.site.signs)
        except (ContentError, ContentErrors):
            return None
        if _place(fresh) != _place(page):  # the menus of the last build would be out of order
            return None
        text_changed = fingerprint(fresh.meta, fresh.body) != fingerprint(page.meta, page.body)
        page.meta, page.body, page.body_line = fresh.meta, fresh.body, fresh.body_line
        page.fingerprint, page.source_key = fresh.fingerprint, fresh.source_key
        report = Report()
        judge_page(self.site, page, self.ctx.today, report)  # the build's own per-page stages
        page.changed = saved_date(page, page.changed, text_changed, self.site.in_git, self.ctx.today)
        old_ids = page.rendered.ids
        page.rendered = self._render_markdown(self.index[page.rel])
        report.extend(page.rendered.problems)
        if old_ids - page.rendered.ids:  # a heading went: other pages may link to it
            check_anchors(self.site, report)
        else:
            check_page_anchors(self.site, page, report)
        if report.errors:
            return None
        try:
            return render_page(self.renderer, self.contexts, page).encode("utf-8")
        except ContentError:
            return None


def _place(page: Page) -> tuple:
    """Return what decides a page's place in the site (schema.PLACE_FIELDS): its order, layout and handout."""
    return tuple(getattr(page.meta, name) for name in PLACE_FIELDS)
