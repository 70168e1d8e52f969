"""A pair's temperature as a pure function: Goldstein values from the record or the CAMEO table,
quad classes, one row per month with the ids of its events."""

from __future__ import annotations

import pandas as pd
import pytest

from geokg.graph.analysis.temperature import MONTH_COLUMNS, goldstein_of, monthly, quad_of, scored

COLUMNS = ["id", "date", "type", "cameo", "cameo_code", "goldstein", "quad_class", "origin"]


def events(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


@pytest.mark.parametrize(("code", "value"), [
    ("057", 8.0),     # sign formal agreement: a sub-type of its own
    ("0874", 10.0),   # the most cooperative code of the scale
    ("1729", -5.0),   # not listed: its longest listed prefix, 172
    ("19", -10.0),    # a root
    ("", None), (None, None),
])
def test_goldstein_values_come_from_the_cameo_table(code, value):
    assert goldstein_of(code) == value


@pytest.mark.parametrize(("own", "cameo", "quad"), [(None, "04", 1), (None, "07", 2), (None, "13", 3),
                                                    (None, "19", 4), (2, "13", 2), (None, "", None)])
def test_the_quad_class_is_the_record_s_own_else_that_of_the_cameo_root(own, cameo, quad):
    assert quad_of(own, cameo) == quad


PAIR = events(
    ("e1", "2023-01-10", "MEET", "04", None, None, None, "article"),
    ("e2", "2023-01-20", "THREATEN", "13", None, None, None, "article"),
    ("e3", "2023-02-03", "DISAPPROVE", "11", "111", -3.0, 3, "gdelt"),
    ("e4", "2023-02-09", "PROVIDE_AID", "07", None, None, None, "acled"),
    ("e5", None, "FIGHT", "19", None, None, None, "article"),
    ("e6", "2023-02-15", "UNCLASSIFIED", "", "", None, None, "acled"),
)


def test_a_month_s_goldstein_value_is_the_mean_of_its_events():
    assert list(monthly(PAIR).goldstein) == [-2.5, 2.0]


def test_a_record_s_own_goldstein_score_wins_over_the_table():
    assert monthly(PAIR.iloc[[2]]).goldstein.iloc[0] == -3.0


def test_an_unclassified_event_counts_in_its_month_but_has_no_score():
    feb = monthly(PAIR).iloc[1]
    assert (feb.events, feb.scored) == (3, 2)


def test_each_month_counts_its_events_by_quad_class():
    jan = monthly(PAIR).iloc[0]
    assert (jan["verbal cooperation"], jan["material cooperation"], jan["verbal conflict"],
            jan["material conflict"]) == (1, 0, 1, 0)


def test_each_month_lists_its_events_newest_first():
    assert list(monthly(PAIR).ids) == [["e2", "e1"], ["e6", "e4", "e3"]]


def test_undated_events_are_in_no_month_and_counted_apart():
    assert monthly(PAIR).attrs["undated"] == 1


def test_scored_events_give_the_same_months():
    assert monthly(scored(PAIR)).drop(columns="ids").equals(monthly(PAIR).drop(columns="ids"))


def test_no_events_give_no_months():
    out = monthly(events())
    assert (list(out.columns), len(out)) == (MONTH_COLUMNS, 0)
