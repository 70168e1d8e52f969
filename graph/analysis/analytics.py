"""Graph analytics over the actor graph (networkx): rankings, communities, cooperation vs conflict.

Every function is pure and works on the graph it is given - a subgraph the store returned
(``CypherStore.relations`` rows through :func:`actor_graph`, or a ``neighbourhood``), never a
hidden copy of the whole database. Costs are stated per function; N nodes, E relationships.

>>> g = nx.MultiDiGraph()
>>> g.add_edge("country:AAA", "country:BBB", key="MEET", type="MEET", mentions=2)
'MEET'
>>> g.add_edge("country:AAA", "country:BBB", key="SANCTION", type="SANCTION", mentions=1)
'SANCTION'
>>> balance(g, countries_only=False)[["a", "b", "cooperation", "conflict", "balance"]].to_dict("records")
[{'a': 'country:AAA', 'b': 'country:BBB', 'cooperation': 2, 'conflict': 1, 'balance': 0.333}]
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd

from geokg.graph.errors import GeoKGError
from geokg.graph.model import EVENT_TYPES, QUAD_CLASS, ref

__all__ = ["actor_graph", "quad_class", "weighted_simple", "pagerank", "rankings", "communities", "balance",
           "QUAD_NAMES"]

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def quad_class(rel_type: str) -> int | None:
    """The CAMEO quad class (1-4) of an event type; None for structural relationships.

    >>> quad_class("MEET"), quad_class("SANCTION"), quad_class("LEADS")
    (1, 4, None)
    """
    code = EVENT_TYPES.get(rel_type)
    return QUAD_CLASS[code[:2]] if code else None


def actor_graph(relations: pd.DataFrame) -> nx.MultiDiGraph:
    """The actor graph of ``CypherStore.relations()`` rows: one node per entity (keyed by
    reference, with ``name`` and ``label``), one edge per relationship (key = type), carrying
    ``mentions``, dates and evidence. O(rows); the rows are the only copy."""
    g = nx.MultiDiGraph()
    if relations is None or relations.empty:
        return g
    need = {"source_label", "source_id", "source", "type", "target_label", "target_id", "target"}
    missing = need - set(relations.columns)
    if missing:
        raise GeoKGError(f"relations table lacks columns {sorted(missing)}: pass CypherStore.relations() output")
    for row in relations.to_dict("records"):
        u, v = ref(row["source_label"], row["source_id"]), ref(row["target_label"], row["target_id"])
        g.add_node(u, name=row["source"], label=row["source_label"])
        g.add_node(v, name=row["target"], label=row["target_label"])
        attrs = {k: row.get(k) for k in ("mentions", "first_seen", "last_seen", "evidence", "confidence")
                 if row.get(k) is not None}
        g.add_edge(u, v, key=row["type"], type=row["type"], **attrs)
    return g


def weighted_simple(g: nx.MultiDiGraph) -> nx.Graph:
    """An undirected simple graph whose edge ``weight`` is the summed ``mentions`` of all
    relationships between the two nodes. Builds a new graph: O(N + E) time and memory."""
    h = nx.Graph()
    h.add_nodes_from(g.nodes(data=True))
    for u, v, d in g.edges(data=True):
        if u == v:
            continue
        w = float(d.get("mentions") or 1)
        if h.has_edge(u, v):
            h[u][v]["weight"] += w
        else:
            h.add_edge(u, v, weight=w)
    return h


def _name(g: nx.Graph, n: Any) -> str:
    return str(g.nodes[n].get("name") or n)


def pagerank(h: nx.Graph, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 200) -> dict[Any, float]:
    """Weighted PageRank of an undirected graph by power iteration (numpy only: networkx's own
    ``pagerank`` needs scipy). O(E) per iteration. Dangling nodes spread their rank evenly.

    >>> r = pagerank(nx.star_graph(3)); round(r[0], 3), round(r[1], 3)
    (0.48, 0.173)
    """
    import numpy as np

    nodes = list(h)
    n = len(nodes)
    if n == 0:
        return {}
    idx = {v: i for i, v in enumerate(nodes)}
    src, dst, w = [], [], []
    for u, v, d in h.edges(data=True):
        for a, b in ((u, v), (v, u)) if u != v else ((u, v),):
            src.append(idx[a])
            dst.append(idx[b])
            w.append(float(d.get("weight", 1.0)))
    src_a, dst_a, w_a = np.array(src, dtype=int), np.array(dst, dtype=int), np.array(w, dtype=float)
    out = np.bincount(src_a, weights=w_a, minlength=n) if len(w) else np.zeros(n)
    dangling = out == 0
    r = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        share = np.zeros(n)
        if len(w):
            np.add.at(share, dst_a, r[src_a] * w_a / out[src_a])
        new = alpha * (share + r[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(new - r).sum() < tol * n:
            r = new
            break
        r = new
    return {v: float(r[i]) for v, i in idx.items()}


def rankings(g: nx.MultiDiGraph, top: int | None = 20, betweenness_k: int | None = 64,
             exact_up_to: int = 1000) -> pd.DataFrame:
    """Degree (relationships), weighted degree (mentions), betweenness and PageRank per node,
    highest PageRank first.

    Cost: PageRank O(E) per iteration; exact betweenness is O(N*E), so above ``exact_up_to``
    nodes it is estimated from ``betweenness_k`` sampled sources (seeded, reproducible): about
    0.3 s for 2,000 nodes and 5,000 relationships with the defaults.
    """
    cols = ["ref", "name", "label", "degree", "mentions", "betweenness", "pagerank"]
    if g.number_of_nodes() == 0:
        return pd.DataFrame(columns=cols)
    h = weighted_simple(g)
    n = h.number_of_nodes()
    k = min(betweenness_k, n) if betweenness_k and n > exact_up_to else None
    btw = nx.betweenness_centrality(h, k=k, seed=7 if k else None, normalized=True)
    pr = pagerank(h)
    rows = [{"ref": n, "name": _name(g, n), "label": g.nodes[n].get("label"), "degree": g.degree(n),
             "mentions": int(sum(float(d.get("mentions") or 1) for *_, d in g.edges(n, data=True))
                             + sum(float(d.get("mentions") or 1) for *_, d in g.in_edges(n, data=True))),
             "betweenness": round(btw[n], 4), "pagerank": round(pr[n], 4)} for n in g]
    df = pd.DataFrame(rows, columns=cols).sort_values(["pagerank", "degree", "name"], ascending=[False, False, True])
    return (df.head(top) if top else df).reset_index(drop=True)


def communities(g: nx.MultiDiGraph, seed: int = 7) -> pd.DataFrame:
    """Louvain communities of the weighted undirected graph: one row per node with its
    ``community`` number (0 = the largest). O(E) per pass, a few passes."""
    cols = ["ref", "name", "label", "community", "size"]
    if g.number_of_nodes() == 0:
        return pd.DataFrame(columns=cols)
    h = weighted_simple(g)
    parts = nx.community.louvain_communities(h, weight="weight", seed=seed)
    parts = sorted(parts, key=lambda c: (-len(c), min(map(str, c))))
    rows = [{"ref": n, "name": _name(g, n), "label": g.nodes[n].get("label"), "community": i, "size": len(c)}
            for i, c in enumerate(parts) for n in sorted(c, key=str)]
    return pd.DataFrame(rows, columns=cols)


def balance(g: nx.MultiDiGraph, countries_only: bool = True) -> pd.DataFrame:
    """Cooperation vs conflict per (unordered) pair of actors: summed ``mentions`` of event
    relationships in CAMEO quad classes 1-2 (cooperation) and 3-4 (conflict), and
    ``balance`` = (cooperation - conflict) / (cooperation + conflict), from -1 (all conflict)
    to +1 (all cooperation). Structural relationships are ignored. O(E).
    """
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, d in g.edges(data=True):
        q = quad_class(str(d.get("type")))
        if q is None or u == v:
            continue
        if countries_only and not (g.nodes[u].get("label") == g.nodes[v].get("label") == "Country"):
            continue
        a, b = sorted((u, v), key=str)
        row = pairs.setdefault((a, b), {"a": a, "b": b, "a_name": _name(g, a), "b_name": _name(g, b),
                                        "cooperation": 0, "conflict": 0, "types": set()})
        w = int(d.get("mentions") or 1)
        row["cooperation" if q <= 2 else "conflict"] += w
        row["types"].add(str(d["type"]))
    rows = []
    for row in pairs.values():
        total = row["cooperation"] + row["conflict"]
        rows.append({**row, "types": ", ".join(sorted(row["types"])), "total": total,
                     "balance": round((row["cooperation"] - row["conflict"]) / total, 3)})
    cols = ["a", "b", "a_name", "b_name", "cooperation", "conflict", "total", "balance", "types"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["total", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)
