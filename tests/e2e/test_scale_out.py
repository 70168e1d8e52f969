"""Running beyond one process: Neo4j through ``neo4j://`` routing, extraction over processes."""

from __future__ import annotations

import json

import pytest
from cli_support import SAMPLES, geokg

from conftest import wipe_neo4j
from geokg.graph.stores.neo4j_store import Neo4jStore
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import followup_fragment, seed_fragment


@pytest.fixture
def routing_uri(neo4j_settings) -> str:
    """The test server's address with the routing scheme a cluster or Aura is reached by."""
    wipe_neo4j(neo4j_settings)
    scheme, rest = neo4j_settings.neo4j_uri.split("://", 1)
    return {"bolt": "neo4j", "bolt+s": "neo4j+s", "bolt+ssc": "neo4j+ssc"}.get(scheme, scheme) + "://" + rest


def test_routing_driver_writes_to_the_leader_and_reads_from_a_reader(routing_uri, neo4j_settings):
    """With ``neo4j://`` the driver asks the server for its routing table and sends write
    transactions to a writer, read transactions to a reader: a single server is all three."""
    s = neo4j_settings
    with Neo4jStore(routing_uri, s.neo4j_user, s.neo4j_password, s.neo4j_database) as store:
        written = write_fragments(store, [seed_fragment(), followup_fragment()])
        top = store.search("belarus")
    assert written.articles_written == 2
    assert top.loc[0, "ref"] == "country:BLR"


def test_cli_ingest_through_routing(routing_uri, neo4j_settings):
    s = neo4j_settings
    res = geokg("ingest", str(SAMPLES), env={"NEO4J_URI": routing_uri, "NEO4J_USERNAME": s.neo4j_user,
                                             "NEO4J_PASSWORD": s.neo4j_password or ""})
    assert res.returncode == 0, res.stderr
    assert "written: 8," in res.stdout


def test_extraction_over_two_processes_gives_the_same_graph(tmp_path):
    """``geokg ingest --processes 2`` spreads spaCy over worker processes; the graph written is
    the one a single process writes."""
    one, two = tmp_path / "one.lbdb", tmp_path / "two.lbdb"
    first = geokg("ingest", str(SAMPLES), db=one)
    second = geokg("ingest", "--processes", "2", str(SAMPLES), db=two)
    assert first.returncode == 0, second.stderr
    assert second.returncode == 0, second.stderr
    counts = [line for line in first.stdout.splitlines() if "written:" in line]
    assert counts, first.stdout
    assert counts == [line for line in second.stdout.splitlines() if "written:" in line]
    stats = [json.loads(geokg("stats", "--backend", "embedded", "--json", db=db).stdout) for db in (one, two)]
    assert stats[0] == stats[1]
    assert stats[0]["relationships"]["LEADS"] > 0
