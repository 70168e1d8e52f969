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

from geokg.graph.model import ENTITY_PROPS, EVENT_PROPS, Fragment, parse_ref

__all__ = ["Batch", "build_batch"]


@dataclass
class Batch:
    """Rows ready for the write statements of one transaction."""

    articles: list[dict[str, Any]] = field(default_factory=list)
    entities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    links: dict[tuple[str, str, str], list[dict[str, str]]] = field(default_factory=dict)
    #: Links of the events, all new (ACTOR_IN, TARGETS, OCCURRED_IN, REPORTS): created, not
    #: merged, since an event written in this very transaction cannot have them yet. (MENTIONS
    #: are created too when their article is new; the store decides, it knows which are.)
    new_links: dict[tuple[str, str, str], list[dict[str, str]]] = field(default_factory=dict)
    actor_rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return len(self.articles) + len(self.events) + sum(map(len, self.entities.values()))

    @property
    def rel_count(self) -> int:
        return sum(len(rows) for group in (self.links, self.new_links, self.actor_rels) for rows in group.values())


def build_batch(fragments: Iterable[Fragment], now: str | None = None) -> Batch:
    """Combine fragments (not yet in the store) into write rows, one row per node or
    relationship: several GDELT records citing one URL become one Article row."""
    now = now or datetime.now(UTC).isoformat(timespec="seconds")
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
            batch.events.append({"id": ev.id, "type": ev.type, "cameo": ev.props.get("cameo_code") or ev.cameo,
                                 "date": ev.date, "date_precision": ev.date_precision,
                                 "summary": ev.summary, "evidence": ev.evidence,
                                 "confidence": ev.confidence, "origin": a.origin, "article": a.id,
                                 **{p: ev.props.get(p) for p in sorted(EVENT_PROPS)}})
            new_links[("REPORTS", "Article", "Event")].add((a.id, ev.id))
            for actor in ev.actors:
                lab, key = parse_ref(actor)
                new_links[("ACTOR_IN", lab, "Event")].add((key, ev.id))
            for target in ev.targets:
                lab, key = parse_ref(target)
                new_links[("TARGETS", "Event", lab)].add((ev.id, key))
            if ev.location:
                lab, key = parse_ref(ev.location)
                new_links[("OCCURRED_IN", "Event", lab)].add((ev.id, key))
        event_of: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for ev in frag.events:
            for r in ev.rollups():
                event_of[(r.source, r.type, r.target)].append(ev.id)
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
    for row in entities.values():
        batch.entities.setdefault(row.pop("label"), []).append(row)
    batch.links = {k: [{"s": s, "t": t} for s, t in sorted(v)] for k, v in links.items()}
    batch.new_links = {k: [{"s": s, "t": t} for s, t in sorted(v)] for k, v in new_links.items()}
    for (typ, sl, tl, _, _), row in rels.items():
        batch.actor_rels.setdefault((typ, sl, tl), []).append(row)
    return batch
