"""The read benchmark's generator and runner at a tiny size, on both real stores: the graph has
the counts and the hub skew it promises, both stores hold the same graph after the bulk load, and
every timed operation runs through GeoKG's store methods. No timings are asserted."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT, wipe_neo4j
from geokg.graph.model import ACTOR_TYPES, ENDPOINTS, LINK_TYPES
from geokg.graph.stores.embedded import EmbeddedStore

sys.path.insert(0, str(ROOT / "benchmarks"))
import reads  # noqa: E402
import synth  # noqa: E402

SPEC = synth.Spec(nodes=1500, rels=15_000, seed=3)


@pytest.fixture(scope="module")
def graph() -> synth.SynthGraph:
    return synth.generate(SPEC)


@pytest.fixture(scope="module")
def embedded(graph, tmp_path_factory):
    path = synth.load_embedded(graph, tmp_path_factory.mktemp("bench") / "graph.lbdb", log=lambda *_: None)
    with EmbeddedStore(path, read_only=True) as s:
        yield s


def test_generator_makes_the_node_and_relationship_counts_asked(graph):
    assert graph.node_count == SPEC.nodes
    assert graph.rel_count == SPEC.rels


def test_generator_gives_a_few_hub_countries_most_of_the_degree(graph):
    deg = synth.degrees(graph)
    assert deg.index[0].startswith("country:")
    assert deg.iloc[0] > 50 * deg.median()


def test_generator_is_deterministic_for_a_seed(graph):
    again = synth.generate(SPEC)
    assert {k: df["s"].tolist()[:50] for k, df in again.rels.items()} == \
           {k: df["s"].tolist()[:50] for k, df in graph.rels.items()}


def test_generated_relationships_follow_the_schema_endpoints(graph):
    bad = [(rel, s, t) for rel, s, t in graph.rels
           if rel not in LINK_TYPES and (rel not in ACTOR_TYPES or s not in ENDPOINTS[rel][0] or t not in ENDPOINTS[rel][1])]
    assert bad == []


def test_generated_actor_relationships_are_unique_per_type_and_pair(graph):
    dupes = sum(int(df.duplicated(["s", "t"]).sum()) for df in graph.rels.values())
    assert dupes == 0


def test_bulk_loaded_embedded_store_holds_the_whole_graph(embedded, graph):
    stats = embedded.stats()
    assert sum(stats["nodes"].values()) == graph.node_count
    assert sum(stats["relationships"].values()) == graph.rel_count


def test_read_benchmark_runs_every_operation_on_the_embedded_store(embedded, graph):
    picks = reads.make_picks(graph, 3, SPEC.seed)
    ops = {t.op: t for t in reads.run_reads(embedded, picks)}
    assert sorted(ops) == sorted(["search", "1-hop", "2-hop", "paths <=4", "research", "relations(entity)", "events(actor)",
                                  "overview"])
    assert ops["1-hop"].size > 0
    assert ops["search"].size > 0


def test_hub_neighbourhood_stays_within_its_limit_on_the_embedded_store(embedded, graph):
    picks = reads.make_picks(graph, 3, SPEC.seed)
    one_hop = reads.hub_probe(embedded, picks.hubs[0], picks.hub_degree, unbounded_timeout=5)[0]
    assert one_hop["edges"] <= 2 * reads.LIMIT
    assert picks.hub_degree > 2 * reads.LIMIT


@pytest.mark.neo4j
def test_bulk_load_and_reads_on_neo4j_match_the_embedded_store(neo4j_settings, embedded, graph):
    from geokg.graph.stores.neo4j_store import Neo4jStore

    s = neo4j_settings
    wipe_neo4j(s)
    synth.load_neo4j(graph, s.neo4j_uri, (s.neo4j_user, s.neo4j_password or ""), s.neo4j_database, batch=5000,
                     log=lambda *_: None)
    picks = reads.make_picks(graph, 3, SPEC.seed)
    with Neo4jStore(s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.neo4j_database) as n4:
        ops = {t.op: t for t in reads.run_reads(n4, picks, floors=False)}
        same = (n4.stats(), embedded.stats())
        hub = (n4.neighbourhood([picks.hubs[0]], hops=1, limit=50).number_of_edges(),
               embedded.neighbourhood([picks.hubs[0]], hops=1, limit=50).number_of_edges())
    wipe_neo4j(s)
    assert same[0] == same[1]
    assert hub[0] == hub[1]
    assert ops["1-hop"].size > 0
