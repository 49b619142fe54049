"""When each page's text last changed: the date every page shows, from the content, never the build's clock.

The rule, page by page (the README's "Dates" section says the same):

1. The content folder is in a git work tree and git tracks the page's file:
   - the page's text (what translations.fingerprint covers: title, description, key points,
     sources, body) is as last committed: the date of the oldest commit since which the text has
     stayed the same, following the file through renames. A commit that changed only other
     fields (a review sign-off, a translation record, a menu title) or moved the file does not
     move the date;
   - the text differs from the last commit, or the file is not committed yet: the build's date
     (today in the site's calendar, or SOURCE_DATE_EPOCH), since the text is being changed now.
2. Otherwise the page's `updated:` date, when it has one.
3. Otherwise the date of a review that covers the current text.
4. Otherwise nothing: the page shows no date, and `check` notes it.

Commit times are read as dates in the site's time zone. The same repository, content and
SOURCE_DATE_EPOCH give the same dates, so builds stay byte-identical. git is asked three
questions per build (where the work tree is, which files differ, the commits that touched the
content), plus one process that reads old versions of the pages until their text differs.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

from .frontmatter import split_front_matter
from .fields import FieldCheck
from .schema import check_meta
from .today import date_at
from .translations import fingerprint
from .yamltext import parse_mapping

GIT_TIMEOUT = 60  # seconds for one git command; a slower git is treated as no git


def assign_changed(site, content_dir: Path, today: dt.date) -> None:
    """Set page.changed for every page of the site, by the rule above."""
    history = GitHistory.open(content_dir, site.config.timezone, site.config.review_interval_months)
    site.in_git = history is not None
    try:
        for page in site.pages:
            page.changed = changed_date(page, history, today)
    finally:
        if history:
            history.close()


def changed_date(page, history: "GitHistory | None", today: dt.date) -> dt.date | None:
    """Return when the page's text last changed, or None when nothing can tell."""
    if history and history.tracks(page.source.path):
        return history.text_since(page.source.path, fingerprint(page.meta, page.body)) or today
    if page.meta.updated:
        return page.meta.updated
    if page.review.covers_text:
        return page.review.reviewed
    return None


def saved_date(page, before: dt.date | None, text_changed: bool, in_git: bool, today: dt.date) -> dt.date | None:
    """Return the date of a page just saved in the preview, as the full build will find it, without git."""
    if in_git:
        return today if text_changed else before
    return changed_date(page, None, today)


class GitHistory:
    """The commits that touched a content folder, and the text of a page at each of them."""

    def __init__(self, top: Path, zone: str, months: int, log: list[tuple[str, int, dict[str, str]]],
                 dirty: set[str]):
        self.top, self.zone, self.months = top, zone, months
        self.log = log  # newest first: (commit, commit time, {path from the top: its path before, for a rename})
        self.known = {path for *_, changes in log for path in changes}
        self.dirty = dirty  # paths whose file differs from the last commit, or that git does not track yet
        self._reader: subprocess.Popen | None = None

    @classmethod
    def open(cls, content_dir: Path, zone: str, months: int) -> "GitHistory | None":
        """Return the history of content_dir, or None when it is not in a git work tree (or there is no git)."""
        if shutil.which("git") is None:
            return None
        top = _git(content_dir, "rev-parse", "--show-toplevel")
        if not top:
            return None
        top_path = Path(top.strip())
        folder = os.path.relpath(os.path.realpath(content_dir), os.path.realpath(top_path))
        log = _git(top_path, "log", "--format=%x00%H %ct", "--name-status", "-M", "-z", "--", folder)
        status = _git(top_path, "status", "--porcelain", "-z", "--untracked-files=all", "--", folder)
        if log is None or status is None:
            return None
        return cls(top_path, zone, months, _parse_log(log), _parse_status(status))

    def tracks(self, path: Path) -> bool:
        """True when git knows this file: committed, or new in the work tree (ignored files it does not)."""
        rel = self._rel(path)
        return rel in self.known or rel in self.dirty

    def text_since(self, path: Path, current: str) -> dt.date | None:
        """Return the date since which the committed text has been `current`, None when it differs now."""
        versions = self._versions(self._rel(path))
        if not versions or (self._rel(path) in self.dirty and self._fingerprint(*versions[0][::2]) != current):
            return None
        since = None
        for commit, seconds, name in versions:
            if self._fingerprint(commit, name) != current:
                break
            since = seconds
        return date_at(since, self.zone) if since is not None else None

    def _versions(self, rel: str) -> list[tuple[str, int, str]]:
        """Return the commits that changed the file, newest first, each with the file's name then."""
        versions, name = [], rel
        for commit, seconds, changes in self.log:
            if name in changes:
                versions.append((commit, seconds, name))
                name = changes[name]
        return versions

    def close(self) -> None:
        if self._reader:
            self._reader.stdin.close()
            self._reader.wait()
            self._reader = None

    def _rel(self, path: Path) -> str:
        return Path(os.path.relpath(os.path.realpath(path), os.path.realpath(self.top))).as_posix()

    def _fingerprint(self, commit: str, rel: str) -> str | None:
        """Return the text fingerprint of the page as it was in commit, None when it was not a page then."""
        text = self._read(f"{commit}:{rel}")
        if text is None:
            return None
        try:
            split = split_front_matter(text, rel)
            doc = parse_mapping(split.meta_text, first_line=2)
            meta = check_meta(FieldCheck(rel, doc, default_line=1), doc.data, self.months)
        except Exception:  # noqa: BLE001  an old version that no longer reads as a page is another text
            return None
        return fingerprint(meta, split.body)

    def _read(self, name: str) -> str | None:
        """Return a file's text at a commit, through one `git cat-file --batch` kept open."""
        if self._reader is None:
            self._reader = subprocess.Popen(["git", "-C", str(self.top), "cat-file", "--batch"],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._reader.stdin.write(name.encode("utf-8") + b"\n")
        self._reader.stdin.flush()
        header = self._reader.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            return None
        data = self._reader.stdout.read(int(header[2]) + 1)[:-1]  # the blob, then a newline
        return data.decode("utf-8-sig", errors="replace")


def _git(folder: Path, *args: str) -> str | None:
    """Return a git command's output, or None when it fails (not a work tree, an unsafe owner, no commits)."""
    try:
        done = subprocess.run(["git", "-c", "core.quotePath=off", "-C", str(folder), *args],
                              capture_output=True, timeout=GIT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def _parse_log(text: str) -> list[tuple[str, int, dict[str, str]]]:
    """Read `git log --format=%x00%H %ct --name-status -M -z`: each commit, then the files it changed.

    Each changed file maps to its name before the commit: itself, or the old name of a rename.
    With -z the fields are NUL-separated: "\0<id> <time>\n", then status, path (a rename: old, new).
    """
    log, fields, index = [], text.split("\0"), 0
    while index < len(fields):
        field = fields[index].strip("\n")
        index += 1
        if " " in field and len(field.split()[0]) >= 40:  # a commit line: "<id> <time>"
            commit, seconds = field.split()
            log.append((commit, int(seconds), {}))
        elif field and log:
            if field[0] in "RC":
                old, new = fields[index], fields[index + 1]
                index += 2
                log[-1][2][new] = old if field[0] == "R" else new
            else:
                log[-1][2][fields[index]] = fields[index]
                index += 1
    return log


def _parse_status(text: str) -> set[str]:
    """Read `git status --porcelain -z`: the paths that differ from the last commit, or are not in it yet."""
    paths, entries = set(), text.split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        paths.add(entry[3:])
        if entry[0] in "RC":  # a rename or copy: the next entry is the old path
            index += 1
    return paths
