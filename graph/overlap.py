"""Reading and writing at the same time: batches of fragments written on one worker thread.

An ingest has two halves that wait on different things: reading (parsing, spaCy extraction)
works on this process's CPU, writing mostly waits for the database. Done one after the other,
each half idles while the other runs; overlapped, the database writes batch N while batch N+1
is read. The driver and LadybugDB release the GIL while they wait, so one thread is enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

__all__ = ["batches", "overlapped"]

T = TypeVar("T")
R = TypeVar("R")


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
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="geokg-writer") as pool:
        pending: Future[R] | None = None
        for item in items:
            if pending is not None:
                yield pending.result()
            pending = pool.submit(work, item)
        if pending is not None:
            yield pending.result()
