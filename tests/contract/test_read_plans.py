"""Reads about one entity start from that entity's key, on a real Neo4j: the server's own plan
(EXPLAIN) for each such query begins with a unique-index seek, never a scan of every node or every
relationship. At 1M relationships a scan made ``relations(entity=...)`` take 4-5 s (BENCHMARKS.md)."""

from __future__ import annotations

import pytest

from conftest import wipe_neo4j
from geokg.graph import cypher as Q
from geokg.graph.model import ACTOR_TYPES
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import followup_fragment, seed_fragment

SCANS = {"AllNodesScan", "NodeByLabelScan", "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan",
         "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan", "DirectedUnionRelationshipTypesScan",
         "UndirectedUnionRelationshipTypesScan"}

ANCHORED = {
    "relations of an entity, out": Q.relations_table(list(ACTOR_TYPES), Q.NEO4J, anchor=("Country", "out")),
    "relations of an entity, in": Q.relations_table(list(ACTOR_TYPES), Q.NEO4J, anchor=("Person", "in")),
    "events of an actor": Q.events_table(["types", "actor"], "Organization"),
    "one neighbourhood hop": Q.hop("Country", list(ACTOR_TYPES), "out", Q.NEO4J),
    "node properties of a hop": Q.nodes_by_id("Person", Q.NEO4J),
    "a hop reading hub lists, out": Q.hop_listed("Country", "out", Q.NEO4J),
    "a hop reading hub lists, in": Q.hop_listed("Person", "in", Q.NEO4J),
    "rebuilding a hub's lists": Q.hub_refresh("Country"),
    "marking hubs stale": Q.hub_mark("Country"),
}
PARAMS = {"entity": "BLR", "min_mentions": 1, "limit": 10, "actor": "nato", "types": ["SANCTION"], "ids": ["BLR"],
          "id": "BLR", "degree": 1000, "top": 500, "rids": ["4:00000000-0000-0000-0000-000000000000:1"]}


def _operators(plan: dict) -> set[str]:
    ops = {plan["operatorType"].split("@")[0]}
    for child in plan.get("children", []):
        ops |= _operators(child)
    return ops


@pytest.fixture(scope="module")
def explain(neo4j_settings):
    from geokg.graph.stores.neo4j_store import Neo4jStore

    s = neo4j_settings
    # a small real graph: on an empty database the planner scans (there is nothing to scan), and
    # what earlier tests left behind would make the plans depend on the order tests ran in
    wipe_neo4j(s)
    store = Neo4jStore(s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.neo4j_database)  # creates the constraints
    write_fragments(store, [seed_fragment(), followup_fragment()])
    driver = store._driver
    # plans cached by earlier tests (the same texts run with hundreds of ids on a tiny graph, where
    # reading the whole key index is cheaper) would otherwise be shown instead of a fresh plan
    driver.execute_query("CALL db.resampleOutdatedIndexes()", database_=s.neo4j_database)
    driver.execute_query("CALL db.clearQueryCaches()", database_=s.neo4j_database)

    def run(query: str) -> set[str]:
        summary = driver.execute_query(f"EXPLAIN {query}", PARAMS, database_=s.neo4j_database).summary
        return _operators(summary.plan)
    yield run
    store.close()


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(ANCHORED))
def test_reads_about_one_entity_start_from_its_key_index(explain, name):
    ops = explain(ANCHORED[name])
    assert any(op.startswith("NodeUniqueIndexSeek") for op in ops), " ".join(sorted(ops))
    assert sorted(ops & SCANS) == [], " ".join(sorted(ops))


@pytest.mark.neo4j
def test_the_plan_check_catches_a_scan_of_every_relationship(explain):
    ops = explain("MATCH (a)-[r:SANCTION|MEET]->(b) WHERE a.id = $entity OR b.id = $entity RETURN r LIMIT $limit")
    assert sorted(ops & SCANS) != []


@pytest.mark.neo4j
def test_a_hops_relationship_properties_are_fetched_by_element_id_seeks(explain):
    ops = explain(Q.rels_by_element_id(Q.NEO4J))
    assert any("RelationshipByElementIdSeek" in op for op in ops), " ".join(sorted(ops))
    assert sorted(ops & SCANS) == [], " ".join(sorted(ops))
