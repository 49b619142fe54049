"""The `serve` command: start the server, build, watch, and clean up on Ctrl-C."""

from __future__ import annotations

import faulthandler
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from ..diagnostics import display_path
from ..folders import check_cache
from ..pipeline import DEFAULT_CACHE
from .builder import Builder
from .http import PreviewServer
from .state import Preview



def run(args) -> int:
    """Serve the preview until Ctrl-C; return the exit status."""
    if not Path(args.content).is_dir():
        print(f"error: the content folder {display_path(args.content)} does not exist\n"
              "  hint: Run the command from the project folder, or give the folder with --content.",
              file=sys.stderr)
        return 1
    check_cache(DEFAULT_CACHE, Path(args.content), args.templates)  # OutputError (exit 2) unless it is ours
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
