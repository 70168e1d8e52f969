"""Timeline: events over time by type and actor, filterable, as charts first and a table after."""

from __future__ import annotations

import streamlit as st

from geokg.graph.analysis.export import csv_text
from geokg.graph.model import EVENT_TYPES, UNCLASSIFIED
from geokg.ui import charts, state, timectl


def main() -> None:
    s = state.store()
    st.title("Timeline")
    period = timectl.control_in_link()
    d0, d1 = timectl.bounds(period)
    with st.container(border=True):
        c1, c2, c3 = st.columns([2, 2, 2])
        types = c1.multiselect("Event types", [*EVENT_TYPES, UNCLASSIFIED], key="tl_types", placeholder="all event types")
        with c2:
            only_actor = st.toggle("Only events of one actor", key="tl_only_actor")
            actor = state.entity_picker("tl_actor", "Actor", labels=("Country", "Person", "Organization")) if only_actor else None
        with c3:
            limit = st.select_slider("At most", [500, 1000, 5000, 20000], value=1000, key="tl_limit")
            origin = state.origin_picker("tl")
    if actor:
        ev = s.entity_events(actor, limit=limit, date_from=d0, date_to=d1)
        if types:
            ev = ev[ev.type.isin(types)]
        if origin:
            ev = ev[ev.origin == origin]
    else:
        ev = s.events(types=types or None, date_from=d0, date_to=d1, limit=limit, origin=origin)
    if ev.empty:
        timectl.nothing_in(period, "events match these filters")
        return
    dated = ev.dropna(subset=["date"])
    span = f"{dated.date.min()} – {dated.date.max()}" if not dated.empty else "undated"
    st.caption(f"{len(ev)} events · {int(ev.reports.sum()):,} reports · {span}"
               f"{' (capped: raise the limit)' if len(ev) >= limit else ''}")
    if not dated.empty:
        st.markdown("**Events by type over time** (dot size = events that day; colour = CAMEO quad class)")
        st.altair_chart(charts.event_strip(dated), width="stretch")
        st.markdown("**Monthly volume, cooperation vs conflict**")
        st.altair_chart(charts.event_volume(dated), width="stretch")
    table = ev.copy()
    for c in ("actors", "targets"):
        table[c] = table[c].map(lambda v: ", ".join(v) if isinstance(v, list) else v)
    cols = [c for c in ("date", "type", "role", "actors", "targets", "reports", "evidence", "confidence", "origin")
            if c in table]
    st.dataframe(table[cols], hide_index=True, width="stretch", key="tl_table")
    st.download_button("Events as CSV", csv_text(table[cols]), file_name="geokg-events.csv",
                       mime="text/csv", icon=":material/download:", key="tl_csv")


main()
