"""Explore: an entity's neighbourhood as a network, filtered, expandable node by node, with the
evidence of any shown relation or node one click away.

pyvis sends no clicks back to Python, so nodes are expanded, and relations or nodes chosen for
the evidence panel, from the lists beside the graph (a row of the relations table, or the
"Evidence for" box). The expanded set lives in ``st.session_state["explore_expanded"]`` and
survives reruns (it is reset when the focus entity changes). The whole view - focus, filters,
expanded nodes, the evidence shown - is also kept in the URL, so a link reopens it.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
import streamlit as st

from geokg.graph.analysis.viz import MAX_NODES, blank, network_view
from geokg.graph.errors import GeoKGError
from geokg.graph.model import ACTOR_TYPES, EVENT_TYPES, ORIGINS, STRUCTURAL_TYPES
from geokg.loaders.extraction.confidence import calibration
from geokg.ui import links, state, timectl

EXPANDED = "explore_expanded"
EDGE_COLUMNS = ["source", "type", "target", "mentions", "first_seen", "last_seen", "evidence", "reviewed"]


def _edge_id(u: str, t: str, v: str) -> str:
    return f"{u}|{t}|{v}"


def _edges_table(g: nx.MultiDiGraph) -> pd.DataFrame:
    """The shown relations, most mentioned first; undated ones never sort as the latest; the
    index holds each relation's id (``source|TYPE|target``)."""
    rows = [{"id": _edge_id(u, d.get("type") or k, v), "source": g.nodes[u].get("name", u), "type": d.get("type") or k,
             "target": g.nodes[v].get("name", v), "mentions": d.get("mentions"), "first_seen": d.get("first_seen"),
             "last_seen": d.get("last_seen"), "evidence": d.get("evidence"), "reviewed": d.get("reviewed")}
            for u, v, k, d in g.edges(keys=True, data=True)]
    df = pd.DataFrame(rows, columns=["id", *EDGE_COLUMNS])
    df = df.sort_values(["mentions", "last_seen", "type", "id"], ascending=[False, False, True, True], na_position="last")
    return df.set_index("id")


def _restore(s) -> None:
    """The view named by the URL, into the widgets' state (first run of the page only)."""
    ss = st.session_state
    focus = links.param("focus")
    node = None
    if focus:
        try:
            node = s.entity(focus)
        except (ValueError, GeoKGError):
            node = None
    if node:
        ss["explore_q"] = node.get("name") or ""
        ss["explore_url_focus"] = focus
        ss["explore_last_focus"] = focus
        ss[EXPANDED] = [r for r in links.param_list("expanded") if r != focus]
    for key, value in (("explore_hops", links.param_int("hops", 1, 3)), ("explore_min", links.param_int("min", 1, 1000))):
        if value is not None:
            ss[key] = value
    types = links.param_list("types", ACTOR_TYPES)
    if types:
        ss["explore_types"] = types
    if links.param("origin") in ORIGINS:
        ss["explore_origin"] = links.param("origin")
    if links.param("ev"):
        ss["explore_ev"] = links.param("ev")
    conf = links.param_float("conf", 0.0, 1.0)
    if conf is not None:
        ss["explore_conf"] = conf


def _default_confidence() -> float:
    """The calibrated confidence from which develop's precision is at least 0.8
    (``min_confidence`` of ``data/confidence.tsv``, refitted with the calibration)."""
    return calibration().min_confidence


def _sentences(rows: pd.DataFrame) -> None:
    """Evidence rows (sentence, date, title, source, url), newest first, every text escaped."""
    if rows.empty:
        st.caption("No evidence stored.")
        return
    st.caption(f"{len(rows)} source{'s' * (len(rows) != 1)}, newest first")
    for r in rows.itertuples():
        with st.container(border=True):
            sentence = blank(r.sentence)
            st.markdown(f"“{state.md(sentence)}”" if sentence else "_(stated here; the sentence was not kept)_")
            title = state.md(blank(r.title) or "untitled article")
            url = state.safe_url(blank(r.url))
            meta = [f"[{title}]({url})" if url else title, state.md(blank(r.source)), state.md(blank(r.date) or "undated")]
            st.caption(" · ".join(m for m in meta if m))


def _node_evidence(s, node: str) -> pd.DataFrame:
    arts = s.articles_about(node, limit=100)
    rows = [{"sentence": e, "date": a.published, "title": a.title, "source": a.source, "url": a.url}
            for a in arts.itertuples() for e in (a.evidence or [None])]
    df = pd.DataFrame(rows, columns=["sentence", "date", "title", "source", "url"])
    return df.sort_values("date", ascending=False, na_position="last").reset_index(drop=True)


def _evidence_panel(s, g: nx.MultiDiGraph, edges: pd.DataFrame, chosen: str | None) -> None:
    st.markdown("**Evidence**")
    if not chosen:
        st.caption("Select a relation in the table (or a node or relation in the box above) to read every "
                   "sentence that states it, with its article.")
        return
    if chosen.startswith("node:"):
        node = chosen[5:]
        st.markdown(f"{state.md(g.nodes[node].get('name', node))} ({state.md(g.nodes[node].get('label', ''))})")
        _sentences(_node_evidence(s, node))
        return
    u, t, v = chosen.split("|")
    st.markdown(f"{state.md(g.nodes[u].get('name', u))} —{state.md(t)}→ {state.md(g.nodes[v].get('name', v))}")
    _sentences(s.relation_evidence(u, t, v))


def main() -> None:
    s = state.store()
    st.title("Explore")
    ss = st.session_state
    ss.setdefault(EXPANDED, [])
    ss.setdefault("explore_conf", _default_confidence())
    if links.arriving("explore"):
        _restore(s)
    period = timectl.control()
    d0, d1 = timectl.bounds(period)

    with st.container(border=True):
        c1, c2, c3 = st.columns([2, 2, 3])
        focus = state.entity_picker("explore", "Entity", container=c1, default=ss.pop("explore_url_focus", None))
        with c2:
            hops = st.slider("Hops", 1, 3, key="explore_hops")
            min_mentions = st.number_input("Minimum mentions", 1, 1000, key="explore_min")
            origin = state.origin_picker("explore")
            min_conf = st.number_input("Minimum confidence", 0.0, 1.0, step=0.05, format="%.3f", key="explore_conf",
                                       help="Hides extracted relations below this confidence (the share of such "
                                            f"relations that are right); {_default_confidence():.3f} keeps "
                                            "precision at 0.8 on the dev set. GDELT/ACLED records always show.")
        with c3:
            groups = {"All event types": list(EVENT_TYPES), "Structural": list(STRUCTURAL_TYPES)}
            types = st.multiselect("Relation / event types", ACTOR_TYPES, key="explore_types",
                                   placeholder="all types", help=", ".join(groups))
    if focus is None:
        st.info("No entity to show yet. Ingest articles first.")
        return
    if ss.get("explore_last_focus") != focus:
        ss["explore_last_focus"] = focus
        ss[EXPANDED] = []

    filters = dict(types=types or None, date_from=d0, date_to=d1, min_mentions=int(min_mentions), origin=origin,
                   min_confidence=float(min_conf) or None)
    g = s.neighbourhood([focus], hops=hops, limit=MAX_NODES, **filters)
    expanded = [r for r in ss[EXPANDED] if r != focus]
    if expanded:
        g = nx.compose(g, s.neighbourhood(expanded, hops=1, limit=MAX_NODES, **filters))
    edges = _edges_table(g)
    if period and edges.empty:
        timectl.nothing_in(period, f"relations of {state.md(g.nodes[focus].get('name', focus))}")

    graph_col, side = st.columns([4, 1.3], gap="medium")
    with graph_col:
        view = network_view(g, height=600, keep=[focus, *expanded])
        ss["explore_view_html"] = view.html
        st.caption(f"{view.note} · {g.number_of_edges()} relationships"
                   f"{' · layout fixed (physics off)' if not view.physics else ''} · "
                   "hover for a summary; pick a relation below for all its evidence")
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
                   ":green[green] cooperation · :red[red] conflict · grey structural (CAMEO quad class) · "
                   "no arrow: symmetric (meets, borders, allied, agreement)")

    st.subheader("Relations")
    rel = s.relations(entity=focus, **filters)
    if not rel.empty:
        counts = rel.groupby("type").size().sort_values(ascending=False)
        st.caption(" · ".join(f"{t} {n}" for t, n in counts.items()))
    choices = {i: f"{g.nodes[i.split('|')[0]].get('name')} —{i.split('|')[1]}→ {g.nodes[i.split('|')[2]].get('name')}"
               for i in edges.index}
    choices.update({f"node:{n}": f"{d.get('name', n)} ({d.get('label', '')})" for n, d in g.nodes(data=True)})
    if ss.get("explore_ev") not in choices:
        ss.pop("explore_ev", None)
    table_col, panel_col = st.columns([3, 2], gap="medium")
    with table_col:
        shown = edges[EDGE_COLUMNS].copy()
        for col in ("first_seen", "last_seen", "evidence", "reviewed"):
            shown[col] = shown[col].map(blank)
        event = st.dataframe(shown, hide_index=True, width="stretch", key="explore_edges", on_select="rerun",
                             selection_mode="single-row")
        rows = list(getattr(getattr(event, "selection", None), "rows", None) or [])
        if rows and ss.get("explore_table_pick") != edges.index[rows[0]]:
            ss["explore_table_pick"] = ss["explore_ev"] = edges.index[rows[0]]  # a click in the table wins once
    with panel_col:
        chosen = st.selectbox("Evidence for", list(choices), index=None, format_func=choices.get, key="explore_ev",
                              placeholder="a relation or a node…")
        _evidence_panel(s, g, edges, chosen)
    query = links.publish({"focus": focus, "hops": hops if hops != 1 else None,
                           "min": int(min_mentions) if int(min_mentions) != 1 else None, "types": types,
                           "origin": origin, **timectl.params(period), "expanded": expanded, "ev": chosen,
                           "conf": float(min_conf) if float(min_conf) != _default_confidence() else None})
    links.share(query, container=side)

main()
