"""Which statements write a batch, given what its transaction found already stored.

``geokg.graph.stores.rows`` turns fragments into rows as if nothing of them were stored. Most of a batch is
new (its articles and events always are: the store skips those it has), and a new node or a
link of one needs no merge: CREATE spares the engine a search and a lock per row. So each store
first asks what is stored, then :func:`plan_batch` creates what is new and merges the rest:

- Neo4j asks only which articles are stored (it skips stored ones anyway) and merges every
  entity and roll-up: its MERGE of an existing node costs about what a key lookup plus CREATE
  would, so knowing costs a read and gains nothing.
- LadybugDB also asks which entities are stored (one key lookup each): its MERGE costs ~8x
  its CREATE. It creates the new ones, and of the roll-ups between two stored nodes, which
  may exist, the plan names the pairs for the store to take out and create again whole
  (``geokg.graph.stores.bulk``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geokg.graph import cypher as Q
from geokg.graph.model import ENTITY_PROPS, EVENT_PROPS
from geokg.graph.stores.rows import Batch

__all__ = ["Stored", "Plan", "Statement", "plan_batch"]

Statement = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Stored:
    """What the transaction found already stored among a batch's nodes."""

    articles: set[str] = field(default_factory=set)  # article ids (read before from another origin)
    #: label -> stored keys; None when the store did not look: every entity and roll-up is merged.
    entities: dict[str, set[str]] | None = None


@dataclass
class Plan:
    """A batch's writes, in the order they run."""

    #: Nodes, then their links: CREATE for what is new, a merge for what may be stored.
    statements: list[Statement]
    #: (type, source label, target label) -> ``{"s", "t"}`` of the roll-ups between two nodes
    #: that were stored before (only when the stored entities are known): they may exist, so
    #: the store takes them out (``Q.take_actor_rels``) and writes every roll-up of the batch
    #: whole (``geokg.graph.stores.bulk.rollup_statements``). Empty when the plan merges the roll-ups itself.
    stored_pairs: dict[tuple[str, str, str], list[dict[str, str]]]


def _split(rows: list[dict[str, Any]], old: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(rows for which ``old(row)`` is false, rows for which it is true), order kept."""
    new: list[dict[str, Any]] = []
    known: list[dict[str, Any]] = []
    for r in rows:
        (known if old(r) else new).append(r)
    return new, known


def plan_batch(b: Batch, stored: Stored, d: Q.Dialect) -> Plan:
    """The statements writing ``b`` given what is ``stored``. Whatever the plan, the graph is
    the one an all-MERGE writer would leave."""
    out: list[Statement] = []

    def add(query: str, rows: list[dict[str, Any]]) -> None:
        if rows:
            out.append((query, {"rows": rows}))

    new_articles, old_articles = _split(b.articles, lambda r: r["id"] in stored.articles)
    add(Q.create_articles(d), new_articles)
    add(Q.merge_articles(d, existing=True), old_articles)
    for lab, rows in b.entities.items():
        props = sorted(ENTITY_PROPS[lab])
        if stored.entities is None:
            add(Q.merge_entities(lab, props, d), rows)
            continue
        have = stored.entities.get(lab, set())
        new, old = _split(rows, lambda r, have=have: r["id"] in have)
        add(Q.create_entities(lab, props, d), new)
        add(Q.merge_entities(lab, props, d, existing=True), old)
    add(Q.create_events(sorted(EVENT_PROPS), d), b.events)
    add(Q.grow_events(d), b.grown_events)
    for (rel, src, dst), rows in sorted(b.new_links.items()):
        add(Q.create_link(rel, src, dst, d), rows)
    for (rel, src, dst), rows in sorted(b.links.items()):
        # MENTIONS: new unless the article was stored before this transaction
        new, old = _split(rows, lambda r: r["s"] in stored.articles)
        add(Q.create_link(rel, src, dst, d), new)
        add(Q.merge_link(rel, src, dst, d), old)
    pairs: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for (rel, src, dst), rows in sorted(b.actor_rels.items()):
        if stored.entities is None:
            add(Q.merge_actor_rel(rel, src, dst, d), rows)
            continue
        a, z = stored.entities.get(src, set()), stored.entities.get(dst, set())
        # a relationship with an endpoint created in this transaction cannot exist yet
        old = [{"s": r["s"], "t": r["t"]} for r in rows if r["s"] in a and r["t"] in z]
        if old:
            pairs[(rel, src, dst)] = old
    return Plan(out, pairs)
