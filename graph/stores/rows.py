"""Fragments -> parameter rows: the batching shared by both stores.

A batch of fragments becomes one list of rows per (label) and per (type, source label,
target label), so each store runs a handful of statements per batch instead of one per fact
(reading the rows with ``UNWIND $rows`` on Neo4j, as an Arrow table on LadybugDB:
``geokg.graph.stores.bulk``). Rows that refer to the same node or relationship are combined here, in
Python, so a statement never MERGEs the same pattern twice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from geokg.graph.event_clusters import Assignment, Cluster, assign, reports_of
from geokg.graph.model import ENTITY_PROPS, EVENT_PROPS, Fragment, parse_ref

__all__ = ["Batch", "build_batch"]


@dataclass
class Batch:
    """Rows ready for the write statements of one transaction."""

    articles: list[dict[str, Any]] = field(default_factory=list)
    entities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    #: Stored events that reports of the batch joined: their report lists and counts, set whole.
    grown_events: list[dict[str, Any]] = field(default_factory=list)
    links: dict[tuple[str, str, str], list[dict[str, str]]] = field(default_factory=dict)
    #: Links of the events, all new (ACTOR_IN, TARGETS, OCCURRED_IN, REPORTS): created, not
    #: merged, since an event written in this very transaction cannot have them yet. (MENTIONS
    #: are created too when their article is new; the store decides, it knows which are.)
    new_links: dict[tuple[str, str, str], list[dict[str, str]]] = field(default_factory=dict)
    actor_rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def node_count(self) -> int:  # new nodes: a grown event is not one
        return len(self.articles) + len(self.events) + sum(map(len, self.entities.values()))

    @property
    def rel_count(self) -> int:
        return sum(len(rows) for group in (self.links, self.new_links, self.actor_rels) for rows in group.values())


def _cluster_row(c: Cluster) -> dict[str, Any]:
    """An event's happening columns (``geokg.graph.cypher.CLUSTER_COLUMNS``) from its cluster."""
    return {"cluster_key": c.key, "reports": c.reports, "first_reported": c.first_reported,
            "last_reported": c.last_reported, "report_ids": list(c.report_ids),
            "report_articles": list(c.report_articles), "report_origins": list(c.report_origins),
            "report_dates": [d or "" for d in c.report_dates], "report_evidence": list(c.report_evidence)}


def build_batch(fragments: Iterable[Fragment], now: str | None = None, events: Assignment | None = None) -> Batch:
    """Combine fragments (not yet in the store) into write rows, one row per node or
    relationship: several GDELT records citing one URL become one Article row.

    ``events``: which :Event each fragment event (a report) belongs to, found by the store
    (``geokg.graph.event_clusters.assign``); without it every report is an event of its own. An
    event is created with its first report's properties and every report's lists; a stored
    event a report joined gets its lists set anew (``grown_events``) and REPORTS links merged."""
    now = now or datetime.now(UTC).isoformat(timespec="seconds")
    fragments = list(fragments)
    if events is None:
        events = assign(reports_of(fragments, None), (), None)
    batch = Batch()
    entities: dict[str, dict[str, Any]] = {}
    links: dict[tuple[str, str, str], set[tuple[str, str]]] = defaultdict(set)
    new_links: dict[tuple[str, str, str], set[tuple[str, str]]] = defaultdict(set)
    rels: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    articles: dict[str, dict[str, Any]] = {}
    for frag in fragments:
        a = frag.article
        articles[a.id] = {"id": a.id, "title": a.title, "url": a.url, "published": a.published,
                          "source": a.source, "origin": a.origin, "ingested_at": now,
                          "metadata": json.dumps(dict(a.metadata), ensure_ascii=False) if a.metadata else None}
        for e in frag.entities:
            row = entities.get(e.ref)
            if row is None:
                row = entities[e.ref] = {"label": e.label, "id": e.key, "name": e.name,
                                         "aliases": [], "new_mentions": 0,
                                         **{p: None for p in ENTITY_PROPS[e.label]}}
            row["new_mentions"] += 1
            row["aliases"] += [x for x in e.aliases if x not in row["aliases"]]
            row.update({k: v for k, v in e.props.items() if v is not None})
            links[("MENTIONS", "Article", e.label)].add((a.id, e.key))
        for ev in frag.events:
            cid = events.event_of.get(ev.id)
            if cid is None or ev.id in events.held:
                continue  # a report a stored event holds already: written before
            c = events.events[cid]
            if c.stored:
                links[("REPORTS", "Article", "Event")].add((a.id, cid))  # may exist: the source reported it before
                if c.place_added and c.place is not None and ev.location == c.place.ref:
                    lab, key = parse_ref(ev.location)
                    new_links[("OCCURRED_IN", "Event", lab)].add((cid, key))
                continue
            new_links[("REPORTS", "Article", "Event")].add((a.id, cid))
            if c.report_ids[0] != ev.id:
                continue  # the event's links and properties come from its first report
            batch.events.append({"id": cid, "type": ev.type, "cameo": ev.props.get("cameo_code") or ev.cameo,
                                 "date": ev.date, "date_precision": ev.date_precision,
                                 "summary": ev.summary, "evidence": ev.evidence,
                                 "confidence": c.confidence, "origin": a.origin, "article": a.id,
                                 **{p: ev.props.get(p) for p in sorted(EVENT_PROPS)}, **_cluster_row(c)})
            for actor in ev.actors:
                lab, key = parse_ref(actor)
                new_links[("ACTOR_IN", lab, "Event")].add((key, cid))
            for target in ev.targets:
                lab, key = parse_ref(target)
                new_links[("TARGETS", "Event", lab)].add((cid, key))
            if c.place:
                lab, key = parse_ref(c.place.ref)
                new_links[("OCCURRED_IN", "Event", lab)].add((cid, key))
        event_of: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for ev in frag.events:
            for r in ev.rollups():
                event_of[(r.source, r.type, r.target)].append(events.event_of.get(ev.id, ev.id))
        stated: set[tuple[str, str, str, str, str]] = set()
        for r in frag.all_relations():
            (sl, sk), (tl, tk) = parse_ref(r.source), parse_ref(r.target)
            k = (r.type, sl, tl, sk, tk)
            row = rels.get(k)
            if row is None:
                row = rels[k] = {"s": sk, "t": tk, "n": 0, "articles": [], "events": [], "origins": [],
                                 "first_seen": r.date, "last_seen": r.date, "evidence": r.evidence,
                                 "confidence": r.confidence, "role": r.role}
            if k not in stated:  # one mention per source, however many sentences repeat it
                stated.add(k)
                row["n"] += 1
            if a.id not in row["articles"]:
                row["articles"].append(a.id)
            if a.origin not in row["origins"]:
                row["origins"].append(a.origin)
            row["events"] += [e for e in event_of.get((r.source, r.type, r.target), ()) if e not in row["events"]]
            if r.date and (row["first_seen"] is None or r.date < row["first_seen"]):
                row["first_seen"] = r.date
            if r.date and (row["last_seen"] is None or r.date > row["last_seen"]):
                row["last_seen"] = r.date
            row["confidence"] = max(row["confidence"], r.confidence)
            row["role"] = r.role or row["role"]
    batch.articles = list(articles.values())
    batch.grown_events = [{"id": c.id, "confidence": c.confidence, **_cluster_row(c)} for c in events.grown]
    for row in entities.values():
        batch.entities.setdefault(row.pop("label"), []).append(row)
    batch.links = {k: [{"s": s, "t": t} for s, t in sorted(v)] for k, v in links.items()}
    batch.new_links = {k: [{"s": s, "t": t} for s, t in sorted(v)] for k, v in new_links.items()}
    for (typ, sl, tl, _, _), row in rels.items():
        batch.actor_rels.setdefault((typ, sl, tl), []).append(row)
    return batch
