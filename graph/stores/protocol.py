"""What a GeoKG store is: the one protocol the embedded store and Neo4j both satisfy.

Callers (the CLI, the explorer, the writer, analytics) are typed against :class:`Store`, never
against a backend class, so anything that answers these methods can stand in. The contract tests
(``tests/contract``) call every method here on both backends and expect the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from geokg.graph.model import ENTITY_LABELS, Fragment

if TYPE_CHECKING:  # annotations only: `geokg --help` and the CLI's start need neither (~0.4 s of imports)
    import networkx as nx
    import pandas as pd

__all__ = ["Store", "WriteStats", "DeletedRelation", "ROW_CAP", "TIMEOUT_S"]

#: The console's default row cap and time limit (seconds).
ROW_CAP = 1000
TIMEOUT_S = 10.0


@dataclass
class WriteStats:
    """What a write did: the CLI and the app report it, nothing is printed by a store."""

    articles_written: int = 0
    articles_skipped: int = 0
    nodes: int = 0
    relationships: int = 0

    def __iadd__(self, other: WriteStats) -> WriteStats:
        self.articles_written += other.articles_written
        self.articles_skipped += other.articles_skipped
        self.nodes += other.nodes
        self.relationships += other.relationships
        return self


@dataclass(frozen=True)
class DeletedRelation:
    """What :meth:`Store.delete_relation` deleted: the relationship asked for, how many were
    deleted (0 when there was none, 1 otherwise), and the mentions and evidence it had."""

    source: str
    type: str
    target: str
    count: int = 0
    mentions: int = 0
    evidence: str | None = None


@runtime_checkable
class Store(Protocol):
    """A graph store. Writes take whole article fragments; reads return DataFrames or networkx graphs
    whose node keys are ``geokg.graph.model.ref`` references (``country:CHN``)."""

    #: Days either side of an event's date within which reports of one happening become one
    #: :Event (``geokg.graph.event_clusters``); None: an event per report.
    event_window: int | None

    # -- lifecycle
    def close(self) -> None: ...
    def ping(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *exc: object) -> None: ...

    # -- writes (see geokg.graph.stores.writer.write_fragments for batching, overlap and retry)
    def write_batch(self, fragments: list[Fragment], redirects: dict[str, str]) -> WriteStats: ...
    def refresh_hubs(self) -> int: ...
    def rebuild_hubs(self) -> int: ...
    def redirects(self) -> dict[str, str]: ...

    # -- explorer reads
    def search(self, text: str, labels: Sequence[str] = ENTITY_LABELS, limit: int = 20) -> pd.DataFrame: ...
    def entity(self, node_ref: str) -> dict[str, Any] | None: ...
    def neighbourhood(self, refs: Sequence[str], hops: int = 1, types: Sequence[str] | None = None,
                      date_from: str | None = None, date_to: str | None = None,
                      min_mentions: int = 1, limit: int = 300, origin: str | None = None,
                      min_confidence: float | None = None) -> nx.MultiDiGraph: ...
    def paths(self, a: str, b: str, max_hops: int = 4, types: Sequence[str] | None = None,
              limit: int = 10, date_from: str | None = None, date_to: str | None = None) -> list[nx.MultiDiGraph]: ...
    def events(self, types: Sequence[str] | None = None, date_from: str | None = None,
               date_to: str | None = None, actor: str | None = None, origin: str | None = None,
               limit: int = 1000) -> pd.DataFrame: ...
    def relations(self, types: Sequence[str] | None = None, entity: str | None = None,
                  date_from: str | None = None, date_to: str | None = None,
                  min_mentions: int = 1, limit: int = 1000, origin: str | None = None,
                  min_confidence: float | None = None) -> pd.DataFrame: ...
    def latest_articles(self, limit: int = 20) -> pd.DataFrame: ...
    def entity_events(self, node_ref: str, limit: int = 500, date_from: str | None = None,
                      date_to: str | None = None) -> pd.DataFrame: ...
    def articles_about(self, node_ref: str, limit: int = 100, events: pd.DataFrame | None = None,
                       date_from: str | None = None, date_to: str | None = None) -> pd.DataFrame: ...
    def top_connected(self, labels: Sequence[str] = ("Country", "Person", "Organization"),
                      types: Sequence[str] | None = None, limit: int = 10) -> pd.DataFrame: ...
    def stats(self) -> dict[str, dict[str, int]]: ...
    def relation_evidence(self, source: str, rel_type: str, target: str, limit: int = 200) -> pd.DataFrame: ...

    # -- place and time (the Map, What-changed and pair pages)
    def placed_events(self, date_from: str | None = None, date_to: str | None = None,
                      limit: int = 5000) -> pd.DataFrame: ...
    def count_placed_events(self, date_from: str | None = None, date_to: str | None = None) -> int: ...
    def country_activity(self, date_from: str | None = None, date_to: str | None = None) -> pd.DataFrame: ...
    def rollup_mentions(self, date_from: str | None = None, date_to: str | None = None) -> pd.DataFrame: ...
    def pair_events(self, a: str, b: str, date_from: str | None = None, date_to: str | None = None,
                    limit: int = 5000) -> pd.DataFrame: ...
    def events_by_id(self, ids: Sequence[str]) -> pd.DataFrame: ...

    # -- research
    def cypher(self, query: str, params: dict[str, Any] | None = None, row_cap: int = ROW_CAP,
               timeout: float = TIMEOUT_S) -> pd.DataFrame: ...
    def to_networkx(self) -> nx.MultiDiGraph: ...
    def export(self, fmt: str, out: str | Path) -> Path: ...

    # -- curation
    def add_alias(self, node_ref: str, alias: str) -> None: ...
    def delete_relation(self, source: str, rel_type: str, target: str) -> DeletedRelation: ...
    def mark_reviewed(self, source: str, rel_type: str, target: str) -> None: ...
    def merge_entities(self, keep: str, drop: str) -> None: ...

    # -- duplicate review (reads for the candidate search, remembered rejections, undoable merges)
    def entity_rows(self, lab: str) -> list[dict[str, Any]]: ...
    def neighbour_refs(self, refs: Sequence[str], limit: int = 200_000) -> dict[str, set[str]]: ...
    def not_same(self) -> set[frozenset[str]]: ...
    def reject_duplicate(self, a: str, b: str) -> None: ...
    def unreject_duplicate(self, a: str, b: str) -> None: ...
    def merges(self, limit: int = 50) -> pd.DataFrame: ...
    def undo_merge(self, merge_id: str) -> str: ...
