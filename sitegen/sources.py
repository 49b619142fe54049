"""Find the content files on disk and read them as text (stage 1)."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .diagnostics import ContentError, Diagnostic, Report, display_path

# In content/<lang>/, read by glossary.py, checks/jargon.py and signs.py.
DATA_FILES = {"glossary.yml", "jargon.yml", "warning-signs.yml"}
NOT_ORDINARY = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


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
    """Yield the files under lang_dir, following links inside the content folder only.

    Every file is checked here, data files too: a link out of the content folder and anything
    but an ordinary file (a FIFO would hang the build, a device never ends) are reported.
    """
    base = os.fspath(content_dir)
    seen: set[str] = set()
    stack = [os.fspath(lang_dir)]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if not _inside(real, root):
            report.add(outside(folder, "this folder is a link to a place outside the content folder"))
            continue
        if real in seen:  # a link loop: walk each real folder once
            continue
        seen.add(real)
        with os.scandir(folder) as listing:
            entries = [entry for entry in listing if not ignored(entry.name)]
        for entry in entries:
            if entry.is_dir():
                stack.append(entry.path)
                continue
            problem = _file_problem(entry, root)
            if problem:
                report.add(problem)
            elif not (folder == os.fspath(lang_dir) and entry.name in DATA_FILES):
                yield SourceFile(Path(entry.path), entry.path[len(base) + 1:].replace(os.sep, "/"), lang)


def _file_problem(entry: os.DirEntry, root: str) -> Diagnostic | None:
    """Return why a listed file cannot be content (a link out of the folder, a FIFO...), or None."""
    if entry.is_symlink() and not _inside(os.path.realpath(entry.path), root):
        return outside(entry.path)
    try:
        mode = entry.stat().st_mode  # of the file a link points to
    except OSError as exc:  # a link to nothing, or a file gone since the listing
        return unreadable(entry.path, exc).diagnostic
    what = not_ordinary(mode)
    return special(entry.path, what) if what else None


def ignored(name: str) -> bool:
    """Skip hidden files and editors' backup and lock files."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".tmp"))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def not_ordinary(mode: int) -> str | None:
    """Return what a file is when it is not an ordinary file ("a named pipe (FIFO)"...), else None."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in NOT_ORDINARY if test(mode)), "not an ordinary file")


def read_bytes(path: Path, root: Path | None = None) -> bytes:
    """Read a content file, refusing a link out of root and anything but an ordinary file.

    The file is opened without waiting (a FIFO would block) and checked once open, so what is
    read is what was checked.
    """
    if root is not None and not _inside(os.path.realpath(path), os.path.realpath(root)):
        raise ContentError(outside(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise unreadable(path, exc) from None
    with os.fdopen(fd, "rb") as f:
        what = not_ordinary(os.fstat(fd).st_mode)
        if what:
            raise ContentError(special(path, what))
        try:
            return f.read()
        except OSError as exc:
            raise unreadable(path, exc) from None


def read_text(path: Path, root: Path | None = None) -> str:
    """Read a UTF-8 text file (a byte-order mark and Windows line endings are fine); see read_bytes."""
    data = read_bytes(path, root)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(Diagnostic(display_path(path), line, "encoding", f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                                      "Save the file as UTF-8 in your editor (in Word: Save As > Plain Text > UTF-8).")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = CONTROL.search(text)
    if found:
        raise ContentError(Diagnostic(display_path(path), text.count("\n", 0, found.start()) + 1, "encoding",
                                      f"the file holds an invisible control character ({control_name(found.group())})",
                                      CONTROL_HINT))
    return text


# Characters no text shows (but tabs and line ends): they break HTML and the handouts alike.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_HINT = "Delete it: retype the words around it (it may have come with a copy and paste)."


def control_name(c: str) -> str:
    return f"U+{ord(c):04X}"


def unreadable(path: Path, exc: OSError) -> ContentError:
    """Return the error for a file that cannot be read (or went away while the build ran)."""
    return ContentError(Diagnostic(display_path(path), None, "read", f"the file cannot be read: {exc.strerror}",
                                   "Check that the file exists and that you may read it."))


def outside(path, message: str = "this file is a link to a file outside the content folder") -> Diagnostic:
    return Diagnostic(display_path(path), None, "symlink.outside", message,
                      "Copy it into the content folder instead of linking to it.")


def special(path, what: str) -> Diagnostic:
    return Diagnostic(display_path(path), None, "file.special", f"this is {what}, not an ordinary file",
                      "Remove it from the content folder: only ordinary files (pages, pictures, PDFs) can be content.")
