"""A build cache keyed by content hashes: parsed pages and rendered Markdown.

Every key hashes everything its output depends on, so a cached build is byte-identical to a clean
one; deleting the cache folder is always safe, it only makes the next build slower.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from .write import write_atomic

MARKDOWN_FILE = "markdown.pickle"


class BuildCache:
    """Parsed pages and rendered Markdown in one pickle file.

    The pickle file is a log: a build that adds a few entries appends them, and the file is written
    afresh only when a quarter of it is entries no build uses any more.
    """

    def __init__(self, folder: Path | None):
        self.folder = folder / "pages" if folder else None
        self.damaged = False  # the file ended in a broken record: write it afresh
        self.entries: dict[str, object] = self._load()  # parsed pages and rendered Markdown, by key
        self.used: dict[str, object] = {}

    def _load(self) -> dict:
        entries: dict = {}
        if self.folder is None:
            return entries
        try:
            with open(self.folder / MARKDOWN_FILE, "rb") as f:
                while True:
                    part = pickle.load(f)
                    entries.update(part if isinstance(part, dict) else {})
        except EOFError:  # the end of the log
            pass
        except FileNotFoundError:
            pass
        except Exception:  # truncated, or from another Python: keep what was read
            self.damaged = True
        return entries

    def get(self, key: str):
        """Return what was stored under key (parsed front matter, rendered Markdown), or None."""
        value = self.entries.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value) -> None:
        self.used[key] = value

    def save(self) -> None:
        """Append the new entries, or keep only those this build used (so the file does not grow forever)."""
        if self.folder is None:
            return
        new = {key: value for key, value in self.used.items() if key not in self.entries}
        unused = len(self.entries) - (len(self.used) - len(new))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self.damaged or unused > len(self.used) // 4:
                write_atomic(self.folder / MARKDOWN_FILE, pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))
            elif new:
                with open(self.folder / MARKDOWN_FILE, "ab") as f:
                    pickle.dump(new, f, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
