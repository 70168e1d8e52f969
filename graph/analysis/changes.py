"""What changed between two periods: the actor relationships that are new, gone, grown or shrunk.

A period is a window of event dates, ``YYYY-MM-DD..YYYY-MM-DD`` (either end may be left open:
``..2023-03-01``, ``2023-01-01..``), or a bare date ``YYYY-MM-DD``, which means *the graph as of
that date*: every event up to and including it. A relationship's weight in a period is the
number of its events dated in the period (``CypherStore.rollup_mentions``), so re-ingesting an
article changes nothing and undated events count in no bounded period.

For each (actor, type, target) with events in either period:

* ``new``: events in B, none in A;   * ``gone``: events in A, none in B;
* ``grown``: more in B than in A;    * ``shrunk``: fewer in B than in A.

Unchanged ones are left out, and so are structural relationships (LEADS, BORDERS, ...): they have
no dated events to count per period (LEADS keeps its supported period, see ``offices``). Types
undirected in meaning (MEET, AGREEMENT, ...) count once per pair of ends, whichever side the events
name first. Each change keeps one event of the later
period it was seen in (B, else A) as evidence, with its sentence and source article.

>>> parse_period("2023-03-01")
Period(start=None, end='2023-03-01')
>>> parse_period("2023-01-01..2023-01-31").label
'2023-01-01..2023-01-31'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from geokg.graph.errors import GeoKGError
from geokg.graph.model import UNDIRECTED_TYPES, ref

__all__ = ["Period", "parse_period", "diff_mentions", "what_changed", "STATUSES", "CHANGE_COLUMNS"]

STATUSES = ("new", "gone", "grown", "shrunk")
CHANGE_COLUMNS = ["status", "type", "source", "target", "before", "after", "change", "source_ref", "target_ref",
                  "example", "reports_before", "reports_after", "date", "evidence", "url", "title"]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Period:
    """Event dates from ``start`` to ``end``, both included; None leaves that end open."""

    start: str | None
    end: str | None

    @property
    def label(self) -> str:
        if self.start is None and self.end is not None:
            return f"as of {self.end}"
        return f"{self.start or ''}..{self.end or ''}"


def _date(text: str, what: str) -> str:
    from datetime import date

    if not _DATE.fullmatch(text):
        raise GeoKGError(f"{what}: {text!r} is not a date; write YYYY-MM-DD")
    try:
        date.fromisoformat(text)
    except ValueError:
        raise GeoKGError(f"{what}: {text!r} is no day of the calendar") from None
    return text


def parse_period(text: str, what: str = "period") -> Period:
    """``YYYY-MM-DD..YYYY-MM-DD`` (an end may be empty) or ``YYYY-MM-DD`` (as of that date).
    GeoKGError naming ``what`` and the value when it is neither, or when it ends before it starts."""
    text = (text or "").strip()
    if ".." not in text:
        return Period(None, _date(text, what))
    a, _, b = text.partition("..")
    start = _date(a.strip(), what) if a.strip() else None
    end = _date(b.strip(), what) if b.strip() else None
    if start and end and start > end:
        raise GeoKGError(f"{what}: {text!r} ends before it starts; write START..END")
    return Period(start, end)


def _keyed(rows: pd.DataFrame) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(source ref, type, target ref) -> {mentions, reports, example, names}; undirected types
    ordered. ``reports``: the sources of those events (the events' count for rows without it)."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows.to_dict("records"):
        s, t = ref(r["source_label"], r["source_id"]), ref(r["target_label"], r["target_id"])
        names = {s: r["source"] or r["source_id"], t: r["target"] or r["target_id"]}
        if r["type"] in UNDIRECTED_TYPES and t < s:
            s, t = t, s
        key = (s, r["type"], t)
        cur = out.setdefault(key, {"mentions": 0, "reports": 0, "example": None, "names": names})
        cur["mentions"] += int(r["mentions"])
        cur["reports"] += int(r.get("reports", r["mentions"]))
        cur["example"] = max(filter(None, (cur["example"], r["example"])), default=None)
    return out


def diff_mentions(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Two ``rollup_mentions`` tables (periods A and B) -> the changes (``CHANGE_COLUMNS`` without
    the evidence columns), by status, type, then size of the change. Pure."""
    a, b = _keyed(before), _keyed(after)
    rows = []
    for key in a.keys() | b.keys():
        n_a = a.get(key, {}).get("mentions", 0)
        n_b = b.get(key, {}).get("mentions", 0)
        if n_a == n_b:
            continue
        status = "new" if not n_a else "gone" if not n_b else "grown" if n_b > n_a else "shrunk"
        seen = b.get(key) or a[key]
        s, typ, t = key
        rows.append({"status": status, "type": typ, "source": seen["names"][s], "target": seen["names"][t],
                     "before": n_a, "after": n_b, "change": n_b - n_a, "source_ref": s, "target_ref": t,
                     "example": seen["example"], "reports_before": a.get(key, {}).get("reports", 0),
                     "reports_after": b.get(key, {}).get("reports", 0)})
    df = pd.DataFrame(rows, columns=CHANGE_COLUMNS[:12])
    if df.empty:
        return df
    df["order"] = df["status"].map(STATUSES.index)
    df["size"] = df["change"].abs()
    df = df.sort_values(["order", "type", "size", "source", "target"], ascending=[True, True, False, True, True])
    return df.drop(columns=["order", "size"]).reset_index(drop=True)


def what_changed(store: Any, a: Period, b: Period, limit: int = 500) -> pd.DataFrame:
    """The changes from period ``a`` to ``b`` in ``store`` (either backend), at most ``limit``
    (in :func:`diff_mentions` order), each with the evidence of its example event: date,
    sentence, and the URL and title of an article that reported it."""
    before = store.rollup_mentions(a.start, a.end)
    after = store.rollup_mentions(b.start, b.end)
    changes = diff_mentions(before, after).head(limit)
    if changes.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    ev = store.events_by_id([e for e in changes["example"].dropna().unique()])
    ev = ev.drop_duplicates("id").set_index("id")
    for col in ("date", "evidence", "url", "title"):
        changes[col] = changes["example"].map(ev[col]) if not ev.empty else None
    return changes[CHANGE_COLUMNS].reset_index(drop=True)
