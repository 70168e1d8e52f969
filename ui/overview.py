"""Overview: what is in the graph - counts, the most connected actors, latest events, sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geokg.ui import charts, state


@st.cache_data(show_spinner=False, ttl=60)
def _overview(key: str) -> dict:
    s = state.get_store()
    return {"stats": s.stats(), "top": s.top_connected(limit=15), "events": s.events(limit=12),
            "articles": s.latest_articles(limit=15)}


def main() -> None:
    st.title("GeoKG explorer")
    s = state.store()
    data = _overview(state._cache_key(state.current_settings()))
    stats = data["stats"]
    st.caption(f"{s.backend} store · countries, leaders, organisations and events extracted from the news, "
               "each relationship with its evidence sentence, article and date")
    if not stats["nodes"]:
        st.info("The graph is empty. Load articles on the **Ingest** page or with `geokg ingest data/samples`.")
        return
    labels = ["Country", "Person", "Organization", "Location", "Event", "Article"]
    for col, lab in zip(st.columns(len(labels)), labels):
        col.metric(lab if lab != "Organization" else "Organisation", f"{stats['nodes'].get(lab, 0):,}")
        if lab == "Event":  # one event per happening; each source reporting it is one REPORTS link
            col.caption(f"{stats['relationships'].get('REPORTS', 0):,} reports")

    left, right = st.columns([1, 1], gap="large")
    with left:
        st.subheader("Relationships by type")
        rels = pd.DataFrame([{"type": t, "count": n, "class": charts.quad_of(t)}
                             for t, n in stats["relationships"].items()
                             if t not in ("ACTOR_IN", "TARGETS", "OCCURRED_IN", "REPORTS", "MENTIONS")])
        if rels.empty:
            st.caption("No actor relationships yet.")
        else:
            st.altair_chart(charts.bars(rels, "count", "type", "class", charts.QUAD_SCALE), width="stretch")
    with right:
        st.subheader("Most connected actors")
        top = data["top"]
        st.dataframe(top[["name", "label", "degree", "weight"]], hide_index=True, width="stretch", key="ov_top",
                     column_config={"name": "actor", "degree": st.column_config.ProgressColumn(
                         "relationships", format="%d", min_value=0, max_value=int(top.degree.max() or 1)),
                         "weight": st.column_config.NumberColumn("mentions")})

    st.subheader("Latest events")
    ev = data["events"].copy()
    if ev.empty:
        st.caption("No events yet.")
    else:
        for c in ("actors", "targets"):
            ev[c] = ev[c].map(lambda v: ", ".join(v) if isinstance(v, list) else v)
        st.dataframe(ev[["date", "type", "actors", "targets", "reports", "evidence", "origin"]], hide_index=True,
                     width="stretch", key="ov_events")

    st.subheader("Sources ingested")
    arts = data["articles"].copy()
    arts["url"] = arts["url"].map(state.safe_url)
    st.dataframe(arts[["published", "source", "title", "events", "url", "ingested_at"]], hide_index=True,
                 width="stretch", key="ov_articles",
                 column_config={"url": st.column_config.LinkColumn("link", display_text="open ↗")})


main()
