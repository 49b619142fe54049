"""Typst, the PDF engine of the handouts: one compiler per worker process, fonts loaded once.

Typst lays out a handout in 10 to 50 ms (WeasyPrint took 150 to 900 ms, and seconds for a packet;
benchmarks/README.md has the comparison). Its PDFs are tagged PDF/UA-1 with the fonts embedded, and
byte-identical for the same source and date.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import multiprocessing
import re
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterable

from .printdoc import PrintDoc, document_source

FONTS_DIR = "fonts"  # in the theme: DejaVu Sans, the only font of every handout, on every machine
IN_FLIGHT = 4  # handouts queued per worker: enough to keep it busy, few enough to keep memory flat
_PAGE_COUNT = re.compile(rb"/Type\s*/Pages\s*/Count\s+(\d+)")


@functools.cache
def engine_version() -> tuple[str, ...]:
    """What decides a PDF's bytes besides its source: the compiler and the fonts."""
    return ("typst", version("typst"))


@functools.cache
def fonts_digest(fonts_dir: str) -> str:
    """A hash of the theme's font files, part of every PDF's cache key."""
    h = hashlib.sha256()
    for path in sorted(Path(fonts_dir).glob("*.ttf")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


class Compiler:
    """Typst for one process, with only the theme's fonts (system fonts could change the output)."""

    def __init__(self, root: Path, fonts_dir: Path):
        import typst  # imported here: only the processes that print pay for it

        self.root = root
        self.compiler = typst.Compiler(root=str(root), font_paths=[str(fonts_dir)], ignore_system_fonts=True)

    def pdf(self, source: str, large: bool, day: dt.date) -> tuple[bytes, int]:
        """Return (PDF bytes, page count) of one handout's Typst source."""
        timestamp = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
        data = self.compiler.compile(input=source.encode("utf-8"), format="pdf", pdf_standards=["ua-1"],
                                     sys_inputs={"large": "1" if large else "0"}, timestamp=timestamp)
        found = _PAGE_COUNT.search(data)
        return data, int(found.group(1)) if found else 0


class CompileFailed(Exception):
    """Typst could not compile the handout jobs[index]."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index, self.message = index, message


_worker: Compiler | None = None
_design = ""


def _start(root: str, fonts_dir: str, design: str) -> None:
    global _worker, _design
    _worker, _design = Compiler(Path(root), Path(fonts_dir)), design


def _make(doc: PrintDoc, day: dt.date) -> tuple[bytes, int, list[str]]:
    """Write one handout as Typst and compile it: (PDF, page count, the print's warnings)."""
    warnings: list[str] = []
    source = document_source(doc, _design, _worker.root, warnings)
    try:
        return (*_worker.pdf(source, doc.large, day), warnings)
    except Exception as exc:  # typst.TypstError does not pickle; its message is what the editor needs
        raise RuntimeError(str(exc).strip() or type(exc).__name__) from None


def _start_method():
    """fork starts workers quickest, but a forked worker can hang for ever when this process runs
    other threads (serve) or has used Typst itself (its threads do not survive a fork): spawn then."""
    fork_safe = threading.active_count() == 1 and "typst" not in sys.modules
    usable = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if fork_safe and "fork" in usable else "spawn")


def compile_all(jobs: Iterable[tuple[int, PrintDoc]], day: dt.date, root: Path, fonts_dir: Path, design: str,
                workers: int, done: Callable[[int, bytes, int, list[str]], None]) -> None:
    """Make each (index, handout) in worker processes, calling done(index, pdf, pages, warnings) as
    each arrives, so the caller can write it and let it go: memory stays flat however many handouts.
    The workers also write the Typst source (pictures, QR codes), so that work is shared too."""
    jobs = iter(jobs)
    first = next(jobs, None)
    if first is None:
        return  # every PDF came from the cache: no workers to start
    jobs = itertools.chain([first], jobs)
    with ProcessPoolExecutor(workers, mp_context=_start_method(), initializer=_start,
                             initargs=(str(root), str(fonts_dir), design)) as pool:
        pending: dict = {}
        while True:
            while len(pending) < IN_FLIGHT * workers:
                job = next(jobs, None)
                if job is None:
                    break
                index, doc = job
                pending[pool.submit(_make, doc, day)] = index
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index = pending.pop(future)
                try:
                    pdf, pages, warnings = future.result()
                except RuntimeError as exc:
                    raise CompileFailed(index, str(exc)) from None
                done(index, pdf, pages, warnings)
