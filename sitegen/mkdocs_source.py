"""Read an MkDocs project for `import`: its docs folder, site name and address, and its nav.

mkdocs.yml often holds tags only MkDocs understands (!!python/name:..., !ENV, !relative): they
are read as empty values, since import needs none of them. A folder without mkdocs.yml is taken
as the docs folder itself.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONFIG = "mkdocs.yml"


class SourceProblem(Exception):
    """The folder to import cannot be read; the message says why, the hint what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


@dataclass
class MkDocsSource:
    """What import takes from an MkDocs project."""

    docs: Path
    site_name: str | None = None
    site_url: str | None = None
    nav_titles: dict[str, str] = field(default_factory=dict)  # page (docs-relative) -> its title in the nav
    nav_order: dict[str, int] = field(default_factory=dict)  # page -> its place in the nav, from 1
    section_titles: dict[str, str] = field(default_factory=dict)  # folder -> the nav section its pages are in


class _Lenient(yaml.SafeLoader):
    """YAML as MkDocs writes it: any tag the safe loader does not know reads as an empty value."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def read_source(folder: Path) -> MkDocsSource:
    """Return the docs folder and the settings import uses, or raise SourceProblem."""
    if not folder.is_dir():
        raise SourceProblem(f"{folder} is not a folder", "Give the MkDocs project folder (with mkdocs.yml), or its docs/ folder.")
    config_path = folder / CONFIG
    if not config_path.is_file():
        return MkDocsSource(folder)
    try:
        config = yaml.load(config_path.read_text(encoding="utf-8-sig"), Loader=_Lenient) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f"{config_path}:{line + 1}" if line is not None else str(config_path)
        raise SourceProblem(f"{where}: mkdocs.yml cannot be read ({getattr(exc, 'problem', None) or exc})",
                            "Fix mkdocs.yml so that MkDocs itself can read it, or give the docs/ folder instead.") from None
    if not isinstance(config, dict):
        raise SourceProblem(f"{config_path}: mkdocs.yml holds no settings", "Give the docs/ folder instead.")
    docs = (folder / str(config.get("docs_dir") or "docs")).resolve()
    if not docs.is_dir():
        raise SourceProblem(f"the docs folder {docs} named by {config_path} does not exist",
                            "Check docs_dir in mkdocs.yml, or give the docs folder itself.")
    source = MkDocsSource(docs, _text(config.get("site_name")), _text(config.get("site_url")))
    _read_nav(source, config.get("nav"))
    return source


def _read_nav(source: MkDocsSource, nav) -> None:
    for number, (page, title, sections) in enumerate(_flatten(nav), start=1):
        page = posixpath.normpath(page.lstrip("/"))
        source.nav_order.setdefault(page, number)
        if title:
            source.nav_titles.setdefault(page, title)
        if sections:
            source.section_titles.setdefault(posixpath.dirname(page), sections[-1])


def _flatten(items, sections: tuple[str, ...] = ()):
    """Yield (page, its nav title or None, the sections it is in) for each page of the nav, in order."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            if "://" not in item:
                yield item, None, sections
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str) and "://" not in value:
                    yield value, _text(title), sections
                elif isinstance(value, list):
                    yield from _flatten(value, sections + (_text(title) or "",))


def _text(value) -> str | None:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) and str(value).strip() else None
