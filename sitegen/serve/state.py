"""What the preview shows, shared by the builder (which changes it) and the request handlers (which read it)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic



@dataclass(frozen=True)
class Snapshot:
    """What the server shows: the last good build, and the errors of the latest build."""

    root: Path | None = None
    errors: tuple[Diagnostic, ...] = ()
    generation: int = 0
    files: frozenset[str] | None = None  # the pages this build changed; None: every page must reload


class Preview:
    """The state the builder updates and the request handlers read, from different threads."""

    def __init__(self) -> None:
        self.snapshot = Snapshot()
        self.search: Path | None = None  # the newest search index, served at /pagefind/
        self.closed = False
        self._changed = threading.Condition()

    def show(self, root: Path | None, errors, files: frozenset[str] | None = None) -> None:
        """Switch to a new snapshot and wake every open page (those showing one of files, when given)."""
        with self._changed:
            self.snapshot = Snapshot(root, tuple(errors), self.snapshot.generation + 1, files)
            self._changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> Snapshot:
        """Return the snapshot once its generation is not seen, or after timeout."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self.snapshot.generation != seen, timeout)
            return self.snapshot

    def close(self) -> None:
        """Wake every open page so its event stream ends."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()
