"""Characters the handouts cannot print, named at their lines.

The handouts have one font (DejaVu Sans, in the theme's fonts/). Typst refuses a handout holding a
character it lacks, such as an emoji, without saying which file holds it. So when a handout fails,
every file whose text a handout prints is read, and each such character is named at its line
(only then: reading the font's characters costs a twentieth of a second); `check` reads them too.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from .context import STRINGS_DIR, BuildContext
from .diagnostics import ERROR, Diagnostic, display_path
from .glossary import GLOSSARY_FILE
from .model import Site
from .signs import SIGNS_FILE
from .sources import read_text

ALWAYS_FINE = {"\n", "\t"}  # layout, not glyphs


@functools.cache
def font_chars(fonts_dir: str) -> frozenset[str]:
    """Return every character some font of the folder can draw."""
    from fontTools.ttLib import TTFont  # here: only a failed build pays for it

    chars: set[str] = set()
    for path in sorted(Path(fonts_dir).glob("*.ttf")):
        with TTFont(path, lazy=True) as font:
            chars.update(chr(code) for code in font.getBestCmap())
    return frozenset(chars)


def printed_files(site: Site, ctx: BuildContext) -> list[Path]:
    """Return the files whose text the handouts print: the pages with a handout, the settings, each
    language's glossary and warning signs, and the interface strings."""
    content = ctx.content_dir
    files = [page.source.path for page in site.pages if page.meta.handout] + [content / "site.yml"]
    for lang in site.config.languages:
        files += [content / lang / GLOSSARY_FILE, content / lang / SIGNS_FILE,
                  ctx.templates_dir / f"{STRINGS_DIR}/{lang}.yml"]
    return [Path(path) for path in files if path.is_file()]


def unprintable(files: list[Path], fonts_dir: Path, severity=ERROR) -> list[Diagnostic]:
    """Return an error (or a warning, for `check`) for each line of the files that holds a character
    the handouts' font lacks."""
    drawable = font_chars(str(fonts_dir))
    problems = []
    for path in files:
        for number, line in enumerate(read_text(path).split("\n"), 1):
            if line.lstrip().startswith("#") and path.suffix == ".yml":
                continue  # a YAML comment is never printed
            missing = sorted({c for c in line if c not in drawable and c not in ALWAYS_FINE}, key=line.index)
            if missing:
                problems.append(_problem(path, number, missing, severity))
    return problems


def _problem(path: Path, line: int, missing: list[str], severity) -> Diagnostic:
    named = ", ".join(f'"{c}" ({_name(c)})' for c in missing[:3])
    return Diagnostic(display_path(path), line, "handout.glyph",
                      f"the handouts cannot print {named}: their font, DejaVu Sans, does not have it",
                      "Write it in words or leave it out (the web page would show it, the handout cannot), or "
                      "build with --no-handouts to publish the web pages meanwhile.", severity)


def _name(c: str) -> str:
    return f"U+{ord(c):04X} {unicodedata.name(c, 'a control character' if unicodedata.category(c) == 'Cc' else '')}".strip()
