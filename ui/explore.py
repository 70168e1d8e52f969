"""Explore: an entity's neighbourhood as a network, filtered, expandable node by node.

pyvis sends no clicks back to Python, so nodes are expanded from the list beside the graph;
the expanded set lives in ``st.session_state["explore_expanded"]`` and survives reruns (it
is reset when the focus entity changes).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
import streamlit as st

from geokg.graph.analysis.viz import MAX_NODES, network_view
from geokg.graph.model import ACTOR_TYPES, EVENT_TYPES, STRUCTURAL_TYPES
from geokg.ui import state

EXPANDED = "explore_expanded"


def _edges_table(g: nx.MultiDiGraph) -> pd.DataFrame:
    rows = [{"source": g.nodes[u].get("name", u), "type": d.get("type"), "target": g.nodes[v].get("name", v),
             "mentions": d.get("mentions"), "first_seen": d.get("first_seen"), "last_seen": d.get("last_seen"),
             "evidence": d.get("evidence"), "reviewed": d.get("reviewed")}
            for u, v, d in g.edges(data=True)]
    cols = ["source", "type", "target", "mentions", "first_seen", "last_seen", "evidence", "reviewed"]
    return pd.DataFrame(rows, columns=cols).sort_values(["mentions", "type"], ascending=[False, True])


def main() -> None:
    s = state.store()
    st.title("Explore")
    ss = st.session_state
    ss.setdefault(EXPANDED, [])

    with st.container(border=True):
        c1, c2, c3 = st.columns([2, 2, 3])
        focus = state.entity_picker("explore", "Entity", container=c1)
        with c2:
            hops = st.slider("Hops", 1, 3, 1, key="explore_hops")
            min_mentions = st.number_input("Minimum mentions", 1, 1000, 1, key="explore_min")
            origin = state.origin_picker("explore")
        with c3:
            groups = {"All event types": list(EVENT_TYPES), "Structural": list(STRUCTURAL_TYPES)}
            types = st.multiselect("Relation / event types", ACTOR_TYPES, key="explore_types",
                                   placeholder="all types", help=", ".join(groups))
            d0, d1 = state.date_window("explore")
    if focus is None:
        st.info("No entity to show yet. Ingest articles first.")
        return
    if ss.get("explore_last_focus") != focus:
        ss["explore_last_focus"] = focus
        ss[EXPANDED] = []

    filters = dict(types=types or None, date_from=d0, date_to=d1, min_mentions=int(min_mentions), origin=origin)
    g = s.neighbourhood([focus], hops=hops, limit=MAX_NODES, **filters)
    expanded = [r for r in ss[EXPANDED] if r != focus]
    if expanded:
        g = nx.compose(g, s.neighbourhood(expanded, hops=1, limit=MAX_NODES, **filters))

    graph_col, side = st.columns([4, 1.3], gap="medium")
    with graph_col:
        view = network_view(g, height=600, keep=[focus, *expanded])
        ss["explore_view_html"] = view.html
        st.caption(f"{view.note} · {g.number_of_edges()} relationships"
                   f"{' · layout fixed (physics off)' if not view.physics else ''} · "
                   "hover a node or an edge for its evidence")
        st.iframe(view.html, height=620)
    with side:
        st.markdown("**Expand a node**")
        names = {n: f"{d.get('name', n)} ({d.get('label', '')}, {g.degree(n)})" for n, d in g.nodes(data=True)}
        candidates = sorted((n for n in g if n != focus and n not in expanded), key=lambda n: (-g.degree(n), names[n]))
        pick = st.selectbox("Node", candidates, format_func=names.__getitem__, key="explore_pick",
                            index=None, placeholder="choose a node…", label_visibility="collapsed")
        if st.button("Expand", icon=":material/add_circle:", key="explore_expand", disabled=pick is None, width="stretch"):
            ss[EXPANDED] = [*expanded, pick]
            st.rerun()
        if expanded:
            st.markdown("**Expanded**")
            for r in expanded:
                st.text(f"• {names.get(r, r)}")
            if st.button("Reset expansion", key="explore_reset", width="stretch"):
                ss[EXPANDED] = []
                st.rerun()
        st.divider()
        st.download_button("This view as HTML", view.html, file_name="geokg-view.html", mime="text/html",
                           icon=":material/download:", key="explore_download", width="stretch")
        st.markdown("**Legend**")
        st.caption("● country · ◆ person · ■ organisation · ▲ location\n\n"
                   ":green[green] cooperation · :red[red] conflict · grey structural (CAMEO quad class)")

    st.subheader("Relations")
    rel = s.relations(entity=focus, **filters)
    if not rel.empty:
        counts = rel.groupby("type").size().sort_values(ascending=False)
        st.caption(" · ".join(f"{t} {n}" for t, n in counts.items()))
    st.dataframe(_edges_table(g), hide_index=True, width="stretch", key="explore_edges")


main()
