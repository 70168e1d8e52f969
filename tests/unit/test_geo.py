"""Country scores and the GeoJSON of the map, as pure functions over store-shaped rows."""

from __future__ import annotations

import json

import pandas as pd

from geokg.graph.analysis.geo import country_scores, feature_collection

ACTIVITY = pd.DataFrame([
    {"id": "UKR", "name": "Ukraine", "role": "target", "cameo": "19", "events": 3, "goldstein_sum": None, "goldstein_n": 0},
    {"id": "UKR", "name": "Ukraine", "role": "target", "cameo": "02", "events": 1, "goldstein_sum": None, "goldstein_n": 0},
    {"id": "CHN", "name": "China", "role": "actor", "cameo": "057", "events": 2, "goldstein_sum": 16.0, "goldstein_n": 2},
])
EVENTS = pd.DataFrame([{"id": "e1", "type": "MEET", "cameo": "04", "date": "2023-03-01", "summary": "CHN MEET BLR",
                        "evidence": "talks in Beijing", "goldstein": float("nan"), "quad_class": float("nan"),
                        "reports": 1, "origin": "article", "article": "a1", "url": None, "place_id": "beijing-chn",
                        "place": "Beijing", "country": "CHN", "lat": 39.9075, "lon": 116.39723}])


def _signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))


def test_a_country_scores_the_mean_pull_of_its_events_quad_classes():
    assert country_scores(ACTIVITY).set_index("iso3").loc["UKR", "score"] == round((3 * -1.0 + 0.5) / 4, 3)


def test_the_goldstein_mean_is_kept_where_gdelt_gave_one():
    assert country_scores(ACTIVITY).set_index("iso3").loc["CHN", "goldstein"] == 8.0


def test_countries_come_most_active_first():
    assert country_scores(ACTIVITY)["iso3"].tolist() == ["UKR", "CHN"]


def test_the_feature_collection_is_strict_json_without_nan():
    fc = feature_collection(EVENTS, country_scores(ACTIVITY))
    assert json.loads(json.dumps(fc, allow_nan=False))["type"] == "FeatureCollection"


def test_country_shapes_follow_the_right_hand_rule_of_rfc_7946():
    fc = feature_collection(EVENTS.head(0), country_scores(ACTIVITY))
    chn = next(f for f in fc["features"] if f["id"] == "country:CHN")["geometry"]
    polygons = [chn["coordinates"]] if chn["type"] == "Polygon" else chn["coordinates"]
    assert all(_signed_area(rings[0]) > 0 for rings in polygons)


def test_an_event_point_is_longitude_then_latitude():
    point = feature_collection(EVENTS, country_scores(ACTIVITY))["features"][0]["geometry"]
    assert point == {"type": "Point", "coordinates": [116.39723, 39.9075]}
