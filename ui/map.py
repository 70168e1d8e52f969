"""Map: countries shaded from cooperation to conflict by their events in a window, and the events
with a place as points sized by reports; click a country or a point to select it.

Everything is drawn by Altair (Vega-Lite ships inside Streamlit) from inline data: the Natural
Earth shapes in ``data/world_110m.geojson`` and the store's reads, so no request leaves the
machine (no tile server). Article text reaches the page only as tooltip text, which Vega's
tooltip handler escapes, and as table cells.
"""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from geokg.graph.analysis.analytics import QUAD_NAMES
from geokg.graph.analysis.geo import country_scores, feature_collection, world_shapes
from geokg.graph.model import QUAD_CLASS
from geokg.ui import charts, state, timectl

#: The most points drawn (most reported first); more would make the page slow, not clearer.
MAX_POINTS = 5000


def _quad_name(cameo: object) -> str:
    q = QUAD_CLASS.get(str(cameo)[:2]) if isinstance(cameo, str) else None
    return QUAD_NAMES.get(q, "structural") if q else "structural"


def _plain(v: object) -> object:
    """A JSON-ready number (numpy scalars have ``item``)."""
    return v.item() if hasattr(v, "item") else v


def map_chart(scores: pd.DataFrame, events: pd.DataFrame) -> alt.LayerChart:
    """Country shapes coloured by score (-1 conflict .. +1 cooperation; grey without events) under
    the event points (size = reports, colour = CAMEO quad class). Selections ``country_pick``
    and ``place_pick`` carry the clicked entity's reference in ``ref``."""
    known = scores.set_index("iso3")[["events", "reports", "cooperation", "conflict", "score"]].to_dict("index")
    features = [{**f, "properties": {**f["properties"], "ref": "country:" + f["properties"]["iso3"],
                                     **{k: _plain(v) for k, v in known.get(f["properties"]["iso3"], {}).items()}}}
                for f in world_shapes()["features"]]  # every shape, with the scores of those with events
    shapes = alt.InlineData(values=features)
    country_pick = alt.selection_point(name="country_pick", fields=["ref"], on="click", empty=False)
    world = alt.Chart(shapes).mark_geoshape(fill="#e6e6e6", stroke="#ffffff", strokeWidth=0.4).encode(
        tooltip=alt.Tooltip("properties.name:N", title="country"))  # every shape, grey: no events
    land = alt.Chart(shapes).mark_geoshape(stroke="#ffffff", strokeWidth=0.4).transform_calculate(
        ref="datum.properties.ref", country="datum.properties.name", events="datum.properties.events",
        reports="datum.properties.reports",
        cooperation="datum.properties.cooperation", conflict="datum.properties.conflict", score="datum.properties.score",
    ).transform_filter("isValid(datum.score)").encode(
        color=alt.Color("score:Q", title="cooperation score", scale=alt.Scale(domain=[-1, 1], scheme="redyellowgreen")),
        strokeWidth=alt.condition(country_pick, alt.value(2.0), alt.value(0.4)),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("events:Q"), alt.Tooltip("reports:Q"),
                 alt.Tooltip("cooperation:Q"), alt.Tooltip("conflict:Q"), alt.Tooltip("score:Q")],
    ).add_params(country_pick)
    layers: list[alt.Chart] = [world, land]
    if not events.empty:
        pts = events.copy()
        pts["ref"] = "location:" + pts["place_id"].astype(str)
        pts["quad"] = pts["cameo"].map(_quad_name)
        pts["evidence"] = pts["evidence"].fillna("").str.slice(0, 300)
        cols = ["ref", "lat", "lon", "reports", "quad", "type", "date", "summary", "evidence", "place", "url"]
        place_pick = alt.selection_point(name="place_pick", fields=["ref"], on="click", empty=False)
        layers.append(alt.Chart(pts[cols]).mark_circle(opacity=0.7, stroke="#333333", strokeWidth=0.3).encode(
            longitude="lon:Q", latitude="lat:Q",
            size=alt.Size("reports:Q", scale=alt.Scale(range=[12, 400]), title="reports"),
            color=alt.Color("quad:N", scale=charts.QUAD_SCALE, title="CAMEO quad class"),
            tooltip=[alt.Tooltip("place:N"), alt.Tooltip("date:N"), alt.Tooltip("type:N"),
                     alt.Tooltip("summary:N"), alt.Tooltip("evidence:N"), alt.Tooltip("reports:Q"),
                     alt.Tooltip("url:N", title="source")],
        ).add_params(place_pick))
    return alt.layer(*layers).project(type="equalEarth").properties(height=520).resolve_scale(color="independent")


def _picked(event: object) -> str | None:
    """The reference of the clicked country or place in a chart selection event, or None."""
    selection = getattr(event, "selection", None) or (event.get("selection") if isinstance(event, dict) else None) or {}
    for name in ("place_pick", "country_pick"):
        for item in selection.get(name) or []:
            if isinstance(item, dict) and item.get("ref"):
                return str(item["ref"])
    return None


def _show_pick(s, picked: str, scores: pd.DataFrame, events: pd.DataFrame) -> None:
    lab, key = picked.split(":", 1)
    if lab == "location":
        here = events[events.place_id == key]
        st.subheader(state.md(here.place.iloc[0] if len(here) else key))
        st.caption(f"{len(here)} events at this place in the time shown · {int(here.reports.sum()):,} reports")
        st.dataframe(here[["date", "type", "summary", "evidence", "reports", "url"]], hide_index=True, width="stretch",
                     column_config={"url": st.column_config.LinkColumn("source")}, key="map_place_events")
        return
    row = scores[scores.iso3 == key]
    ent = s.entity(picked) or {}
    st.subheader(state.md(ent.get("name", key)))
    if len(row):
        r = row.iloc[0]
        st.caption(f"{r.events} events in the window ({r.reports} reports): {r.cooperation} cooperation, "
                   f"{r.conflict} conflict, score {r.score:+.2f}")
    if st.button("Open its profile", key="map_open_profile"):
        st.session_state["profile_q"] = ent.get("name", key)
        st.switch_page(Path(__file__).resolve().parent / "profile.py")


def main() -> None:
    s = state.store()
    st.title("Map")
    period = timectl.control_in_link()
    d0, d1 = timectl.bounds(period)
    with st.container(border=True):
        c1, c2 = st.columns([3, 2])
        c1.caption(f"Events {timectl.describe(period)} (the time control is in the sidebar).")
        cap = c2.select_slider("Points at most", [500, 1000, 2000, MAX_POINTS], value=MAX_POINTS, key="map_cap")
    scores = country_scores(s.country_activity(d0, d1))
    total = s.count_placed_events(d0, d1)
    events = s.placed_events(d0, d1, limit=cap)
    if scores.empty and events.empty:
        timectl.nothing_in(period, "events to map")
        return
    hidden = total - len(events)
    st.caption(f"{len(scores)} countries with events · {len(events):,} events with a place shown"
               + (f", {hidden:,} less reported ones hidden (raise 'Points at most' or narrow the window)" if hidden else "")
               + " · shapes: Natural Earth 1:110m · places: GeoNames, GDELT, ACLED")
    event = st.altair_chart(map_chart(scores, events), width="stretch", on_select="rerun", key="map_chart")
    picked = _picked(event)
    if picked:
        _show_pick(s, picked, scores, events)
    else:
        st.caption("Click a country or a point to select it.")
    with st.expander(f"Countries ({len(scores)})"):
        st.dataframe(scores, hide_index=True, width="stretch", key="map_countries")
    st.download_button("This window as GeoJSON", json.dumps(feature_collection(events, scores), ensure_ascii=False),
                       file_name="geokg-map.geojson", mime="application/geo+json", icon=":material/download:",
                       key="map_geojson")


main()
