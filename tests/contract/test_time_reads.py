"""The reads behind the shared time control and a pair's temperature, on both stores: paths of a
time found by the store (not today's paths filtered), an entity's events and articles in a window,
and the events between two actors either way round (time_fixtures)."""

from __future__ import annotations

import pytest
from time_fixtures import BLR, CHN, FRAGMENTS, RUS

from geokg.graph.analysis.temperature import monthly
from geokg.graph.stores.writer import write_fragments


@pytest.fixture
def filled(store):
    write_fragments(store, FRAGMENTS)
    return store


def _orders(paths) -> list[list[str]]:
    """The node sequences of the paths (two relations between the same pair make two paths)."""
    return [list(o) for o in sorted({tuple(p.graph["order"]) for p in paths})]


def test_the_shortest_path_of_today_is_the_direct_meeting(filled):
    assert _orders(filled.paths(CHN.ref, RUS.ref)) == [[CHN.ref, RUS.ref]]


def test_the_shortest_path_as_of_a_date_goes_through_what_was_known_then(filled):
    assert _orders(filled.paths(CHN.ref, RUS.ref, date_to="2023-01-31")) == [[CHN.ref, BLR.ref, RUS.ref]]


def test_there_is_no_path_as_of_a_date_before_any_relation(filled):
    assert filled.paths(CHN.ref, RUS.ref, date_to="2022-12-31") == []


def test_a_window_after_the_old_chain_keeps_only_the_direct_path(filled):
    assert _orders(filled.paths(CHN.ref, RUS.ref, max_hops=2, date_from="2023-04-01")) == [[CHN.ref, RUS.ref]]


def test_entity_events_as_of_a_date_leave_out_later_ones(filled):
    assert sorted(filled.entity_events(CHN.ref, date_to="2023-01-31").type) == ["MEET", "THREATEN"]


def test_entity_events_within_a_window(filled):
    assert sorted(filled.entity_events(CHN.ref, date_from="2023-02-01", date_to="2023-02-28").type) == [
        "DISAPPROVE", "PROVIDE_AID"]


def test_articles_about_an_entity_as_of_a_date_are_those_published_by_then(filled):
    assert list(filled.articles_about(CHN.ref, date_to="2023-01-31").url) == ["https://news.example/t-jan"]


def test_pair_events_come_from_either_side(filled):
    ev = filled.pair_events(CHN.ref, BLR.ref)
    assert sorted(zip(ev.type, ev.actor)) == [("DISAPPROVE", BLR.ref), ("MEET", CHN.ref), ("PROVIDE_AID", CHN.ref),
                                              ("THREATEN", BLR.ref)]


def test_pair_events_keep_the_record_s_own_codes_and_score(filled):
    rec = filled.pair_events(BLR.ref, CHN.ref).set_index("type").loc["DISAPPROVE"]
    assert (rec.cameo_code, rec.goldstein, rec.quad_class, rec.origin) == ("111", -3.0, 3, "gdelt")


def test_pair_events_carry_their_article_url(filled):
    ev = filled.pair_events(CHN.ref, BLR.ref).set_index("type")
    assert ev.loc["PROVIDE_AID", "url"] == "https://news.example/t-feb"


def test_pair_events_keep_to_the_window(filled):
    assert sorted(filled.pair_events(CHN.ref, BLR.ref, date_to="2023-01-31").type) == ["MEET", "THREATEN"]


def test_pair_events_of_a_pair_that_never_dealt_are_none(filled):
    assert filled.pair_events(CHN.ref, "org:nobody").empty


def test_a_pair_s_temperature_is_the_same_on_both_stores(filled):
    months = monthly(filled.pair_events(CHN.ref, BLR.ref))
    assert list(zip(months.month, months.goldstein)) == [("2023-01", -2.5), ("2023-02", 2.0)]
