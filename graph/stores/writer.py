"""Fragments into a store: the one write loop every caller shares.

``geokg ingest``, the Ingest page, the benchmarks and the tests all write the same way: whole
articles per transaction, ``batch_size`` of them at a time, each batch committed on a writer
thread while the next one is read and extracted (:mod:`geokg.graph.stores.overlap`), every
batch retried through an outage when a :class:`~geokg.graph.stores.retry.Backoff` is given
(:mod:`geokg.graph.stores.retry`), and the hub lists the batches left stale rebuilt once at the
end (:meth:`~geokg.graph.stores.protocol.Store.refresh_hubs`).

A retry is safe: articles already stored are skipped, so a batch that committed before the
connection dropped is simply skipped the second time, and an ingest stopped anyway completes
when it is run again. Nothing here prints: what a user should hear about an outage goes to
``notify`` (the CLI's timestamped stderr lines).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TypeVar

from geokg.graph.errors import StoreUnavailable, TransientStoreError
from geokg.graph.model import Fragment
from geokg.graph.stores.overlap import batches, overlapped
from geokg.graph.stores.protocol import Store, WriteStats
from geokg.graph.stores.retry import RETRY_ENV, Backoff, retrying

__all__ = ["write_fragments", "DEFAULT_BATCH_SIZE"]

T = TypeVar("T")

#: Whole articles per transaction unless the caller says otherwise.
DEFAULT_BATCH_SIZE = 500


def _retried(call: Callable[[], T], backoff: Backoff | None, notify: Callable[[str], None] | None) -> T:
    """``call()``, retried through an outage of up to ``backoff.total`` seconds (not at all
    without a backoff), telling ``notify`` once when the outage starts and once when it ends."""
    if backoff is None:
        return call()
    say = notify or (lambda _message: None)
    return retrying(call, backoff,
                    on_wait=lambda e, budget: say(f"{e} Retrying for up to {budget:g} s ({RETRY_ENV}); "
                                                  "whole articles written so far are kept"),
                    on_back=lambda waited: say(f"the store is back after {waited:.0f} s; going on"))


def write_fragments(store: Store, fragments: Iterable[Fragment], batch_size: int = DEFAULT_BATCH_SIZE,
                    backoff: Backoff | None = None, on_batch: Callable[[WriteStats], None] | None = None,
                    notify: Callable[[str], None] | None = None, what: str = "articles",
                    refresh: bool = True) -> WriteStats:
    """Write ``fragments`` (read lazily) in transactions of ``batch_size`` whole articles and
    return what was written and skipped.

    ``backoff``: wait out outages within its budget (None: an outage raises at once, as it
    comes from the store). Past the budget a :class:`StoreUnavailable` says how many ``what``
    (articles, records) were written and that running the same command again adds the rest.
    ``on_batch(total)`` hears the running total after every committed batch (a progress line,
    a progress bar). ``refresh``: rebuild the stale hub lists at the end (once per write
    instead of once per batch); a caller writing several streams in a row refreshes after the
    last one only.
    """
    stats = WriteStats()
    try:
        redirects = _retried(store.redirects, backoff, notify)  # once, not per batch

        def commit(batch: list[Fragment]) -> WriteStats:
            return _retried(lambda: store.write_batch(batch, redirects), backoff, notify)

        for written in overlapped(batches(fragments, batch_size), commit):  # the next batch is read meanwhile
            stats += written
            if on_batch is not None:
                on_batch(replace(stats))
    except TransientStoreError as e:
        if backoff is None:
            raise
        raise StoreUnavailable(f"{e} (gave up after {backoff.total:g} s; {stats.articles_written} {what} were "
                               "written: run the same command again to add the rest)") from None
    if refresh:
        try:  # the batches left the hubs they touched stale (read correctly, only slower)
            _retried(store.refresh_hubs, backoff, notify)
        except TransientStoreError as e:
            if backoff is None:
                raise
            raise StoreUnavailable(f"{e} (everything was written; the hub lists that speed up big "
                                   "neighbourhoods are rebuilt by the next ingest)") from None
    return stats
