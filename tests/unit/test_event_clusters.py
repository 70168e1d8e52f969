"""The pure rules of events across articles (``geokg.graph.event_clusters``): the key, the window,
places, and where a batch of reports goes."""

from __future__ import annotations

import pytest

from geokg.graph.event_clusters import (
    EVENT_WINDOW_DAYS,
    Place,
    Report,
    assign,
    event_key,
    places_conflict,
    window_from_env,
)
from geokg.graph.model import Event

RUS, BLR, UKR, CHN = "country:RUS", "country:BLR", "country:UKR", "country:CHN"
KHARKIV = Place("location:kharkiv-ukr", "UKR", 49.98, 36.25)
ODESA = Place("location:odesa-ukr", "UKR", 46.49, 30.74)
KHARKIV_GDELT = Place("location:kharkiv-kharkivs-ka-oblast-ukraine", "UKR", 50.0, 36.23)


def ev(type_: str = "MILITARY_POSTURE", actors=(RUS,), targets=(BLR,), day: str | None = "2023-03-01", i: str = "1"):
    return Event(i, type_, tuple(actors), tuple(targets), date=day)


def report(i: str, day: str, key: str | None = "k", place: Place | None = None, article: str | None = None,
           origin: str = "article") -> Report:
    return Report(i, key, day, place, article or f"art-{i}", origin, day, f"sentence {i}", 0.5)


def test_one_root_and_the_same_actor_and_target_sets_share_a_key():
    assert event_key(ev("AGREEMENT", (CHN,), (BLR,))) == event_key(ev("AGREEMENT", (BLR,), (CHN,)))
    assert event_key(ev("SANCTION", (CHN,), (BLR,))) == event_key(ev("REDUCE_RELATIONS", (CHN,), (BLR,)))
    assert event_key(ev(actors=(RUS, CHN))) == event_key(ev(actors=(CHN, RUS)))


def test_direction_type_and_actors_tell_keys_apart():
    keys = {event_key(e) for e in (ev(), ev(actors=(BLR,), targets=(RUS,)), ev("THREATEN"), ev(targets=(UKR,)))}
    assert len(keys) == 4


def test_an_undirected_type_is_one_key_either_way_round():
    assert event_key(ev("MEET", (CHN,), (BLR,))) == event_key(ev("MEET", (BLR,), (CHN,)))


@pytest.mark.parametrize("e", [ev(day=None), ev(targets=()), ev("UNCLASSIFIED")], ids=["undated", "no target", "unclassified"])
def test_too_little_to_tell_happenings_apart_gives_no_key(e):
    assert event_key(e) is None


def test_places_conflict_only_when_both_known_and_different():
    assert not places_conflict(KHARKIV, None)
    assert not places_conflict(KHARKIV, Place("country:UKR", "UKR"))  # in Ukraine / in Kharkiv
    assert not places_conflict(KHARKIV, KHARKIV_GDELT)  # GDELT's own key, 2 km away
    assert places_conflict(KHARKIV, ODESA)
    assert places_conflict(KHARKIV, Place("country:RUS", "RUS"))
    assert places_conflict(Place("country:RUS", "RUS"), Place("country:UKR", "UKR"))
    assert places_conflict(Place("location:a"), Place("location:b"))  # no coordinates: the keys decide


def test_reports_within_the_window_of_the_first_one_join_it_and_later_ones_do_not():
    days = ["2023-03-01", "2023-03-02", "2023-03-04", "2023-03-05", "2023-03-07"]
    a = assign([report(str(i), d) for i, d in enumerate(days)], [], EVENT_WINDOW_DAYS)
    # 03-05 is 4 days after the first report: a new event, which 03-07 joins (no chaining from 03-04)
    assert [(c.date, c.report_ids) for c in a.new] == [("2023-03-01", ("0", "1", "2")), ("2023-03-05", ("3", "4"))]


def test_a_report_joins_the_nearest_fitting_event():
    a = assign([report("a", "2023-03-01"), report("b", "2023-03-05"), report("c", "2023-03-04")], [], 3)
    assert a.event_of == {"a": "a", "b": "b", "c": "b"}


def test_a_differing_place_splits_and_an_unknown_place_joins_and_fills_in():
    a = assign([report("x", "2023-03-10"), report("k", "2023-03-10", place=KHARKIV),
                report("o", "2023-03-10", place=ODESA)], [], 3)
    assert [(c.report_ids, c.place) for c in a.new] == [(("x", "k"), KHARKIV), (("o",), ODESA)]


def test_reports_count_distinct_sources():
    a = assign([report("1", "2023-03-01", article="url-1"), report("2", "2023-03-01", article="url-1", origin="gdelt"),
                report("3", "2023-03-02", article="url-2")], [], 3)
    (c,) = a.new
    assert (c.reports, c.report_origins) == (2, ("article", "gdelt", "article"))


def test_two_acled_records_never_share_an_event_but_an_article_joins_one():
    a = assign([report("r1", "2023-03-01", origin="acled"), report("r2", "2023-03-01", origin="acled"),
                report("p", "2023-03-01")], [], 3)
    assert [c.report_ids for c in a.new] == [("r1", "p"), ("r2",)]


def test_a_stored_event_grows_and_a_report_it_holds_is_not_added_again():
    (stored,) = assign([report("1", "2023-03-01")], [], 3).new
    stored = type(stored)(**{**stored.__dict__, "stored": True})
    a = assign([report("1", "2023-03-01"), report("2", "2023-03-03")], [stored], 3)
    assert a.held == {"1"}
    assert [(c.id, c.report_ids, c.first_reported, c.last_reported) for c in a.grown] == [
        ("1", ("1", "2"), "2023-03-01", "2023-03-03")]
    assert a.new == []


def test_without_a_window_or_a_key_every_report_is_its_own_event():
    assert len(assign([report("1", "2023-03-01"), report("2", "2023-03-01")], [], None).new) == 2
    assert len(assign([report("1", "2023-03-01", key=None), report("2", "2023-03-01", key=None)], [], 3).new) == 2


@pytest.mark.parametrize(("raw", "window"), [(None, EVENT_WINDOW_DAYS), ("0", 0), ("7", 7), ("off", None), (" OFF ", None)])
def test_the_window_setting(raw, window):
    assert window_from_env({} if raw is None else {"GEOKG_EVENT_WINDOW_DAYS": raw}) == window


def test_a_bad_window_setting_names_itself():
    with pytest.raises(ValueError, match="GEOKG_EVENT_WINDOW_DAYS"):
        window_from_env({"GEOKG_EVENT_WINDOW_DAYS": "-2"})
