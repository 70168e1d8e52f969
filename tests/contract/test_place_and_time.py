"""Place and time reads on both stores: events on the map, country activity, the GeoJSON export
and what changed between two periods, on a small graph with known answers."""

from __future__ import annotations

import json

import pytest

from geokg.graph.analysis.changes import parse_period, what_changed
from geokg.graph.analysis.export import export_geojson
from geokg.graph.analysis.geo import country_scores
from geokg.graph.model import Article, Entity, Event, Fragment, stable_id

CHN = Entity("Country", "CHN", "China", (), {"iso2": "CN"})
BLR = Entity("Country", "BLR", "Belarus", (), {"iso2": "BY"})
RUS = Entity("Country", "RUS", "Russia", (), {"iso2": "RU"})
UKR = Entity("Country", "UKR", "Ukraine", (), {"iso2": "UA"})
EU = Entity("Organization", "european-union", "European Union", (), {"kind": "igo"})
BEIJING = Entity("Location", "beijing-chn", "Beijing", (), {"country": "CHN", "lat": 39.9075, "lon": 116.39723})
BAKHMUT = Entity("Location", "bakhmut-ukr", "Bakhmut", (), {"country": "UKR", "lat": 48.59419, "lon": 37.99886})
A = "2023-01-01..2023-01-31"
B = "2023-02-01..2023-02-28"


def _fragment(day: str, url: str, events: list[tuple]) -> Fragment:
    art = Article(Article.make_id(url, ""), f"report of {day}", url=url, published=day, source="test")
    evs, ents = [], {}
    for type_, actors, targets, sentence, place, props in events:
        for e in (*actors, *targets, *((place,) if place else ())):
            ents[e.ref] = e
        evs.append(Event(stable_id(art.id, type_, sentence), type_, tuple(a.ref for a in actors),
                         tuple(t.ref for t in targets), sentence, day, summary=f"{type_} {sentence[:20]}",
                         location=place.ref if place else None, props=props))
    return Fragment(art, tuple(ents.values()), (), tuple(evs))


FRAGMENTS = [
    _fragment("2023-01-10", "https://news.example/jan", [
        ("FIGHT", [RUS], [UKR], "Russian forces attacked near Bakhmut.", BAKHMUT, {}),
        ("FIGHT", [RUS], [UKR], "Fighting went on in the east.", None, {}),
        ("SANCTION", [EU], [BLR], "The EU imposed sanctions on Belarus.", None, {}),
        ("MEET", [CHN], [BLR], "Xi met Lukashenko for talks in Beijing.", BEIJING, {"num_mentions": 10}),
    ]),
    _fragment("2023-02-10", "https://news.example/feb", [
        ("FIGHT", [RUS], [UKR], "Shelling near Bakhmut continued.", BAKHMUT, {}),
        ("MEET", [BLR], [CHN], "Lukashenko and Xi met again.", None, {}),
        ("APPEAL", [CHN], [UKR], "China called for a ceasefire in Ukraine.", None, {}),
    ]),
    _fragment("2023-02-11", "https://news.example/feb2", [
        ("MEET", [CHN], [BLR], "The two leaders met a third time.", None, {}),
    ]),
]


@pytest.fixture
def filled(store):
    store.write_many(FRAGMENTS)
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
