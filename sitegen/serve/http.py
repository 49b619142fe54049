"""The preview's HTTP side: files of the shown build, the reload script and banner, the event stream."""

from __future__ import annotations

import html
import json
import mimetypes
import re
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ..diagnostics import Diagnostic, plural
from .bounded import BoundedHTTPServer, HeadHandler
from .state import Preview, Snapshot

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
MAX_STREAMS = 20  # event streams at once (one per open tab), well under bounded.MAX_WORKERS


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
