"""What a long build is doing, on one line of a terminal: "Build: handouts 40 of 92".

Only on a terminal: in CI and pipes a build prints nothing but its problems and its summary line.
"""

from __future__ import annotations

import os
import time

SECONDS = 0.1  # the line is rewritten at most this often


class Progress:
    def __init__(self, stream):
        self.stream = stream
        self.shown = 0.0
        self.width = 0

    @classmethod
    def for_terminal(cls, stream) -> "Progress | None":
        """Return a Progress on stream when a person watches it, else None (CI, pipes, files)."""
        return cls(stream) if stream.isatty() and not os.environ.get("CI") else None

    def stage(self, what: str) -> None:
        self._show(f"Build: {what}", force=True)

    def step(self, what: str, done: int, total: int) -> None:
        self._show(f"Build: {what} {done} of {total}", force=done == total)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    def _show(self, text: str, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self.shown < SECONDS:
            return
        self.shown = now
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)
