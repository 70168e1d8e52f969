"""The Neo4j store: the official driver, batched ``UNWIND`` writes in managed transactions.

Works with ``bolt://`` (one server) and ``neo4j://`` (cluster or Aura routing: reads go to
followers because every read runs in a READ transaction, writes to the leader). The query
console checks the text (``geokg.graph.console``), then asks the server itself whether the query
writes or does more than read (``EXPLAIN``'s query type and plan), then runs it in a READ
transaction with a timeout as the last wall.

Faults: the driver retries a transaction itself for a few seconds (a leader switch, a deadlock);
past that a lost server is a :class:`TransientStoreError`, which an ingest waits out
(``geokg.graph.stores.retry``) and the app shows as a banner until the server is back. The driver's own log
lines about each retry are silenced: GeoKG reports an outage once, in its own words.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pandas as pd

from geokg.graph import cypher as Q
from geokg.graph.console import check_console_query, explain, neo4j_plan_refusal
from geokg.graph.errors import QueryError, ReadOnlyViolation, StoreUnavailable, TransientStoreError
from geokg.graph.secrets import redact_uri
from geokg.graph.stores.base import CypherStore
from geokg.graph.stores.deadline import time_left

if TYPE_CHECKING:
    import neo4j.graph

__all__ = ["Neo4jStore", "WRITE_HINT", "DRIVER_RETRY_SECONDS", "BOLT_SCHEMES"]

#: How long the driver retries one transaction by itself. Short, so that the app shows its
#: banner within seconds of an outage; an ingest waits longer with ``geokg.graph.stores.retry``.
DRIVER_RETRY_SECONDS = 5.0
#: The address schemes of the Bolt protocol. The driver also takes http(s):// for its preview
#: Query API, which needs packages GeoKG does not install (a traceback instead of an error).
BOLT_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})
#: Reads run at once by ``_read_many``: a hop asks at most 8 questions (4 labels, 2 directions).
READ_THREADS = 4

# Without a handler, Python prints the driver's WARNING "Transaction failed and will be retried"
# (several lines per attempt) on stderr; the outage is reported once by the caller instead.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

#: Prefix of every write statement. Their plans are unique-key index seeks and typed expands
#: whatever the statistics say, but a young, fast-growing database makes Neo4j replan each
#: distinct statement whenever its counts diverge (~50-150 ms per statement, seconds per batch:
#: most of a GDELT load). ``replan=skip`` keeps the cached plan.
WRITE_HINT = "CYPHER replan=skip "


#: Values the driver returns as they are: by far the most common, so tested first.
_PLAIN = (str, int, float, bool, type(None))


def _normalise(value: Any) -> Any:
    """Driver graph objects -> the plain dicts the shared code expects. Called for every value
    of every row (a 2-hop neighbourhood: ~50,000 calls), so plain values and lists of them
    return at once and the driver's classes are looked up once."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list):
        return value if all(isinstance(v, _PLAIN) for v in value) else [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: v if isinstance(v, _PLAIN) else _normalise(v) for k, v in value.items()}
    node, relationship, path = _graph_classes()
    if isinstance(value, node):
        return {**dict(value), "_label": next(iter(value.labels), None), "_key": value.element_id}
    if isinstance(value, relationship):
        start, end = value.start_node, value.end_node  # None only for a relationship built without its nodes
        return {**dict(value), "_type": value.type, "_start": start.element_id if start else None,
                "_end": end.element_id if end else None}
    if isinstance(value, path):
        return {"nodes": [_normalise(n) for n in value.nodes],
                "rels": [_normalise(r) for r in value.relationships]}
    return value


def _nothing_answered(error: BaseException) -> bool:
    """Whether the driver's failure to connect was a refused, reset or timed-out connection
    (the server is down or starting), not a host name that does not resolve."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return False
        if isinstance(seen, (ConnectionError, TimeoutError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@functools.cache
def _graph_classes() -> tuple[type[neo4j.graph.Node], type[neo4j.graph.Relationship], type[neo4j.graph.Path]]:
    from neo4j.graph import Node, Path, Relationship

    return Node, Relationship, Path


class Neo4jStore(CypherStore):
    """A GeoKG graph in a Neo4j database."""

    dialect = Q.NEO4J
    backend = "neo4j"

    def __init__(self, uri: str, user: str = "neo4j", password: str | None = None,
                 database: str | None = None, connect_timeout: float = 5.0):
        import neo4j
        from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

        self.uri = redact_uri(uri)  # shown in messages: never a password put in the address
        self._pool: ThreadPoolExecutor | None = None
        self.database = database
        scheme = uri.partition("://")[0].lower() if "://" in uri else ""
        if scheme not in BOLT_SCHEMES:
            raise StoreUnavailable(f"bad Neo4j address {self.uri!r}: GeoKG speaks Bolt; use "
                                   "bolt://host:7687, or neo4j:// (or neo4j+s://) for a cluster or Aura")
        unreachable = (f"cannot reach Neo4j at {self.uri}: is the server running? "
                       "(scripts/neo4j-local start, or set NEO4J_URI)")
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri, auth=(user, password or ""), connection_timeout=connect_timeout,
                max_transaction_retry_time=DRIVER_RETRY_SECONDS,
                # The hop queries name every actor type; on a graph that lacks some of them the
                # server would otherwise send, and the driver log, a warning on every read.
                notifications_min_severity="OFF")
            self._driver.verify_connectivity()
        except AuthError:
            raise StoreUnavailable(f"Neo4j at {self.uri} refused user {user!r}: check NEO4J_USERNAME and "
                                   "NEO4J_PASSWORD") from None
        except (ServiceUnavailable, OSError) as e:
            # A server that is down or starting is worth waiting for (``geokg ingest`` does);
            # a host name that does not resolve is a typo more often than an outage.
            error = TransientStoreError if _nothing_answered(e) else StoreUnavailable
            raise error(unreachable) from None
        except (ConfigurationError, ValueError) as e:
            reason = str(e).splitlines()[0].replace(uri, self.uri)
            raise StoreUnavailable(f"bad Neo4j address {self.uri!r}: {reason}") from None
        try:
            for stmt in Q.neo4j_constraints():
                self._errors(lambda stmt=stmt: self._driver.execute_query(stmt, database_=database))
        except TransientStoreError:  # the server went away between the check and the schema, or is starting
            self._driver.close()
            raise TransientStoreError(unreachable) from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
        self._driver.close()

    def _read_many(self, queries: list[tuple[str, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        """Independent reads at once, each in its own session: a hop's 2-8 queries (per label and
        direction) keep both the server's cores and the client busy instead of taking turns."""
        if len(queries) < 2:
            return super()._read_many(queries)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=READ_THREADS, thread_name_prefix="geokg-read")
        contexts = [contextvars.copy_context() for _ in queries]  # each thread keeps the caller's time limit
        return list(self._pool.map(lambda c, qp: c.run(self._read, *qp), contexts, queries))

    def _session(self, read: bool):
        import neo4j

        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        # One bookmark manager for all sessions: in a cluster a read routed to a follower waits
        # until that follower has the writes this store made (read your own ingest).
        return self._driver.session(database=self.database, default_access_mode=mode,
                                    bookmark_manager=self._driver.execute_query_bookmark_manager)

    def _errors(self, fn):
        """``fn()`` with the driver's errors as GeoKG's: a lost or restarting server becomes
        :class:`TransientStoreError` (worth retrying), a refused query a QueryError."""
        from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable, SessionExpired

        try:
            return fn()
        except (ServiceUnavailable, SessionExpired):
            raise TransientStoreError(f"lost the connection to Neo4j at {self.uri}: is the server running?") from None
        except ClientError as e:
            code = e.code or ""
            if "AccessMode" in code or "ForbiddenDueToTransactionType" in code or "WriteOnReadOnly" in code:
                raise ReadOnlyViolation("the query console is read-only: this query writes") from None
            if "TransactionTimedOut" in code or "Terminated" in code:
                raise QueryError("the query ran past its time limit and was stopped") from None
            raise QueryError((e.message or code).splitlines()[0]) from None
        except Neo4jError as e:
            if e.is_retryable():  # TransientError: database unavailable (a restart), not a leader, ...
                raise TransientStoreError(f"Neo4j at {self.uri} is not available right now "
                                          f"({e.code or type(e).__name__})") from None
            raise QueryError((e.message or str(e)).splitlines()[0]) from None

    def _read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        def work(tx):
            res = tx.run(query, params or {})
            keys = res.keys()
            return [dict(zip(keys, (_normalise(v) for v in rec.values()))) for rec in res]

        left = time_left()
        if left is not None:
            import neo4j

            work = neo4j.unit_of_work(timeout=left)(work)

        def run():
            with self._session(read=True) as s:
                return s.execute_read(work)
        return self._errors(run)

    def _write(self, statements: list[tuple[str, dict[str, Any]]]) -> None:
        def work(tx):
            for query, params in statements:
                tx.run(WRITE_HINT + query, params).consume()

        def run():
            with self._session(read=False) as s:
                s.execute_write(work)
        self._errors(run)

    def _console(self, query: str, params: dict[str, Any], row_cap: int, timeout: float) -> pd.DataFrame:
        import neo4j

        check_console_query(query)

        def run():
            with self._session(read=True) as s:
                summary = s.run(neo4j.Query(explain(query)), params).consume()
                refusal = neo4j_plan_refusal(summary.query_type, summary.plan)
                if refusal:
                    raise ReadOnlyViolation(refusal)

                def work(tx):
                    res = tx.run(query, params)
                    keys = res.keys()
                    rows = []
                    for rec in res:
                        rows.append([_normalise(v) for v in rec.values()])
                        if len(rows) > row_cap:
                            break
                    return keys, rows
                return s.execute_read(neo4j.unit_of_work(timeout=timeout)(work))
        keys, rows = self._errors(run)
        df = pd.DataFrame(rows[:row_cap], columns=keys)
        df.attrs["truncated"] = len(rows) > row_cap
        return df
