"""An HTTP server that gives a thread only to a request that has fully arrived, and only so many.

http.server's ThreadingHTTPServer starts a thread for every connection and lets it wait for the
request as long as the client likes: a few hundred idle sockets (browsers open spare ones) or one
client sending a byte now and then (slowloris) each hold a thread for ever. Here one loop accepts
the connections and collects each request's head (request line and headers) without blocking. A
head that is not complete within REQUEST_SECONDS, or longer than MAX_HEAD bytes, is answered there
(408, 414, 431) and its connection closed. A complete head goes to a handler thread, with at most
MAX_WORKERS of them at once; beyond them the answer is 503.
"""

from __future__ import annotations

import errno
import io
import re
import selectors
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer

HEAD_END = re.compile(rb"\n\r?\n")  # the empty line after the headers, as http.server reads it
MAX_HEAD = 65536  # bytes of request line and headers: http.server's limit for one line
REQUEST_SECONDS = 10.0  # from the connection to the end of its head
LINGER_SECONDS = 2.0  # to read what a refused client still sends, so it gets the answer, not a reset
MAX_PENDING = 500  # connections still sending their head: beyond, the oldest is dropped (file descriptors)
MAX_WORKERS = 40


class HeadHandler(BaseHTTPRequestHandler):
    """A request handler that reads the request from the head the server collected."""

    timeout = 30  # seconds a handler may take to send one answer to a client that reads slowly

    def __init__(self, request, client_address, server, head: bytes):
        self.head = head
        super().__init__(request, client_address, server)

    def setup(self) -> None:
        super().setup()
        self.rfile = io.BytesIO(self.head)  # one request per connection (HTTP/1.0), so nothing follows


class BoundedHTTPServer(HTTPServer):
    """Serve requests with HeadHandler in a bounded number of threads; stop with shutdown()."""

    request_queue_size = 128  # a burst of connections waits for accept() instead of being refused

    def __init__(self, address, handler: type[HeadHandler]):
        self.workers = threading.BoundedSemaphore(MAX_WORKERS)
        self.pending: dict[socket.socket, tuple[float, tuple, bytearray]] = {}  # deadline, address, head; oldest first
        self.lingering: dict[socket.socket, float] = {}  # refused connections and when to close them
        self.selector = selectors.DefaultSelector()  # before binding: server_close() follows a failed bind
        self._stop = threading.Event()
        self._stopped = threading.Event()
        super().__init__(address, handler)
        self.socket.setblocking(False)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self.selector.register(self.socket, selectors.EVENT_READ)
        try:
            while not self._stop.is_set():
                for key, _ in self.selector.select(self._wait(poll_interval)):
                    if key.fileobj is self.socket:
                        self._accept()
                    elif key.fileobj in self.pending:
                        self._receive(key.fileobj)
                    elif key.fileobj in self.lingering:  # else closed meanwhile, to make room
                        self._drain(key.fileobj)
                self._expire()
        finally:
            for conn in [*self.pending, *self.lingering]:
                self._close(conn)
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        self.selector.close()

    def _wait(self, poll_interval: float) -> float:
        """Return how long to wait for the next event: until the first deadline, at most poll_interval."""
        firsts = [next(iter(self.pending.values()))[0]] if self.pending else []
        firsts += [next(iter(self.lingering.values()))] if self.lingering else []
        return max(0.0, min([poll_interval, *(t - time.monotonic() for t in firsts)]))

    def _accept(self) -> None:
        while True:
            try:
                conn, address = self.socket.accept()
            except BlockingIOError:  # none left
                return
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE) and self.pending:
                    self._close(next(iter(self.pending)))  # out of file descriptors: drop the longest waiting
                    continue
                return  # the client gave up already
            conn.setblocking(False)
            if len(self.pending) >= MAX_PENDING:
                self._close(next(iter(self.pending)))
            self.pending[conn] = (time.monotonic() + REQUEST_SECONDS, address, bytearray())
            self.selector.register(conn, selectors.EVENT_READ)

    def _receive(self, conn: socket.socket) -> None:
        _, address, head = self.pending[conn]
        try:
            data = conn.recv(MAX_HEAD + 1 - len(head))
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the client went away
            return self._close(conn)
        searched = max(0, len(head) - 2)  # slowloris: look at each byte once, not the whole head each time
        head += data
        if HEAD_END.search(head, searched):
            self._start(conn, address, bytes(head))
        elif len(head) > MAX_HEAD:
            self._refuse(conn, HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE if b"\n" in head
                         else HTTPStatus.REQUEST_URI_TOO_LONG)

    def _expire(self) -> None:
        """Close the connections past their deadline (both dicts are in the order of their deadlines)."""
        now = time.monotonic()
        for conn, (deadline, _, head) in list(self.pending.items()):
            if deadline > now:
                break
            if head:
                self._refuse(conn, HTTPStatus.REQUEST_TIMEOUT)
            else:
                self._close(conn)  # a spare connection never used: browsers expect a plain close
        for conn, deadline in list(self.lingering.items()):
            if deadline > now:
                break
            self._close(conn)

    def _start(self, conn: socket.socket, address, head: bytes) -> None:
        """Answer a complete head in a thread of its own, or with 503 when MAX_WORKERS are busy."""
        if not self.workers.acquire(blocking=False):
            return self._refuse(conn, HTTPStatus.SERVICE_UNAVAILABLE)
        self._forget(conn)
        conn.setblocking(True)
        threading.Thread(target=self._work, args=(conn, address, head), daemon=True).start()

    def _work(self, conn: socket.socket, address, head: bytes) -> None:
        try:
            self.RequestHandlerClass(conn, address, self, head)
        except Exception:
            self.handle_error(conn, address)
        finally:
            self.shutdown_request(conn)
            self.workers.release()

    def _refuse(self, conn: socket.socket, status: HTTPStatus) -> None:
        """Send a short error answer, then read and drop what the client still sends for a while."""
        body = f"{status.value} {status.phrase}\n".encode()
        answer = (f"HTTP/1.0 {status.value} {status.phrase}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
        self.pending.pop(conn, None)
        try:
            conn.send(answer)  # small enough for the socket buffer of a fresh connection
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            return self._close(conn)
        self.lingering[conn] = time.monotonic() + LINGER_SECONDS

    def _drain(self, conn: socket.socket) -> None:
        try:
            if conn.recv(65536):
                return
        except BlockingIOError:
            return
        except OSError:
            pass
        self._close(conn)

    def _forget(self, conn: socket.socket) -> None:
        self.pending.pop(conn, None)
        self.lingering.pop(conn, None)
        self.selector.unregister(conn)

    def _close(self, conn: socket.socket) -> None:
        self._forget(conn)
        conn.close()
