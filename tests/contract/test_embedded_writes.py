"""The embedded store's own write plan (``geokg.graph.stores.bulk``): rows as Arrow tables, CREATE for what is
new, stored roll-ups taken out and created again whole. It must store exactly the graph the
all-MERGE plan stores, and a batch that fails anywhere must leave nothing of itself behind:
the roll-ups it took out are back."""

from __future__ import annotations

import dataclasses

import pytest

from geokg.graph.errors import QueryError
from geokg.graph.model import Fragment
from geokg.graph.stores.base import CypherStore
from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.writer import write_fragments
from geokg.loaders.records.gdelt import read_gdelt
from graph_fixtures import BLR, EU, followup_fragment, seed_fragment


class MergePlanStore(EmbeddedStore):
    """The embedded store writing with the shared plan, which merges every entity and roll-up
    (what it did before)."""

    _write_rows = CypherStore._write_rows


class FailingStore(EmbeddedStore):
    """An embedded store whose batch fails once it creates roll-ups: after its stored
    roll-ups were taken out of the store, in the same transaction."""

    def _run(self, query, params):
        if "CREATE (a)-[r:" in query:
            raise BatchFailed("the batch failed after taking out its roll-ups")
        return super()._run(query, params)


class BatchFailed(Exception):
    pass


def graph_dump(store: CypherStore) -> tuple[list, list]:
    """Every node and relationship with every property (but the ingest time)."""
    g = store.to_networkx()
    clean = lambda attrs: sorted((k, repr(v)) for k, v in attrs.items() if k != "ingested_at")  # noqa: E731
    return (sorted((n, clean(a)) for n, a in g.nodes(data=True)),
            sorted((u, v, k, clean(a)) for u, v, k, a in g.edges(keys=True, data=True)))


@pytest.fixture(scope="module")
def gdelt_records(shared_dir) -> list[Fragment]:
    records = read_gdelt(shared_dir / "data" / "gdelt" / "20191024143000.export.CSV")
    return [f for f in records if isinstance(f, Fragment)][:400]


def later(frag: Fragment, suffix: str, date: str, confidence: float) -> Fragment:
    """``frag`` as another article, on ``date``, stated with ``confidence``: it meets every
    roll-up of ``frag`` again, widening its dates and competing on confidence."""
    article = dataclasses.replace(frag.article, id=frag.article.id + suffix, published=date)
    return Fragment(article, frag.entities,
                    tuple(dataclasses.replace(r, date=date, confidence=confidence) for r in frag.relations),
                    tuple(dataclasses.replace(e, id=e.id + suffix, date=date) for e in frag.events))


def ingest_story(store: CypherStore, records: list[Fragment]) -> None:
    """Batches that meet stored roll-ups again and again: GDELT records in small batches,
    articles before and after them (earlier and later dates, lower and higher confidence),
    a reviewed relationship, a re-run of stored records."""
    half = len(records) // 2
    write_fragments(store, records[:half], batch_size=40)
    write_fragments(store, [seed_fragment()])
    store.mark_reviewed(EU.ref, "SANCTION", BLR.ref)
    write_fragments(store, [*records[half:], followup_fragment(), later(seed_fragment(), "-early", "2022-12-30", 0.2),
                            later(seed_fragment(), "-late", "2023-05-09", 0.99)], batch_size=40)
    write_fragments(store, records[:60], batch_size=40)  # stored: skipped


def test_embedded_batches_store_the_graph_the_merge_plan_stores(gdelt_records, tmp_path):
    graphs = []
    for cls in (EmbeddedStore, MergePlanStore):
        with cls(tmp_path / f"{cls.__name__}.lbdb") as store:
            ingest_story(store, gdelt_records)
            graphs.append(graph_dump(store))
    assert graphs[0] == graphs[1]


def test_the_story_meets_stored_rollups_so_the_comparison_covers_them(gdelt_records, tmp_path):
    with EmbeddedStore(tmp_path / "g.lbdb") as store:
        ingest_story(store, gdelt_records)
        sanction = store.relations(types=["SANCTION"], entity=EU.ref).iloc[0]
        assert sanction.mentions == 4
        assert sanction.first_seen == "2022-12-30"
        assert sanction.last_seen == "2023-05-09"
        assert sanction.reviewed


def test_a_batch_failing_after_taking_out_its_rollups_leaves_the_store_as_it_was(tmp_path):
    path = tmp_path / "f.lbdb"
    with EmbeddedStore(path) as store:
        write_fragments(store, [seed_fragment()])
        before = graph_dump(store)
    with FailingStore(path) as failing, pytest.raises(BatchFailed):
        write_fragments(failing, [followup_fragment(), later(seed_fragment(), "-late", "2023-05-09", 0.99)])
    with EmbeddedStore(path) as store:
        assert graph_dump(store) == before


def test_after_a_failed_batch_the_same_batch_counts_each_article_once(tmp_path):
    path = tmp_path / "f.lbdb"
    with EmbeddedStore(path) as store:
        write_fragments(store, [seed_fragment()])
    with FailingStore(path) as failing, pytest.raises(BatchFailed):
        write_fragments(failing, [followup_fragment()])
    with EmbeddedStore(path) as store:
        write_fragments(store, [followup_fragment()])
        sanction = store.relations(types=["SANCTION"], entity=EU.ref).iloc[0]
        assert sanction.mentions == 2
        assert sanction.last_seen == "2023-04-02"


def test_a_batch_whose_event_key_is_taken_fails_whole_in_the_engine(tmp_path):
    seed = seed_fragment()
    clash = later(seed, "-clash", "2023-04-03", 0.5)
    clash = dataclasses.replace(clash, events=(dataclasses.replace(clash.events[0], id=seed.events[0].id),
                                               *clash.events[1:]))  # a stored event's key
    with EmbeddedStore(tmp_path / "k.lbdb") as store:
        write_fragments(store, [seed])
        before = graph_dump(store)
        with pytest.raises(QueryError):  # the clash first: the fine one's reports would join its events
            write_fragments(store, [clash, later(seed, "-fine", "2023-04-04", 0.5)])
        assert graph_dump(store) == before
