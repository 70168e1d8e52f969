"""What changed: pick two periods and see the relationships that are new, gone, grown and shrunk
(by events in each period, ``geokg.graph.analysis.changes``), per type, with their evidence."""

from __future__ import annotations

import streamlit as st

from geokg.graph.analysis.changes import STATUSES, Period, what_changed
from geokg.graph.analysis.export import csv_text
from geokg.graph.errors import GeoKGError
from geokg.ui import state


def _period(prefix: str, title: str, container) -> Period | None:
    with container:
        st.markdown(f"**{title}**")
        as_of = st.toggle("The graph as of a date", key=f"{prefix}_as_of")
        d0, d1 = (None, None) if as_of else state.date_window(prefix)
        if as_of:
            day = st.date_input("As of", value=None, key=f"{prefix}_day", format="YYYY-MM-DD")
            d1 = day.isoformat() if day else None
    if not d0 and not d1:
        return None
    if d0 and d1 and d0 > d1:
        raise GeoKGError(f"{title}: the window ends before it starts")
    return Period(d0, d1)


def main() -> None:
    s = state.store()
    st.title("What changed")
    st.caption("Relationships between actors, counted by their events dated in each period (each event once, "
               "however many sources report it; the reports are beside them). "
               "A date alone means the graph as of that date: every event up to it.")
    with st.container(border=True):
        c1, c2, c3 = st.columns([2, 2, 1])
        a = _period("chg_a", "Period A", c1)
        b = _period("chg_b", "Period B", c2)
        limit = c3.select_slider("At most", [100, 500, 2000], value=500, key="chg_limit")
    if a is None or b is None:
        st.info("Choose both periods: a start or end date for each (or 'as of' a date).")
        return
    changes = what_changed(s, a, b, limit=limit)
    if changes.empty:
        st.info(f"Nothing changed from {a.label} to {b.label}: no relationship has more or fewer events.")
        return
    counts = changes["status"].value_counts()
    cols = st.columns(len(STATUSES))
    for col, status in zip(cols, STATUSES):
        col.metric(status, int(counts.get(status, 0)))
    st.caption(f"From {a.label} to {b.label}" + (f" · the first {limit} changes" if len(changes) >= limit else ""))
    status = st.segmented_control("Show", list(STATUSES), default=list(STATUSES), selection_mode="multi", key="chg_status")
    shown = changes[changes.status.isin(status or STATUSES)]
    for typ, group in shown.groupby("type", sort=True):
        st.markdown(f"**{state.md(typ)}** ({len(group)})")
        st.dataframe(group[["status", "source", "target", "before", "after", "reports_before", "reports_after",
                            "date", "evidence", "url"]],
                     hide_index=True, width="stretch", key=f"chg_{typ}",
                     column_config={"url": st.column_config.LinkColumn("source article"),
                                    "before": st.column_config.NumberColumn("events in A"),
                                    "after": st.column_config.NumberColumn("events in B"),
                                    "reports_before": st.column_config.NumberColumn("reports in A"),
                                    "reports_after": st.column_config.NumberColumn("reports in B")})
    st.download_button("Changes as CSV", csv_text(changes), file_name="geokg-changes.csv",
                       mime="text/csv", icon=":material/download:", key="chg_csv")


main()
