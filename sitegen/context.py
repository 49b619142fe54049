"""What every stage of one build shares, made once when site.yml has been read."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date

from .buildcache import BuildCache
from .config import SiteConfig
from .diagnostics import ContentError, Diagnostic, display_path
from .fields import FieldCheck, placeholders
from .sources import read_text
from .theme import default_theme_dir
from .yamltext import YamlProblem, parse_mapping

if TYPE_CHECKING:
    from .theme import Theme

STRINGS_DIR = "strings"  # templates/strings/<lang>.yml: the interface text of each language


@dataclass
class BuildContext:
    """One build's settings, day, interface strings and cache, passed to each stage that needs them."""

    config: SiteConfig
    today: dt.date
    strings: dict[str, dict[str, str]]
    cache: BuildCache
    templates_dir: "Theme"  # the site's theme (theme.py): `templates_dir / name` is the file it uses
    content_dir: Path
    cache_dir: Path | None = None  # the build cache's folder (ctx.cache keeps its pages under it)
    handouts: bool = True  # the site has PDF handouts, so pages link to them
    workers: int = 1
    progress: object | None = None  # progress.Progress on a terminal: what the build is doing
    stats: dict[str, float] = field(default_factory=dict)  # what the build did, for measuring: PDFs rendered, ...

    def date(self, day: dt.date, lang: str) -> str:
        """Return a date as readers of a language write it: 6 December 2026, 6 de diciembre de 2026."""
        return long_date(day, lang)


@functools.lru_cache(maxsize=4096)  # Babel takes half a millisecond a date; a site shows few dates, on many pages
def long_date(day: dt.date, lang: str) -> str:
    return format_date(day, format="long", locale=lang)


def make_context(options, config: SiteConfig, today: dt.date, cache: BuildCache) -> BuildContext:
    """Return the build context, or raise ContentError when a language has no interface strings."""
    strings = {lang: load_strings(options.templates_dir, lang) for lang in config.languages}
    return BuildContext(config, today, strings, cache, options.templates_dir, options.content_dir,
                        options.cache_dir, options.handouts, options.workers, options.progress)


def load_strings(templates_dir, lang: str) -> dict[str, str]:
    """Return the interface strings of one language from the theme's strings/<lang>.yml (a Theme or a folder).

    A site's own file may lack lines the default theme has (it was copied from an older version, or
    a line was deleted): those come from the default theme's file of the language, as a whole
    missing file would. A language the default theme does not have must have every line.
    """
    path = templates_dir / f"{STRINGS_DIR}/{lang}.yml"  # the site's own file, else the default theme's
    if not path.is_file():
        shown = display_path(path)
        raise ContentError(Diagnostic(shown, None, "strings.missing", f'there are no interface strings for "{lang}"',
                                      f"Copy templates/strings/en.yml to {shown} and translate each line."))
    default, english = (default_theme_dir() / STRINGS_DIR / f"{name}.yml" for name in (lang, "en"))
    if Path(path) == default:
        return _read_strings(path)
    reference = _read_strings(default if default.is_file() else english)
    strings = _read_strings(path, reference)
    if default.is_file():
        return {**reference, **strings}
    missing = [key for key in reference if key not in strings]
    if missing:
        listed = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise ContentError(Diagnostic(display_path(path), None, "strings.incomplete",
                                      f"the interface strings have no line for {listed}",
                                      f"Add those lines, translated, from the default theme's {display_path(english)}."))
    return strings


def _read_strings(path: Path, reference: dict[str, str] | None = None) -> dict[str, str]:
    """Read a strings file; with reference (the default theme's lines), each line may use only the
    {placeholders} its reference line uses: the build fills in those and no others."""
    shown = display_path(path)
    try:
        doc = parse_mapping(read_text(path))
    except YamlProblem as exc:
        raise ContentError(Diagnostic(shown, exc.line, "yaml", str(exc), exc.hint)) from None
    check = FieldCheck(shown, doc, default_line=1)
    strings = {key: check.text(doc.data, key, required=True) for key in doc.data}
    for key, text in strings.items():
        if text is not None and key in (reference or {}):
            _check_placeholders(check, key, text, placeholders(reference[key]) or set())
    check.raise_if_failed()
    return strings


def _check_placeholders(check: FieldCheck, key: str, text: str, allowed: set[str]) -> None:
    found = placeholders(text)
    known = ", ".join("{" + name + "}" for name in sorted(allowed))
    hint = (f"Keep the placeholders as the default theme's line has them: {known}, each in its braces."
            if allowed else "This line takes no {placeholder}: remove the braces.")
    if found is None:
        check.fail((key,), "strings.braces", f'"{key}" has a {{ or }} without its pair', hint)
    elif found - allowed:
        unknown = ", ".join("{" + name + "}" for name in sorted(found - allowed))
        check.fail((key,), "strings.placeholder", f'"{key}" uses {unknown}, which the build does not fill in', hint)
