"""The overlap of reading and writing (``geokg.graph.stores.overlap``): the writer thread must get the GIL
back promptly while the reader runs Python, or a batch of short database calls crawls at one
call per switch interval (5 ms by default) and the overlap buys nothing; and the interpreter's
setting is put back afterwards."""

from __future__ import annotations

import sys

import pytest

from geokg.graph.stores.overlap import HANDOFF_SECONDS, overlapped


def test_the_writer_runs_with_a_short_switch_interval_beside_the_reader():
    # How much it buys is shown by benchmarks/writes.py (BENCHMARKS.md "Writes"), not timed here:
    # at the default 5 ms each short database call of the writer waited ~5 ms for the GIL.
    assert sys.getswitchinterval() > HANDOFF_SECONDS  # the interpreter's default, 5 ms
    seen = list(overlapped(range(3), lambda _: sys.getswitchinterval()))
    assert max(seen) == HANDOFF_SECONDS


def test_overlapped_puts_the_switch_interval_back():
    before = sys.getswitchinterval()
    assert list(overlapped(range(3), lambda i: i * 2)) == [0, 2, 4]
    assert sys.getswitchinterval() == before


def test_overlapped_puts_the_switch_interval_back_when_the_writer_fails():
    before = sys.getswitchinterval()

    def fail(i: int) -> int:
        raise ValueError(f"item {i}")

    with pytest.raises(ValueError, match="item"):
        list(overlapped(range(3), fail))
    assert sys.getswitchinterval() == before
