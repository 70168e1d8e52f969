"""Place and time reads on both stores: events on the map, country activity, the GeoJSON export
and what changed between two periods, on a small graph with known answers."""

from __future__ import annotations

import json

import pytest
from geo_fixtures import FRAGMENTS, A, B

from geokg.graph.analysis.changes import parse_period, what_changed
from geokg.graph.analysis.export import export_geojson
from geokg.graph.analysis.geo import country_scores
from geokg.graph.stores.writer import write_fragments


@pytest.fixture
def filled(store):
    write_fragments(store, FRAGMENTS)
    return store


def test_placed_events_are_those_at_a_place_with_coordinates(filled):
    assert sorted(filled.placed_events()["place"]) == ["Bakhmut", "Bakhmut", "Beijing"]


def test_placed_events_come_most_reported_first(filled):
    assert filled.placed_events(limit=1)["place"].tolist() == ["Beijing"]


def test_placed_events_carry_the_url_of_their_article(filled):
    assert filled.placed_events(limit=1)["url"].tolist() == ["https://news.example/jan"]


def test_placed_events_keep_to_the_window(filled):
    assert filled.placed_events("2023-02-01", "2023-02-28")["evidence"].tolist() == ["Shelling near Bakhmut continued."]


def test_count_of_placed_events_ignores_the_limit(filled):
    assert filled.count_placed_events() == 3


def test_country_activity_counts_events_as_actor_and_target(filled):
    scores = country_scores(filled.country_activity()).set_index("iso3")
    assert scores.loc["UKR", "events"] == 4  # three FIGHTs and an APPEAL, as target


def test_a_country_only_at_war_scores_full_conflict(filled):
    scores = country_scores(filled.country_activity()).set_index("iso3")
    assert scores.loc["RUS", "score"] == -1.0


def test_country_activity_keeps_to_the_window(filled):
    scores = country_scores(filled.country_activity("2023-02-01", "2023-02-28")).set_index("iso3")
    assert scores.loc["BLR", "events"] == 2  # the two February meetings, not January's sanction


def _changes(store):
    df = what_changed(store, parse_period(A), parse_period(B))
    return {(r.status, r.type, r.source_ref, r.target_ref): (r.before, r.after) for r in df.itertuples()}


def test_a_relation_only_in_the_later_period_is_new(filled):
    assert _changes(filled)[("new", "APPEAL", "country:CHN", "country:UKR")] == (0, 1)


def test_a_relation_only_in_the_earlier_period_is_gone(filled):
    assert _changes(filled)[("gone", "SANCTION", "org:european-union", "country:BLR")] == (1, 0)


def test_a_meeting_counts_once_per_pair_whichever_side_the_article_names_first(filled):
    assert _changes(filled)[("grown", "MEET", "country:BLR", "country:CHN")] == (1, 2)


def test_a_relation_with_fewer_events_later_has_shrunk(filled):
    assert _changes(filled)[("shrunk", "FIGHT", "country:RUS", "country:UKR")] == (2, 1)


def test_each_change_links_the_article_of_its_evidence(filled):
    df = what_changed(filled, parse_period(A), parse_period(B)).set_index("type")
    assert df.loc["APPEAL", "url"] == "https://news.example/feb"


def test_the_graph_as_of_a_date_has_nothing_gone(filled):
    df = what_changed(filled, parse_period("2023-01-31"), parse_period("2023-02-28"))
    assert sorted(df["status"].unique()) == ["grown", "new"]


def test_geojson_export_is_a_feature_collection(filled, tmp_path):
    out = export_geojson(filled, tmp_path / "map.geojson")
    assert json.loads(out.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_geojson_points_are_longitude_then_latitude(filled, tmp_path):
    doc = json.loads(export_geojson(filled, tmp_path / "map.geojson").read_text(encoding="utf-8"))
    points = {f["properties"]["place"]: f["geometry"]["coordinates"] for f in doc["features"]
              if f["geometry"] and f["geometry"]["type"] == "Point"}
    assert points["Beijing"] == [116.39723, 39.9075]


def test_geojson_countries_carry_their_event_counts_and_shape(filled, tmp_path):
    doc = json.loads(export_geojson(filled, tmp_path / "map.geojson").read_text(encoding="utf-8"))
    ukr = next(f for f in doc["features"] if f["id"] == "country:UKR")
    assert (ukr["properties"]["events"], ukr["geometry"]["type"]) == (4, "Polygon")


def test_rollup_mentions_count_the_events_of_the_window(filled):
    rows = filled.rollup_mentions("2023-02-01", "2023-02-28")
    fights = rows[(rows["type"] == "FIGHT") & (rows["source_id"] == "RUS")]
    assert fights["mentions"].tolist() == [1]


def test_events_by_id_give_the_sentence_and_the_reporting_article(filled):
    ev = FRAGMENTS[3].events[0]
    rows = filled.events_by_id([ev.id])
    assert rows[["evidence", "url"]].values.tolist() == [["The two leaders met a third time.", "https://news.example/feb2"]]


def test_relation_evidence_of_a_symmetric_relation_answers_in_either_orientation(filled):
    forth = filled.relation_evidence("country:CHN", "MEET", "country:BLR")
    back = filled.relation_evidence("country:BLR", "MEET", "country:CHN")
    assert forth["sentence"].tolist() == back["sentence"].tolist()


def test_relation_evidence_lists_every_sentence_newest_first(filled):
    rows = filled.relation_evidence("country:BLR", "MEET", "country:CHN")
    assert rows["date"].tolist() == ["2023-02-20", "2023-02-10", "2023-01-10"]
