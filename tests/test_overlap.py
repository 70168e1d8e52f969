"""The overlap of reading and writing (``graph.overlap``): the writer thread must get the GIL
back promptly while the reader runs Python, or a batch of short database calls crawls at one
call per switch interval (5 ms by default) and the overlap buys nothing."""

from __future__ import annotations

import statistics
import sys
import time

from graph.overlap import overlapped

CALLS = 40  # short GIL-releasing calls per item, as a batch's database statements are
BUSY_S = 0.3  # Python work of the reader per item, as building a batch's rows is


def busy_reader(items: int):
    """Items produced by a reader busy in pure Python (it never releases the GIL itself)."""
    for i in range(items):
        t = time.perf_counter()
        while time.perf_counter() - t < BUSY_S:
            pass
        yield i


def short_calls(_item: int) -> float:
    """What a writer does per batch: many calls that release the GIL and want it back."""
    t = time.perf_counter()
    for _ in range(CALLS):
        time.sleep(0.0005)
    return time.perf_counter() - t


def test_writer_calls_are_not_held_back_by_a_reader_busy_in_python():
    took = list(overlapped(busy_reader(4), short_calls))
    beside_reader = statistics.median(took[:3])  # the last item is written with the reader done
    # At the default 5 ms switch interval each call waits ~5 ms for the GIL: >= 200 ms here.
    assert beside_reader < CALLS * 0.0025, f"{CALLS} short calls took {beside_reader * 1000:.0f} ms beside the reader"


def test_overlapped_puts_the_switch_interval_back():
    before = sys.getswitchinterval()
    assert list(overlapped(range(3), lambda i: i * 2)) == [0, 2, 4]
    assert sys.getswitchinterval() == before


def test_overlapped_puts_the_switch_interval_back_when_the_writer_fails():
    before = sys.getswitchinterval()

    def fail(i: int) -> int:
        raise ValueError(f"item {i}")

    try:
        list(overlapped(range(3), fail))
    except ValueError:
        pass
    assert sys.getswitchinterval() == before
