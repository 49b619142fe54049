"""The search index of the preview, built in the background after each build is shown."""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

from ..search import run_pagefind
from .state import Preview



class SearchIndexer:
    """Index the shown build for search in the background, so that no save waits for Pagefind."""

    def __init__(self, preview: Preview, work_dir: Path):
        self.preview = preview
        self.work_dir = work_dir
        self.count = 0
        self.pending: Path | None = None  # only the newest build is worth indexing
        self.busy = False
        self.stopping = False
        self.process = None  # the running Pagefind, stopped on Ctrl-C
        self._wake = threading.Condition()
        threading.Thread(target=self.run, name="search-index", daemon=True).start()

    def submit(self, folder: Path) -> None:
        with self._wake:
            self.pending = folder
            self._wake.notify_all()

    def run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self.pending is not None)
                folder, self.pending, self.busy = self.pending, None, True
            self.count += 1
            output = self.work_dir / f"search-{self.count}"
            try:
                run_pagefind(folder, output, started=self._started, background=True)
                old, self.preview.search = self.preview.search, output
                if old:
                    shutil.rmtree(old, ignore_errors=True)
            except Exception as exc:  # the preview goes on without search
                shutil.rmtree(output, ignore_errors=True)
                if not (self.preview.closed or self.stopping):
                    print(f"search index not built: {exc}", file=sys.stderr, flush=True)
            with self._wake:
                self.busy = False
                self._wake.notify_all()

    def _started(self, process) -> None:
        with self._wake:
            self.process = process
            if self.stopping:
                process.kill()

    def finish(self, timeout: float) -> None:
        """Stop indexing (Ctrl-C need not wait for Pagefind), so the work folder can be removed."""
        with self._wake:
            self.stopping, self.pending = True, None
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
            self._wake.wait_for(lambda: not self.busy, timeout)
