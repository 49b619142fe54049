"""Live preview: build into a private folder, serve it on localhost, rebuild and reload on every save.

The server never writes into site/. Builds go into a folder under a temporary work folder, which
a build swaps in only when it succeeds (see write.Staging), so a failed build leaves the last good
one on screen, with the errors shown in a banner over it. A saved page is mostly shown at once,
rendered alone before the full build (see fastpreview). The search index is built after the page
is shown, into a folder of its own, and served at /pagefind/. Pages learn about new builds through
Server-Sent Events on /__reload, from a small script the server adds to every HTML page it serves
(never to the files on disk); each event lists the files the build changed, so a page reloads
only when its own file changed. Idle or slow clients hold no thread (see boundedserver).
"""

from __future__ import annotations

import faulthandler
import html
import json
import mimetypes
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from .boundedserver import BoundedHTTPServer, HeadHandler
from .diagnostics import Diagnostic, OutputError, Report, display_path, plural, print_diagnostics
from .fastpreview import LastBuild
from .folders import check_cache
from .pipeline import DEFAULT_CACHE, BuildOptions, BuildResult, build
from .search import run_pagefind
from .write import published_ids, write_atomic

HERE = Path(__file__).resolve().parent
RELOAD_URL = "/__reload"
ASSETS = {
    "/__livereload.js": ("livereload.js", "text/javascript; charset=utf-8"),
    "/__livereload.css": ("livereload.css", "text/css; charset=utf-8"),
}
# The site's Content Security Policy allows scripts and styles from 'self' only, so these are files.
HEAD_TAGS = ('<link rel="stylesheet" href="/__livereload.css">\n'
             '<script src="/__livereload.js" data-build="{generation}" data-file="{file}" defer></script>\n')
HEARTBEAT_SECONDS = 15.0
CLOSED_TAB_SECONDS = 1.0  # how often an event stream checks that its tab is still open
MAX_STREAMS = 20  # event streams at once (one per open tab), well under boundedserver.MAX_WORKERS
# Saves that come less than this far apart are one change: an editor's two-step save takes a few
# ms, and every ms here is added to the time until the page shows the change.
DEBOUNCE_MS = 30
ROOT_CHECK_MS = 1000  # how often the watcher checks that the watched folders still exist


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
        return [Path(self.args.content), Path(self.args.templates)]

    def show_early(self, changes) -> dict[str, bytes] | None:
        """Show the saved pages before the full build, when they can be rendered alone (see fastpreview)."""
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
        options = BuildOptions(Path(self.args.content), out, Path(self.args.templates), base_url=self.base_url,
                               preview=True, handouts=self.args.handouts, search=False)  # indexed after show()
        start = time.perf_counter()
        before = published_ids(out)
        result = build_safely(options)
        seconds = time.perf_counter() - start
        if result.published and not result.report.errors:
            self.last = LastBuild(result, options.content_dir)
            changed = changed_files(out, before, early or {})
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


# --- The HTTP side ---------------------------------------------------------------------------

def locate(root: Path, url_path: str) -> tuple[Path | None, str | None]:
    """Return (file, None) to serve, (None, address) to redirect to, or (None, None) when missing."""
    parts = [p for p in url_path.split("/") if p]
    if any(p in (".", "..") or "\\" in p or "\0" in p for p in parts):
        return None, None  # never leave the build folder
    target = root.joinpath(*parts)
    try:
        if target.is_dir():
            if not url_path.endswith("/"):
                # So relative links in the page resolve from the folder; quoted, as a header must be.
                return None, quote("/" + url_path.lstrip("/") + "/")  # one slash: "//x/" would be another host
            target = target / "index.html"
        return (target, None) if target.is_file() else (None, None)
    except OSError:  # a name too long for the file system, say: not a file of the build
        return None, None


def content_type(path: Path) -> str:
    """Return the Content-Type of a built file."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind in ("application/javascript", "application/json",
                                                   "application/xml", "image/svg+xml")
    return f"{kind}; charset=utf-8" if textual else kind


def decorate(page: str, snapshot: Snapshot, file: str = "") -> str:
    """Add the reload script, and the error banner while the latest build failed, to one HTML page.

    file is the built file the page comes from: builds that changed other files leave it alone.
    """
    tags = HEAD_TAGS.format(generation=snapshot.generation, file=html.escape(file))
    page = insert(page, r"</head\s*>", tags, before=True)
    if snapshot.errors:
        page = insert(page, r"<body\b[^>]*>", banner(snapshot), before=False)
    return page


def insert(page: str, pattern: str, addition: str, before: bool) -> str:
    """Insert addition before or after the first match of pattern, or at the start without one."""
    match = re.search(pattern, page, re.IGNORECASE)
    if not match:
        return addition + page
    at = match.start() if before else match.end()
    return page[:at] + addition + page[at:]


def banner(snapshot: Snapshot) -> str:
    """Return the error banner: every error with its file, line and hint."""
    count = len(snapshot.errors)
    title = f"{plural(count, 'error')} in the content"
    note = ("You are looking at the last good version. Fix the file and save it: this page updates by itself."
            if snapshot.root else "There is no good version to show yet. Fix the file and save it.")
    items = []
    for d in sorted(snapshot.errors, key=Diagnostic.sort_key):
        hint = f'<span class="sitegen-hint">{html.escape(d.hint)}</span>' if d.hint else ""
        items.append(f"<li><code>{html.escape(d.where)}</code> {html.escape(d.message)}{hint}</li>")
    return (f'<div class="sitegen-errors" role="alert">\n<p class="sitegen-errors-title">{title}</p>\n'
            f'<p class="sitegen-errors-note">{note}</p>\n<ul>\n' + "\n".join(items) + "\n</ul>\n</div>\n")


def error_page(snapshot: Snapshot) -> str:
    """Return the page shown while no build has succeeded yet."""
    page = ('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>Preview: the site has errors</title>\n</head>\n<body>\n</body>\n</html>\n")
    return decorate(page, snapshot)


class Handler(HeadHandler):
    """Answer one request from the current snapshot."""

    server_version = "sitegen-preview"

    def do_GET(self) -> None:
        self.answer(head=False)

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def log_message(self, format, *args) -> None:
        pass  # the terminal shows one line per rebuild; a line per request would bury them

    def answer(self, head: bool) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path == RELOAD_URL and not head:
            return self.stream_reloads(url.query)
        if path in ASSETS:
            name, kind = ASSETS[path]
            return self.send(200, kind, (HERE / name).read_bytes(), head)
        snapshot = self.server.preview.snapshot
        if snapshot.generation == 0:  # the first build is still running
            snapshot = self.server.preview.wait_for_change(0, timeout=300)
        if snapshot.root is None:
            return self.send(503, "text/html; charset=utf-8", error_page(snapshot).encode(), head)
        search = self.server.preview.search
        if search and path.startswith("/pagefind/"):
            target, redirect = locate(search, path[len("/pagefind"):])
        else:
            target, redirect = locate(snapshot.root, path)
        if redirect:
            return self.redirect(redirect + (f"?{url.query}" if url.query else ""))
        status, target = (200, target) if target else (404, snapshot.root / "404.html")
        try:
            data = target.read_bytes()
        except OSError:  # the file went away while we answered (a newer build); the page reloads anyway
            status, target, data = 404, Path("404.txt"), b"Not found\n"
        kind = content_type(target)
        if kind.startswith("text/html"):
            file = target.relative_to(snapshot.root).as_posix() if target.is_relative_to(snapshot.root) else ""
            data = decorate(data.decode("utf-8", "replace"), snapshot, file).encode("utf-8")
        self.send(status, kind, data, head)

    def send(self, status: int, kind: str, data: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # always the newest build
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def redirect(self, location: str) -> None:
        self.send_response(302)  # not 301: browsers would remember it across builds
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream_reloads(self, query: str) -> None:
        """Send a reload event after every build, until the page goes away or the server stops."""
        if not self.server.streams.acquire(blocking=False):
            return self.send(503, "text/plain; charset=utf-8", b"Too many open pages for this preview.\n", False)
        try:
            self.send_reloads(query)
        except OSError:
            return  # the tab was closed
        finally:
            self.server.streams.release()

    def send_reloads(self, query: str) -> None:
        preview = self.server.preview
        since = parse_qs(query).get("since", [""])[0]
        seen = int(since) if since.isdigit() else preview.snapshot.generation
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")
        heartbeat = time.monotonic() + HEARTBEAT_SECONDS
        while True:
            snapshot = preview.wait_for_change(seen, CLOSED_TAB_SECONDS)
            if preview.closed or self.tab_closed():
                return
            if snapshot.generation != seen:
                # Which pages changed is known for one build only: a page behind by more reloads.
                files = snapshot.files if snapshot.generation == seen + 1 else None
                seen = snapshot.generation
                news = {"build": seen, "files": None if files is None else sorted(files)}
                self.wfile.write(f"event: reload\ndata: {json.dumps(news)}\n\n".encode())
            elif time.monotonic() > heartbeat:
                heartbeat = time.monotonic() + HEARTBEAT_SECONDS
                self.wfile.write(b": still here\n\n")  # finds tabs gone without a word (no FIN)

    def tab_closed(self) -> bool:
        """Return whether the client closed its event stream: it sends nothing, so anything to read is the end."""
        try:
            self.connection.settimeout(0)
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True
        finally:
            self.connection.settimeout(self.timeout)


class PreviewServer(BoundedHTTPServer):
    def __init__(self, address, preview: Preview):
        super().__init__(address, Handler)
        self.preview = preview
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)

    def handle_error(self, request, client_address) -> None:
        """Ignore closed and stalled connections; report anything else in one line and keep serving."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        print(f"preview server: error answering a request: {type(exc).__name__}: {exc}", file=sys.stderr,
              flush=True)


# --- The command -----------------------------------------------------------------------------

def run(args) -> int:
    """Serve the preview until Ctrl-C; return the exit status."""
    if not Path(args.content).is_dir():
        print(f"error: the content folder {args.content} does not exist\n"
              "  hint: Run the command from the project folder, or give the folder with --content.",
              file=sys.stderr)
        return 1
    check_cache(DEFAULT_CACHE, Path(args.content), Path(args.templates))  # OutputError (exit 2) unless it is ours
    try:
        server = PreviewServer((args.host, args.port), Preview())
    except OSError as exc:
        print(listen_error(args, exc), file=sys.stderr)
        return 1
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1` shows where a stuck server is
    host, port = server.server_address[:2]
    url = f"http://{host}:{port}/"
    work_dir = Path(tempfile.mkdtemp(prefix="sitegen-preview-"))
    builder = Builder(args, work_dir, url, server.preview)
    stop = threading.Event()
    serving = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    previous = signal.signal(signal.SIGTERM, interrupt)  # `kill` stops it as cleanly as Ctrl-C
    # Started in the background by a script, a program inherits an ignored SIGINT; Ctrl-C and
    # `kill -INT` must still stop the preview.
    previous_int = signal.signal(signal.SIGINT, interrupt)
    try:
        serving.start()  # requests wait for the first build
        watched = " and ".join(f"{display_path(p)}/" for p in builder.roots())
        print(f"Preview at {url} (watching {watched}; press Ctrl-C to stop)", flush=True)
        builder.rebuild_and_log(None)
        builder.watch(stop)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the cleanup
        stop.set()
        server.preview.close()
        if serving.is_alive():
            server.shutdown()
        server.server_close()
        builder.indexer.finish(timeout=30)
        shutil.rmtree(work_dir, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
    print("Stopped.", flush=True)
    return 0


def interrupt(signum, frame) -> None:
    """Stop on SIGTERM or SIGINT the way Ctrl-C does."""
    raise KeyboardInterrupt


def listen_error(args, exc: OSError) -> str:
    """Return a plain message for a port that cannot be used."""
    import errno

    if exc.errno == errno.EADDRINUSE:
        return (f"error: port {args.port} is already in use on {args.host}\n"
                f"  hint: Stop the other server, or choose another port: python build.py serve --port {args.port + 1}")
    if exc.errno == errno.EACCES:
        return (f"error: not allowed to use port {args.port}\n"
                "  hint: Choose a port above 1024, for example --port 8000.")
    return f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
