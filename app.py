"""GeoKG explorer (first version): pick an entity, see its neighbourhood and its relations.

The app only reads: it opens the store read-only (embedded) or runs READ transactions (Neo4j),
through the store protocol, so it works the same on both backends.
"""

from __future__ import annotations

import streamlit as st

from graph.errors import GeoKGError
from graph.model import ACTOR_TYPES
from graph.store import Settings, open_store
from graph.viz import network_html

st.set_page_config(page_title="GeoKG explorer", layout="wide")


@st.cache_resource(show_spinner=False)
def get_store(backend: str | None):
    return open_store(Settings.from_env(backend), read_only=True)


def main() -> None:
    st.title("GeoKG explorer")
    try:
        store = get_store(None)
        stats = store.stats()
    except GeoKGError as e:
        get_store.clear()
        st.error(f"The graph store is not available: {e}")
        return
    with st.sidebar:
        st.caption(f"Backend: **{store.backend}**")
        for label, n in stats["nodes"].items():
            st.write(f"{label}: {n}")
    query = st.text_input("Search an entity (name or alias)", key="search")
    found = store.search(query, limit=50) if query.strip() else store.search("", limit=50)
    if found.empty:
        st.info("No entity matches. Ingest articles with `geokg ingest PATH`.")
        return
    options = {f"{r.name} ({r.label}, {r.mentions} mentions)": r.ref for r in found.itertuples()}
    choice = st.selectbox("Entity", list(options), key="entity")
    c1, c2 = st.columns(2)
    hops = c1.slider("Hops", 1, 3, 1, key="hops")
    types = c2.multiselect("Relation types", ACTOR_TYPES, key="types")
    ref = options[choice]
    g = store.neighbourhood([ref], hops=hops, types=types or None, limit=300)
    st.caption(f"{g.number_of_nodes()} nodes, {g.number_of_edges()} relationships")
    st.iframe(network_html(g), height=580)
    st.subheader("Relations")
    rel = store.relations(entity=ref, types=types or None)
    if not rel.empty:
        counts = rel.groupby("type").size().sort_values(ascending=False)
        st.caption(" · ".join(f"{t} {n}" for t, n in counts.items()))
    cols = [c for c in ("source", "type", "target", "mentions", "first_seen", "last_seen", "evidence") if c in rel]
    st.dataframe(rel[cols], width="stretch", hide_index=True, key="relations")


main()
