"""The ``geokg`` command as a user meets it: real processes, real stores, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import SAMPLES, assert_one_line_error, geokg

from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import seed_fragment


@pytest.fixture
def filled_db(tmp_path) -> Path:
    path = tmp_path / "graph.lbdb"
    with EmbeddedStore(path) as s:
        write_fragments(s, [seed_fragment()])
    return path


def test_wrong_neo4j_password_names_the_settings_and_hides_the_password(neo4j_settings):
    secret = "wrong-pass-7f3a9"
    res = geokg("stats", env={"NEO4J_URI": neo4j_settings.neo4j_uri, "NEO4J_USERNAME": "neo4j",
                              "NEO4J_PASSWORD": secret})
    assert_one_line_error(res, "NEO4J_PASSWORD")
    assert secret not in res.stdout + res.stderr


def test_unreachable_neo4j_names_the_address():
    res = geokg("stats", env={"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "x"})
    assert_one_line_error(res, "bolt://127.0.0.1:1", "running")


def test_store_locked_by_another_writer_says_busy(filled_db):
    with EmbeddedStore(filled_db):  # GEOKG_RETRY_SECONDS=0: no waiting for it (tests/e2e/test_faults.py waits)
        res = geokg("ingest", str(SAMPLES), env={"GEOKG_RETRY_SECONDS": "0"}, db=filled_db)
    assert_one_line_error(res, "busy")


def test_corrupt_database_file_is_named_with_the_fix(tmp_path):
    bad = tmp_path / "broken.lbdb"
    bad.write_bytes(b"this is not a database" * 100)
    res = geokg("stats", db=bad)
    assert_one_line_error(res, str(bad), "GEOKG_DB")


def test_missing_database_tells_to_ingest_first(tmp_path):
    res = geokg("stats", db=tmp_path / "none.lbdb")
    assert_one_line_error(res, "geokg ingest")


def test_bad_cypher_is_one_line(filled_db):
    res = geokg("query", "MATCH (n RETURN n", db=filled_db)
    assert_one_line_error(res)


def test_query_refuses_a_write(filled_db):
    res = geokg("query", "MATCH (c:Country) DETACH DELETE c", db=filled_db)
    assert_one_line_error(res, "read-only")


def test_query_prints_json_rows(filled_db):
    res = geokg("query", "MATCH (c:Country) WHERE c.id = $id RETURN c.name AS name", "-p", "id=BLR",
                "--format", "json", db=filled_db)
    assert json.loads(res.stdout) == [{"name": "Belarus"}]


def test_query_prints_csv(filled_db):
    res = geokg("query", "MATCH (p:Person) RETURN p.name AS name ORDER BY name", "--format", "csv", db=filled_db)
    assert res.stdout.splitlines() == ["name", "Alexander Lukashenko", "Xi Jinping"]


def test_stats_counts_by_label(filled_db):
    res = geokg("stats", "--json", db=filled_db)
    assert json.loads(res.stdout)["nodes"]["Country"] == 4


def test_export_graphml_writes_the_file(filled_db, tmp_path):
    out = tmp_path / "g.graphml"
    res = geokg("export", "--format", "graphml", "--out", str(out), db=filled_db)
    assert res.returncode == 0
    assert out.read_text().count("<node ") == 13


def test_unknown_backend_is_one_line():
    res = geokg("stats", env={"GEOKG_BACKEND": "mysql"})
    assert_one_line_error(res)


def test_ingest_recognises_gdelt_by_content_and_reloading_changes_nothing(shared_dir, tmp_path):
    export = shared_dir / "data" / "gdelt" / "20191024143000.export.CSV"
    db = tmp_path / "g.lbdb"
    first = geokg("ingest", str(export), db=db)
    again = geokg("ingest", str(export), db=db)
    events = json.loads(geokg("stats", "--json", db=db).stdout)["nodes"]["Event"]
    kept = json.loads(geokg("query", "MATCH (e:Event) RETURN sum(size(e.report_ids)) AS n", "--format", "json",
                            db=db).stdout)
    assert first.returncode == 0
    assert int(kept[0]["n"]) == 2111  # every row kept, as a report of its event
    assert events < 2111  # GDELT rows repeating one happening are one event
    assert again.stdout.split("written: ")[1].split(",")[0] == "0"


def test_forcing_the_wrong_format_reports_rows_without_a_traceback(tmp_path):
    db = tmp_path / "g.lbdb"
    res = geokg("ingest", "--format", "acled", str(SAMPLES / "01-xi-lukashenko-beijing.txt"), db=db)
    assert "Traceback" not in res.stderr
    assert "skipped" in res.stderr
    assert res.returncode == 1


def test_an_article_too_long_to_parse_is_skipped_and_the_rest_loads(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "huge.txt").write_text("Title: Huge\n\n" + "Belarus borders Russia. " * 60_000)
    (folder / "ok.txt").write_text((SAMPLES / "03-finland-joins-nato.txt").read_text())
    res = geokg("ingest", str(folder), db=tmp_path / "g.lbdb")
    skipped = [ln for ln in res.stderr.splitlines() if "huge.txt" in ln]
    assert res.returncode == 0
    assert len(skipped) == 1
    assert "spaCy's limit" in skipped[0]
    assert "articles read: 1" in res.stdout
