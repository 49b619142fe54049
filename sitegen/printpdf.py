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
import os
import re
import sys
import tempfile
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote

from .printdoc import PrintDoc, document_source

# The design goes to the workers as a Typst package of its own, imported by every handout: Typst then
# parses and evaluates it once per worker, not once per handout (about 8 % of the time).
DESIGN_PACKAGE = ("local", "sitegen-handout", "1.0.0")
DESIGN_IMPORT = '#import "@{}/{}:{}": *\n'.format(*DESIGN_PACKAGE)
FONTS_DIR = "fonts"  # in the theme: DejaVu Sans, the only font of every handout, on every machine
IN_FLIGHT = 3  # batches (of up to four handouts) queued per worker: enough to keep it busy, few enough to keep memory flat
_PAGE_COUNT = re.compile(rb"/Type\s*/Pages\s*/Count\s+(\d+)")
SPLIT = re.compile(r"sitegen-split: ((card|steps)\|([A-Za-z0-9_.~%-]*))")  # in Typst's error (see the design's keep)
MAX_NAMED = 5  # blocks named in one handout's warnings; any more are printed across pages unnamed


@functools.cache
def engine_version() -> tuple[str, ...]:
    """What decides a PDF's bytes besides its source and the fonts: the compiler and the QR encoder."""
    return ("typst", version("typst"), "zxing-cpp", version("zxing-cpp"))


# The modules that write a handout's Typst source in the workers. What they write is not in a PDF's
# cache key (only what they are given), so their code is: a new version never reuses an old PDF.
SOURCE_WRITERS = ("htmltree.py", "printbody.py", "printdoc.py", "printpdf.py")


@functools.cache
def writers_digest() -> str:
    """A hash of the code in SOURCE_WRITERS, part of every PDF's cache key."""
    h = hashlib.sha256()
    for name in SOURCE_WRITERS:
        h.update(name.encode() + Path(__file__).with_name(name).read_bytes())
    return h.hexdigest()


@functools.cache
def fonts_digest(fonts_dir: str) -> str:
    """A hash of the theme's font files, part of every PDF's cache key."""
    h = hashlib.sha256()
    for path in sorted(Path(fonts_dir).glob("*.ttf")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


class Compiler:
    """Typst for one process, with only the theme's fonts (system fonts could change the output)."""

    def __init__(self, root: Path, fonts_dir: Path, packages: Path | None = None):
        import typst  # imported here: only the processes that print pay for it

        self.root = root
        self.compiler = typst.Compiler(root=str(root), font_paths=[str(fonts_dir)], ignore_system_fonts=True,
                                       package_path=str(packages) if packages else None)

    def pdf(self, source: str, large: bool, day: dt.date, split: list[str] = ()) -> tuple[bytes, int]:
        """Return (PDF bytes, page count) of one handout's Typst source. A care card or a numbered list
        taller than a page stops it with an error that SPLIT finds, unless split holds it (or "all")."""
        timestamp = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
        inputs = {"large": "1" if large else "0", "split": "\n".join(split)}
        data = self.compiler.compile(input=source.encode("utf-8"), format="pdf", pdf_standards=["ua-1"],
                                     sys_inputs=inputs, timestamp=timestamp)
        found = _PAGE_COUNT.search(data)
        return data, int(found.group(1)) if found else 0


class CompileFailed(Exception):
    """Typst could not compile the handout jobs[index]; design_line: where in the design, if there."""

    def __init__(self, index: int, message: str, design_line: int | None = None):
        super().__init__(message)
        self.index, self.message, self.design_line = index, message, design_line


_WHERE = re.compile(r"\S+?:(\d+):\d+")  # "@local/sitegen-handout:1.0.0/lib.typ:7:20" in Typst's diagnostic


def design_line(exc: Exception) -> int | None:
    """Return the line of the design that a Typst error points at, or None (elsewhere, or unknown)."""
    package = "@{}/{}:{}/".format(*DESIGN_PACKAGE)
    for line in str(getattr(exc, "diagnostic", "")).splitlines():
        found = _WHERE.search(line)
        if found and found.group(0).startswith(package):
            return int(found.group(1))
    return None


def write_design(packages: Path, design: str) -> None:
    """Write the design (templates/handout.typ) as the package DESIGN_IMPORT names, under packages."""
    folder = packages.joinpath(*DESIGN_PACKAGE)
    folder.mkdir(parents=True)
    (folder / "lib.typ").write_text(design, encoding="utf-8")
    name, number = DESIGN_PACKAGE[1:]
    (folder / "typst.toml").write_text(f'[package]\nname = "{name}"\nversion = "{number}"\nentrypoint = "lib.typ"\n')


_worker: Compiler | None = None


def _start(root: str, fonts_dir: str, packages: str) -> None:
    global _worker
    # One thread: the workers already keep every core busy, and Typst's own threads only add switching.
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    _worker = Compiler(Path(root), Path(fonts_dir), Path(packages))


def _make(docs: list[PrintDoc], day: dt.date) -> list[tuple[bytes, int, list[list[str]]]]:
    """Write each handout of a batch as Typst and compile it: (PDF, page count, the print's warnings)."""
    made = []
    for n, doc in enumerate(docs):
        warnings: list[list[str]] = []
        source = document_source(doc, DESIGN_IMPORT, _worker.root, warnings)
        try:
            made.append((*_compile(doc, source, day, warnings), warnings))
        except Exception as exc:  # typst.TypstError does not pickle; its message is what the editor needs
            raise RuntimeError(n, str(exc).strip() or type(exc).__name__, design_line(exc)) from None
    return made


def _compile(doc: PrintDoc, source: str, day: dt.date, warnings: list[list[str]]) -> tuple[bytes, int]:
    """Compile a handout, naming in warnings each care card or numbered list too tall for a page."""
    split = ["all"] if doc.packet else []  # a packet's cards and lists are its pages': their handouts name them
    while True:
        try:
            return _worker.pdf(source, doc.large, day, split)
        except Exception as exc:
            found = SPLIT.search(str(exc))
            if found is None or found.group(1) in split:
                raise
            split.append(found.group(1) if len(split) < MAX_NAMED else "all")
            warnings.append([found.group(2), unquote(found.group(3))])


def _start_method():
    """fork starts workers quickest, but a forked worker can hang for ever when this process runs
    other threads (serve) or has used Typst itself (its threads do not survive a fork): spawn then."""
    fork_safe = threading.active_count() == 1 and "typst" not in sys.modules
    usable = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if fork_safe and "fork" in usable else "spawn")


def compile_all(batches: Iterable[list[tuple[int, PrintDoc]]], day: dt.date, root: Path, fonts_dir: Path,
                design: str, workers: int, done: Callable[[int, bytes, int, list[list[str]]], None]) -> None:
    """Make each batch of (index, handout) in a worker process, calling done(index, pdf, pages,
    warnings) as each batch arrives, so the caller can write them and let them go: memory stays flat
    however many handouts. The workers also write the Typst source (pictures, QR codes), so that work
    is shared too; handouts with the same QR code are best in one batch (see handouts.batches)."""
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return  # every PDF came from the cache: no workers to start
    batches = itertools.chain([first], batches)
    with tempfile.TemporaryDirectory(prefix="sitegen-typst-") as packages:
        write_design(Path(packages), design)
        with ProcessPoolExecutor(workers, mp_context=_start_method(), initializer=_start,
                                 initargs=(str(root), str(fonts_dir), packages)) as pool:
            _run(pool, batches, day, workers, done)


def _run(pool: ProcessPoolExecutor, batches, day: dt.date, workers: int, done) -> None:
    """Keep the pool fed with a few batches per worker, and hand each finished one to done()."""
    pending: dict = {}
    while True:
        while len(pending) < IN_FLIGHT * workers:
            batch = next(batches, None)
            if batch is None:
                break
            pending[pool.submit(_make, [doc for _, doc in batch], day)] = [index for index, _ in batch]
        if not pending:
            return
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            indexes = pending.pop(future)
            try:
                made = future.result()
            except RuntimeError as exc:
                n, message, line = exc.args
                raise CompileFailed(indexes[n], message, line) from None
            for index, (pdf, pages, warnings) in zip(indexes, made):
                done(index, pdf, pages, warnings)
