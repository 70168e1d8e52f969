"""Reading and writing at the same time: batches of fragments written on one worker thread.

An ingest has two halves that wait on different things: reading (parsing, spaCy extraction)
works on this process's CPU, writing mostly waits for the database. Done one after the other,
each half idles while the other runs; overlapped, the database writes batch N while batch N+1
is read. The driver and LadybugDB release the GIL while they wait, so one thread is enough -
provided the writer gets the GIL back promptly when a database call returns.

It does not by default: a thread asking for the GIL while the other runs Python waits for the
interpreter's switch interval (5 ms) before the holder is made to let go. A batch's write is
~100-200 short database calls (LadybugDB: one prepare and one execute per statement, ~1 ms
each), so while the reader built its next batch in Python the writer managed one call per
5 ms: 100 calls of ~1 ms took ~680 ms instead of ~100 ms beside a busy Python thread, and the
overlap bought almost nothing. :func:`overlapped` therefore shortens the switch interval to
0.5 ms while it runs (and puts it back after): the reader then yields the GIL within half a
millisecond, at the cost of more frequent switches between the two threads (a few microseconds
each).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["batches", "overlapped", "HANDOFF_SECONDS"]

T = TypeVar("T")
R = TypeVar("R")

#: The interpreter's switch interval while a writer thread runs beside the reader.
HANDOFF_SECONDS = 0.0005

_handoff_lock = threading.Lock()
_handoff_users = 0
_saved_interval = 0.0


@contextmanager
def _prompt_handoff() -> Iterator[None]:
    """The switch interval at most :data:`HANDOFF_SECONDS` inside the block, restored when the
    last block still open (overlapped writes may run in several threads at once) ends."""
    global _handoff_users, _saved_interval
    with _handoff_lock:
        if _handoff_users == 0:
            _saved_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_saved_interval, HANDOFF_SECONDS))
        _handoff_users += 1
    try:
        yield
    finally:
        with _handoff_lock:
            _handoff_users -= 1
            if _handoff_users == 0:
                sys.setswitchinterval(_saved_interval)


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter), read lazily."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def overlapped(items: Iterable[T], work: Callable[[T], R]) -> Iterator[R]:
    """``work(item)`` for every item, in order, on one writer thread, while the next item is
    produced on the caller's.

    One item is worked on while one is read, never more, so memory stays that of two batches
    and transactions commit in input order. An error on either side ends both: an error in
    ``work`` is raised here; when the reader fails (or is interrupted) the item in flight is
    finished - its transaction commits or fails whole - before the error goes on.
    """
    with _prompt_handoff(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="geokg-writer") as pool:
        pending: Future[R] | None = None
        for item in items:
            if pending is not None:
                yield pending.result()
            pending = pool.submit(work, item)
        if pending is not None:
            yield pending.result()
