"""A pair's temperature: how two actors' dealings run from cooperation to conflict, month by month.

Pure functions over ``Store.pair_events`` (the events either actor did to the other, from articles
and from event records alike). Each event gets

* a **Goldstein** value (-10 conflict .. +10 cooperation): the record's own ``GoldsteinScale``
  where it has one (GDELT), else the value the CAMEO table gives its code
  (``data/cameo_event_codes.tsv``, column ``goldstein``; the longest listed prefix of GDELT's full
  code, else our event type's CAMEO code); an UNCLASSIFIED event has none;
* a **quad class** (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material
  conflict): the record's own, else ``geokg.graph.model.QUAD_CLASS`` of its CAMEO root.

:func:`monthly` then gives one row per month with events: the mean Goldstein value, the count per
quad class, and the ids of its events, so a point of the chart leads to its events. Undated
events belong to no month and are left out (:func:`monthly` says how many in ``attrs``).

>>> goldstein_of("0874"), goldstein_of("19"), goldstein_of("1729"), goldstein_of("")
(10.0, -10.0, -5.0, None)
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd

from geokg import data
from geokg.graph.analysis.analytics import QUAD_NAMES
from geokg.graph.model import QUAD_CLASS

__all__ = ["MONTH_COLUMNS", "goldstein_scale", "goldstein_of", "quad_of", "scored", "monthly"]

#: A month's row: the quad classes count under their names (``QUAD_NAMES``: "verbal cooperation" ...).
MONTH_COLUMNS = ["month", "events", "goldstein", "scored", *QUAD_NAMES.values(), "ids"]


@functools.cache
def goldstein_scale() -> Mapping[str, float]:
    """CAMEO code (2-4 digits, as text) -> its Goldstein value, from ``data/cameo_event_codes.tsv``."""
    with data.open_text("cameo_event_codes.tsv") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        return MappingProxyType({r["code"].strip(): float(r["goldstein"]) for r in rows if (r.get("goldstein") or "").strip()})


def goldstein_of(code: Any) -> float | None:
    """The Goldstein value of a CAMEO code: its own row, else its longest listed prefix."""
    if not isinstance(code, str):
        return None
    table = goldstein_scale()
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def quad_of(quad_class: Any, cameo: Any) -> int | None:
    """The event's own quad class where the record has one, else that of its CAMEO root."""
    if _given(quad_class) and int(quad_class) in QUAD_NAMES:
        return int(quad_class)
    return QUAD_CLASS.get(cameo[:2]) if isinstance(cameo, str) and cameo else None


def scored(events: pd.DataFrame) -> pd.DataFrame:
    """``events`` (``Store.pair_events`` rows) with ``month`` (YYYY-MM or None), ``score`` (the
    Goldstein value used) and ``quad`` (the quad class used) added."""
    out = events.copy()
    codes = [cc if isinstance(cc, str) and cc else c for cc, c in zip(out["cameo_code"], out["cameo"])]
    out["score"] = [float(g) if _given(g) else goldstein_of(c) for g, c in zip(out["goldstein"], codes)]
    out["quad"] = [quad_of(q, c) for q, c in zip(out["quad_class"], out["cameo"])]
    out["month"] = [d[:7] if isinstance(d, str) and len(d) >= 7 else None for d in out["date"]]
    return out


def monthly(events: pd.DataFrame) -> pd.DataFrame:
    """One row per month of ``events`` (as read, or already :func:`scored`), oldest first
    (``MONTH_COLUMNS``): ``events``, the mean Goldstein value of those with one (``goldstein``,
    rounded to 2 places; ``scored`` of them had one), the count per quad class, and the month's
    event ids, newest first. ``attrs["undated"]``: the events left out for having no date."""
    df = events if {"score", "quad", "month"} <= set(events.columns) else scored(events)
    dated = df[df["month"].notna()]
    rows = []
    for month, group in dated.groupby("month", sort=True):
        scores = [s for s in group["score"] if _given(s)]
        rows.append({"month": month, "events": len(group),
                     "goldstein": round(sum(scores) / len(scores), 2) if scores else None, "scored": len(scores),
                     **{col: int((group["quad"] == q).sum()) for q, col in QUAD_NAMES.items()},
                     "ids": list(group.sort_values(["date", "id"], ascending=[False, True])["id"])})
    out = pd.DataFrame(rows, columns=MONTH_COLUMNS)
    out.attrs["undated"] = int(len(df) - len(dated))
    return out
