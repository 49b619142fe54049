"""Write the site into a staging folder and publish it in one step (stage 6).

The staging folder is not built from nothing each time: it is the site as the build before last
left it (kept beside the output, in .<name>.sitegen/spare), and a manifest of what each file holds
says which files can stay. So a rebuild writes only what changed, and publishing swaps the two
folders: the output folder is never half-written, and after a failed build it is untouched.
"""

from __future__ import annotations

import ctypes
import errno
import fnmatch
import hashlib
import os
import posixpath
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import Collection

from .diagnostics import OutputError, display_path

# What the spare folder holds, a line per file (file, content id, size, mtime_ns) or per folder
# written as a whole (folder/, content id); and the same for the published folder.
SPARE_MANIFEST = "spare.manifest"
SITE_MANIFEST = "site.manifest"
# In the output (so in the spare too) and in the state folder: sitegen made this folder, and a build
# may replace all it holds. A build writes only into a folder that is missing, empty or marked.
MARK = ".sitegen"
MARK_TEXT = b"Made by sitegen: every build replaces what this folder holds. Keep no files of your own here.\n"
# The names a state folder holds: one holding nothing else is ours, mark or not (earlier versions made none).
STATE_NAMES = ("spare", "spare.swap", "old-*", "*.manifest", ".*.manifest.*", MARK)


def remove_later(folder: Path) -> None:
    """Delete a folder in a background process: removing thousands of files need not delay the build."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def write_failed(exc: OSError, out_dir: Path) -> OutputError:
    """Return the error for a file or folder of the output that could not be written, with what to do."""
    where = display_path(exc.filename or out_dir)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        hint = "The disk is full (or the file is larger than allowed): free some space, then build again."
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "You may not write there: give --out a folder you can write, or change the folder's permissions."
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        hint = "A file stands where a folder is needed (or the other way round): move it, or give --out another folder."
    elif exc.errno == errno.EBUSY:  # a mount point folders.is_mount_point() could not see (no mount table)
        hint = "The output folder is a mount point or in use: give --out a folder inside it, or mount the folder above it."
    else:
        hint = "Check that the folder can be written and that the disk has space, then build again."
    return OutputError(f"cannot write {where}: {exc.strerror or exc}", hint + " The published site is unchanged.")


class Staging:
    """The next site, assembled in the spare folder until publish() swaps it in."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir.resolve()
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise OutputError(f"{out_dir} exists and is not a folder")
        self.state = state_folder(self.out_dir)
        self.root = self.state / "spare"
        self.written: dict[str, str | None] = {}  # rel -> content id of every output of this build
        self.kept: dict[str, tuple[str, int, int]] = {}  # files already in the spare that may stay, by rel
        self.trees: dict[str, str] = {}  # folders written as a whole (the search index) -> their id
        self._found: dict[str, tuple[int, int]] = {}  # every file in the spare before this build
        self._old_trees: dict[str, str] = {}
        self._prepare()

    def _prepare(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        if not is_marked(self.state):
            (self.state / MARK).write_bytes(MARK_TEXT)  # half-written, it is still a name state folders hold
        files, trees = _read_manifest(self.state / SPARE_MANIFEST)
        (self.state / SPARE_MANIFEST).unlink(missing_ok=True)  # the spare is about to change
        found = _scan(self.root) if files and self.root.is_dir() else None
        if found is None:  # no spare, no manifest, or a link in it: start from an empty folder
            if self.root.exists():
                trash = Path(tempfile.mkdtemp(prefix="old-", dir=self.state))
                os.rename(self.root, trash / "spare")
                remove_later(trash)
            self.root.mkdir()
            found = {}
        self.root.chmod(0o755)  # a web server must read the published site
        self._found = found
        # A file stays only when it is still as the manifest describes it (same size and time).
        self.kept = {rel: entry for rel, entry in files.items() if found.get(rel) == entry[1:]}
        self._old_trees = trees
        self.write_bytes(MARK, MARK_TEXT)  # the site is ours: the next build may replace it

    def claim(self, rel: str, content_id: str | None) -> bool:
        """Record rel as an output of this build; return True when it must be (re)written."""
        if rel.startswith("/") or posixpath.normpath(rel) != rel or rel.split("/")[0] == "..":
            raise OutputError(f"refusing to write outside the output folder: {rel}")
        if rel in self.written:
            raise OutputError(f"two outputs would be written to {rel}")
        self.written[rel] = content_id
        old = self.kept.get(rel)
        return content_id is None or old is None or old[0] != content_id

    def path(self, rel: str) -> Path:
        """Return where rel goes in the staging folder, its folder made."""
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_bytes(self, rel: str, data: bytes) -> None:
        if self.claim(rel, hashlib.sha256(data).hexdigest()):
            self.write_file(rel, data)

    def write_file(self, rel: str, data: bytes) -> None:
        """Write data at rel, already claimed (worker processes use this for the pages they render).

        Written in place: the spare folder is not published, and a build that fails leaves it
        without a manifest, so the next build starts it afresh.
        """
        target = self.path(rel)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            target.unlink()  # a new file, never a write into one that another folder may share
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            with os.fdopen(fd, "wb") as f:
                os.fchmod(fd, 0o644)  # whatever the umask: a web server must read the site
                f.write(data)
        except OSError as exc:  # a full disk: say which file
            raise OSError(exc.errno, exc.strerror, str(target)) from None

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def copy(self, rel: str, source: Path) -> None:
        self.write_bytes(rel, source.read_bytes())

    def tree(self, rel: str, content_id: str, fill, coming: Collection[str] = ()) -> "Filling":
        """Have the folder rel hold what fill(folder) writes, calling it only when content_id changed.

        fill sees the site as it will be published (the search index reads the pages), so the files
        this build did not write are removed first, but for those named in coming: outputs still to
        be written, which fill does not read (the PDFs, and the Handouts pages once it is done). fill
        may go on working in the background and return what it is doing, with wait() and stop(): the
        Filling returned waits for it.
        """
        prefix = rel + "/"
        self._remove_stale(keep=lambda name: name.startswith(prefix) or name in coming)
        old = [name for name in self._found if name.startswith(prefix)]
        intact = old and all(name in self.kept for name in old)
        running = None
        if not (intact and self._old_trees.get(rel) == content_id):
            shutil.rmtree(self.root / rel, ignore_errors=True)
            running = fill(self.root / rel)
        return Filling(self, rel, content_id, running)

    def publish(self) -> None:
        """Delete what this build did not write, then swap the staging folder and the output folder."""
        self._remove_stale()
        files = self._describe()
        site_manifest = self.state / SITE_MANIFEST
        if self.out_dir.is_dir():
            _same_access(self.out_dir, self.root)  # the folder's permissions are the user's, not the build's
            _exchange(self.root, self.out_dir)  # the old site becomes the spare for the next build
            if site_manifest.exists():
                os.replace(site_manifest, self.state / SPARE_MANIFEST)
        else:
            os.rename(self.root, self.out_dir)
        _write_manifest(site_manifest, files, self.trees)

    def discard(self) -> None:
        """Leave the output folder as it was; the spare, now unlisted, is rebuilt next time."""

    def _remove_stale(self, keep=None) -> None:
        """Delete the files of the spare folder that this build has not written (so far), but those keep(rel) names."""
        for rel in sorted(set(self._found) - set(self.written), reverse=True):
            if keep and keep(rel):
                continue
            self.kept.pop(rel, None)  # gone: written again if an output claims it after all
            path = self.root / rel
            path.unlink(missing_ok=True)
            del self._found[rel]
            for parent in path.parents:  # and the folders this leaves empty
                if parent == self.root:
                    break
                try:
                    parent.rmdir()
                except OSError:
                    break

    def _describe(self) -> dict[str, tuple]:
        """Return {rel: (content id, size, mtime_ns)} of every file written or kept."""
        files = {}
        for rel, content_id in self.written.items():
            old = self.kept.get(rel)
            if old is not None and old[0] == content_id and content_id is not None:
                files[rel] = old
                continue
            st = os.lstat(self.root / rel)
            files[rel] = (content_id, st.st_size, st.st_mtime_ns)
        return files


class Filling:
    """A folder being filled (Staging.tree): done() waits for it and records its files; stop() gives up."""

    def __init__(self, staging: Staging, rel: str, content_id: str, running):
        self.staging, self.rel, self.content_id, self.running = staging, rel, content_id, running

    def done(self) -> None:
        if self.running is not None:
            self.running.wait()
            self.running = None
        root = self.staging.root
        for path in sorted((root / self.rel).rglob("*")):
            if path.is_file():
                self.staging.written[path.relative_to(root).as_posix()] = None
        self.staging.trees[self.rel] = self.content_id

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop()
            self.running = None


def state_folder(out_dir: Path) -> Path:
    """Return the folder beside the output that holds its spare folder and manifests."""
    out_dir = out_dir.resolve()
    return out_dir.parent / f".{out_dir.name}.sitegen"


def is_marked(folder: Path) -> bool:
    """Return True when folder holds sitegen's mark (a file, not a link)."""
    mark = folder / MARK
    try:
        if mark.is_symlink() or not mark.is_file():  # a regular file only: reading a FIFO would wait forever
            return False
        with open(mark, "rb") as f:
            return f.read(len(MARK_TEXT)) == MARK_TEXT
    except OSError:
        return False


def foreign_in_state(folder: Path) -> list[str]:
    """Return the names in a state folder that sitegen did not make (none when it is marked)."""
    if is_marked(folder):
        return []
    return [name for name in sorted(os.listdir(folder))
            if not any(fnmatch.fnmatchcase(name, pattern) for pattern in STATE_NAMES)]


def foreign_in_output(out_dir: Path) -> list[str]:
    """Return the files in an output folder that sitegen did not write.

    The site manifest lists every file the last build published. In a marked output any other file
    (or link) is the user's; an output an earlier version built, without the mark, is ours only
    where each file is as the manifest describes it. A marked output without a manifest (the state
    folder was deleted) is taken whole: nothing tells its files apart.
    """
    marked = is_marked(out_dir)
    files, _ = _read_manifest(state_folder(out_dir) / SITE_MANIFEST)
    if marked and not files:
        return []
    if marked:
        return [rel for rel, link in _entries(out_dir) if link or rel not in files]  # no build writes a link
    found = _scan(out_dir) if files else None
    if found is None:  # no manifest, or a link in the folder
        return sorted(os.listdir(out_dir))
    return sorted(rel for rel, stat in found.items() if rel not in files or files[rel][1:] != stat)


def _entries(root: Path) -> list[tuple[str, bool]]:
    """Return (path relative to root, whether it is a link) of every file and link under root."""
    found = []
    for folder, dirs, names in os.walk(root):
        for name in dirs + names:
            path = os.path.join(folder, name)
            if os.path.islink(path) or name in names:
                found.append((os.path.relpath(path, root).replace(os.sep, "/"), os.path.islink(path)))
    return sorted(found)


def published_ids(out_dir: Path) -> dict[str, str | None]:
    """Return {file: content id} of the published site, as its manifest records it ({} without one)."""
    files, trees = _read_manifest(state_folder(out_dir) / SITE_MANIFEST)
    return {**{rel: entry[0] for rel, entry in files.items()}, **{rel + "/": i for rel, i in trees.items()}}


def _scan(root: Path) -> dict[str, tuple[int, int]] | None:
    """Return {rel: (size, mtime_ns)} of every file under root, or None when root holds a link."""
    found = {}
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    return None
                if entry.is_dir():
                    stack.append((prefix + entry.name + "/", entry.path))
                else:
                    st = entry.stat()
                    found[prefix + entry.name] = (st.st_size, st.st_mtime_ns)
    return found


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file under a temporary name and rename it into place, so no reader sees half of it."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)
        raise


def _same_access(source: Path, target: Path) -> None:
    """Give target the owner, group and permissions of source, as far as this user may."""
    st, made = source.stat(), target.stat()
    for uid in (st.st_uid, -1):  # only root may give a folder away; a member of its group may give it that group
        try:
            os.chown(target, uid, st.st_gid)
            break
        except PermissionError:
            continue
    if target.stat().st_gid != st.st_gid and st.st_gid != made.st_gid:
        return  # a mode meant for that group would shut its members out: keep the folder as it was made
    os.chmod(target, stat.S_IMODE(st.st_mode))  # after chown, which may clear the set-group-ID bit


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders: in one step where Linux can (renameat2 RENAME_EXCHANGE), else in three renames."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.renameat2(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0:  # AT_FDCWD, RENAME_EXCHANGE
            return
    except (OSError, AttributeError):
        pass
    middle = a.with_name(a.name + ".swap")
    os.rename(b, middle)
    os.rename(a, b)
    os.rename(middle, a)


def _read_manifest(path: Path) -> tuple[dict[str, tuple], dict[str, str]]:
    """Return ({file: (content id, size, mtime_ns)}, {folder: content id}); empty when missing or damaged."""
    files, trees = {}, {}
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            rel, content_id, *stat = line.split("\t")
            if rel.endswith("/"):
                trees[rel[:-1]] = content_id
            else:
                files[rel] = (content_id or None, int(stat[0]), int(stat[1]))
    except (OSError, ValueError, IndexError):
        return {}, {}
    return files, trees


def _write_manifest(path: Path, files: dict[str, tuple], trees: dict[str, str]) -> None:
    lines = [f"{rel}/\t{content_id}" for rel, content_id in sorted(trees.items())]
    lines += [f"{rel}\t{content_id or ''}\t{size}\t{mtime}" for rel, (content_id, size, mtime) in sorted(files.items())]
    try:
        write_atomic(path, "\n".join(lines).encode("utf-8"))
    except OSError:
        pass  # without a manifest the next build starts from an empty folder: slower, never wrong
