"""GeoKG's exceptions: one hierarchy, messages that name the thing and the fix.

The CLI and the app print ``str(error)`` as one line and never a traceback, so every message
here must stand on its own.
"""

from __future__ import annotations

__all__ = ["GeoKGError", "LoadError", "StoreError", "StoreUnavailable", "TransientStoreError", "StoreBusy",
           "QueryError", "ReadOnlyViolation"]


class GeoKGError(Exception):
    """Base of every error GeoKG reports to a user."""


class LoadError(GeoKGError):
    """One input item (file, feed entry, CSV/JSONL row) could not be read; the batch goes on."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class StoreError(GeoKGError):
    """The store could not do what was asked."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or opened (server down, wrong password, corrupt file)."""


class TransientStoreError(StoreUnavailable):
    """The server went away or refused for a moment (connection lost, a restart, a leader switch):
    the same call may succeed later, so an ingest waits and retries (``geokg.graph.stores.retry``) instead of
    stopping, and the app reconnects on its next run."""


class StoreBusy(StoreError):
    """Another process holds the embedded store for writing."""


class QueryError(StoreError):
    """A Cypher query failed: syntax, unknown function, timeout."""


class ReadOnlyViolation(QueryError):
    """The query console was asked to run a query that writes."""
