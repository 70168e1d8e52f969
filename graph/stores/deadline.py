"""A time limit for the reads of one page run: the explorer's search box, the Paths page and the
Analytics page answer or say they gave up, instead of holding a session (and the engine's
threads other sessions need) on a hub-to-hub path search over a million relationships.

``with time_limit(10): store.paths(...)`` sets a deadline for the reads made in the block,
in this thread only (a :class:`~contextvars.ContextVar`: one Streamlit server runs every session
in its own thread over one shared store). Each read gets the time left as the engine's own limit
(LadybugDB's query timeout, Neo4j's transaction timeout), so the engine stops the work itself;
a read started after the deadline is not sent at all. Either way: :class:`ReadGaveUp`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from geokg.graph.errors import QueryError

__all__ = ["ReadGaveUp", "time_limit", "time_left"]

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("geokg_read_deadline", default=None)


class ReadGaveUp(QueryError):
    """A time-limited read stopped at its limit; the message says after how long."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Reads inside the block stop within ``seconds`` in all (:class:`ReadGaveUp`)."""
    token = _DEADLINE.set((time.monotonic() + seconds, seconds))
    try:
        yield
    except QueryError as e:
        if "time limit" in str(e) and not isinstance(e, ReadGaveUp):
            raise ReadGaveUp(f"gave up after {seconds:g} s (the read's time limit)") from None
        raise
    finally:
        _DEADLINE.reset(token)


def time_left() -> float | None:
    """Seconds left for the next read, None without a limit; ReadGaveUp when none are left."""
    current = _DEADLINE.get()
    if current is None:
        return None
    deadline, seconds = current
    left = deadline - time.monotonic()
    if left <= 0:
        raise ReadGaveUp(f"gave up after {seconds:g} s (the read's time limit)")
    return left
