"""Cypher console: an editor, ready research queries, read-only runs with a row cap and a
timeout, results as a table, as a graph (when they hold nodes, relationships or paths) and as CSV."""

from __future__ import annotations

import json

import streamlit as st

from geokg.graph.analysis.export import csv_text
from geokg.graph.analysis.gallery import GALLERY, by_name
from geokg.graph.analysis.viz import network_view
from geokg.graph.errors import GeoKGError, ReadOnlyViolation
from geokg.graph.stores.base import graph_of_result
from geokg.ui import links, state

RESULT = "cy_result"


def _cell(v):
    """A console value as table text: nodes as ``Label name``, relationships as ``:TYPE``."""
    if isinstance(v, dict):
        if "_NODES" in v or ("nodes" in v and "rels" in v):
            nodes = v.get("nodes") or v.get("_NODES") or []
            return " – ".join(str(n.get("name") or n.get("id") or "?") for n in nodes)
        if v.get("_label") or v.get("_LABEL"):
            return f"{v.get('_label') or v.get('_LABEL')} {v.get('name') or v.get('title') or v.get('id')}"
        if v.get("_type"):
            return f":{v['_type']}"
        return json.dumps({k: x for k, x in v.items() if not str(k).startswith("_")}, default=str)[:500]
    if isinstance(v, list):
        return ", ".join(str(_cell(x)) for x in v)
    return v


def _load_gallery() -> None:
    name = st.session_state.get("cy_gallery")
    if name:
        q = by_name(name)
        st.session_state["cy_text"] = q.cypher
        st.session_state["cy_params"] = json.dumps(q.params) if q.params else ""


def main() -> None:
    s = state.store()
    st.title("Cypher")
    ss = st.session_state
    shared = links.arriving("cypher") and links.param("q")
    if shared:  # a shared link: its query (read-only, capped like any other) runs at once
        ss["cy_text"], ss["cy_params"] = links.param("q"), links.param("p") or ""
    ss.setdefault("cy_text", GALLERY[0].cypher)
    ss.setdefault("cy_params", "")
    left, right = st.columns([3, 1.2], gap="medium")
    with right:
        st.selectbox("Research queries", [q.name for q in GALLERY], index=None, key="cy_gallery",
                     placeholder="load a ready query…", on_change=_load_gallery)
        if ss.get("cy_gallery"):
            st.caption(by_name(ss["cy_gallery"]).description)
        row_cap = st.number_input("Row cap", 1, 100_000, 1000, step=500, key="cy_cap")
        timeout = st.number_input("Timeout (s)", 1, 300, 10, key="cy_timeout")
        st.caption(f"Read-only on both backends: one read statement (no files, procedures or settings); on the {s.backend} store "
                   + ("the server's EXPLAIN decides and queries run in READ transactions."
                      if s.backend == "neo4j" else "the engine's plan is checked and the file is open read-only.")
                   + " Neo4j's `type(r)` and `shortestPath` work on both.")
    with left:
        st.text_area("Query", key="cy_text", height=180)
        st.text_input("Parameters (JSON object)", key="cy_params", placeholder='{"a": "RUS", "b": "UKR"}')
        run = st.button("Run", icon=":material/play_arrow:", type="primary", key="cy_run") or bool(shared)
    if run:
        ss.pop(RESULT, None)
        try:
            params = json.loads(ss["cy_params"]) if ss["cy_params"].strip() else {}
            if not isinstance(params, dict):
                raise ValueError("parameters must be a JSON object")
        except ValueError as e:
            st.error(f"Bad parameters: {e}")
            return
        try:
            df = s.cypher(ss["cy_text"], params, row_cap=int(row_cap), timeout=float(timeout))
        except ReadOnlyViolation as e:
            st.error(f"**Refused: {state.md(e)}.** The console never changes the graph; use the Ingest and "
                     "Curate pages to edit it.", icon=":material/lock:")
            return
        except GeoKGError as e:
            st.error(f"**Query failed:** {state.md(e)}", icon=":material/warning:")
            return
        ss[RESULT] = df
        ss["cy_ran"] = {"q": ss["cy_text"], "p": ss["cy_params"].strip()}
    df = ss.get(RESULT)
    if df is None:
        return
    links.share(links.publish(ss.get("cy_ran") or {}), container=right)
    table = df.map(_cell) if not df.empty else df
    st.caption(f"{len(df)} rows{' (truncated at the row cap)' if df.attrs.get('truncated') else ''}")
    g = graph_of_result(df)
    tabs = st.tabs(["Table", f"Graph ({g.number_of_nodes()} nodes)"]) if g.number_of_nodes() else [st.container()]
    with tabs[0]:
        shown = table.map(lambda v: "" if v is None else str(v)) if not table.empty else table
        st.dataframe(shown, hide_index=True, width="stretch", key="cy_table")
    if len(tabs) > 1:
        with tabs[1]:
            view = network_view(g, height=520)
            ss["cypher_view_html"] = view.html
            st.caption(view.note)
            st.iframe(view.html, height=540)
    st.download_button("Download CSV", csv_text(table), file_name="geokg-query.csv", mime="text/csv",
                       icon=":material/download:", key="cy_csv")


main()
