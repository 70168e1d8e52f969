"""Waiting out a store that is down or busy: exponential backoff within a time budget.

An ingest may run for an hour; a Neo4j restart or another ingest holding the embedded file
should not throw that work away. Writes are whole articles per transaction and articles already
stored are skipped, so retrying a failed batch is always safe: a batch that did commit before
the connection dropped is simply skipped on the retry. The budget is wall-clock time from the
first failure of an outage (``GEOKG_RETRY_SECONDS``, default 60 s); past it the last error is
raised and a later run of the same command completes the rest.

The Neo4j driver retries a transaction by itself for a few seconds (``max_transaction_retry_time``)
and logs every attempt; this module is the one place that waits longer, and it reports an
outage once, when it starts, and once more when the store is back. A server that is down when an
ingest starts is waited for within the same budget (the store raises it as a
:class:`TransientStoreError`; a wrong password or address, which no wait would fix, as a plain
``StoreUnavailable``).

>>> from itertools import islice
>>> list(islice(Backoff(first=1, factor=2, cap=4).steps(), 5))
[1, 2, 4, 4, 4]
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from geokg.graph.errors import GeoKGError, TransientStoreError

__all__ = ["Backoff", "retrying", "RETRY_ENV", "DEFAULT_RETRY_SECONDS"]

T = TypeVar("T")

RETRY_ENV = "GEOKG_RETRY_SECONDS"
DEFAULT_RETRY_SECONDS = 60.0


@dataclass(frozen=True)
class Backoff:
    """How long to keep trying (``total`` seconds from the first failure) and how the pauses
    grow: ``first``, then times ``factor``, never more than ``cap`` (a server that comes back is
    noticed within ``cap`` seconds)."""

    total: float = DEFAULT_RETRY_SECONDS
    first: float = 0.5
    factor: float = 2.0
    cap: float = 8.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Backoff:
        """The budget from ``GEOKG_RETRY_SECONDS`` (0 = fail at once); a bad value is a one-line error."""
        raw = (os.environ if env is None else env).get(RETRY_ENV, "").strip()
        if not raw:
            return cls()
        try:
            total = float(raw)
        except ValueError:
            total = -1.0
        if not 0 <= total < float("inf"):
            raise GeoKGError(f"{RETRY_ENV} must be a number of seconds, 0 or more (e.g. 60), got {raw!r}")
        return cls(total=total)

    def steps(self) -> Iterator[float]:
        """The pauses between attempts, without end: the budget is kept by the clock in
        :func:`retrying`, because the attempts themselves take time too."""
        pause = self.first
        while True:
            yield pause
            pause = min(pause * self.factor, self.cap)


def retrying(call: Callable[[], T], backoff: Backoff,
             retry_on: tuple[type[BaseException], ...] = (TransientStoreError,),
             on_wait: Callable[[BaseException, float], None] | None = None,
             on_back: Callable[[float], None] | None = None,
             sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic) -> T:
    """``call()``, called again after a pause whenever it raises one of ``retry_on``, until it
    succeeds or ``backoff.total`` seconds have passed since its first failure (then the last
    error is raised). ``on_wait(error, budget)`` is told once, when the outage starts;
    ``on_back(seconds)`` when a call succeeds after failing."""
    started: float | None = None
    steps = backoff.steps()
    while True:
        try:
            result = call()
        except retry_on as error:
            now = clock()
            if started is None:
                started = now
                if backoff.total > 0 and on_wait is not None:
                    on_wait(error, backoff.total)
            left = started + backoff.total - now
            if left <= 0:
                raise
            sleep(min(next(steps), left))
            continue
        if started is not None and on_back is not None:
            on_back(clock() - started)
        return result

