"""Build the search index with Pagefind, over the pages in the staging folder."""

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


def index_search(site_dir: Path, key: str | None = None, cache_folder: Path | None = None) -> None:
    """Write site_dir/pagefind/: copied from the cache when the pages' text is unchanged, else by Pagefind."""
    saved = cache_folder / "search" / key if key and cache_folder else None
    if saved is not None and saved.is_dir():
        shutil.copytree(saved, site_dir / "pagefind")
        return
    run_pagefind(site_dir)
    if saved is not None:
        _keep(site_dir / "pagefind", saved)


def _keep(index: Path, saved: Path) -> None:
    """Keep this index for the next build, replacing older ones (a cache failure only costs time)."""
    try:
        shutil.rmtree(saved.parent, ignore_errors=True)
        shutil.copytree(index, saved)
    except OSError:
        shutil.rmtree(saved, ignore_errors=True)


def run_pagefind(site_dir: Path, output: Path | None = None, started=None, background: bool = False) -> None:
    """Run Pagefind on site_dir; it writes site_dir/pagefind/, or output/ when given.

    started(process), when given, is called once Pagefind runs (serve keeps it, to stop it on Ctrl-C).
    In the background (serve), Pagefind runs at a low priority, so the next save is shown first.
    """
    output = output or site_dir / "pagefind"
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(output), "--silent"]
    if background and shutil.which("nice"):
        command = ["nice", "-n", "10", *command]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise OutputError(f"the search index could not be built: {exc}") from None
    if started:
        started(process)
    try:
        stdout, stderr = process.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise OutputError("the search index could not be built: Pagefind took over 10 minutes") from None
    if process.returncode != 0:
        raise OutputError("the search index could not be built (Pagefind said: "
                          f"{(stderr or stdout).strip()[:500]}); build with --no-search to skip it")
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)
    _sort_entry(output / "pagefind-entry.json")


def _sort_entry(path: Path) -> None:
    """Write Pagefind's entry file with its languages in a fixed order, so two builds match byte for byte."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
