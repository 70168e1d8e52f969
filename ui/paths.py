"""Paths: how is A connected to B - all shortest paths up to N hops, optionally only through
chosen relation types, and only through relationships of the time chosen in the sidebar (the
store finds the shortest paths of that time), drawn and listed with evidence."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import streamlit as st

from geokg.graph.analysis.viz import network_view
from geokg.graph.model import ACTOR_TYPES
from geokg.graph.stores.deadline import ReadGaveUp, time_limit
from geokg.ui import links, state, timectl

#: Seconds a path search may take before the page says it gave up (the server stays free for
#: the other sessions; hub-to-hub at 6 hops over 1M relationships can take minutes).
LIMIT_S = 10.0


def _describe(p: nx.MultiDiGraph) -> str:
    order = p.graph.get("order") or list(p)
    parts = [str(p.nodes[order[0]].get("name", order[0]))]
    for a, b in zip(order, order[1:]):
        types = [k for x, y, k in p.edges(keys=True) if {x, y} == {a, b}]
        arrow = "→" if p.has_edge(a, b) else "←"
        parts.append(f" —{'|'.join(types)}{arrow} {p.nodes[b].get('name', b)}")
    return "".join(parts)


def _restore(s) -> None:
    """The view named by the URL (``a``, ``b``, ``hops``, ``types``; the time is the shared
    control's, ``geokg.ui.timectl``), into the widgets' state: first run of the page only;
    references are looked up, types checked."""
    ss = st.session_state
    for end in ("a", "b"):
        node = links.param(end)
        found = s.entity(node) if node and ":" in node else None
        if found:
            ss[f"path_{end}_q"], ss[f"path_url_{end}"] = found.get("name") or "", node
    hops = links.param_int("hops", 1, 6)
    if hops is not None:
        ss["path_hops"] = hops
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
    period = timectl.control()
    d0, d1 = timectl.bounds(period)
    st.caption("How is A connected to B? All shortest chains of actor relationships, with their evidence.")
    with st.container(border=True):
        c1, c2 = st.columns(2)
        a = state.entity_picker("path_a", "Start", container=c1, default=ss.pop("path_url_a", None))
        b = state.entity_picker("path_b", "End", container=c2, index=1, default=ss.pop("path_url_b", None))
        c3, c4, c5 = st.columns([1, 2, 2])
        hops = c3.slider("Up to hops", 1, 6, key="path_hops")
        types = c4.multiselect("Only through", ACTOR_TYPES, key="path_types", placeholder="any relation type")
        c5.caption(f"Through relationships seen {timectl.describe(period)} (the time control is in the sidebar).")
    if a is None or b is None:
        links.publish(timectl.params(period))
        return
    links.share(links.publish({"a": a, "b": b, "hops": hops, "types": types, **timectl.params(period)}))
    if a == b:
        st.info("Pick two different entities.")
        return
    try:
        with time_limit(LIMIT_S):
            found = s.paths(a, b, max_hops=hops, types=types or None, limit=25, date_from=d0, date_to=d1)
    except ReadGaveUp as e:
        st.warning(f"The path search {state.md(e)}: between two hubs at {hops} hops there are too many chains "
                   "to compare. Try fewer hops or only some relation types.", icon=":material/timer_off:")
        return
    if not found:
        st.warning(f"No path of at most {hops} hops{' through ' + ', '.join(types) if types else ''}"
                   f"{' ' + timectl.describe(period) + '. Widen the time window in the sidebar' if period else ''}.")
        return
    union = nx.compose_all(found)
    hops_found = len(found[0].graph.get("order") or []) - 1
    st.caption(f"{len(found)} shortest path{'s' * (len(found) != 1)} of {hops_found} hop{'s' * (hops_found != 1)}"
               f"{' ' + timectl.describe(period) if period else ''}")
    view = network_view(union, height=420, keep=[a, b])
    st.session_state["path_view_html"] = view.html
    st.iframe(view.html, height=440)
    for i, p in enumerate(found, 1):
        with st.expander(f"Path {i}: {state.md(_describe(p))}", expanded=i == 1):
            rows = [{"from": p.nodes[u].get("name", u), "type": d.get("type"), "to": p.nodes[v].get("name", v),
                     "mentions": d.get("mentions"), "first_seen": d.get("first_seen"), "last_seen": d.get("last_seen"),
                     "evidence": d.get("evidence")} for u, v, d in p.edges(data=True)]
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"path_{i}")


main()
