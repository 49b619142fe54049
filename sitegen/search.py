"""Build the search index with Pagefind, over the pages in the staging folder, while the build goes on."""

from __future__ import annotations

import json
from importlib import metadata
import shutil
import subprocess
import sys
from pathlib import Path
from .diagnostics import OutputError


# Pagefind also writes ready-made search interfaces; the site has its own small one, so those go.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")


def pagefind_version() -> str:
    """Return the installed Pagefind's version, part of the search index's cache key."""
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "unknown"


class SearchIndex:
    """site_dir/pagefind/ being written: copied from the cache when the pages' text is unchanged, else
    by Pagefind, which works in its own process meanwhile (while the handouts are made); wait() for
    it, or stop() it."""

    def __init__(self, site_dir: Path, key: str | None = None, cache_folder: Path | None = None):
        self.index = site_dir / "pagefind"
        self.saved = cache_folder / "search" / key if key and cache_folder else None
        self.pagefind = None
        if self.saved is not None and self.saved.is_dir():
            shutil.copytree(self.saved, self.index)
        else:
            self.pagefind = Pagefind(site_dir)

    def wait(self) -> None:
        if self.pagefind is None:
            return
        self.pagefind.wait()
        self.pagefind = None
        if self.saved is not None:
            _keep(self.index, self.saved)

    def stop(self) -> None:
        if self.pagefind is not None:
            self.pagefind.stop()
            self.pagefind = None


def _keep(index: Path, saved: Path) -> None:
    """Keep this index for the next build, replacing older ones (a cache failure only costs time)."""
    try:
        shutil.rmtree(saved.parent, ignore_errors=True)
        shutil.copytree(index, saved)
    except OSError:
        shutil.rmtree(saved, ignore_errors=True)


class Pagefind:
    """Pagefind writing site_dir's index into output (site_dir/pagefind/), in a process of its own.

    In the background (serve), it runs at a low priority, so the next save is shown first.
    """

    def __init__(self, site_dir: Path, output: Path | None = None, background: bool = False):
        self.output = output or site_dir / "pagefind"
        command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(self.output),
                   "--silent"]
        if background and shutil.which("nice"):
            command = ["nice", "-n", "10", *command]
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as exc:
            raise OutputError(f"the search index could not be built: {exc}") from None

    def wait(self) -> None:
        """Wait until the index is written; raise OutputError when Pagefind failed."""
        try:
            stdout, stderr = self.process.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            self.stop()
            raise OutputError("the search index could not be built: Pagefind took over 10 minutes") from None
        if self.process.returncode != 0:
            raise OutputError("the search index could not be built (Pagefind said: "
                              f"{(stderr or stdout).strip()[:500]}); build with --no-search to skip it")
        for name in UNUSED:
            (self.output / name).unlink(missing_ok=True)
        _sort_entry(self.output / "pagefind-entry.json")

    def stop(self) -> None:
        """End Pagefind, done or not (the build failed, or serve is closing)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


def run_pagefind(site_dir: Path, output: Path | None = None, started=None, background: bool = False) -> None:
    """Run Pagefind on site_dir until it has written its index (see Pagefind).

    started(process), when given, is called once Pagefind runs (serve keeps it, to stop it on Ctrl-C).
    """
    pagefind = Pagefind(site_dir, output, background)
    if started:
        started(pagefind.process)
    pagefind.wait()


def _sort_entry(path: Path) -> None:
    """Write Pagefind's entry file with its languages in a fixed order, so two builds match byte for byte."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
