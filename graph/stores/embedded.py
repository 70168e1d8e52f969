"""The embedded store: LadybugDB (the Kùzu lineage) in one file, zero setup.

LadybugDB needs a declared schema (``geokg.graph.cypher.ladybug_schema``) and has its own spelling of
a few Cypher functions (``geokg.graph.cypher.LADYBUG``). Locking is the engine's: one process may
open the file for writing while others read it; a second writer gets :class:`StoreBusy` at once
(``geokg ingest`` waits and tries again, see ``geokg.graph.stores.retry``). A writer killed half-way leaves
the last committed transaction: the engine replays its write-ahead log on the next open.
The query console runs on a separate *read-only* handle, so the engine itself refuses writes.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from geokg.graph import cypher as Q
from geokg.graph.console import check_console_query, explain, ladybug_plan_refusal
from geokg.graph.errors import QueryError, ReadOnlyViolation, StoreBusy, StoreUnavailable
from geokg.graph.model import ACTOR_TYPES, LINK_TYPES
from geokg.graph.stores.base import CypherStore
from geokg.graph.stores.bulk import arrow_rows, rollup_statements
from geokg.graph.stores.deadline import time_left
from geokg.graph.stores.plan import Stored, plan_batch
from geokg.graph.stores.rows import Batch
from geokg.graph.stores.translate import translate_console_query

if TYPE_CHECKING:
    import ladybug

__all__ = ["EmbeddedStore", "translate_console_query"]

# Shortest paths over all ~30 relationship tables need more than 512 MiB even on a tiny graph;
# the pool is reserved address space, filled only as pages are used.
_BUFFER_POOL = 2 * 1024 * 1024 * 1024
# At the default checkpoint threshold (16 MiB of WAL) a GDELT load checkpoints every few
# 2000-record batches, at more than a second each. 128 MiB: 100,000 records in 59 s instead of
# 78 s, for a higher memory plateau (peak RSS 1.4 GiB instead of 0.9 GiB; still flat).
_CHECKPOINT_BYTES = 128 * 1024 * 1024


def _open(path: Path, read_only: bool):
    import ladybug

    try:
        return ladybug.Database(str(path), read_only=read_only, buffer_pool_size=_BUFFER_POOL,
                                checkpoint_threshold=_CHECKPOINT_BYTES)
    except RuntimeError as e:
        msg = str(e)
        if "lock" in msg.lower():
            holder = re.search(r"held by PID (\d+)", msg)
            who = f"process {holder[1]}" if holder else "another process"
            raise StoreBusy(f"the store {path} is busy: {who} is writing to it; "
                            "wait for it to finish (readers may go on)") from None
        if "not a valid" in msg or "corrupt" in msg.lower() or "checksum" in msg.lower():
            raise StoreUnavailable(f"{path} is not a readable GeoKG database ({msg.splitlines()[0]}); "
                                   "move it aside and ingest again, or point GEOKG_DB elsewhere") from None
        raise StoreUnavailable(f"cannot open {path}: {msg.splitlines()[0]}") from None


def _normalise(value: Any) -> Any:
    """LadybugDB returns nodes/relationships as dicts with ``_LABEL``/``_ID``/``_SRC``/``_DST`` and
    paths as ``_NODES``/``_RELS``; give them the shape the shared code expects (``_label``/``_type``,
    ``_key``, ``_start``/``_end``; a path as ``{"nodes", "rels"}``, as the Neo4j store does)."""
    if isinstance(value, dict) and "_NODES" in value:
        return {"nodes": _normalise(value["_NODES"]), "rels": _normalise(value.get("_RELS") or [])}
    if isinstance(value, dict) and "_LABEL" in value:
        out = {k: v for k, v in value.items() if not k.startswith("_")}
        key = lambda i: f"{i['table']}:{i['offset']}"  # noqa: E731
        if "_SRC" in value:
            out.update(_type=value["_LABEL"], _start=key(value["_SRC"]), _end=key(value["_DST"]))
        else:
            out.update(_label=value["_LABEL"], _key=key(value["_ID"]))
        return out
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


_LABEL_COLUMN = re.compile(r"^LABEL\((\w+)\._ID,\[(.*)\]\)$", re.S)


def _column_name(name: str) -> str:
    """LadybugDB names an unaliased ``label(x)`` column after its internals
    (``LABEL(r._ID,[,,LEADS,...])``); show what the analyst typed instead."""
    m = _LABEL_COLUMN.match(name)
    if not m:
        return name
    is_rel = bool(set(m[2].split(",")) & set(ACTOR_TYPES + LINK_TYPES))
    return f"type({m[1]})" if is_rel else f"labels({m[1]})"


class EmbeddedStore(CypherStore):
    """A GeoKG graph in a LadybugDB file (default ``data/geokg.lbdb``)."""

    dialect = Q.LADYBUG
    backend = "embedded"

    def __init__(self, path: str | Path, read_only: bool = False):
        import ladybug

        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreUnavailable(f"no GeoKG database at {self.path}: run `geokg ingest` first "
                                   "(or set GEOKG_DB to where it is)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = _open(self.path, read_only)
        self._conn = ladybug.Connection(self._db)
        if not read_only:
            for ddl in Q.ladybug_schema():
                self._conn.execute(ddl)
        self._console_db: ladybug.Database | None = None
        self._dirty = True

    def close(self) -> None:
        for obj in (self._conn, self._db, self._console_db):
            if obj is not None:
                obj.close()
        self._console_db = None

    def _execute(self, conn, query: str | ladybug.PreparedStatement, params: dict[str, Any] | None):
        try:
            return conn.execute(query, params or {})
        except RuntimeError as e:
            msg = str(e).splitlines()[0]
            if "read-only" in msg:
                raise ReadOnlyViolation("the query console is read-only: this query writes") from None
            if "Interrupted" in msg:
                raise QueryError("the query ran past its time limit and was stopped") from None
            raise QueryError(msg) from None

    def _run(self, query: str, params: dict[str, Any] | None):
        """One statement of GeoKG's own on the store's connection. Rows read through
        ``LOAD FROM $rows`` go as an Arrow table (``geokg.graph.stores.bulk``), prepared here: the engine
        binds the table when it prepares, so such a statement is never reused, and the
        connection's own cache of prepared statements would keep every table alive."""
        rows = (params or {}).get("rows")
        if not (isinstance(rows, list) and Q.LADYBUG.rows in query):
            return self._execute(self._conn, query, params)
        params = {**(params or {}), "rows": arrow_rows(rows)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # prepare(): the way to skip that cache
            prepared = self._conn.prepare(query, params)
        if not prepared.is_success():
            raise QueryError(prepared.get_error_message().splitlines()[0])
        return self._execute(self._conn, prepared, params)

    def _read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        left = time_left()
        conn = None
        if left is None or isinstance((params or {}).get("rows"), list):
            res = self._run(query, params)
        else:  # a connection of its own: the shared one's time limit would stop other sessions' reads
            import ladybug

            conn = ladybug.Connection(self._db)
            conn.set_query_timeout(max(1, int(left * 1000)))
            res = self._execute(conn, query, params)
        try:
            cols = res.get_column_names()
            rows = []
            while res.has_next():
                rows.append(dict(zip(cols, (_normalise(v) for v in res.get_next()))))
            return rows
        finally:
            if conn is not None:
                conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        if self.read_only:
            raise ReadOnlyViolation(f"{self.path} is open read-only")
        self._conn.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            try:
                self._conn.execute("ROLLBACK")
            except RuntimeError:
                pass  # a failed statement already ended the transaction
            raise
        self._conn.execute("COMMIT")
        self._dirty = True

    def _write(self, statements: list[tuple[str, dict[str, Any]]]) -> None:
        with self._transaction():
            for query, params in statements:
                if params.get("rows") != []:  # an empty LOAD FROM table has no type; it writes nothing
                    self._run(query, params)

    def _write_rows(self, b: Batch, stored_articles: set[str]) -> None:
        """The batch in one transaction, planned by ``geokg.graph.stores.plan``: which of its entities
        are stored (one key lookup each, inside the transaction); nodes and links, created when
        new; the stored roll-ups it touches, taken out with their properties; then every
        roll-up created whole."""
        d = self.dialect
        with self._transaction():
            known = {lab: {r["id"] for r in self._read(Q.stored_keys(lab, d), {"rows": [{"id": x["id"]} for x in rows]})}
                     for lab, rows in b.entities.items() if rows}
            plan = plan_batch(b, Stored(stored_articles, known), d)
            for query, params in plan.statements:
                self._run(query, params)
            old: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
            for (rel, src, dst), rows in plan.stored_pairs.items():
                res = self._run(Q.take_actor_rels(rel, src, dst, d), {"rows": rows})
                cols = res.get_column_names()  # plain values: no node or path to normalise
                for values in res.get_all():
                    r = dict(zip(cols, values))
                    old[(rel, src, dst, r.pop("s"), r.pop("t"))] = r
            for query, params in rollup_statements(b, old, d):
                self._run(query, params)

    def _plan(self, conn, query: str, params: dict[str, Any]) -> str:
        """LadybugDB's EXPLAIN of one console query. Prepared, because ``execute`` runs every
        ';'-separated statement it is given while ``prepare`` refuses more than one."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # prepare(): still the single-statement API
            try:
                prepared = conn.prepare(explain(query))
                error = "" if prepared.is_success() else prepared.get_error_message()
            except RuntimeError as e:
                error = str(e)
        if error:
            error = error.splitlines()[0]
            if "multiple statements" in error:
                raise ReadOnlyViolation("the query console is read-only: it runs one statement at a time")
            if "read-only" in error:
                raise ReadOnlyViolation("the query console is read-only: this query writes")
            raise QueryError(error)
        return self._execute(conn, prepared, params).get_next()[0]

    def _console(self, query: str, params: dict[str, Any], row_cap: int, timeout: float) -> pd.DataFrame:
        import ladybug

        check_console_query(query)  # files, extensions, settings: more than the read-only handle stops
        if self.read_only:
            conn = self._conn
        else:
            # A read-only handle of the same file: the engine refuses writes by itself. It sees
            # the data as of its opening, so it is reopened after every write.
            if self._dirty or self._console_db is None:
                if self._console_db is not None:
                    self._console_db.close()
                self._console_db = _open(self.path, read_only=True)
                self._dirty = False
            conn = ladybug.Connection(self._console_db)
        conn.set_query_timeout(int(timeout * 1000))
        try:
            query = translate_console_query(query)
            refusal = ladybug_plan_refusal(self._plan(conn, query, params))
            if refusal:
                raise ReadOnlyViolation(refusal)
            res = self._execute(conn, query, params)
            cols = res.get_column_names()
            rows: list[list[Any]] = []
            while res.has_next() and len(rows) <= row_cap:
                rows.append([_normalise(v) for v in res.get_next()])
        finally:
            conn.set_query_timeout(0)
        df = pd.DataFrame(rows[:row_cap], columns=[_column_name(c) for c in cols])
        df.attrs["truncated"] = len(rows) > row_cap
        return df
