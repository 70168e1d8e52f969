"""The one time control of the pages that read the graph at a time (Explore, Map, Paths,
Analytics, Profile, Timeline): *all time*, *as of* a date T (relationships first seen by T,
events dated up to T) or *within a window* [from, to].

It is drawn in the sidebar by each of those pages with the same widget keys, and its value lives
in one session key (:data:`KEY`), so it is the same on every page and survives a visit to a page
that does not draw it (Streamlit forgets the state of a widget a run does not draw). The URL
carries it as ``asof=T`` or ``from=A&to=B`` (:func:`params`, merged into what each page
publishes); a link is read once per session, on the first page that draws the control.

The value is a :class:`~geokg.graph.analysis.changes.Period` (``start`` None and ``end`` T is
the graph as of T, as in ``geokg diff``), or None for all time; ``bounds`` gives the store reads'
``date_from``/``date_to``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from geokg.graph.analysis.changes import Period
from geokg.ui import links

__all__ = ["MODES", "KEY", "page_run", "control", "control_in_link", "bounds", "params", "describe", "nothing_in"]

MODES = ("All time", "As of", "Window")
#: The session key holding the control's value: {"mode", "asof", "from", "to"} (dates or None).
KEY = "time_window"
_WIDGETS = {"mode": "time_mode", "asof": "time_asof", "from": "time_from", "to": "time_to"}
_ENTERED, _PAGE = "_time_page_entered", "_time_page"


def page_run(page: str) -> None:
    """Called by the app on every run with the page about to run: notes when it is a page other
    than the last run's, so the control's widgets start from the kept value there."""
    ss = st.session_state
    ss[_ENTERED] = ss.get(_PAGE) != page or ss.get(_ENTERED, True)
    ss[_PAGE] = page


def _from_url() -> dict[str, Any]:
    """The time a link names: ``asof`` wins over ``from``/``to``; bad dates are ignored."""
    asof, d0, d1 = links.param_date("asof"), links.param_date("from"), links.param_date("to")
    if asof:
        return {"mode": "As of", "asof": asof, "from": None, "to": None}
    if d0 or d1:
        return {"mode": "Window", "asof": None, "from": d0, "to": d1}
    return {}


def _period(value: dict[str, Any]) -> Period | None:
    if value.get("mode") == "As of" and value.get("asof"):
        return Period(None, value["asof"].isoformat())
    if value.get("mode") == "Window" and (value.get("from") or value.get("to")):
        d0, d1 = value.get("from"), value.get("to")
        return Period(d0.isoformat() if d0 else None, d1.isoformat() if d1 else None)
    return None


def control() -> Period | None:
    """Draw the time control in the sidebar and return the chosen period (None: all time)."""
    ss = st.session_state
    value = dict(ss.get(KEY) or {"mode": MODES[0], "asof": None, "from": None, "to": None})
    if links.arriving("time"):
        value.update(_from_url())
    # A widget's state belongs to the page that drew it: on a page just entered, the widgets
    # start from the kept value, set through the Session State API; afterwards they hold their own.
    fresh = ss.get(_ENTERED, True)
    for part, key in _WIDGETS.items():
        ss[key] = value.get(part) if fresh or key not in ss else ss[key]
    ss[_ENTERED] = False
    with st.sidebar:
        st.markdown("**Time**")
        mode = st.radio("Time", MODES, key="time_mode", horizontal=True, label_visibility="collapsed",
                        help="As of T: relationships first seen by T and events up to T. Window: relationships "
                             "seen within it and events dated in it. Undated relationships are in every window.")
        if mode == "As of":
            st.date_input("As of", key="time_asof", format="YYYY-MM-DD")
        elif mode == "Window":
            a, b = st.columns(2)
            a.date_input("From", key="time_from", format="YYYY-MM-DD")
            b.date_input("To", key="time_to", format="YYYY-MM-DD")
    value.update({part: ss.get(key) for part, key in _WIDGETS.items()})
    ss[KEY] = value
    period = _period(value)
    if period and period.start and period.end and period.start > period.end:
        st.sidebar.error("The window ends before it starts: showing all time.")
        return None
    return period


def control_in_link() -> Period | None:
    """:func:`control` for a page whose link holds nothing but the time (Analytics, Map,
    Profile, Timeline): drawn, then put in the URL."""
    period = control()
    links.publish(params(period))
    return period


def bounds(period: Period | None) -> tuple[str | None, str | None]:
    """``(date_from, date_to)`` for a store read."""
    return (period.start, period.end) if period else (None, None)


def params(period: Period | None) -> dict[str, str | None]:
    """The URL parameters naming ``period`` (always all three keys, so a page's publish drops
    the ones not in use)."""
    if period is None:
        return {"asof": None, "from": None, "to": None}
    if period.start is None:
        return {"asof": period.end, "from": None, "to": None}
    return {"asof": None, "from": period.start, "to": period.end}


def describe(period: Period | None) -> str:
    """``as of 2023-01-31``, ``from 2023-01-01 to 2023-01-31``, ``since 2023-01-01``, ``at any time``."""
    if period is None:
        return "at any time"
    if period.start is None:
        return f"as of {period.end}"
    return f"from {period.start} to {period.end}" if period.end else f"since {period.start}"


def nothing_in(period: Period | None, what: str) -> None:
    """The page's note that ``what`` has nothing in the chosen time (or at all)."""
    if period is None:
        st.info(f"No {what}.")
    else:
        st.info(f"No {what} {describe(period)}. Widen the time window in the sidebar.")
