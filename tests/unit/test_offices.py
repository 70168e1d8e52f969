"""Who led a country as of a date, from the periods the LEADS sources support."""

from __future__ import annotations

import pandas as pd
import pytest

from geokg.graph.analysis.offices import leaders_as_of

LEADS = pd.DataFrame([
    {"source": "Angela Merkel", "role": "Chancellor", "first_seen": "2019-01-02", "last_seen": "2021-11-30"},
    {"source": "Olaf Scholz", "role": "Chancellor", "first_seen": "2021-12-08", "last_seen": "2024-05-01"},
    {"source": "Frank-Walter Steinmeier", "role": "President", "first_seen": "2020-03-01", "last_seen": "2024-01-01"},
])


@pytest.mark.parametrize(("date", "expected"), [
    ("2020-06-01", [("Angela Merkel", "supported"), ("Frank-Walter Steinmeier", "supported")]),
    ("2021-12-01", [("Angela Merkel", "last_known"), ("Frank-Walter Steinmeier", "supported")]),  # between sources
    ("2023-01-01", [("Olaf Scholz", "supported"), ("Frank-Walter Steinmeier", "supported")]),
    ("2025-01-01", [("Olaf Scholz", "last_known"), ("Frank-Walter Steinmeier", "last_known")]),
    ("2019-06-01", [("Angela Merkel", "supported")]),                    # no president seen yet
    ("2018-01-01", []),                                                  # before every source
])
def test_who_led_as_of_a_date(date, expected):
    assert [(h.name, h.status) for h in leaders_as_of(LEADS, date)] == expected


def test_rows_without_a_role_count_as_one_office():
    rows = LEADS.drop(columns=["role"])
    assert [h.name for h in leaders_as_of(rows, "2025-01-01")] == ["Olaf Scholz"]
