"""``geokg export --format geojson`` and ``geokg diff`` as a user runs them, on a real GDELT export."""

from __future__ import annotations

import json

import pytest
from cli_support import assert_one_line_error, geokg

EXPORT = "gdelt/20191024143000.export.CSV"


@pytest.fixture(scope="module")
def gdelt_db(shared_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("geo") / "graph.lbdb"
    res = geokg("ingest", str(shared_dir / "data" / EXPORT), db=db)
    assert res.returncode == 0, res.stderr
    return db


@pytest.fixture(scope="module")
def geojson(gdelt_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "events.geojson"
    res = geokg("export", "--format", "geojson", "--out", str(out), db=gdelt_db)
    assert res.returncode == 0, res.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_geojson_of_a_gdelt_export_has_a_point_per_located_event(geojson):
    points = [f for f in geojson["features"] if f["geometry"] and f["geometry"]["type"] == "Point"]
    assert len(points) > 1000


def test_geojson_points_are_inside_the_world_longitude_first(geojson):
    coords = [f["geometry"]["coordinates"] for f in geojson["features"]
              if f["geometry"] and f["geometry"]["type"] == "Point"]
    assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in coords)


def test_a_gdelt_event_in_washington_has_its_longitude_first(geojson):
    dc = next(f for f in geojson["features"] if f["properties"].get("place", "").startswith("Washington, District"))
    assert [round(c) for c in dc["geometry"]["coordinates"]] == [-77, 39]


def test_diff_prints_the_relations_new_on_the_export_day(gdelt_db):
    res = geokg("diff", "--from", "2019-10-01..2019-10-23", "--to", "2019-10-24", "--format", "json", db=gdelt_db)
    assert {c["status"] for c in json.loads(res.stdout)["changes"]} >= {"new"}


def test_diff_with_a_bad_period_is_one_line_naming_the_option(gdelt_db):
    assert_one_line_error(geokg("diff", "--from", "2019-10-24..2019-10-01", "--to", "2019-10-24", db=gdelt_db),
                          "--from", "ends before it starts")
