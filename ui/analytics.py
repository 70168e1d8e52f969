"""Analytics (networkx) over the actor subgraph the filters select: rankings, communities and
the cooperation-conflict balance per country pair."""

from __future__ import annotations

import altair as alt
import streamlit as st

from geokg.graph.analysis import analytics as A
from geokg.graph.analysis.export import csv_text
from geokg.graph.model import ACTOR_TYPES
from geokg.graph.stores.deadline import ReadGaveUp, time_limit
from geokg.ui import charts, state, timectl

#: Seconds the relationships behind the page may take to read before it says it gave up.
LIMIT_S = 20.0


@st.cache_data(show_spinner="Computing…", ttl=120)
def _compute(key: str, types: tuple[str, ...], d0: str | None, d1: str | None, min_mentions: int, limit: int):
    with time_limit(LIMIT_S):
        rel = state.get_store().relations(types=list(types) or None, date_from=d0, date_to=d1, min_mentions=min_mentions,
                              limit=limit)
    g = A.actor_graph(rel)
    return (g.number_of_nodes(), g.number_of_edges(), len(rel) >= limit, A.rankings(g, top=None),
            A.communities(g), A.balance(g))


def main() -> None:
    state.store()
    st.title("Analytics")
    period = timectl.control_in_link()
    d0, d1 = timectl.bounds(period)
    with st.container(border=True):
        c1, c2, c3 = st.columns([3, 2, 1])
        types = c1.multiselect("Relation / event types", ACTOR_TYPES, key="an_types", placeholder="all types")
        c2.caption(f"Relationships seen {timectl.describe(period)} (the time control is in the sidebar).")
        min_mentions = c3.number_input("Min. mentions", 1, 1000, 1, key="an_min")
        limit = c3.select_slider("Relationships", [1000, 5000, 20000, 50000], value=5000, key="an_limit")
    try:
        n, m, capped, rank, comm, bal = _compute(state._cache_key(state.current_settings()), tuple(types), d0, d1,
                                                 int(min_mentions), int(limit))
    except ReadGaveUp as e:
        st.warning(f"Reading the relationships {state.md(e)}. Narrow the filters (types, dates, min. mentions) "
                   "or lower the number of relationships.", icon=":material/timer_off:")
        return
    st.caption(f"Actor subgraph: {n} nodes, {m} relationships{' (capped: raise the limit)' if capped else ''}. "
               "Betweenness is estimated from 64 sampled sources above 1,000 nodes.")
    if n == 0:
        timectl.nothing_in(period, "relationships match these filters")
        return
    t1, t2, t3 = st.tabs(["Rankings", "Communities", "Cooperation vs conflict"])
    with t1:
        measure = st.radio("Rank by", ["pagerank", "betweenness", "degree", "mentions"], horizontal=True, key="an_measure")
        top = rank.sort_values([measure, "name"], ascending=[False, True]).head(20)
        c1, c2 = st.columns([1, 1])
        c1.altair_chart(charts.bars(top, measure, "name", "label", charts.LABEL_SCALE), width="stretch")
        c2.dataframe(top[["name", "label", "degree", "mentions", "betweenness", "pagerank"]], hide_index=True,
                     width="stretch", key="an_rank")
    with t2:
        if comm.empty:
            st.caption("No communities.")
        else:
            summary = (comm.groupby("community")
                       .agg(size=("ref", "size"), members=("name", lambda x: ", ".join(map(str, list(x)[:12]))))
                       .reset_index())
            st.caption(f"{len(summary)} communities (Louvain, weighted by mentions)")
            st.dataframe(summary, hide_index=True, width="stretch", key="an_comm")
    with t3:
        if bal.empty:
            st.caption("No event relationships between two countries here.")
        else:
            bal = bal.assign(pair=bal.a_name.astype(str) + " – " + bal.b_name.astype(str))
            top = bal.head(30)
            chart = alt.Chart(top).mark_bar().encode(
                x=alt.X("balance:Q", scale=alt.Scale(domain=[-1, 1]), title="← conflict · cooperation →"),
                y=alt.Y("pair:N", sort="-x", title=None),
                color=alt.Color("balance:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[-1, 1]), legend=None),
                tooltip=["pair:N", "cooperation:Q", "conflict:Q", "types:N"],
            ).properties(height=max(120, 22 * len(top)))
            st.altair_chart(chart, width="stretch")
            st.dataframe(bal[["a_name", "b_name", "cooperation", "conflict", "balance", "types"]], hide_index=True,
                         width="stretch", key="an_balance",
                         column_config={"balance": st.column_config.NumberColumn(format="%.2f")})
    st.download_button("Rankings as CSV", csv_text(rank), file_name="geokg-rankings.csv",
                       mime="text/csv", icon=":material/download:", key="an_csv")


main()
