"""Run per-page work in worker processes when the site is big enough to gain from it."""

from __future__ import annotations

import multiprocessing
import os

MIN_PAGES = 64  # below this, starting workers costs more than it saves
_task = None  # the function workers run; set before the fork so workers inherit it and the site


def default_workers() -> int:
    """Return how many processes to use: one per core the build may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def map_pages(task, indexes: list[int], workers: int) -> list:
    """Return [task(i) for i in indexes], computed by forked workers when that pays off."""
    if workers <= 1 or len(indexes) < MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        return [task(i) for i in indexes]
    global _task
    _task = task
    size = max(1, len(indexes) // (workers * 4))  # a few chunks each, so a slow chunk does not idle a core
    chunks = [indexes[i: i + size] for i in range(0, len(indexes), size)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [result for chunk in pool.map(_run_chunk, chunks) for result in chunk]
    finally:
        _task = None


def _run_chunk(chunk: list[int]) -> list:
    return [_task(i) for i in chunk]
