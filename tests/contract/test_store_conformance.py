"""One behaviour, one assertion, the same on both backends: every test here runs against the
embedded LadybugDB store and a real Neo4j server."""

from __future__ import annotations

import json

import pytest

from geokg.graph.errors import GeoKGError, QueryError
from geokg.graph.stores.protocol import DeletedRelation, Store
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import BLR, CHN, EU, LUKA, RUS, UKR, XI, followup_fragment, seed_fragment

SEED_NODES = {"Country": 4, "Person": 2, "Organization": 1, "Event": 5, "Article": 1}
SEED_RELS = {"LEADS": 2, "BORDERS": 2, "DEPENDS_ON": 1, "MEET": 1, "MILITARY_POSTURE": 1, "SANCTION": 1,
             "FIGHT": 1, "APPEAL": 2, "ACTOR_IN": 6, "TARGETS": 5, "REPORTS": 5, "MENTIONS": 7}


def test_write_stores_exactly_the_fragment(store):
    write_fragments(store, [seed_fragment()])
    assert store.stats() == {"nodes": SEED_NODES, "relationships": SEED_RELS}


def test_writing_the_same_article_twice_changes_nothing(store):
    write_fragments(store, [seed_fragment()])
    before = (store.stats(), store.relations().to_dict("records"))
    stats = write_fragments(store, [seed_fragment()])
    assert stats.articles_skipped == 1
    assert (store.stats(), store.relations().to_dict("records")) == before


def test_same_entity_in_two_articles_is_one_node_with_two_mentions(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    hits = store.search("lukashenko")
    assert hits[["ref", "mentions"]].to_dict("records") == [{"ref": LUKA.ref, "mentions": 2}]


def test_rollup_relationship_counts_articles_and_spans_dates(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    rel = store.relations(types=["SANCTION"]).iloc[0]
    assert rel.source == "European Union"
    assert rel.target == "Belarus"
    assert rel.mentions == 2
    assert rel.first_seen == "2023-03-01"
    assert rel.last_seen == "2023-04-02"


def test_undirected_event_types_are_stored_once(store):
    write_fragments(store, [seed_fragment()])
    meet = store.relations(types=["MEET"])
    assert len(meet) == 1


def test_search_finds_entities_by_alias(store):
    write_fragments(store, [seed_fragment()])
    assert list(store.search("beijing").ref) == [CHN.ref]


def test_one_hop_neighbourhood_of_belarus(store):
    write_fragments(store, [seed_fragment()])
    g = store.neighbourhood([BLR.ref], hops=1)
    assert set(g.nodes) == {BLR.ref, CHN.ref, RUS.ref, UKR.ref, LUKA.ref, EU.ref}


def test_two_hop_neighbourhood_reaches_leaders_of_neighbours(store):
    write_fragments(store, [seed_fragment()])
    g = store.neighbourhood([EU.ref], hops=2)
    assert set(g.nodes) == {EU.ref, BLR.ref, CHN.ref, RUS.ref, UKR.ref, LUKA.ref}


def test_neighbourhood_filters_by_relation_type(store):
    write_fragments(store, [seed_fragment()])
    g = store.neighbourhood([BLR.ref], hops=1, types=["BORDERS"])
    assert sorted((u, v, k) for u, v, k in g.edges(keys=True)) == [
        (BLR.ref, RUS.ref, "BORDERS"), (BLR.ref, UKR.ref, "BORDERS")]


def test_neighbourhood_filters_by_date_window(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    g = store.neighbourhood([LUKA.ref], hops=2, date_from="2023-04-01")
    assert set(g.nodes) == {LUKA.ref, BLR.ref, EU.ref}


def test_neighbourhood_keeps_the_limit_most_mentioned_relationships_of_each_hop(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])  # two relationships of Belarus twice
    g = store.neighbourhood([BLR.ref], hops=1, limit=2)
    assert sorted(g.edges(keys=True)) == [(EU.ref, BLR.ref, "SANCTION"), (LUKA.ref, BLR.ref, "LEADS")]
    assert store.neighbourhood([BLR.ref], hops=1).number_of_edges() == 8


def test_a_second_hop_starts_only_from_the_nodes_the_first_kept(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    # Lukashenko and the EU have no relationship beyond Belarus: the second hop adds nothing,
    # though Belarus's six other neighbours would reach China and Xi
    g = store.neighbourhood([BLR.ref], hops=2, limit=2)
    assert set(g.nodes) == {BLR.ref, EU.ref, LUKA.ref}
    assert {CHN.ref, XI.ref} <= set(store.neighbourhood([BLR.ref], hops=2).nodes)


def test_neighbourhood_of_unknown_entity_names_it(store):
    with pytest.raises(GeoKGError, match="country:XXX"):
        store.neighbourhood(["country:XXX"])


def test_shortest_path_from_xi_to_the_eu_goes_through_china_and_belarus(store):
    write_fragments(store, [seed_fragment()])
    paths = store.paths(XI.ref, EU.ref, max_hops=4)
    assert [p.graph["order"] for p in paths] == [[XI.ref, CHN.ref, BLR.ref, EU.ref]]


def test_paths_only_through_chosen_types(store):
    write_fragments(store, [seed_fragment()])
    assert store.paths(XI.ref, EU.ref, max_hops=4, types=["LEADS", "BORDERS"]) == []


def test_events_filter_by_type_and_actor(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    ev = store.events(types=["SANCTION"], actor=EU.ref)
    assert list(ev.date) == ["2023-04-02", "2023-03-01"]


def test_events_filter_by_date_window(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    assert len(store.events(date_from="2023-04-01", date_to="2023-04-30")) == 1


def test_console_runs_read_queries(store):
    write_fragments(store, [seed_fragment()])
    df = store.cypher("MATCH (p:Person)-[r:LEADS]->(c:Country) RETURN p.name AS person, c.id AS country "
                      "ORDER BY person")
    assert df.to_dict("records") == [{"person": "Alexander Lukashenko", "country": "BLR"},
                                     {"person": "Xi Jinping", "country": "CHN"}]


def test_console_accepts_parameters(store):
    write_fragments(store, [seed_fragment()])
    df = store.cypher("MATCH (c:Country {id: $id}) RETURN c.name AS name", {"id": "BLR"})
    assert list(df.name) == ["Belarus"]


def test_console_understands_neo4j_type_function(store):
    write_fragments(store, [seed_fragment()])
    df = store.cypher("MATCH (:Organization)-[r]->(:Country) RETURN type(r) AS t")
    assert list(df.t) == ["SANCTION"]


def test_console_understands_neo4j_shortest_path(store):
    write_fragments(store, [seed_fragment()])
    df = store.cypher("MATCH p = shortestPath((a:Person {id: 'xi-jinping'})-[:LEADS|MEET|SANCTION*..4]-(b:Organization)) "
                      "RETURN length(p) AS hops")
    assert list(df.hops) == [3]


def test_console_reports_bad_cypher_as_query_error(store):
    with pytest.raises(QueryError):
        store.cypher("MATCH (n RETURN n")


def test_added_alias_persists_after_reopening(store_factory):
    write_fragments(store_factory(), [seed_fragment()])
    store_factory().add_alias(BLR.ref, "Republic of Belarus")
    assert list(store_factory().search("republic of").ref) == [BLR.ref]


def test_deleted_relationship_stays_deleted_after_reopening(store_factory):
    write_fragments(store_factory(), [seed_fragment()])
    store_factory().delete_relation(RUS.ref, "MILITARY_POSTURE", BLR.ref)
    assert store_factory().relations(types=["MILITARY_POSTURE"]).empty


def test_merging_entities_moves_relationships_and_keeps_the_name_as_alias(store_factory):
    from geokg.graph.model import Article, Entity, Fragment, Relation
    dup = Entity("Person", "a-lukashenko", "A. Lukashenko")
    s = store_factory()
    write_fragments(s, [seed_fragment()])
    write_fragments(s, [Fragment(Article("dup-article", published="2023-05-01"), (dup, BLR),
                                 (Relation("LEADS", dup.ref, BLR.ref, "A. Lukashenko rules Belarus", "2023-05-01"),))])
    s.merge_entities(LUKA.ref, dup.ref)
    s = store_factory()
    leads = s.relations(types=["LEADS"], entity=BLR.ref)
    assert s.entity(dup.ref) is None
    assert "A. Lukashenko" in s.entity(LUKA.ref)["aliases"]
    assert list(leads.mentions) == [2]


def test_marked_review_persists(store_factory):
    write_fragments(store_factory(), [seed_fragment()])
    store_factory().mark_reviewed(EU.ref, "SANCTION", BLR.ref)
    assert bool(store_factory().relations(types=["SANCTION"]).iloc[0].reviewed) is True


@pytest.mark.parametrize("fmt", ["graphml", "json", "csv"])
def test_export_holds_every_node(store, tmp_path, fmt):
    import networkx as nx
    import pandas as pd
    write_fragments(store, [seed_fragment()])
    out = store.export(fmt, tmp_path / f"graph.{fmt}")
    if fmt == "graphml":
        n = nx.read_graphml(out).number_of_nodes()
    elif fmt == "json":
        n = len(json.loads(out.read_text())["nodes"])
    else:
        n = len(pd.read_csv(out / "nodes.csv"))
    assert n == sum(SEED_NODES.values())


def test_neighbourhood_and_relations_filter_by_origin(store):
    from dataclasses import replace
    gdelt = followup_fragment()
    gdelt = replace(gdelt, article=replace(gdelt.article, id="gdelt-src", origin="gdelt"))
    write_fragments(store, [seed_fragment(), gdelt])
    g = store.neighbourhood([BLR.ref], hops=1, origin="gdelt")
    rel = store.relations(origin="gdelt")
    assert sorted(g.nodes) == sorted([BLR.ref, EU.ref, LUKA.ref])
    assert sorted(rel.type) == ["LEADS", "SANCTION"]


def test_articles_about_an_entity_carry_the_sentences_each_gave(store):
    """The profile's "Articles that mention it": every article with its own evidence about the
    entity; handing over the events the page already read gives the same table."""
    write_fragments(store, [seed_fragment(), followup_fragment()])
    arts = store.articles_about("country:BLR")
    given = store.articles_about("country:BLR", events=store.entity_events("country:BLR"))
    assert dict(zip(arts.title, arts.evidence.map(len))) == {
        "EU widens Belarus sanctions": 1, "China, Belarus presidents call for establishing peace in Ukraine": 7}
    assert given.to_dict("records") == arts.to_dict("records")


# --- the rest of the Store protocol: every public method is called here on both backends ---------

def test_both_stores_satisfy_the_store_protocol(store):
    assert isinstance(store, Store)


def test_an_open_store_answers_a_ping(store):
    assert store.ping() is None


def test_what_is_written_inside_a_with_block_is_there_after_reopening(store_factory):
    with store_factory() as s:
        write_fragments(s, [seed_fragment()])
    assert store_factory().stats() == {"nodes": SEED_NODES, "relationships": SEED_RELS}


def test_a_store_closed_and_opened_again_reads_what_was_written(store_factory):
    s = store_factory()
    write_fragments(s, [seed_fragment()])
    s.close()
    assert store_factory().stats() == {"nodes": SEED_NODES, "relationships": SEED_RELS}


def test_write_batch_writes_whole_articles_and_skips_stored_ones(store):
    first = store.write_batch([seed_fragment()], store.redirects())
    again = store.write_batch([seed_fragment(), followup_fragment()], store.redirects())
    assert ((first.articles_written, first.articles_skipped), (again.articles_written, again.articles_skipped)) == \
        ((1, 0), (1, 1))


def test_redirects_map_a_merged_away_entity_onto_the_kept_one(store):
    from geokg.graph.model import Article, Entity, Fragment, Relation
    dup = Entity("Person", "a-lukashenko", "A. Lukashenko")
    write_fragments(store, [seed_fragment(), Fragment(Article("dup-article", published="2023-05-01"), (dup, BLR), (
        Relation("LEADS", dup.ref, BLR.ref, "A. Lukashenko rules Belarus", "2023-05-01"),))])
    store.merge_entities(LUKA.ref, dup.ref)
    assert store.redirects() == {dup.ref: LUKA.ref}


def test_after_a_complete_write_no_hub_list_is_left_to_refresh(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    assert store.refresh_hubs() == 0


def test_rebuilt_hub_lists_answer_the_neighbourhood_as_the_sorted_hop_does(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    before = sorted(store.neighbourhood([BLR.ref], hops=2).edges(keys=True))
    store.hub_degree = 2  # Belarus, Russia, Ukraine, ... become hubs (on a backend that keeps lists)
    store.rebuild_hubs()
    assert sorted(store.neighbourhood([BLR.ref], hops=2).edges(keys=True)) == before


def test_latest_articles_come_newest_first(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    assert list(store.latest_articles().title) == [
        "EU widens Belarus sanctions", "China, Belarus presidents call for establishing peace in Ukraine"]


def test_latest_articles_count_the_events_each_reported(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    assert list(store.latest_articles().events) == [1, 5]


def test_top_connected_ranks_belarus_first_by_relationships_and_mentions(store):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    top = store.top_connected(limit=3)
    assert top[["ref", "degree", "weight"]].to_dict("records") == [
        {"ref": BLR.ref, "degree": 8, "weight": 10}, {"ref": RUS.ref, "degree": 4, "weight": 4},
        {"ref": UKR.ref, "degree": 4, "weight": 4}]


def test_the_whole_graph_as_networkx_holds_every_node_and_relationship(store):
    write_fragments(store, [seed_fragment()])
    g = store.to_networkx()
    assert (g.number_of_nodes(), g.number_of_edges()) == (sum(SEED_NODES.values()), sum(SEED_RELS.values()))


def test_deleting_a_relationship_says_what_was_deleted(store):
    write_fragments(store, [seed_fragment()])
    deleted = store.delete_relation(RUS.ref, "MILITARY_POSTURE", BLR.ref)
    assert deleted == DeletedRelation(RUS.ref, "MILITARY_POSTURE", BLR.ref, count=1, mentions=1,
                                      evidence="Russia has a contingent of troops and weapons in Belarus")


def test_deleting_a_relationship_that_is_gone_deletes_nothing(store):
    write_fragments(store, [seed_fragment()])
    store.delete_relation(RUS.ref, "MILITARY_POSTURE", BLR.ref)
    assert store.delete_relation(RUS.ref, "MILITARY_POSTURE", BLR.ref).count == 0
