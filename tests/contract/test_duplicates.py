"""Duplicate candidates, remembered rejections and undoable merges, the same on both backends
(every test runs against the embedded LadybugDB store and a real Neo4j server)."""

from __future__ import annotations

import pytest

from geokg.graph.analysis.duplicates import store_candidates
from geokg.graph.errors import GeoKGError
from geokg.graph.model import Article, Entity, Event, Fragment, Relation, stable_id
from graph_fixtures import BLR, CHN, seed_fragment

SERGEI = Entity("Person", "sergei-lavrov", "Sergei Lavrov", (), {"country": "RUS", "role": "Foreign Minister"})
SERGEY = Entity("Person", "sergey-lavrov", "Sergey Lavrov", (), {"country": "RUS"})
NATO = Entity("Organization", "nato", "NATO", (), {"kind": "alliance"})
NATO_LONG = Entity("Organization", "north-atlantic-treaty-organization", "North Atlantic Treaty Organization")
USA = Entity("Country", "USA", "United States", ("US",))
GBR = Entity("Country", "GBR", "United Kingdom", ("UK",))


def _meet(article: Article, a: Entity, b: Entity, sentence: str) -> Event:
    return Event(stable_id(article.id, a.ref, b.ref, sentence), "MEET", (a.ref,), (b.ref,), sentence, article.published)


def lavrov_fragments() -> list[Fragment]:
    """Two articles spelling one minister two ways, both meeting China's side; NATO twice."""
    a1 = Article("lavrov-1", "Lavrov in Beijing", url="https://example.org/1", published="2023-03-02", source="TASS")
    a2 = Article("lavrov-2", "Lavrov visits Minsk", url="https://example.org/2", published="2023-04-05", source="Reuters")
    return [
        Fragment(a1, (SERGEI, CHN, NATO, USA, GBR), (Relation("MEMBER_OF", USA.ref, NATO.ref, "the US is in NATO", "2023-03-02"),),
                 (_meet(a1, SERGEI, CHN, "Sergei Lavrov met Chinese officials in Beijing"),)),
        Fragment(a2, (SERGEY, CHN, BLR, NATO_LONG, GBR),
                 (Relation("MEMBER_OF", GBR.ref, NATO_LONG.ref, "the UK joined", "2023-04-05"),),
                 (_meet(a2, SERGEY, CHN, "Sergey Lavrov met China's envoy"),
                  _meet(a2, SERGEY, BLR, "Sergey Lavrov held talks in Minsk"))),
    ]


def filled(store):
    store.write_many([seed_fragment(), *lavrov_fragments()])
    return store


def pairs(store) -> set[tuple[str, str]]:
    return {(c.a, c.b) for c in store_candidates(store)}


def test_spelling_variants_of_one_person_are_proposed(store):
    assert (SERGEI.ref, SERGEY.ref) in pairs(filled(store))


def test_a_proposal_says_why(store):
    c = next(c for c in store_candidates(filled(store)) if c.a == SERGEI.ref)
    assert set(c.reasons) == {"spelling variant", "same country (RUS)", "1 shared neighbour"}


def test_an_acronym_and_its_long_form_are_proposed(store):
    assert (NATO.ref, NATO_LONG.ref) in pairs(filled(store))


def test_two_countries_are_not_proposed(store):
    assert not [p for p in pairs(filled(store)) if p[0].startswith("country:")]


def test_a_rejected_pair_is_not_proposed_again_after_reopening(store_factory):
    filled(store_factory()).reject_duplicate(SERGEY.ref, SERGEI.ref)
    assert (SERGEI.ref, SERGEY.ref) not in pairs(store_factory())


def test_a_rejection_keeps_the_other_proposals(store_factory):
    filled(store_factory()).reject_duplicate(SERGEY.ref, SERGEI.ref)
    assert (NATO.ref, NATO_LONG.ref) in pairs(store_factory())


def test_rejecting_an_unknown_entity_names_it(store):
    with pytest.raises(GeoKGError, match="person:nobody"):
        filled(store).reject_duplicate(SERGEI.ref, "person:nobody")


def test_a_merge_is_listed_for_undo(store):
    filled(store).merge_entities(SERGEI.ref, SERGEY.ref)
    assert store.merges()[["keep", "dropped"]].to_dict("records") == [{"keep": SERGEI.ref, "dropped": SERGEY.ref}]


def _state(store):
    rel = store.relations(limit=5000).drop(columns=["confidence"])
    rel = rel.sort_values(["source_id", "type", "target_id"]).reset_index(drop=True)
    rows = [{k: (sorted(v) if isinstance(v, list) else v) for k, v in r.items()} for r in rel.to_dict("records")]
    return (rows, store.stats(), store.entity(SERGEI.ref), store.entity(SERGEY.ref), store.redirects())


def test_undo_puts_back_the_graph_as_before_the_merge(store_factory):
    s = filled(store_factory())
    before = _state(s)
    s.merge_entities(SERGEI.ref, SERGEY.ref)
    s.undo_merge(s.merges().id[0])
    assert _state(store_factory()) == before


def test_undo_restores_the_dropped_entity_events(store_factory):
    s = filled(store_factory())
    before = s.entity_events(SERGEY.ref).id.tolist()
    s.merge_entities(SERGEI.ref, SERGEY.ref)
    s.undo_merge(s.merges().id[0])
    assert store_factory().entity_events(SERGEY.ref).id.tolist() == before


def test_after_undo_new_articles_land_on_the_restored_entity_again(store_factory):
    s = filled(store_factory())
    s.merge_entities(SERGEI.ref, SERGEY.ref)
    s.undo_merge(s.merges().id[0])
    a = Article("lavrov-3", "Lavrov again", published="2023-06-01")
    s.write(Fragment(a, (SERGEY, BLR), (), (_meet(a, SERGEY, BLR, "Sergey Lavrov returned to Minsk"),)))
    meet = store_factory().relations(types=["MEET"], entity=SERGEY.ref)
    assert sorted(meet.mentions) == [1, 2]  # China once; Minsk twice


def test_an_undone_merge_leaves_the_undo_list(store):
    filled(store).merge_entities(SERGEI.ref, SERGEY.ref)
    store.undo_merge(store.merges().id[0])
    assert store.merges().empty


def test_undoing_an_unknown_merge_says_so(store):
    with pytest.raises(GeoKGError, match="no merge"):
        filled(store).undo_merge("nope")


def test_an_embedded_file_from_before_curation_records_opens_read_only_with_none(tmp_path):
    from geokg.graph.stores.embedded import EmbeddedStore
    path = tmp_path / "old.lbdb"
    with EmbeddedStore(path) as s:
        s.write(seed_fragment())
        s._write([("DROP TABLE NOT_SAME", {}), ("DROP TABLE MergeRecord", {})])
    with EmbeddedStore(path, read_only=True) as old:
        rejected, merges = old.not_same(), old.merges()
    assert rejected == set()
    assert merges.empty
