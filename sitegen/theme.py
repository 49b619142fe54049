"""The site's look: its own templates/ folder, if it has one, over the default theme, file by file.

The default theme ships inside the package as sitegen/default_theme/ (pyproject.toml maps it onto
this repository's templates/, its one copy); run from the source tree, it is templates/ itself. A
site overrides any file of it (a template, strings/<lang>.yml, a file of static/) by putting a
file of the same name in its own templates/ folder: the first folder that has a file wins, as
with MkDocs' custom_dir and Hugo's layout lookup (a strings file lacking a line takes that line from
the default's: context.load_strings).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

PACKAGE_THEME = Path(__file__).resolve().parent / "default_theme"  # in an installed sitegen
SOURCE_THEME = Path(__file__).resolve().parent.parent / "templates"  # in this repository
SITE_TEMPLATES = "templates"  # a site's own overrides, beside its content folder


def default_theme_dir() -> Path:
    """Return the folder of the default theme: the package's copy, or templates/ in the source tree."""
    return PACKAGE_THEME if PACKAGE_THEME.is_dir() else SOURCE_THEME


@dataclass(frozen=True)
class Theme:
    """The theme folders of one site, the site's own first; each file is taken from the first that has it.

    `theme / "handout.typ"` is the file the site uses for that name, so code written for a single
    templates folder (`templates_dir / name`) reads the right file.
    """

    dirs: tuple[Path, ...]

    @classmethod
    def over_default(cls, own: Path | None = None) -> "Theme":
        """Return the theme of a site whose own templates folder is own (None: the default alone)."""
        folders = [Path(own)] if own is not None else []
        default = default_theme_dir()
        if not any(_same(folder, default) for folder in folders):
            folders.append(default)
        return cls(tuple(folders))

    @property
    def own(self) -> Path:
        """Return the folder a site puts its own files in: the first."""
        return self.dirs[0]

    def __truediv__(self, name: str) -> Path:
        """Return the file used for name (posix path inside the theme): the first folder's that has it.

        When no folder has it, the path it would have in the site's own folder, for the message.
        """
        for folder in self.dirs:
            if (folder / name).exists():
                return folder / name
        return self.own / name

    def __str__(self) -> str:
        return str(self.own)

    def files(self, sub: str = "", pattern: str = "**/*") -> dict[str, Path]:
        """Return {path inside sub: file} of every file under sub in any folder, the first folder's winning."""
        found: dict[str, Path] = {}
        for folder in self.dirs:
            root = folder / sub
            if root.is_dir():
                for path in sorted(p for p in root.glob(pattern) if p.is_file()):
                    found.setdefault(path.relative_to(root).as_posix(), path)
        return dict(sorted(found.items()))

    def templates(self) -> dict[str, Path]:
        """Return {name: file} of the page templates (*.html at the top of each folder)."""
        return self.files("", "*.html")

    def loader(self) -> jinja2.BaseLoader:
        """Return the Jinja loader: the folders searched in order, stopping at the first that has a template."""
        return jinja2.FileSystemLoader([str(folder) for folder in self.dirs])


def site_theme(templates: Path | Theme | None, content_dir: Path) -> Theme:
    """Return the theme of a build: --templates DIR, else the templates/ folder beside the content, over the default."""
    if isinstance(templates, Theme):
        return templates
    if templates is None:
        own = Path(content_dir).parent / SITE_TEMPLATES
        templates = own if own.is_dir() else None
    return Theme.over_default(templates)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
