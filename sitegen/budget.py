"""A limit on the processor time one page may take, so that no page can hold up a build.

Python-Markdown takes time that grows with the square of some inputs far below the page size
limit (thousands of links or unclosed brackets in one paragraph, long runs of marks); no page a
patient reads comes near the limit, so a page that reaches it is reported instead of waited for.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

PAGE_SECONDS = 2.0  # processor time; a page of 1 MB of the bundled pages' text takes 0.9 s


class OverBudget(BaseException):
    """Raised in the middle of the work when its time is up.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` of a library catches it.
    """


@contextmanager
def time_limit(seconds: float = PAGE_SECONDS):
    """Raise OverBudget inside the with-block once it has used seconds of processor time.

    Processor time, not wall time: the same page gets the same verdict on a busy machine. Only
    the main thread can take signals; elsewhere (never the case in sitegen) there is no limit.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise OverBudget

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
