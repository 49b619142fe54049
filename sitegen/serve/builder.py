"""Build the content into the preview folder after every save, and say how it went."""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from pathlib import Path

from ..diagnostics import Diagnostic, OutputError, Report, display_path, plural, print_diagnostics
from ..paths import is_search_data
from ..pipeline import BuildOptions, BuildResult, build
from ..write import published_ids, write_atomic
from .early import LastBuild
from .indexer import SearchIndexer
from .state import Preview

# Saves that come less than this far apart are one change: an editor's two-step save takes a few
# ms, and every ms here is added to the time until the page shows the change.
DEBOUNCE_MS = 30
ROOT_CHECK_MS = 1000  # how often the watcher checks that the watched folders still exist


class Builder:
    """Build the content into the preview folder and show it when the build succeeds."""

    def __init__(self, args, work_dir: Path, base_url: str, preview: Preview):
        self.args = args
        self.work_dir = work_dir
        self.base_url = base_url
        self.preview = preview
        self.indexer = SearchIndexer(preview, work_dir)
        self.count = 0
        self.started = time.time()  # when the latest build began
        self.identities: dict[Path, tuple | None] = {}  # and which folders it found
        self.last: LastBuild | None = None  # the latest build, when it succeeded, for pages shown early

    def roots(self) -> list[Path]:
        """Return the folders to watch."""
        return [Path(self.args.content), *self.args.templates.dirs]  # the site's own templates, the default theme

    def show_early(self, changes) -> dict[str, bytes] | None:
        """Show the saved pages before the full build, when they can be rendered alone (see early.py)."""
        last, self.last = self.last, None  # its pages are about to change: good for this save only
        if last is None or not changes or self.preview.snapshot.root is None:
            return None
        try:
            pages = last.render_edits(path for _, path in changes)
            for rel, page in (pages or {}).items():
                write_atomic(self.preview.snapshot.root / rel, page)
        except Exception:  # any surprise: the full build shows the edit instead
            if os.environ.get("SITEGEN_DEBUG"):
                traceback.print_exc()
            return None
        if pages:
            self.preview.show(self.preview.snapshot.root, (), frozenset(pages))
        return pages

    def rebuild(self, early: dict[str, bytes] | None = None) -> tuple[Report, float, Path | None]:
        """Build once from a fresh load and return the folder shown, or None after errors.

        On errors the last good build stays on screen, with the errors shown over it. Open pages
        reload only when the build changed the file they show (every page, when the banner comes or
        goes or a stylesheet or image changed); pages shown early count as unchanged when the full
        build wrote them the same.
        """
        self.count += 1
        self.started = time.time()
        self.identities = {p: identity(p) for p in self.roots()}
        out = self.work_dir / "site"
        options = BuildOptions(Path(self.args.content), out, self.args.templates, base_url=self.base_url,
                               preview=True, handouts=self.args.handouts, search=False)  # indexed after show()
        start = time.perf_counter()
        before = published_ids(out)
        result = build_safely(options)
        seconds = time.perf_counter() - start
        if result.published and not result.report.errors:
            self.last = LastBuild(result, options.content_dir)
            # The index for pages opened from disk is read only by a search page that cannot load
            # Pagefind: a new one needs no open page to reload.
            changed = {f for f in changed_files(out, before, early or {}) if not is_search_data(f)}
            targeted = bool(before) and not self.preview.snapshot.errors and all(f.endswith(".html") for f in changed)
            if changed or not targeted:
                self.preview.show(out, (), frozenset(changed) if targeted else None)
            return result.report, seconds, out
        errors = result.report.errors or [Diagnostic(display_path(options.content_dir), None, "internal",
                                                     "the build failed without saying why")]
        self.preview.show(self.preview.snapshot.root, errors)
        return result.report, seconds, None

    def rebuild_and_log(self, changes) -> None:
        """Rebuild and print one line saying what changed, how long it took and how it went."""
        saved_at = last_saved(changes)
        early = self.show_early(changes)
        early_at = time.time()
        report, seconds, shown_folder = self.rebuild(early)
        shown = early_at if early else time.time()
        if changes is None:
            line = f"built in {seconds:.2f} s: {outcome(report)}"
        else:
            line = f"rebuilt in {seconds:.2f} s after {describe(changes)}: {outcome(report)}"
            if saved_at is not None and 0 <= shown - saved_at < 60:  # else the clock says nothing useful
                line += f" (reload sent {(shown - saved_at) * 1000:.0f} ms after the save"
                line += ", the page rendered alone before the rebuild)" if early else ")"
        print(line, flush=True)
        print_diagnostics(report.items, sys.stderr)
        if shown_folder:  # the page is on its way to the browser: now the work that can wait
            self.indexer.submit(shown_folder)

    def watch(self, stop: threading.Event) -> None:
        """Rebuild after every batch of saves until stop is set, also when a watched folder vanishes."""
        while not stop.is_set():
            roots = [p for p in self.roots() if p.is_dir()]
            seen = self.identities  # compared with the folders as the latest build found them
            since = self.started - 0.02  # file times can lag the clock by a tick
            if not roots:
                stop.wait(ROOT_CHECK_MS / 1000)
                if any(identity(p) != ident for p, ident in seen.items()):
                    self.rebuild_and_log({(None, str(p)) for p in self.roots()})
            else:
                # A watch on a folder that is deleted or replaced goes silent, so check the folders
                # every second and start a new watch when one of them changed.
                try:
                    self._watch(roots, seen, since, stop)
                except FileNotFoundError:  # a folder went away as the watch started: look again
                    stop.wait(DEBOUNCE_MS / 1000)

    def _watch(self, roots: list[Path], seen: dict, since: float, stop: threading.Event) -> None:
        """Rebuild after each batch of changes under roots, until a watched folder is moved or stop is set."""
        import watchfiles  # only serve needs it

        for n, changes in enumerate(watchfiles.watch(*roots, stop_event=stop, step=DEBOUNCE_MS,
                                                     rust_timeout=ROOT_CHECK_MS, yield_on_timeout=True)):
            if n == 0 and not changes:  # saves made before this watch started, during the last build
                changes = saved_since(roots, since)
            moved = {(None, str(p)) for p, ident in seen.items() if identity(p) != ident}
            if changes or moved:
                self.rebuild_and_log(changes or moved)
            if moved:
                break


def build_safely(options: BuildOptions) -> BuildResult:
    """Build; turn a crash into a diagnostic, since the preview must outlive any bug."""
    try:
        return build(options)
    except OutputError as exc:
        problem = Diagnostic(display_path(options.out_dir), None, "output", f"cannot write the preview: {exc}",
                             "Check the free disk space; the preview keeps showing the last good build.")
    except Exception as exc:
        if os.environ.get("SITEGEN_DEBUG"):
            traceback.print_exc()
        problem = Diagnostic("(generator)", None, "internal", f"{type(exc).__name__}: {exc}",
                             "This is a bug in the generator, not in your content. Run again with "
                             "SITEGEN_DEBUG=1 and send the output to the developers.")
    report = Report()
    report.add(problem)
    return BuildResult(report)


def changed_files(out: Path, before: dict, early: dict[str, bytes]) -> set[str]:
    """Return the files a build changed (by the output manifests), but the pages it wrote as shown early."""
    after = published_ids(out)
    changed = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
    for rel, page in early.items():
        try:
            if (out / rel).read_bytes() == page:
                changed.discard(rel)
        except OSError:
            pass  # gone: open pages must reload
    return changed


def identity(path: Path) -> tuple[int, int] | None:
    """Return what tells a folder from one re-created at the same path, or None when missing."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def saved_since(roots: list[Path], since: float) -> set[tuple[None, str]]:
    """Return the files and folders under roots saved, created or renamed after since."""
    found = set()
    for root in roots:
        for path in [root, *root.rglob("*")]:
            try:
                st = path.stat()
            except OSError:
                continue  # gone already
            if max(st.st_mtime, st.st_ctime) > since:
                found.add((None, str(path)))
    return found


def last_saved(changes) -> float | None:
    """Return when the newest of the changed files that still exist was saved, renamed or created."""
    times = []
    for _, path in changes or ():
        try:
            st = os.stat(path)
        except OSError:
            continue
        times.append(max(st.st_mtime, st.st_ctime))  # a rename changes ctime only
    return max(times, default=None)


def describe(changes) -> str:
    """Return 'change to content/en/a.md' or 'changes to content/en/a.md and 2 more files'."""
    # Files that still exist first: an editor's temporary files come and go within one batch.
    paths = sorted({display_path(path) for _, path in changes}, key=lambda p: (not os.path.exists(p), p))
    if len(paths) == 1:
        return f"change to {paths[0]}"
    return f"changes to {paths[0]} and {plural(len(paths) - 1, 'more file')}"


def outcome(report: Report) -> str:
    """Return 'ok', 'ok, 2 warnings' or '3 errors'."""
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        return f"{plural(errors, 'error')}"
    return f"ok, {plural(warnings, 'warning')}" if warnings else "ok"
