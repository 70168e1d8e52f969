"""Paths: how is A connected to B - all shortest paths up to N hops, optionally only through
chosen relation types or within a date window, drawn and listed with evidence."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import streamlit as st

from geokg.graph.analysis.viz import network_view
from geokg.graph.model import ACTOR_TYPES
from geokg.graph.stores.deadline import ReadGaveUp, time_limit
from geokg.ui import links, state

#: Seconds a path search may take before the page says it gave up (the server stays free for
#: the other sessions; hub-to-hub at 6 hops over 1M relationships can take minutes).
LIMIT_S = 10.0


def _in_window(p: nx.MultiDiGraph, d0: str | None, d1: str | None) -> bool:
    """Every relationship on the path was seen within the window (undated ones pass)."""
    for _, _, d in p.edges(data=True):
        if d0 and d.get("last_seen") and d["last_seen"] < d0:
            return False
        if d1 and d.get("first_seen") and d["first_seen"] > d1:
            return False
    return True


def _describe(p: nx.MultiDiGraph) -> str:
    order = p.graph.get("order") or list(p)
    parts = [str(p.nodes[order[0]].get("name", order[0]))]
    for a, b in zip(order, order[1:]):
        types = [k for x, y, k in p.edges(keys=True) if {x, y} == {a, b}]
        arrow = "→" if p.has_edge(a, b) else "←"
        parts.append(f" —{'|'.join(types)}{arrow} {p.nodes[b].get('name', b)}")
    return "".join(parts)


def _restore(s) -> None:
    """The view named by the URL (``a``, ``b``, ``hops``, ``types``, ``from``, ``to``), into the
    widgets' state: first run of the page only; references are looked up, types checked."""
    ss = st.session_state
    for end in ("a", "b"):
        node = links.param(end)
        found = s.entity(node) if node and ":" in node else None
        if found:
            ss[f"path_{end}_q"], ss[f"path_url_{end}"] = found.get("name") or "", node
    for key, value in (("path_hops", links.param_int("hops", 1, 6)), ("path_from", links.param_date("from")),
                       ("path_to", links.param_date("to"))):
        if value is not None:
            ss[key] = value
    if links.param_list("types", ACTOR_TYPES):
        ss["path_types"] = links.param_list("types", ACTOR_TYPES)


def main() -> None:
    s = state.store()
    st.title("Paths")
    ss = st.session_state
    if links.arriving("paths"):
        try:
            _restore(s)
        except ValueError:  # a malformed reference in the link: open the page as usual
            pass
    ss.setdefault("path_hops", 4)
    st.caption("How is A connected to B? All shortest chains of actor relationships, with their evidence.")
    with st.container(border=True):
        c1, c2 = st.columns(2)
        a = state.entity_picker("path_a", "Start", container=c1, default=ss.pop("path_url_a", None))
        b = state.entity_picker("path_b", "End", container=c2, index=1, default=ss.pop("path_url_b", None))
        c3, c4, c5 = st.columns([1, 2, 2])
        hops = c3.slider("Up to hops", 1, 6, key="path_hops")
        types = c4.multiselect("Only through", ACTOR_TYPES, key="path_types", placeholder="any relation type")
        with c5:
            d0, d1 = state.date_window("path")
    if a is None or b is None:
        return
    links.share(links.publish({"a": a, "b": b, "hops": hops, "types": types, "from": d0, "to": d1}))
    if a == b:
        st.info("Pick two different entities.")
        return
    try:
        with time_limit(LIMIT_S):
            found = s.paths(a, b, max_hops=hops, types=types or None, limit=25)
    except ReadGaveUp as e:
        st.warning(f"The path search {state.md(e)}: between two hubs at {hops} hops there are too many chains "
                   "to compare. Try fewer hops or only some relation types.", icon=":material/timer_off:")
        return
    kept = [p for p in found if _in_window(p, d0, d1)]
    if not kept:
        st.warning(f"No path of at most {hops} hops"
                   f"{' through ' + ', '.join(types) if types else ''}{' in that window' if (d0 or d1) and found else ''}.")
        return
    union = nx.compose_all(kept)
    hops_found = len(kept[0].graph.get("order") or []) - 1
    st.caption(f"{len(kept)} shortest path{'s' * (len(kept) != 1)} of {hops_found} hop{'s' * (hops_found != 1)}"
               f"{f' ({len(found) - len(kept)} outside the window)' if len(found) > len(kept) else ''}")
    view = network_view(union, height=420, keep=[a, b])
    st.session_state["path_view_html"] = view.html
    st.iframe(view.html, height=440)
    for i, p in enumerate(kept, 1):
        with st.expander(f"Path {i}: {state.md(_describe(p))}", expanded=i == 1):
            rows = [{"from": p.nodes[u].get("name", u), "type": d.get("type"), "to": p.nodes[v].get("name", v),
                     "mentions": d.get("mentions"), "first_seen": d.get("first_seen"), "last_seen": d.get("last_seen"),
                     "evidence": d.get("evidence")} for u, v, d in p.edges(data=True)]
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"path_{i}")


main()
