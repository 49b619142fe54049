"""Find the content files on disk and read them as text (stage 1)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .diagnostics import ContentError, Diagnostic, Report, display_path

DATA_SUFFIXES = {".yml", ".yaml"}


@dataclass(frozen=True)
class SourceFile:
    """A file under content/<lang>/: a page (.md) or an asset such as an image."""

    path: Path
    rel: str
    lang: str

    @cached_property
    def shown(self) -> str:
        return display_path(self.path)

    @property
    def is_page(self) -> bool:
        return self.path.suffix == ".md"


def find_sources(content_dir: Path, languages, report: Report) -> list[SourceFile]:
    """Return every page and asset of each language, sorted, reporting unsafe links."""
    root = os.path.realpath(content_dir)
    found: list[SourceFile] = []
    for lang in languages:
        lang_dir = content_dir / lang
        if not lang_dir.is_dir():
            report.error(lang_dir, None, "lang.missing", f'there is no folder for the language "{lang}"',
                         f"Create {display_path(lang_dir)}/ with an index.md, or remove {lang} from languages in site.yml.")
            continue
        found.extend(_walk(lang_dir, lang, root, content_dir, report))
    return sorted(found, key=lambda s: s.rel)


def _walk(lang_dir: Path, lang: str, root: Path, content_dir: Path, report: Report):
    """Yield the files under lang_dir, following links to folders inside the content folder only."""
    base = os.fspath(content_dir)
    seen: set[str] = set()
    stack = [os.fspath(lang_dir)]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if not _inside(real, root):
            report.error(folder, None, "symlink.outside", "this folder is a link to a place outside the content folder",
                         "Copy the files into the content folder instead of linking to them.")
            continue
        if real in seen:  # a link loop: walk each real folder once
            continue
        seen.add(real)
        with os.scandir(folder) as listing:
            entries = [entry for entry in listing if not ignored(entry.name)]
        for entry in entries:
            if entry.is_dir():
                stack.append(entry.path)
            elif os.path.splitext(entry.name)[1] not in DATA_SUFFIXES:
                if entry.is_symlink() and not _inside(os.path.realpath(entry.path), root):
                    report.error(entry.path, None, "symlink.outside", "this file is a link to a file outside the content folder",
                                 "Copy the file into the content folder instead of linking to it.")
                    continue
                yield SourceFile(Path(entry.path), entry.path[len(base) + 1:].replace(os.sep, "/"), lang)


def ignored(name: str) -> bool:
    """Skip hidden files and editors' backup and lock files."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".tmp"))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a byte-order mark and Windows line endings are fine)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(Diagnostic(display_path(path), line, "encoding", f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                                      "Save the file as UTF-8 in your editor (in Word: Save As > Plain Text > UTF-8).")) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def unreadable(path: Path, exc: OSError) -> ContentError:
    """Return the error for a file that cannot be read (or went away while the build ran)."""
    return ContentError(Diagnostic(display_path(path), None, "read", f"the file cannot be read: {exc.strerror}",
                                   "Check that the file exists and that you may read it."))
