"""Render templates with Jinja2 (stage 5): the renderer renders, and nothing else.

What each template is given is made in pagecontext.py; the outputs and handouts pass it here.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .config import SiteConfig
from .diagnostics import ContentError, Diagnostic, display_path
from .phones import tel_uri
from .theme import Theme


class Renderer:
    """The Jinja environment of one build: the theme (see theme.py), autoescaping, strict undefined names."""

    def __init__(self, theme: Theme | Path, config: SiteConfig, cache_dir: Path | None = None):
        self.dir = theme if isinstance(theme, Theme) else Theme.over_default(theme)
        self.config = config
        self.env = jinja2.Environment(
            loader=self.dir.loader(),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # Compiled templates are kept between builds: compiling them is a third of a small rebuild.
            bytecode_cache=_bytecode_cache(cache_dir),
        )
        self.env.filters["phone_link"] = phone_link

    def render(self, name: str, shown: str, **context) -> str:
        """Render one template; a template mistake becomes a ContentError naming both files.

        shown is the content file (or output) being rendered, for the message; templates see the
        site's settings as readers of the page's language see them, as `site`.
        """
        try:
            site = self.config.for_language(context.get("lang", self.config.default_language))
            return self.env.get_template(name).render(site=site, **context)
        except jinja2.TemplateSyntaxError as exc:
            raise ContentError(Diagnostic(display_path(exc.filename or self.dir / name), exc.lineno, "template",
                                          f"template error while rendering {shown}: {exc.message}",
                                          "Fix the template; check that every {% block %} and {% if %} is closed.")) from None
        except jinja2.TemplateError as exc:
            path, line = _template_place(exc)
            raise ContentError(Diagnostic(display_path(path or self.dir / name), line, "template",
                                          f"template error while rendering {shown}: {exc}",
                                          "Check the names the template uses; see the template context in "
                                          "sitegen/pagecontext.py.")) from None

    def sources(self) -> list[str]:
        """Return every page template's name and text, for the keys of what they render."""
        return [f"{name}:{path.read_text(encoding='utf-8')}" for name, path in self.dir.templates().items()]


def phone_link(number: str) -> Markup:
    """{{ number|phone_link }}: the number as written, a link that dials it (phones.py); text alone
    while it is init's TODO placeholder."""
    uri = tel_uri(number)
    return Markup('<a href="{}">{}</a>').format(uri, number) if uri else escape(number)


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


def _template_place(exc: Exception) -> tuple[str | None, int | None]:
    """Return the template file and line where a runtime template error happened: the innermost
    template in its traceback, which for a page is often base.html rather than the page's own."""
    tb = exc.__traceback__
    path = line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            path, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return path, line
