"""Altair charts shared by the pages (Vega-Lite ships inside Streamlit: no CDN)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from geokg.graph.analysis.analytics import QUAD_NAMES, quad_class
from geokg.graph.analysis.viz import STYLE
from geokg.graph.model import EVENT_TYPES

__all__ = ["bars", "quad_of", "QUAD_SCALE", "LABEL_SCALE", "event_strip", "event_volume"]

QUAD_SCALE = alt.Scale(domain=[QUAD_NAMES[i] for i in (1, 2, 3, 4)] + ["structural"],
                       range=["#7fc97f", "#2ca02c", "#f4a582", "#d62728", "#9e9e9e"])
LABEL_SCALE = alt.Scale(domain=list(STYLE), range=[v["color"] for v in STYLE.values()])


def quad_of(rel_type: str) -> str:
    q = quad_class(rel_type)
    return QUAD_NAMES[q] if q else "structural"


def bars(df: pd.DataFrame, x: str, y: str, color: str | None = None, scale: alt.Scale | None = None,
         height: int | None = None) -> alt.Chart:
    """Horizontal bars, longest first."""
    enc = {"x": alt.X(f"{x}:Q", title=None),
           "y": alt.Y(f"{y}:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=180)),
           "tooltip": [alt.Tooltip(f"{y}:N"), alt.Tooltip(f"{x}:Q")]}
    if color:
        enc["color"] = alt.Color(f"{color}:N", scale=scale or alt.Undefined, legend=None)
    return alt.Chart(df).mark_bar(cornerRadiusEnd=3).encode(**enc).properties(
        height=height or max(120, 24 * len(df)))


def event_strip(events: pd.DataFrame) -> alt.Chart:
    """Events as dots: date across, event type down (CAMEO order), coloured by quad class,
    sized by how many events share the day and type. Tooltips hold no article text."""
    df = events.dropna(subset=["date"]).copy()
    df["quad"] = df["type"].map(quad_of)
    grouped = df.groupby(["date", "type", "quad"], as_index=False).size().rename(columns={"size": "events"})
    order = sorted(EVENT_TYPES, key=lambda t: EVENT_TYPES[t])
    return alt.Chart(grouped).mark_circle(opacity=0.8).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(padding=24), axis=alt.Axis(format="%b %Y", labelOverlap=True)),
        y=alt.Y("type:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False, labelLimit=180)),
        size=alt.Size("events:Q", scale=alt.Scale(range=[60, 600]), legend=None),
        color=alt.Color("quad:N", scale=QUAD_SCALE, title="CAMEO quad class"),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("type:N"), alt.Tooltip("events:Q")],
    ).properties(height=max(160, 28 * grouped["type"].nunique())).interactive(bind_y=False)


def event_volume(events: pd.DataFrame, freq: str = "MS") -> alt.Chart:
    """Events per period (month by default), stacked cooperation vs conflict."""
    df = events.dropna(subset=["date"]).copy()
    df["quad"] = df["type"].map(quad_of)
    df["period"] = pd.to_datetime(df["date"], errors="coerce").dt.to_period("M").dt.to_timestamp()
    grouped = df.dropna(subset=["period"]).groupby(["period", "quad"], as_index=False).size()
    return alt.Chart(grouped).mark_bar().encode(
        x=alt.X("period:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True)),
        y=alt.Y("size:Q", title="events"),
        color=alt.Color("quad:N", scale=QUAD_SCALE, title="CAMEO quad class"),
        tooltip=[alt.Tooltip("period:T", format="%Y-%m"), "quad:N", alt.Tooltip("size:Q", title="events")],
    ).properties(height=200)
