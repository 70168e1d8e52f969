"""``geokg stats`` starts by saying which store it read, so a user never counts the wrong file."""

from __future__ import annotations

import json

from cli_support import geokg

from geokg.graph.stores.embedded import EmbeddedStore
from graph_fixtures import seed_fragment


def test_stats_first_line_names_the_embedded_file(tmp_path):
    db = tmp_path / "graph.lbdb"
    with EmbeddedStore(db) as s:
        s.write(seed_fragment())
    assert geokg("stats", db=db).stdout.splitlines()[0] == f"store: embedded {db}"


def test_stats_json_stays_one_document_and_names_the_store_on_stderr(tmp_path):
    db = tmp_path / "graph.lbdb"
    with EmbeddedStore(db) as s:
        s.write(seed_fragment())
    res = geokg("stats", "--json", db=db)
    assert (sorted(json.loads(res.stdout)), res.stderr.strip()) == (["nodes", "relationships"], f"store: embedded {db}")


def test_stats_on_neo4j_names_the_address_and_never_the_password(neo4j_settings):
    res = geokg("stats", env={"NEO4J_URI": neo4j_settings.neo4j_uri, "NEO4J_USERNAME": neo4j_settings.neo4j_user,
                              "NEO4J_PASSWORD": neo4j_settings.neo4j_password or ""})
    assert res.stdout.splitlines()[0] == f"store: neo4j {neo4j_settings.neo4j_uri}"
    assert neo4j_settings.neo4j_password not in res.stdout + res.stderr
