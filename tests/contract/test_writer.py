"""The one write loop (``geokg.graph.stores.writer.write_fragments``) on both stores."""

from __future__ import annotations

from geokg.graph.stores.protocol import WriteStats
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import BLR, LUKA, followup_fragment, seed_fragment


def test_each_committed_batch_reports_the_running_total(store):
    heard: list[WriteStats] = []
    write_fragments(store, [seed_fragment(), followup_fragment(), seed_fragment()], batch_size=1, on_batch=heard.append)
    assert [(s.articles_written, s.articles_skipped) for s in heard] == [(1, 0), (2, 0), (2, 1)]


def test_the_total_is_the_sum_of_the_batches(store):
    one = write_fragments(store, [seed_fragment(), followup_fragment()], batch_size=1)
    assert (one.articles_written, one.articles_skipped, one.nodes > 0, one.relationships > 0) == (2, 0, True, True)


def test_a_write_maps_fragments_through_merges_made_before_it(store):
    from geokg.graph.model import Article, Entity, Fragment, Relation
    dup = Entity("Person", "a-lukashenko", "A. Lukashenko")

    def naming_dup(n: int) -> Fragment:
        return Fragment(Article(f"dup-{n}", published="2023-05-01"), (dup, BLR),
                        (Relation("LEADS", dup.ref, BLR.ref, f"A. Lukashenko rules Belarus ({n})", "2023-05-01"),))

    write_fragments(store, [seed_fragment(), naming_dup(1)])
    store.merge_entities(LUKA.ref, dup.ref)
    write_fragments(store, [naming_dup(2)], batch_size=1)
    assert (store.entity(dup.ref), list(store.relations(types=["LEADS"], entity=LUKA.ref).mentions)) == (None, [3])
