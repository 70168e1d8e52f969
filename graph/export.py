"""Export a graph as GraphML, JSON (node-link) or CSV (nodes.csv + relationships.csv).

GraphML cannot hold lists, so list properties (aliases, articles) are joined with ``|``.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd

from graph.errors import GeoKGError

__all__ = ["export_graph", "FORMATS"]

FORMATS = ("graphml", "json", "csv")


def _flat(value):
    if isinstance(value, (list, tuple)):
        return "|".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def export_graph(g: nx.MultiDiGraph, fmt: str, out: Path) -> Path:
    """Write ``g`` to ``out``; returns the path written. Never overwrites a folder with a file."""
    if fmt not in FORMATS:
        raise GeoKGError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(out)
    if fmt != "csv" and out.is_dir():
        raise GeoKGError(f"{out} is a folder; give a file name for {fmt} export")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        flat = nx.MultiDiGraph()
        flat.add_nodes_from((n, {k: _flat(v) for k, v in d.items()}) for n, d in g.nodes(data=True))
        flat.add_edges_from((u, v, k, {a: _flat(b) for a, b in d.items()}) for u, v, k, d in g.edges(keys=True, data=True))
        nx.write_graphml(flat, out)
    elif fmt == "json":
        out.write_text(json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False, default=str), encoding="utf-8")
    else:
        if out.exists() and not out.is_dir():
            raise GeoKGError(f"{out} is a file; CSV export writes a folder")
        out.mkdir(parents=True, exist_ok=True)
        pd.DataFrame([{"ref": n, **{k: _flat(v) for k, v in d.items()}} for n, d in g.nodes(data=True)]) \
            .to_csv(out / "nodes.csv", index=False)
        pd.DataFrame([{"source": u, "target": v, **{a: _flat(b) for a, b in d.items()}}
                      for u, v, d in g.edges(data=True)]).to_csv(out / "relationships.csv", index=False)
    return out
