"""The behaviour both backends share, written once over three primitives.

Both backends speak Cypher, so :class:`CypherStore` implements every operation once on top of
three primitives a backend provides: ``_read`` (rows as plain dicts, nodes and relationships
normalised), ``_write`` (statements in one transaction) and ``_console`` (a read-only run of a
user's query). Graph results come out as networkx graphs whose node keys are the references of
``geokg.graph.model.ref`` (``country:CHN``), the same on both backends.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from geokg.graph import cypher as Q
from geokg.graph.errors import GeoKGError, QueryError
from geokg.graph.event_clusters import EVENT_WINDOW_DAYS, Cluster, Place, Report, assign, reports_of
from geokg.graph.model import (
    ACTOR_TYPES,
    ENTITY_LABELS,
    ENTITY_PROPS,
    EVENT_TYPES,
    LINK_TYPES,
    NODE_LABELS,
    STRUCTURAL_TYPES,
    UNCLASSIFIED,
    UNDIRECTED_TYPES,
    Entity,
    Fragment,
    parse_ref,
    ref,
    stable_id,
)
from geokg.graph.stores.plan import Stored, plan_batch
from geokg.graph.stores.protocol import ROW_CAP, TIMEOUT_S, DeletedRelation, WriteStats
from geokg.graph.stores.rows import Batch, build_batch

__all__ = ["CypherStore", "redirect_fragment", "graph_of_result"]



def _node_ref(props: dict[str, Any]) -> str:
    return ref(props["_label"], props["id"])


def _given(**params: Any) -> dict[str, Any]:
    """The parameters that were given: a query mentions only the filters it uses."""
    return {k: v for k, v in params.items() if v is not None}


def _now() -> str:
    """A UTC timestamp that sorts as text (curation records)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _rel_row(props: dict[str, Any]) -> dict[str, Any]:
    """A recorded relationship's properties as a write row: every actor property, nulls kept."""
    return {p: props.get(p) for p in Q.ACTOR_REL_PROPS}


def _public(props: dict[str, Any]) -> dict[str, Any]:
    """Node/relationship properties without backend internals, nulls dropped."""
    return {k: v for k, v in props.items() if not k.startswith("_") and v is not None}


@dataclass(frozen=True)
class _HopEdge:
    """One relationship a hop found: its ends as refs, its type, and the answer row it came in."""

    u: str
    v: str
    type: str
    far: str  # the end the hop reached (u or v)
    row: dict[str, Any]

    @property
    def mentions(self) -> int:
        return self.row.get("mentions") or 0


def _new_edges(g: nx.MultiDiGraph, asked: Sequence[tuple[str, str]], answers: Sequence[list[dict[str, Any]]],
               limit: int) -> list[_HopEdge]:
    """The ``limit`` most-mentioned relationships of one hop's answers (one per label and
    direction, each already cut at ``limit``) that ``g`` does not hold yet: an edge back to the
    node the hop came from, or one found from both its ends, does not take a place twice. Ties
    go by type, then the ends, so the cut does not depend on which query answered first."""
    found: dict[tuple[str, str, str], _HopEdge] = {}
    for (lab, direction), answer in zip(asked, answers):
        for row in answer:
            near, far = ref(lab, row["a_id"]), ref(row["b_label"], row["b_id"])
            u, v = (near, far) if direction == "out" else (far, near)
            if (u, v, row["type"]) not in found and not g.has_edge(u, v, key=row["type"]):
                found[u, v, row["type"]] = _HopEdge(u, v, row["type"], far, row)
    return sorted(found.values(), key=lambda e: (-e.mentions, e.type, e.u, e.v))[:limit]


@dataclass
class _Prepared:
    """A batch ready to commit: its fragments (one per key)."""

    fragments: list[Fragment]
    duplicates: int  # fragments of the batch repeating a key of an earlier one


def _cluster(row: dict[str, Any]) -> Cluster:
    """A stored event as :func:`geokg.graph.event_clusters.assign` sees it (``Q.event_candidates``)."""
    place = (Place(ref("Location", row["loc"]), row["loc_country"], row["lat"], row["lon"]) if row.get("loc")
             else Place(ref("Country", row["country"]), row["country"]) if row.get("country") else None)
    return Cluster(row["id"], row["key"], row["date"], place, tuple(row["report_ids"] or ()),
                   tuple(row["report_articles"] or ()), tuple(row["report_origins"] or ()),
                   tuple(d or None for d in row["report_dates"] or ()), tuple(row["report_evidence"] or ()),
                   row["first_reported"], row["last_reported"], float(row["confidence"] or 0.0), stored=True)


class CypherStore:
    """Everything GeoKG asks of a graph store, written once for both Cypher backends."""

    dialect: Q.Dialect
    backend: str = "?"
    #: Where the dialect keeps hub lists (``geokg.graph.cypher``, "hub lists"): a node with at least
    #: ``hub_degree`` actor relationships keeps the ids of its ``hub_top`` most-mentioned ones
    #: per direction. Below 1,000 relationships a sorted hop takes a few milliseconds anyway;
    #: 500 covers the explorer's 300-node limit.
    hub_degree: int = 1000
    hub_top: int = 500
    #: Days either side of an event's date within which a report of the same happening joins it
    #: (``geokg.graph.event_clusters``); None: every report is an event of its own.
    event_window: int | None = EVENT_WINDOW_DAYS

    # -- primitives a backend provides -----------------------------------------------------
    def _read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _write(self, statements: list[tuple[str, dict[str, Any]]]) -> None:
        raise NotImplementedError

    def _read_many(self, queries: list[tuple[str, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        """Independent reads, answers in order (a backend may run them at once)."""
        return [self._read(q, p) for q, p in queries]
    def _console(self, query: str, params: dict[str, Any], row_cap: int, timeout: float) -> pd.DataFrame:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def ping(self) -> None:
        """One trivial read: raises StoreUnavailable (TransientStoreError for a server that went
        away) when the store cannot answer now. The app calls it on every run, so a page whose
        results are cached still says the server is gone instead of showing stale data silently."""
        self._read("RETURN 1 AS ok")

    def __enter__(self) -> CypherStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes ----------------------------------------------------------------------------
    def write_batch(self, fragments: list[Fragment], redirects: dict[str, str]) -> WriteStats:
        """Write one batch in one transaction; articles already in the store are skipped, so an
        interrupted ingest can simply be run again. Batching, overlap and retry are the caller's:
        :func:`geokg.graph.stores.writer.write_fragments`. ``redirects`` is :meth:`redirects`,
        read once by the caller. Hubs the batch touched are left stale (read correctly, by a
        sorted hop) until the caller's :meth:`refresh_hubs`: one refresh per write, not per batch."""
        return self._commit(self._prepare(fragments, redirects))

    def refresh_hubs(self) -> int:
        """Rebuild the lists of the hubs that writes marked stale; returns how many. One short
        transaction per hub, locking it first (see ``geokg.graph.cypher.hub_mark``)."""
        if not self.dialect.hub_lists:
            return 0
        done = 0
        for lab in ENTITY_LABELS:
            for row in self._read(Q.hub_stale(lab)):
                self._write([(Q.hub_lock(lab), {"id": row["id"]}),
                             (Q.hub_refresh(lab), {"id": row["id"], "top": self.hub_top})])
                done += 1
        return done

    def rebuild_hubs(self) -> int:
        """Find every hub from scratch and build its lists: for a graph written by other means
        (a bulk load, a GeoKG before hub lists). Returns how many hubs there are."""
        if not self.dialect.hub_lists:
            return 0
        self._write([(Q.hub_rescan(lab), {"degree": self.hub_degree}) for lab in ENTITY_LABELS])
        return self.refresh_hubs()

    def _hub_marks(self, ends: Iterable[tuple[str, str]]) -> list[tuple[str, dict[str, Any]]]:
        """The statements marking stale the hubs among ``ends`` (label, key), keys sorted so
        that concurrent writers lock hubs in one order."""
        if not self.dialect.hub_lists:
            return []
        keys: dict[str, set[str]] = {}
        for lab, key in ends:
            keys.setdefault(lab, set()).add(key)
        return [(Q.hub_mark(lab), {"ids": sorted(keys[lab]), "degree": self.hub_degree}) for lab in sorted(keys)]

    def _prepare(self, fragments: list[Fragment], redirects: dict[str, str]) -> _Prepared:
        """The batch's rows, built as if none of it were stored yet (the usual case); no I/O."""
        unique: dict[tuple[str, str], Fragment] = {}
        for f in self._redirected(fragments, redirects):  # merges stick (see merge_entities)
            unique.setdefault(f.key, f)
        return _Prepared(list(unique.values()), len(fragments) - len(unique))

    def _stored_events(self, reports: list[Report]) -> list[Cluster]:
        """The stored events the reports may join: same key, dated within the window of one of them."""
        keyed = [r for r in reports if r.key is not None and r.date is not None]
        if not keyed or self.event_window is None:
            return []
        w = timedelta(days=self.event_window)
        dates = [date.fromisoformat(r.date) for r in keyed if r.date]
        params = {"keys": sorted({r.key for r in keyed if r.key}),
                  "lo": (min(dates) - w).isoformat(), "hi": (max(dates) + w).isoformat()}
        return [_cluster(row) for row in self._read(Q.event_candidates(), params)]

    def _commit(self, prep: _Prepared) -> WriteStats:
        """Skip what is stored, place each report in its event (a stored one it joins, or a new
        one: ``geokg.graph.event_clusters``), then write in one transaction."""
        frags = prep.fragments
        article_ids = list(dict.fromkeys(f.article.id for f in frags))
        stored_articles = {r["id"]: r["origin"] for r in self._read(Q.existing_articles(), {"ids": article_ids})}
        event_ids = [k for lb, k in (f.key for f in frags) if lb == "Event"]
        stored_events = {r["id"] for r in self._read(Q.existing("Event"), {"ids": event_ids})} if event_ids else set()
        reports = reports_of(frags, self.event_window)
        candidates = self._stored_events(reports)
        stored_events |= {rid for c in candidates for rid in c.report_ids}  # a record joined another's event

        def stored(f: Fragment) -> bool:
            # An article counts as stored once written from its own origin: a GDELT record
            # citing a URL does not stop the article read from that URL from being extracted.
            lab, key = f.key
            return key in stored_events if lab == "Event" else stored_articles.get(key) == f.article.origin

        fresh = [f for f in frags if not stored(f)]
        skipped = prep.duplicates + len(frags) - len(fresh)
        if not fresh:
            return WriteStats(articles_skipped=skipped)
        if len(fresh) < len(frags):
            reports = reports_of(fresh, self.event_window)
        b = build_batch(fresh, events=assign(reports, candidates, self.event_window))
        self._write_rows(b, set(stored_articles))
        return WriteStats(len(fresh), skipped, b.node_count, b.rel_count)

    def _write_rows(self, b: Batch, stored_articles: set[str]) -> None:
        """Write a batch's rows in one transaction. ``stored_articles``: the ids of its articles
        already in the store (read from another origin), whose links may exist.

        New articles, events and their links are created; entities and roll-ups are merged, one
        statement per label and per relationship type and endpoint labels (``geokg.graph.stores.plan``). The
        embedded store overrides this: it also looks up which entities are stored."""
        plan = plan_batch(b, Stored(stored_articles), self.dialect)
        self._write(plan.statements + self._hub_marks(
            (lab, row[end]) for (_, *labs), rows in b.actor_rels.items() for row in rows
            for lab, end in zip(labs, ("s", "t"))))

    # -- lookups ---------------------------------------------------------------------------
    def search(self, text: str, labels: Sequence[str] = ENTITY_LABELS, limit: int = 20) -> pd.DataFrame:
        """Entities whose name or an alias contains ``text`` (case-insensitive), most mentioned first."""
        q = text.strip().lower()
        rows = []
        for lab in labels:
            query = Q.search_entities(lab) if q else Q.top_entities(lab)
            for r in self._read(query, {"q": q, "limit": limit} if q else {"limit": limit}):
                rows.append({"ref": ref(lab, r["id"]), "label": lab, **r})
        df = pd.DataFrame(rows, columns=["ref", "label", "id", "name", "mentions"])
        return df.sort_values(["mentions", "name"], ascending=[False, True]).head(limit).reset_index(drop=True)

    def entity(self, node_ref: str) -> dict[str, Any] | None:
        """One node's properties, or None."""
        lab, key = parse_ref(node_ref)
        rows = self._read(Q.get_entity(lab), {"id": key})
        return _public(rows[0]["n"]) | {"label": lab} if rows else None

    # -- graph reads -----------------------------------------------------------------------
    def neighbourhood(self, refs: Sequence[str], hops: int = 1, types: Sequence[str] | None = None,
                      date_from: str | None = None, date_to: str | None = None,
                      min_mentions: int = 1, limit: int = 300, origin: str | None = None,
                      min_confidence: float | None = None) -> nx.MultiDiGraph:
        """The actor graph around ``refs``, expanded hop by hop (1-3): each hop adds the ``limit``
        most-mentioned relationships of the nodes the previous hop reached (ties by type and ends).
        ``min_confidence`` hides extracted relationships below that confidence (those without
        one, or from GDELT/ACLED records at 1.0, always stay).

        Why a total per hop, not per label and direction: the Explore page draws ``limit`` nodes,
        and a per-query limit made a hub's second hop start from over a thousand nodes (eight
        queries of 300) to fetch edges nobody sees. Each hop is one bounded query per label and
        direction, most-mentioned relationships first, so a hub node costs a limited scan instead
        of an exploding variable-length match; the properties of what the hop keeps are fetched
        after the cut, by key and element id (see ``geokg.graph.cypher.hop``). On Neo4j a hub (a node
        with thousands of relationships) is not sorted at all for the default view: its list of
        top relationships is read instead (see ``geokg.graph.cypher.hop_listed``). Nothing here copies
        the whole graph: the result holds only what was reached.
        """
        if not 1 <= hops <= 3:
            raise GeoKGError(f"hops must be 1, 2 or 3, got {hops}")
        types = list(types or ACTOR_TYPES)
        # the hub lists answer the view of all types without date, origin or confidence filter: they
        # hold the top relationships by mentions whatever their confidence, so a filtered hop that
        # read them could miss kept relationships below the lists' cut (it sorts instead)
        listed = (self.dialect.hub_lists and set(types) == set(ACTOR_TYPES) and limit <= self.hub_top
                  and not (date_from or date_to or origin) and min_confidence is None)
        g = nx.MultiDiGraph()
        for r in refs:
            node = self.entity(r)
            if node is None:
                raise GeoKGError(f"no such entity: {r}")
            g.add_node(r, **node)
        frontier = set(refs)
        for _ in range(hops):
            reached: dict[str, set[str]] = {}
            by_label: dict[str, list[str]] = {}
            for r in sorted(frontier):
                lab, key = parse_ref(r)
                by_label.setdefault(lab, []).append(key)
            asked = [(lab, direction) for lab in by_label if lab in ENTITY_LABELS for direction in ("out", "in")]
            confident = min_confidence is not None
            queries = [(Q.hop_listed(lab, direction, self.dialect) if listed else
                        Q.hop(lab, types, direction, self.dialect, bool(date_from), bool(date_to), bool(origin),
                              confident),
                        _given(ids=by_label[lab], min_mentions=min_mentions, date_from=date_from, date_to=date_to,
                               limit=limit, origin=origin, min_confidence=min_confidence))
                       for lab, direction in asked]
            kept = _new_edges(g, asked, [Q.unpack(self.dialect, a) for a in self._read_many(queries)], limit)
            for e in kept:
                if e.far not in g:
                    lab, key = parse_ref(e.far)
                    g.add_node(e.far, label=lab)
                    reached.setdefault(lab, set()).add(key)
            details = [(Q.nodes_by_id(lab, self.dialect), {"ids": sorted(keys)}) for lab, keys in reached.items()]
            rids = [e.row["rid"] for e in kept if "rid" in e.row]  # Neo4j answers without properties
            if rids:
                details.append((Q.rels_by_element_id(self.dialect), {"rids": rids}))
            answers = [Q.unpack(self.dialect, a) for a in self._read_many(details)]
            for lab, answer in zip(reached, answers):
                for row in answer:
                    g.add_node(ref(lab, row["n"]["id"]), **_public(row["n"]), label=lab)
            props = {row["rid"]: row["r"] for row in answers[-1]} if rids else {}
            for e in kept:
                rel = props.get(e.row["rid"]) if rids else {p: e.row[p] for p in Q.HOP_REL_PROPS}
                if rel is not None:  # None: deleted by a curator between the two reads
                    g.add_edge(e.u, e.v, key=e.type, type=e.type, **_public(rel))
            frontier = {ref(lab, k) for lab, keys in reached.items() for k in keys}
            if not frontier:
                break
        return g

    def paths(self, a: str, b: str, max_hops: int = 4, types: Sequence[str] | None = None,
              limit: int = 10, date_from: str | None = None, date_to: str | None = None) -> list[nx.MultiDiGraph]:
        """All shortest paths (up to ``limit``) between two entities, at most ``max_hops`` long.
        With a window (``date_to`` alone: the graph as of that date), only through relationships
        seen in it, chosen during the search: the shortest paths *of that time*, not the
        shortest paths of today with the ones outside the window dropped."""
        if a == b:
            raise GeoKGError("a path needs two different entities")
        if not 1 <= max_hops <= 6:
            raise GeoKGError(f"max_hops must be between 1 and 6, got {max_hops}")
        (la, ka), (lb, kb) = parse_ref(a), parse_ref(b)
        query = Q.shortest_paths(la, lb, list(types or ACTOR_TYPES), max_hops, self.dialect, bool(date_from),
                                 bool(date_to))
        out = []
        for row in self._read(query, {"a": ka, "b": kb, "limit": limit, **_given(date_from=date_from, date_to=date_to)}):
            p = nx.MultiDiGraph()
            by_key = {}
            for n in row["nodes"]:
                p.add_node(_node_ref(n), **_public(n), label=n["_label"])
                by_key[n["_key"]] = _node_ref(n)
            for r in row["rels"]:
                p.add_edge(by_key[r["_start"]], by_key[r["_end"]], key=r["_type"], type=r["_type"], **_public(r))
            p.graph["order"] = [_node_ref(n) for n in row["nodes"]]
            out.append(p)
        return out

    def events(self, types: Sequence[str] | None = None, date_from: str | None = None,
               date_to: str | None = None, actor: str | None = None, origin: str | None = None,
               limit: int = 1000) -> pd.DataFrame:
        """Events, newest first, filtered by type, date window, actor reference and origin."""
        bad = [t for t in types or () if t not in EVENT_TYPES and t != UNCLASSIFIED]
        if bad:
            raise GeoKGError(f"unknown event types {bad}")
        params = _given(types=list(types) if types else None, date_from=date_from, date_to=date_to,
                        actor=parse_ref(actor)[1] if actor else None, origin=origin)
        actor_label = parse_ref(actor)[0] if actor else None
        cols = ["id", "date", "type", "cameo", "actors", "targets", "evidence", "confidence", "origin", "article",
                "reports"]
        if actor_label and actor_label not in ("Country", "Person", "Organization"):
            return pd.DataFrame(columns=cols)  # only actors take part in events
        rows = self._read(Q.events_table(list(params), actor_label), {**params, "limit": limit})
        return pd.DataFrame(rows, columns=cols)

    def relations(self, types: Sequence[str] | None = None, entity: str | None = None,
                  date_from: str | None = None, date_to: str | None = None,
                  min_mentions: int = 1, limit: int = 1000, origin: str | None = None,
                  min_confidence: float | None = None) -> pd.DataFrame:
        """Direct actor relationships (structural and event roll-ups), most mentioned first;
        ``origin`` (article, gdelt, acled) keeps those with at least one source of that kind;
        ``min_confidence`` hides extracted ones below it (as in :meth:`neighbourhood`).
        With ``entity``, those in and out of that node: two indexed hops, not a scan of the graph."""
        types = list(types or ACTOR_TYPES)
        params = _given(min_mentions=min_mentions, date_from=date_from, date_to=date_to, limit=limit, origin=origin,
                        min_confidence=min_confidence)
        flags = (bool(date_from), bool(date_to), bool(origin))
        confident = min_confidence is not None
        if entity:
            lab, key = parse_ref(entity)
            rows = [row for direction in ("out", "in")
                    for row in self._read(Q.relations_table(types, self.dialect, *flags, anchor=(lab, direction),
                                                            confidence=confident), {**params, "entity": key})]
        else:
            rows = self._read(Q.relations_table(types, self.dialect, *flags, confidence=confident), params)
        df = pd.DataFrame(rows)
        if df.empty:
            return pd.DataFrame(columns=["source", "type", "target", "mentions", "first_seen", "last_seen", "evidence"])
        if entity:  # a self-loop comes back from both directions; keep the best ``limit`` of both
            df = df.drop_duplicates(["source_label", "source_id", "type", "target_label", "target_id"])
            df = df.sort_values(["mentions", "source", "target"], ascending=[False, True, True]).head(limit)
        return df.reset_index(drop=True)

    def stats(self) -> dict[str, dict[str, int]]:
        """Node counts per label and relationship counts per type (zeros omitted)."""
        nodes = {lab: self._read(Q.count_label(lab))[0]["n"] for lab in NODE_LABELS}
        rels = {t: self._read(Q.count_rel(t))[0]["n"] for t in ACTOR_TYPES + LINK_TYPES}
        return {"nodes": {k: v for k, v in nodes.items() if v},
                "relationships": {k: v for k, v in rels.items() if v}}

    def cypher(self, query: str, params: dict[str, Any] | None = None, row_cap: int = ROW_CAP,
               timeout: float = TIMEOUT_S) -> pd.DataFrame:
        """Run a user's query read-only, at most ``row_cap`` rows (``df.attrs['truncated']`` says if
        more existed) and ``timeout`` seconds. Writing queries raise ReadOnlyViolation."""
        if not query.strip():
            raise GeoKGError("the query is empty")
        return self._console(query, params or {}, row_cap, timeout)

    # -- whole-graph export ----------------------------------------------------------------
    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph as networkx (a full copy: for export, not for browsing)."""
        g = nx.MultiDiGraph()
        for lab in NODE_LABELS:
            for row in self._read(Q.all_nodes(lab)):
                g.add_node(ref(lab, row["n"]["id"]), **_public(row["n"]), label=lab)
        for rel in ACTOR_TYPES + LINK_TYPES:
            for row in self._read(Q.all_rels(rel, self.dialect)):
                g.add_edge(ref(row["a_label"], row["a_id"]), ref(row["b_label"], row["b_id"]),
                           key=rel, type=rel, **_public(row["r"]))
        return g

    def export(self, fmt: str, out: str | Path) -> Path:
        """Write the graph as GraphML, JSON (node-link) or CSV (``out`` is a folder for CSV)."""
        from geokg.graph.analysis.export import export_graph
        return export_graph(self.to_networkx(), fmt, Path(out))

    # -- curation --------------------------------------------------------------------------
    def add_alias(self, node_ref: str, alias: str) -> None:
        lab, key = parse_ref(node_ref)
        alias = alias.strip()
        if not alias:
            raise GeoKGError("an alias cannot be empty")
        if self.entity(node_ref) is None:
            raise GeoKGError(f"no such entity: {node_ref}")
        self._write([(Q.add_alias(lab, self.dialect), {"id": key, "aliases": [alias]})])

    def delete_relation(self, source: str, rel_type: str, target: str) -> DeletedRelation:
        """Delete the ``rel_type`` relationship from ``source`` to ``target``; returns what was
        deleted (``count`` 0 when there was none), so the caller can say what changed."""
        (sl, sk), (tl, tk) = parse_ref(source), parse_ref(target)
        if rel_type not in ACTOR_TYPES:
            raise GeoKGError(f"unknown relation type {rel_type!r}")
        found = [row["r"] for row in self._read(Q.rels_of(sl, rel_type, "out", self.dialect), {"id": sk})
                 if (row["b_label"], row["b_id"]) == (tl, tk)]
        if not found:
            return DeletedRelation(source, rel_type, target)
        self._write([(Q.delete_rel(sl, rel_type, tl), {"s": sk, "t": tk}),
                     *self._hub_marks([(sl, sk), (tl, tk)])])
        self.refresh_hubs()
        r = found[0]
        return DeletedRelation(source, rel_type, target, len(found), r.get("mentions") or 0, r.get("evidence"))

    def mark_reviewed(self, source: str, rel_type: str, target: str) -> None:
        (sl, sk), (tl, tk) = parse_ref(source), parse_ref(target)
        if rel_type not in ACTOR_TYPES:
            raise GeoKGError(f"unknown relation type {rel_type!r}")
        self._write([(Q.review_rel(sl, rel_type, tl), {"s": sk, "t": tk})])

    def merge_entities(self, keep: str, drop: str) -> None:
        """Fold ``drop`` into ``keep``: its relationships move over (counts and article lists
        combined), its name becomes an alias, and ``drop`` is deleted. One transaction.

        The merge sticks: ``drop``'s id (and any ids it had absorbed) is recorded in ``keep``'s
        ``merged_ids``, and every later write maps fragments through these redirects, so a new
        article naming the merged-away entity lands on ``keep`` instead of re-creating ``drop``."""
        (lk, kk), (ld, kd) = parse_ref(keep), parse_ref(drop)
        if keep == drop:
            raise GeoKGError("cannot merge an entity into itself")
        kept, dropped = self.entity(keep), self.entity(drop)
        if kept is None or dropped is None:
            raise GeoKGError(f"no such entity: {drop if kept else keep}")
        if lk != ld:
            raise GeoKGError(f"cannot merge a {ld} into a {lk}")
        stmts: list[tuple[str, dict[str, Any]]] = []
        touched = [(lk, kk)]  # hubs listing a relationship that moves must be rebuilt
        for rel in ACTOR_TYPES:
            for direction in ("out", "in"):
                rows = self._read(Q.rels_of(ld, rel, direction, self.dialect), {"id": kd})
                for row in rows:
                    far = (row["b_label"], row["b_id"])
                    touched.append(far)
                    if far == (lk, kk):
                        continue  # the relationship between the two disappears with the merge
                    src, dst = ((lk, kk), far) if direction == "out" else (far, (lk, kk))
                    r = row["r"]
                    stmts.append((Q.merge_actor_rel(rel, src[0], dst[0], self.dialect), {"rows": [{
                        "s": src[1], "t": dst[1], "n": r.get("mentions") or 0, "articles": r.get("articles") or [],
                        "events": r.get("events") or [], "origins": r.get("origins") or [],
                        "first_seen": r.get("first_seen"), "last_seen": r.get("last_seen"),
                        "evidence": r.get("evidence"), "confidence": r.get("confidence") or 0.0,
                        "role": r.get("role")}]}))
        for rel, (srcs, dsts) in (("ACTOR_IN", (ld, "Event")), ("TARGETS", ("Event", ld)),
                                  ("MENTIONS", ("Article", ld))):
            stmts.extend(self._move_links(rel, srcs, dsts, ld, kd, kk))
        names = [dropped["name"], *dropped.get("aliases", [])]
        stmts.append((Q.add_alias(lk, self.dialect), {"id": kk, "aliases": names}))
        stmts.append((Q.add_merged_ids(lk, self.dialect), {"id": kk, "ids": [kd, *(dropped.get("merged_ids") or [])]}))
        stmts.append((Q.delete_node(ld), {"id": kd}))
        stmts.append(self._merge_record(keep, drop, kept, dropped))  # what undo_merge needs
        self._write(stmts + self._hub_marks(touched))
        self.refresh_hubs()

    def _move_links(self, rel: str, src: str, dst: str, lab: str, old: str, new: str) -> list[tuple[str, dict[str, Any]]]:
        if rel in ("ACTOR_IN", "TARGETS") and lab not in ("Country", "Person", "Organization"):
            return []  # only actors take part in events
        direction = "out" if src == lab else "in"
        rows = self._read(Q.rels_of(lab, rel, direction, self.dialect), {"id": old})
        pairs = [{"s": new, "t": r["b_id"]} if direction == "out" else {"s": r["b_id"], "t": new} for r in rows]
        return [(Q.merge_link(rel, src, dst, self.dialect), {"rows": pairs})] if pairs else []


    # -- duplicate candidates, rejections, undoable merges -----------------------------------
    def entity_rows(self, lab: str) -> list[dict[str, Any]]:
        """Every entity of one label: ref, name, aliases, country, mentions (the rows duplicate
        scoring reads, see ``geokg.graph.analysis.duplicates``). One label scan."""
        rows = Q.unpack(self.dialect, self._read(Q.entity_rows(lab, self.dialect)))
        return [{**r, "ref": ref(lab, r["id"]), "label": lab, "aliases": list(r.get("aliases") or [])} for r in rows]

    def neighbour_refs(self, refs: Sequence[str], limit: int = 200_000) -> dict[str, set[str]]:
        """The actor neighbours (refs) of each of ``refs``: one indexed hop per node."""
        by_label: dict[str, list[str]] = {}
        for r in refs:
            lab, key = parse_ref(r)
            by_label.setdefault(lab, []).append(key)
        out: dict[str, set[str]] = {}
        for lab, keys in by_label.items():
            answer = self._read(Q.neighbour_ids(lab, self.dialect), {"ids": keys, "limit": limit})
            for row in Q.unpack(self.dialect, answer):
                out.setdefault(ref(lab, row["id"]), set()).add(ref(row["b_label"], row["b_id"]))
        return out

    def not_same(self) -> set[frozenset[str]]:
        """The pairs an analyst rejected as duplicates (:meth:`reject_duplicate`)."""
        pairs: set[frozenset[str]] = set()
        try:
            for lab in ENTITY_LABELS:
                pairs |= {frozenset((ref(lab, r["a"]), ref(lab, r["b"]))) for r in self._read(Q.not_same_pairs(lab))}
        except QueryError:  # an embedded file from before curation records, opened read-only: none yet
            return set()
        return pairs

    def reject_duplicate(self, a: str, b: str) -> None:
        """Remember that ``a`` and ``b`` are different: the pair is never proposed again. Stored
        as one NOT_SAME relationship from the smaller reference to the larger."""
        (la, ka), (lb, kb) = sorted((parse_ref(a), parse_ref(b)))
        if la != lb:
            raise GeoKGError(f"a {la} and a {lb} are never proposed as one; nothing to reject")
        if ka == kb:
            raise GeoKGError("an entity is always the same as itself")
        for r in (a, b):
            if self.entity(r) is None:
                raise GeoKGError(f"no such entity: {r}")
        self._write([(Q.add_not_same(la), {"a": ka, "b": kb, "at": _now()})])

    def unreject_duplicate(self, a: str, b: str) -> None:
        """Forget a rejection (the pair may be proposed again)."""
        (la, ka), (_, kb) = sorted((parse_ref(a), parse_ref(b)))
        self._write([(Q.delete_not_same(la), {"a": ka, "b": kb})])

    def relation_evidence(self, source: str, rel_type: str, target: str, limit: int = 200) -> pd.DataFrame:
        """Every evidence sentence of one actor relationship with its article (title, outlet,
        date, URL), newest first, undated ones last: the events a roll-up stands for, each with
        its sentence and reporting article; for a structural relationship its sentence and the
        articles stating it (the sentence goes with the article it was read from)."""
        cols = ["sentence", "date", "title", "source", "url", "article"]
        (sl, sk), (tl, tk) = parse_ref(source), parse_ref(target)
        if rel_type not in ACTOR_TYPES:
            raise GeoKGError(f"unknown relation type {rel_type!r}")
        found = self._read(Q.actor_rel(sl, rel_type, tl), {"s": sk, "t": tk})
        if not found and rel_type in UNDIRECTED_TYPES:  # stored once, in one orientation: either names it
            found = self._read(Q.actor_rel(tl, rel_type, sl), {"s": tk, "t": sk})
        if not found:
            return pd.DataFrame(columns=cols)
        r = found[0]
        rows: list[dict[str, Any]] = []
        if r.get("events"):
            for e in Q.unpack(self.dialect, self._read(Q.relation_events(self.dialect), {"ids": r["events"][:limit]})):
                rows.append({"sentence": e["evidence"], "date": e["date"] or e["published"], "title": e["title"],
                             "source": e["source"], "url": e["url"], "article": e["article"]})
        else:
            arts = Q.unpack(self.dialect, self._read(Q.relation_articles(self.dialect), {"ids": (r.get("articles") or [])[:limit]}))
            first = (r.get("articles") or [None])[-1]  # the first evidence is kept; the list is newest first
            for a in arts:
                rows.append({"sentence": r["evidence"] if a["article"] == first else None, "date": a["published"],
                             "title": a["title"], "source": a["source"], "url": a["url"], "article": a["article"]})
            if not arts and r.get("evidence"):
                rows.append({"sentence": r["evidence"], "date": r.get("last_seen")})
        df = pd.DataFrame(rows, columns=cols)
        return df.sort_values(["date", "article"], ascending=[False, True], na_position="last").reset_index(drop=True)

    def merges(self, limit: int = 50) -> pd.DataFrame:
        """The merges that can be undone, newest first: id, label, keep, dropped (refs), at."""
        try:
            rows = self._read(Q.merge_records(), {"limit": limit})
        except QueryError:  # as in not_same: no record table yet, so no merge to undo
            rows = []
        return pd.DataFrame(rows, columns=["id", "label", "keep", "dropped", "at"])

    def _merge_record(self, keep: str, drop: str, kept: dict[str, Any], dropped: dict[str, Any]
                      ) -> tuple[str, dict[str, Any]]:
        """The statement recording what :meth:`merge_entities` is about to change: the dropped
        node whole, its relationships and links, and the kept node's relationships and links
        with the same far ends as they are now (absent ones as null), so that
        :meth:`undo_merge` can put both back."""
        (lk, kk), (ld, kd) = parse_ref(keep), parse_ref(drop)
        rels, kept_rels, links = [], [], []
        for rel in ACTOR_TYPES:
            for direction in ("out", "in"):
                mine = {(r["b_label"], r["b_id"]): _public(r["r"])
                        for r in self._read(Q.rels_of(lk, rel, direction, self.dialect), {"id": kk})}
                for row in self._read(Q.rels_of(ld, rel, direction, self.dialect), {"id": kd}):
                    far = (row["b_label"], row["b_id"])
                    rels.append({"type": rel, "dir": direction, "far": far, "props": _public(row["r"])})
                    if far != (lk, kk):
                        kept_rels.append({"type": rel, "dir": direction, "far": far, "props": mine.get(far)})
        for rel, direction in (("ACTOR_IN", "out"), ("TARGETS", "in"), ("MENTIONS", "in")):
            if rel in ("ACTOR_IN", "TARGETS") and ld not in ("Country", "Person", "Organization"):
                continue
            had = {r["b_id"] for r in self._read(Q.rels_of(lk, rel, direction, self.dialect), {"id": kk})}
            for row in self._read(Q.rels_of(ld, rel, direction, self.dialect), {"id": kd}):
                links.append({"type": rel, "dir": direction, "far": (row["b_label"], row["b_id"]),
                              "kept_had": row["b_id"] in had})
        snapshot = {"dropped": dropped, "kept_aliases": kept.get("aliases") or [],
                    "kept_merged_ids": kept.get("merged_ids") or [], "rels": rels, "kept_rels": kept_rels, "links": links}
        at = _now()
        return (Q.create_merge_record(), {"id": stable_id(keep, drop, at), "label": lk, "keep": keep, "dropped": drop,
                                          "at": at, "snapshot": json.dumps(snapshot, default=str)})

    def undo_merge(self, merge_id: str) -> str:
        """Undo one merge (:meth:`merges`): the dropped entity comes back with its properties,
        relationships and links, the kept one loses what the merge gave it (the moved counts,
        evidence and links, the names and the redirect). One transaction; returns the restored
        reference. Relationships the merge touched are put back as they were at the merge, so
        what later articles added to exactly those relationships of the kept entity is lost."""
        found = self._read(Q.merge_record(), {"id": merge_id})
        if not found:
            raise GeoKGError(f"no merge {merge_id!r} to undo (see `geokg curate merges`)")
        keep, snap = found[0]["keep"], json.loads(found[0]["snapshot"])
        dropped = snap["dropped"]
        lab, kk = parse_ref(keep)
        kd = dropped["id"]
        drop = ref(lab, kd)
        current = self.entity(keep)
        if current is None:
            raise GeoKGError(f"cannot undo: {keep} no longer exists")
        if self.entity(drop) is not None:
            raise GeoKGError(f"cannot undo: {drop} exists again")
        d = self.dialect
        props = sorted(ENTITY_PROPS[lab])
        stmts: list[tuple[str, dict[str, Any]]] = [(Q.create_entities(lab, props, d), {"rows": [{
            "id": kd, "name": dropped["name"], "aliases": dropped.get("aliases") or [],
            "new_mentions": dropped.get("mentions") or 0, **{p: dropped.get(p) for p in props}}]})]
        if dropped.get("merged_ids"):
            stmts.append((Q.add_merged_ids(lab, d), {"id": kd, "ids": dropped["merged_ids"]}))
        added = {dropped["name"], *(dropped.get("aliases") or [])} - set(snap["kept_aliases"])
        gone = {kd, *(dropped.get("merged_ids") or [])} - set(snap["kept_merged_ids"])
        stmts.append((Q.set_names(lab, d), {"id": kk,
                                            "aliases": [a for a in current.get("aliases") or [] if a not in added],
                                            "merged_ids": [m for m in current.get("merged_ids") or [] if m not in gone] or None}))
        touched = [(lab, kk), (lab, kd)]

        def ends(direction: str, near: str, far: list[str]) -> tuple[str, str, dict[str, str]]:
            """Endpoint labels and keys of a relationship of ``near`` (a key of ``lab``) to ``far``."""
            if direction == "out":
                return lab, far[0], {"s": near, "t": far[1]}
            return far[0], lab, {"s": far[1], "t": near}

        groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
        for r in snap["kept_rels"]:  # the kept entity's relationships as they were
            src, dst, keys = ends(r["dir"], kk, r["far"])
            touched.append(tuple(r["far"]))
            if r["props"] is None:
                groups.setdefault(("delete", r["type"], src, dst), []).append(keys)
            else:
                groups.setdefault(("set", r["type"], src, dst), []).append({**keys, **_rel_row(r["props"])})
        for r in snap["rels"]:  # the dropped entity's relationships, whole
            src, dst, keys = ends(r["dir"], kd, r["far"])  # the far end may be the kept entity
            groups.setdefault(("create", r["type"], src, dst), []).append({**keys, **_rel_row(r["props"])})
        for kind, rel, src, dst in sorted(groups):
            rows = groups[kind, rel, src, dst]
            query = {"delete": Q.delete_actor_rels(rel, src, dst), "set": Q.set_actor_rel(rel, src, dst, d),
                     "create": Q.create_actor_rel(rel, src, dst, d)}[kind]
            stmts.append((query, {"rows": rows}))
        links: dict[tuple[str, str, str, str], list[dict[str, str]]] = {}
        for r in snap["links"]:
            src, dst, keys = ends(r["dir"], kd, r["far"])
            links.setdefault(("create", r["type"], src, dst), []).append(keys)
            if not r["kept_had"]:
                links.setdefault(("delete", r["type"], src, dst), []).append(ends(r["dir"], kk, r["far"])[2])
        for kind, rel, src, dst in sorted(links):
            query = Q.merge_link(rel, src, dst, d) if kind == "create" else Q.delete_actor_rels(rel, src, dst)
            stmts.append((query, {"rows": links[kind, rel, src, dst]}))
        stmts.append((Q.delete_merge_record(), {"id": merge_id}))
        self._write(stmts + self._hub_marks(touched))
        self.refresh_hubs()
        return drop


    # -- explorer reads --------------------------------------------------------------------
    def latest_articles(self, limit: int = 20) -> pd.DataFrame:
        """The newest articles ingested (sources), with the number of events each reported."""
        cols = ["id", "title", "url", "published", "source", "origin", "ingested_at", "events"]
        return pd.DataFrame(self._read(Q.latest_articles(), {"limit": limit}), columns=cols)

    def entity_events(self, node_ref: str, limit: int = 500, date_from: str | None = None,
                      date_to: str | None = None) -> pd.DataFrame:
        """Events an entity takes part in, as actor or target (column ``role``), newest first,
        dated in the window when one is given. Two indexed one-hop queries; ``limit`` applies to each."""
        lab, key = parse_ref(node_ref)
        cols = ["id", "date", "type", "cameo", "role", "actors", "targets", "evidence", "confidence", "article", "origin",
                "reports"]
        rows = []
        params = {"id": key, "limit": limit, **_given(date_from=date_from, date_to=date_to)}
        if lab in ("Country", "Person", "Organization"):
            for role in ("actor", "target"):
                query = Q.entity_events(lab, role, bool(date_from), bool(date_to))
                rows += [{**r, "role": role} for r in self._read(query, params)]
        df = pd.DataFrame(rows, columns=cols)
        return df.sort_values(["date", "id"], ascending=[False, True], na_position="last").reset_index(drop=True)

    def articles_about(self, node_ref: str, limit: int = 100, events: pd.DataFrame | None = None,
                       date_from: str | None = None, date_to: str | None = None) -> pd.DataFrame:
        """Articles that mention an entity, newest first, each with the evidence sentences it gave
        about the entity (its events' sentences, and a relationship's sentence where this article
        was the relationship's first source); with a window, those published in it. ``events``:
        the entity's :meth:`entity_events` (of the same window) when the caller holds them
        already (the profile page), so they are not read twice."""
        lab, key = parse_ref(node_ref)
        window = _given(date_from=date_from, date_to=date_to)
        arts = self._read(Q.articles_mentioning(lab, bool(date_from), bool(date_to)), {"id": key, "limit": limit, **window})
        evidence: dict[str, list[str]] = {}
        for ev in (self.entity_events(node_ref, limit=1000, **window) if events is None else events).itertuples():
            if ev.article and ev.evidence:
                evidence.setdefault(ev.article, []).append(f"[{ev.type}] {ev.evidence}")
        if lab in ENTITY_LABELS:
            for r in self.relations(entity=node_ref, types=STRUCTURAL_TYPES, limit=1000, **window).itertuples():
                first = (r.articles or [None])[0] if isinstance(r.articles, list) else None
                if first and r.evidence:
                    evidence.setdefault(first, []).append(f"[{r.type}] {r.evidence}")
        rows = [{**a, "evidence": list(dict.fromkeys(evidence.get(a["id"], [])))} for a in arts]
        return pd.DataFrame(rows, columns=["id", "title", "url", "published", "source", "evidence"])

    def top_connected(self, labels: Sequence[str] = ("Country", "Person", "Organization"),
                      types: Sequence[str] | None = None, limit: int = 10) -> pd.DataFrame:
        """The most connected actors: relationship count (``degree``) and summed ``mentions``
        (``weight``) over actor relationships. One aggregate query per label."""
        rows = []
        for lab in labels:
            for r in self._read(Q.degree_top(lab, list(types or ACTOR_TYPES)), {"limit": limit}):
                # LadybugDB sums INT64 into a 128-bit integer, which arrives as a Decimal
                rows.append({"ref": ref(lab, r["id"]), "label": lab, **r, "weight": int(r["weight"] or 0)})
        df = pd.DataFrame(rows, columns=["ref", "label", "id", "name", "degree", "weight"])
        return df.sort_values(["degree", "weight", "name"], ascending=[False, False, True]).head(limit).reset_index(drop=True)

    # -- place and time: the map, the GeoJSON export, "what changed" ------------------------
    PLACED_COLUMNS = ("id", "type", "cameo", "date", "summary", "evidence", "goldstein", "quad_class", "reports",
                      "origin", "article", "url", "place_id", "place", "country", "lat", "lon")

    def placed_events(self, date_from: str | None = None, date_to: str | None = None,
                      limit: int = 5000) -> pd.DataFrame:
        """Events at a Location with coordinates in the window, most reported first (GDELT's
        NumMentions, else 1 report), at most ``limit``: the map's points and the export's."""
        params = _given(date_from=date_from, date_to=date_to)
        rows = self._read(Q.placed_events(bool(date_from), bool(date_to)), {**params, "limit": limit})
        return pd.DataFrame(rows, columns=list(self.PLACED_COLUMNS))

    def count_placed_events(self, date_from: str | None = None, date_to: str | None = None) -> int:
        """How many events :meth:`placed_events` has without its limit (to say how many are hidden)."""
        params = _given(date_from=date_from, date_to=date_to)
        return int(self._read(Q.count_placed_events(bool(date_from), bool(date_to)), params)[0]["n"])

    def country_activity(self, date_from: str | None = None, date_to: str | None = None) -> pd.DataFrame:
        """Per country, role (actor, target) and CAMEO code: its events in the window and the sum
        and count of their Goldstein scores. Two aggregate reads, one per role."""
        params = _given(date_from=date_from, date_to=date_to)
        rows = [{**r, "role": role} for role in ("actor", "target")
                for r in self._read(Q.country_activity(role, bool(date_from), bool(date_to)), params)]
        df = pd.DataFrame(rows, columns=["id", "name", "role", "cameo", "events", "reports", "goldstein_sum", "goldstein_n"])
        df["reports"] = df["reports"].map(int)  # LadybugDB sums INT64 into a 128-bit Decimal
        return df

    def rollup_mentions(self, date_from: str | None = None, date_to: str | None = None) -> pd.DataFrame:
        """Per (actor, event type, target): how many of its events fall in the window (each event
        once), how many reports of them (sources, summed), and one of them (``example``). One
        aggregate read over the events of the window."""
        params = _given(date_from=date_from, date_to=date_to)
        rows = self._read(Q.rollup_mentions(self.dialect, bool(date_from), bool(date_to)), params)
        cols = ["source_label", "source_id", "source", "type", "target_label", "target_id", "target", "mentions",
                "reports", "example"]
        df = pd.DataFrame(rows, columns=cols)
        df["reports"] = df["reports"].map(int)  # LadybugDB sums INT64 into a 128-bit Decimal
        return df

    PAIR_COLUMNS = ("id", "date", "type", "cameo", "cameo_code", "goldstein", "quad_class", "origin", "actor",
                    "target", "summary", "evidence", "url", "title")

    def pair_events(self, a: str, b: str, date_from: str | None = None, date_to: str | None = None,
                    limit: int = 5000) -> pd.DataFrame:
        """The events between two actors, either way round (``actor``/``target`` hold the
        references), dated in the window, newest first, at most ``limit`` each way: what a
        pair's temperature (``geokg.graph.analysis.temperature``) is computed from."""
        cols = list(self.PAIR_COLUMNS)
        ends = [parse_ref(a), parse_ref(b)]
        if a == b or any(lab not in ("Country", "Person", "Organization") for lab, _ in ends):
            return pd.DataFrame(columns=cols)  # only actors take part in events
        rows = []
        window = _given(date_from=date_from, date_to=date_to)
        for (ls, ks, rs), (lt, kt, rt) in (((*ends[0], a), (*ends[1], b)), ((*ends[1], b), (*ends[0], a))):
            query = Q.pair_events(ls, lt, bool(date_from), bool(date_to))
            rows += [{**r, "actor": rs, "target": rt} for r in self._read(query, {"a": ks, "b": kt, "limit": limit, **window})]
        df = pd.DataFrame(rows, columns=cols).drop_duplicates("id")
        return df.sort_values(["date", "id"], ascending=[False, True], na_position="last").reset_index(drop=True)

    def events_by_id(self, ids: Sequence[str]) -> pd.DataFrame:
        """The events ``ids`` with their evidence sentence and one reporting article's URL and title."""
        cols = ["id", "date", "type", "summary", "evidence", "url", "title"]
        if not ids:
            return pd.DataFrame(columns=cols)
        return pd.DataFrame(self._read(Q.events_by_id(), {"ids": list(ids)}), columns=cols)

    def redirects(self) -> dict[str, str]:
        """Merged-away reference -> the reference it was merged into (see :meth:`merge_entities`)."""
        table: dict[str, str] = {}
        for lab in ENTITY_LABELS:
            for row in self._read(Q.redirects(lab)):
                for old in row["merged_ids"] or []:
                    table[ref(lab, old)] = ref(lab, row["id"])
        return table

    @staticmethod
    def _redirected(fragments: list[Fragment], table: dict[str, str]) -> list[Fragment]:
        """Fragments with references to merged-away entities mapped onto the kept ones."""
        if not table:
            return fragments
        return [redirect_fragment(f, table) if any(e.ref in table for e in f.entities) else f for f in fragments]


# --- fragment redirects and console graphs ------------------------------------------------------

def redirect_fragment(frag: Fragment, table: dict[str, str]) -> Fragment:
    """``frag`` with every entity reference found in ``table`` (old ref -> kept ref) replaced.

    Two entities that become one are combined (the other's name and aliases become aliases);
    relations that would point from a node to itself are dropped; event actor/target lists
    are de-duplicated."""
    from dataclasses import replace

    def m(r: str) -> str:
        return table.get(r, r)

    ents: dict[str, Entity] = {}
    for e in frag.entities:
        new = m(e.ref)
        lab, key = parse_ref(new)
        e2 = e if new == e.ref else Entity(lab, key, e.name, e.aliases, e.props)
        if new in ents:
            have = ents[new]
            extra = [x for x in (e2.name, *e2.aliases) if x != have.name and x not in have.aliases]
            props = {**{k: v for k, v in e2.props.items() if v is not None},
                     **{k: v for k, v in have.props.items() if v is not None}}
            ents[new] = Entity(lab, key, have.name, tuple(have.aliases) + tuple(extra), props)
        else:
            ents[new] = e2
    rels = tuple(replace(r, source=m(r.source), target=m(r.target)) for r in frag.relations
                 if m(r.source) != m(r.target))
    events = tuple(replace(ev, actors=tuple(dict.fromkeys(map(m, ev.actors))),
                           targets=tuple(dict.fromkeys(map(m, ev.targets))),
                           location=m(ev.location) if ev.location else None) for ev in frag.events)
    return Fragment(frag.article, tuple(ents.values()), rels, events)


def graph_of_result(df: pd.DataFrame) -> nx.MultiDiGraph:
    """The nodes, relationships and paths found anywhere in a console result, as one graph
    (keys are ``geokg.graph.model.ref`` references). A relationship is drawn when both its ends
    are in the result too. One pass over the cells; empty when the result holds no graph values."""
    g = nx.MultiDiGraph()
    by_key: dict[str, str] = {}
    rels: list[dict[str, Any]] = []

    def visit(v: Any) -> None:
        if isinstance(v, list):
            for x in v:
                visit(x)
        elif isinstance(v, dict) and "nodes" in v and "rels" in v:
            visit(v["nodes"])
            visit(v["rels"])
        elif isinstance(v, dict) and v.get("_label") and v.get("id") is not None:
            try:
                r = ref(v["_label"], str(v["id"]))
            except KeyError:
                return
            by_key[str(v.get("_key"))] = r
            g.add_node(r, **_public(v), label=v["_label"])
        elif isinstance(v, dict) and v.get("_type") and "_start" in v:
            rels.append(v)

    for col in df.columns:
        for cell in df[col]:
            visit(cell)
    for r in rels:
        u, w = by_key.get(str(r["_start"])), by_key.get(str(r["_end"]))
        if u and w:
            g.add_edge(u, w, key=r["_type"], type=r["_type"], **_public(r))
    return g
