"""The preview server cannot be tied up: odd, huge, slow or idle clients get a short answer or are
closed, the server's threads stay few, and the next request is answered at once.

Requests are sent over raw sockets, as a hostile or broken client would send them.
"""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from test_serve import project, serve  # noqa: F401, F811 (fixtures)

from sitegen.serve.bounded import REQUEST_SECONDS
from sitegen.serve.http import MAX_STREAMS, locate

MAX_THREADS = 60


def port_of(server) -> int:
    return int(re.search(r":(\d+)/$", server.url).group(1))


def exchange(server, raw: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes on a new connection and return all the server answers before it closes."""
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=timeout) as s:
        s.sendall(raw)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer


def status_of(answer: bytes) -> int:
    """Return the status of an answer; http.server answers a request it cannot read as HTTP/0.9 (no status line)."""
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer) or re.search(rb"<p>Error code: (\d{3})</p>", answer)
    assert match, f"not an HTTP answer: {answer[:300]!r}"
    return int(match.group(1))


def get(server, path: str) -> bytes:
    return exchange(server, f"GET {path} HTTP/1.0\r\n\r\n".encode("latin-1"))


def threads(server) -> int:
    """Return how many threads the server process has now."""
    status = Path(f"/proc/{server.proc.pid}/status").read_text()
    return int(re.search(r"^Threads:\s+(\d+)", status, re.MULTILINE).group(1))


def assert_still_serving(server, within: float = 3.0) -> None:
    start = time.monotonic()
    answer = get(server, "/")
    assert status_of(answer) == 200 and b"Sore knees" in answer
    assert time.monotonic() - start < within, "the server took too long to answer"


@pytest.mark.slow
def test_over_long_urls_and_headers_get_a_short_error(project, serve):
    server = serve()
    answer = get(server, "/" + "a" * 300)  # one segment longer than a file name may be
    assert status_of(answer) == 404
    answer = get(server, "/symptoms/" + "b" * 256 + "/x.png")
    assert status_of(answer) == 404
    answer = get(server, "/" + "a" * 100_000)  # the request line itself too long
    assert status_of(answer) == 414 and len(answer) < 1000
    answer = exchange(server, b"GET / HTTP/1.0\r\nX-Big: " + b"h" * 100_000 + b"\r\n\r\n")
    assert status_of(answer) == 431 and len(answer) < 1000
    many = b"".join(b"X-%d: y\r\n" % n for n in range(101))  # http.server allows 100 headers
    assert status_of(exchange(server, b"GET / HTTP/1.0\r\n" + many + b"\r\n")) == 431
    assert_still_serving(server)
    assert "Traceback" not in server.errors() and "error answering" not in server.errors()


@pytest.mark.slow
def test_odd_requests_get_an_answer(project, serve):
    server = serve()
    assert status_of(exchange(server, b"HEAD /symptoms/ HTTP/1.0\r\n\r\n")) == 200
    assert exchange(server, b"HEAD /symptoms/ HTTP/1.0\r\n\r\n").endswith(b"\r\n\r\n")  # no body
    assert status_of(exchange(server, b"POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc")) == 501
    assert status_of(exchange(server, b"OPTIONS * HTTP/1.0\r\n\r\n")) == 501
    assert status_of(exchange(server, b"GET / HTTP/9.9\r\n\r\n")) == 505
    assert status_of(exchange(server, b"GET / HTTP/1.0 extra\r\n\r\n")) == 400
    assert status_of(exchange(server, b"\x00\xff garbage\r\n\r\n")) == 400
    assert status_of(exchange(server, b"GET\r\n\r\n")) == 400
    answer = exchange(server, b"GET http://example.com/symptoms/ HTTP/1.1\r\nHost: example.com\r\n\r\n")
    assert status_of(answer) == 200 and b"Signs of a sore knee" in answer  # absolute-URI form
    query = "&".join(f"p{n}=v" for n in range(5000))  # very many query parameters
    for path in (f"/?{query}", f"/__reload?since=1&{query}"):
        start = time.monotonic()
        with socket.create_connection(("127.0.0.1", port_of(server)), timeout=5) as s:
            s.sendall(f"GET {path} HTTP/1.0\r\n\r\n".encode())
            assert status_of(s.recv(65536)) == 200
        assert time.monotonic() - start < 2
    # Redirects to folders stay on this server, and their Location is a valid header.
    assert b"\r\nLocation: /symptoms/\r\n" in get(server, "/%2fsymptoms")
    assert_still_serving(server)
    assert "Traceback" not in server.errors() and "error answering" not in server.errors()


@pytest.mark.slow
def test_path_traversal_gets_404(project, serve):
    server = serve()
    (project / "tmp" / "secret.txt").write_text("SECRET", encoding="utf-8")  # beside the preview's work folder
    (project / "secret.txt").write_text("SECRET", encoding="utf-8")
    attempts = ["/../../secret.txt", "/../../../secret.txt", "/%2e%2e/%2e%2e/secret.txt", "/%2E%2E/%2e%2E/%2e%2e/secret.txt",
                "/..%2f..%2fsecret.txt", "/..%2f..%2f..%2fsecret.txt", "/..\\..\\secret.txt", "/..%5c..%5csecret.txt",
                "/symptoms/%00/../../../secret.txt", "/index.html%00.png", "//../../secret.txt",
                "/pagefind/../../secret.txt", "/pagefind/%2e%2e/%2e%2e/secret.txt", "/%252e%252e/secret.txt",
                "/./../secret.txt", "/%20/../../secret.txt"]
    for path in attempts:
        answer = get(server, path)
        assert status_of(answer) == 404, path
        assert b"SECRET" not in answer, path
    answer = exchange(server, b"GET http://localhost/../../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(answer) == 404 and b"SECRET" not in answer
    assert_still_serving(server)


segments = st.lists(st.sampled_from(["..", ".", "%2e%2e", "%2E.", "..%2f", "%5c..", "\\..", "%00", "", "en",
                                     "secret.txt", "a" * 300]), max_size=8)


@given(segments)
def test_locate_never_leaves_the_build(tmp_path_factory, parts):
    base = tmp_path_factory.getbasetemp() / "locate"
    (base / "site" / "en").mkdir(parents=True, exist_ok=True)
    (base / "secret.txt").write_text("s")
    (base / "site" / "en" / "secret.txt").write_text("s")
    target, redirect = locate(base / "site", unquote("/" + "/".join(parts)))
    if target is not None:
        assert target.resolve().is_relative_to((base / "site").resolve())
    if redirect is not None:
        assert redirect.startswith("/") and not redirect.startswith("//")


@pytest.mark.slow
def test_idle_and_half_sent_connections_hold_no_threads(project, serve):
    server = serve()
    assert_still_serving(server)
    before = threads(server)
    idle = [socket.create_connection(("127.0.0.1", port_of(server))) for _ in range(300)]
    half = [socket.create_connection(("127.0.0.1", port_of(server))) for _ in range(50)]
    try:
        for s in half:
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")  # the empty line never comes
        time.sleep(1)
        assert threads(server) <= MAX_THREADS, f"{threads(server)} threads with 350 idle sockets ({before} before)"
        assert_still_serving(server)
    finally:
        for s in idle + half:
            s.close()
    assert threads(server) <= before + 2


@pytest.mark.slow
def test_slowloris_is_closed_after_the_timeout(project, serve):
    server = serve()
    with socket.create_connection(("127.0.0.1", port_of(server))) as s:
        start = time.monotonic()
        answer = b""
        s.settimeout(0.5)
        request = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"z" * 1000
        for byte in request:  # a byte every half second: never idle long, never done
            assert time.monotonic() - start < REQUEST_SECONDS + 5, "the slow connection was never closed"
            try:
                s.send(bytes([byte]))
                if not (chunk := s.recv(4096)):
                    break
                answer += chunk
            except TimeoutError:
                continue
            except OSError:  # the server closed the connection while we were sending
                break
    elapsed = time.monotonic() - start
    assert REQUEST_SECONDS - 1 < elapsed < REQUEST_SECONDS + 5
    assert status_of(answer) == 408
    assert_still_serving(server)


@pytest.mark.slow
def test_event_streams_are_bounded_and_end_with_their_tab(project, serve):
    server = serve()
    base = threads(server)
    streams = []

    def open_stream() -> tuple[socket.socket, int]:
        s = socket.create_connection(("127.0.0.1", port_of(server)), timeout=5)
        s.sendall(b"GET /__reload HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
        answer = s.recv(4096)
        streams.append(s)
        return s, status_of(answer)

    try:
        statuses = [open_stream()[1] for _ in range(MAX_STREAMS + 10)]
        assert statuses == [200] * MAX_STREAMS + [503] * 10
        assert threads(server) <= MAX_THREADS
        assert_still_serving(server)  # streams never take the threads ordinary requests need
        # A stream still tells its page about a new build.
        page = project / "content" / "en" / "index.md"
        page.write_text(page.read_text(encoding="utf-8").replace("A sore knee is common.", "A sore knee is frequent."),
                        encoding="utf-8")
        first = streams[0]
        first.settimeout(20)
        received = b""
        while b"event: reload" not in received:
            received += first.recv(4096)
    finally:
        for s in streams:
            s.close()
    # Closed tabs end their streams within seconds, so new tabs can listen again.
    deadline = time.monotonic() + 5
    while threads(server) > base + 1:
        assert time.monotonic() < deadline, f"{threads(server)} threads after the tabs closed ({base} before)"
        time.sleep(0.1)
    s, status = open_stream()
    s.close()
    assert status == 200
