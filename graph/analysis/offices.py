"""Who held an office when: "who led X as of T", answered from the LEADS relationships into X.

A LEADS relationship keeps the period its sources support: ``first_seen`` and ``last_seen`` are the
dates of the earliest and latest article that stated it (the extraction only states it when the
article's date falls in the term ``data/leaders.tsv`` gives). So for a date T, per role:

* a holder whose supported period contains T held the office then (``supported``);
* else, of those first seen on or before T, the one seen last is the latest known holder
  (``last_known``: the sources stop at its ``last_seen``, before T);
* nobody first seen on or before T: no answer for that role.

>>> import pandas as pd
>>> rows = pd.DataFrame([
...     {"source": "Angela Merkel", "role": "Chancellor", "first_seen": "2019-01-02", "last_seen": "2021-11-30"},
...     {"source": "Olaf Scholz", "role": "Chancellor", "first_seen": "2021-12-08", "last_seen": "2024-05-01"}])
>>> [(h.name, h.status) for h in leaders_as_of(rows, "2020-06-01")]
[('Angela Merkel', 'supported')]
>>> [(h.name, h.status) for h in leaders_as_of(rows, "2025-01-01")]
[('Olaf Scholz', 'last_known')]
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["Holder", "leaders_as_of"]


@dataclass(frozen=True)
class Holder:
    """One answer: who held ``role``, the period the sources support, and how sure that is."""

    name: str
    role: str
    first_seen: str
    last_seen: str
    status: str  # "supported" (T within the period) or "last_known" (the sources stop before T)


def leaders_as_of(leads: pd.DataFrame, date: str) -> list[Holder]:
    """``leads``: LEADS rows into one entity (``source`` = the person's name, ``role``,
    ``first_seen``, ``last_seen``, as ``CypherStore.relations`` gives them) -> the holders on
    ``date`` (YYYY-MM-DD), one role after another (module doc). Undated rows are left out."""
    if leads.empty:
        return []
    df = leads.dropna(subset=["first_seen"]).copy()
    df["last_seen"] = df["last_seen"].fillna(df["first_seen"])
    df["role"] = df["role"].fillna("leader") if "role" in df else "leader"
    out: list[Holder] = []
    for role, group in sorted(df.groupby("role"), key=lambda kv: str(kv[0])):
        began = group[group.first_seen <= date]
        if began.empty:
            continue
        during = began[began.last_seen >= date]
        if not during.empty:
            rows, status = during.sort_values(["first_seen", "source"]), "supported"
        else:
            rows, status = began.sort_values(["last_seen", "source"]).tail(1), "last_known"
        out += [Holder(r.source, str(role), r.first_seen, r.last_seen, status) for r in rows.itertuples()]
    return out
