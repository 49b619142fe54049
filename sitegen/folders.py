"""Which folders a command may write: the output, the state folder beside it, the cache, a report.

A build replaces everything in its output folder and may delete anything in its state folder and
cache, so each must be ours: missing, empty, or marked as made by sitegen. Anything else is refused
before a file is touched, and so are the folders a build reads (content, templates), the folders
holding them, the current folder, the home folder and /.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .diagnostics import OutputError, display_path
from .write import foreign_in_output, foreign_in_state, is_marked, state_folder

# The cache's mark, after the Cache Directory Tagging standard (backup tools skip such folders).
CACHE_TAG = "CACHEDIR.TAG"
CACHE_TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                  "# This file is a cache directory tag created by sitegen (its build cache).\n"
                  "# For information about cache directory tags, see https://bford.info/cachedir/\n")
REPORT_MARK = b"<title>Content check: "  # in the first lines of every report `check` writes


# What each place is for, as the refusals say it, and what to do instead.
OUTPUT = ("build into {}", "A build replaces everything in its output folder: give --out a new or empty folder "
          "of its own, for example --out site.")
OWN_OUTPUT = ("build into {}", "A build replaces everything in its output folder, so it would delete them: "
              "move them out of it first (the site's own pictures and documents go in content/).")
STATE = ("keep the spare copy of the site in {}", "The build keeps this folder beside the output and deletes what "
         "it holds: move those files away, or give --out another folder.")
CACHE = ("use {} as the build cache", "The build deletes old entries in its cache: give --cache-dir a new or empty "
         "folder of its own (the default is .cache/sitegen).")
REPORT = ("write the report to {}", "Give --report a new file name outside the content and templates folders, "
          "for example --report check-report.html.")


def check_build_folders(options) -> None:
    """Raise OutputError, saying why and what to do, unless the build may write its output, state folder and cache."""
    out, reads = Path(options.out_dir), (options.content_dir, options.templates_dir)
    refuse_place(out, OUTPUT, *reads)
    refuse_unless_ours(out, OWN_OUTPUT if is_marked(out) else OUTPUT, foreign_in_output)
    if out.is_dir() and is_mount_point(out):  # a disk, a container's volume, a bind mount: it cannot be swapped
        refuse(OUTPUT, out, "it is a mount point, and a build publishes by swapping the output folder for the new site",
               f"Give --out a folder inside it, for example --out {display_path(out / 'public')}, or mount the folder above it.")
    refuse_unless_ours(state_folder(out), STATE, foreign_in_state)
    if options.cache_dir is not None:
        check_cache(Path(options.cache_dir), *reads)
        real, cache = out.resolve(), Path(options.cache_dir).resolve()
        if real.is_relative_to(cache) or cache.is_relative_to(real) or cache.is_relative_to(state_folder(real)):
            refuse(OUTPUT, out, f"it overlaps the build cache {display_path(cache)}/",
                   "Give --out and --cache-dir two separate folders.")


MOUNT_TABLE = Path("/proc/self/mountinfo")  # Linux: every mount point, bind mounts included


def is_mount_point(folder: Path) -> bool:
    """True for a mount point. ismount() compares the folder's disk with its parent's, so it misses
    a folder bind-mounted from the same disk; Linux's table of mounts lists that one too."""
    real = folder.resolve()
    return os.path.ismount(real) or str(real) in mount_points()


def mount_points() -> set[str]:
    """Return the mount points in Linux's mount table (the fifth field, a space written \\040), as
    Python names paths (os.fsdecode), or none where there is no such table."""
    try:
        lines = MOUNT_TABLE.read_bytes().splitlines()
    except OSError:
        return set()
    unescape = lambda m: bytes([int(m.group(1), 8)])  # noqa: E731
    return {os.fsdecode(_OCTAL.sub(unescape, fields[4])) for fields in map(bytes.split, lines) if len(fields) > 4}


_OCTAL = re.compile(rb"\\([0-7]{3})")


def check_cache(cache: Path, content_dir: Path, templates_dir) -> None:
    """Raise OutputError unless the build may use cache as its cache folder."""
    refuse_place(cache, CACHE, content_dir, templates_dir)
    refuse_unless_ours(cache, CACHE, _foreign_in_cache)


def mark_cache(cache: Path | None) -> None:
    """Make the cache folder with its tag, so later builds know it as ours; a cache is optional."""
    if cache is None:
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if not _tagged(cache):
            (cache / CACHE_TAG).write_text(CACHE_TAG_TEXT, encoding="utf-8")
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower


def check_report_file(path: Path, content_dir: Path, templates_dir) -> None:
    """Raise OutputError unless `check --report` may write path: a new file or an earlier report, outside what builds read."""
    refuse_place(path, REPORT, content_dir, templates_dir)
    if path.is_dir():
        refuse(REPORT, path, "it is a folder")
    if path.exists() and REPORT_MARK not in _head(path):
        refuse(REPORT, path, "the file is there and is not a check report")


def refuse_place(path: Path, role: tuple[str, str], content_dir: Path, templates_dir) -> None:
    """Raise OutputError when path is, holds or is inside a folder no command may write into."""
    real, kept = path.resolve(), _kept_folders(content_dir, templates_dir)
    reason = next((f"it is {name}" for name, folder in kept if real == folder), None)
    reason = reason or next((f"it is inside {name}" for name, folder in kept
                             if name in ("the content folder", "the templates folder") and real.is_relative_to(folder)), None)
    reason = reason or next((f"it holds {name}" for name, folder in kept if folder.is_relative_to(real)), None)
    if reason is None:
        first = next(p for p in (real, *real.parents) if p.exists() or p.is_symlink())
        if first != real and not first.is_dir():
            reason = f"{display_path(first)} is a file, not a folder"
    if reason:
        refuse(role, path, reason)


def refuse_unless_ours(folder: Path, role: tuple[str, str], foreign) -> None:
    """Raise OutputError when folder exists and foreign(folder) names files sitegen did not make in it."""
    if not folder.exists() and not folder.is_symlink():
        return
    if not folder.is_dir():
        refuse(role, folder, "it is not a folder")
    names = foreign(folder)
    if names:
        listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        refuse(role, folder, f"it holds files sitegen did not make ({listed})")


def refuse(role: tuple[str, str], path: Path, reason: str, hint: str = "") -> None:
    action, role_hint = role
    raise OutputError(f"refusing to {action.format(display_path(path))}: {reason}",
                      f"{hint or role_hint} Nothing was written.")


def inside(path: Path, folder: Path) -> bool:
    """Return True when path is in folder, links followed."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def _foreign_in_cache(folder: Path) -> list[str]:
    # Untagged, nothing in it is known to be ours: folder names alike ("handouts/") prove nothing.
    return [] if _tagged(folder) else sorted(os.listdir(folder))


def _tagged(folder: Path) -> bool:
    return _head(folder / CACHE_TAG).startswith(CACHE_TAG_TEXT.encode())


def _head(path: Path) -> bytes:
    """Return the first 4 KB of a regular file; nothing for a link, a folder or a FIFO (reading it would wait)."""
    try:
        if path.is_symlink() or not path.is_file():
            return b""
        with open(path, "rb") as f:
            return f.read(4096)
    except OSError:
        return b""


def _kept_folders(content_dir: Path, templates_dir) -> list[tuple[str, Path]]:
    """Return (name, folder) of the folders no command may write into, links followed.

    templates_dir is a folder or a Theme: then each of its folders (the site's own, the default theme).
    """
    themes = getattr(templates_dir, "dirs", None) or (templates_dir,)
    kept = [("the content folder", Path(content_dir)), *(("the templates folder", Path(t)) for t in themes),
            ("the current folder", Path.cwd()), ("the root of the file system", Path("/"))]
    try:
        kept.append(("your home folder", Path.home()))
    except (RuntimeError, KeyError):  # no home folder known
        pass
    return [(name, folder.resolve()) for name, folder in kept]
