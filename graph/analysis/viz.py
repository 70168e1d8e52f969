"""Draw a networkx graph with pyvis, safely and offline.

pyvis has raw-HTML paths (``heading=``, ``select_menu``, and an ``innerHTML`` popup once any
title contains "href") and links bootstrap from a CDN even with ``cdn_resources="in_line"``
(see RECIPES.md). So: no heading or menus, every id/label/title passed as ``str`` (pyvis
serialises them with ``|tojson``, and vis draws labels on the canvas and puts string titles
in with ``innerText``), the popup patched to ``innerText``, and every remote reference removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from geokg.graph.model import EVENT_TYPES, QUAD_CLASS

__all__ = ["network_html", "network_view", "NetworkView", "cap_graph", "STYLE", "edge_colour", "MAX_NODES"]

#: Node style per label: colour and vis shape.
STYLE: dict[str, dict[str, str]] = {
    "Country": {"color": "#4e79a7", "shape": "dot"},
    "Person": {"color": "#f28e2b", "shape": "diamond"},
    "Organization": {"color": "#59a14f", "shape": "square"},
    "Location": {"color": "#b07aa1", "shape": "triangle"},
    "Event": {"color": "#9c755f", "shape": "star"},
    "Article": {"color": "#bab0ac", "shape": "box"},
}
_COOPERATION, _CONFLICT, _STRUCTURAL = "#2ca02c", "#d62728", "#7f7f7f"

_REMOTE = re.compile(r'<link\b[^>]*\bhref="https?://[^"]*"[^>]*>'
                     r'|<script\b[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', re.S)


def edge_colour(rel_type: str) -> str:
    """Green for cooperation (CAMEO quad classes 1-2), red for conflict (3-4), grey for structural."""
    code = EVENT_TYPES.get(rel_type)
    if code is None:
        return _STRUCTURAL
    return _COOPERATION if QUAD_CLASS[code[:2]] <= 2 else _CONFLICT


def _tooltip(data: dict[str, Any], head: str) -> str:
    lines = [head]
    for k in ("role", "country", "kind", "mentions", "first_seen", "last_seen"):
        if data.get(k) not in (None, "", []):
            lines.append(f"{k}: {data[k]}")
    if data.get("evidence"):
        lines.append(f"evidence: {data['evidence']}")
    if data.get("origins"):
        lines.append(f"sources: {', '.join(map(str, data['origins']))}")
    if data.get("articles"):
        lines.append(f"articles: {len(data['articles'])}")
    return "\n".join(str(x) for x in lines)


def network_html(g: nx.MultiDiGraph, height: int = 560, physics: bool | None = None,
                 positions: dict[str, tuple[float, float]] | None = None) -> str:
    """Standalone HTML (vis-network inlined, no remote references) drawing ``g``.

    Nodes are styled by ``label``, edges labelled by ``type``, width by ``mentions``, coloured
    cooperation vs conflict. With ``positions`` (e.g. a networkx layout) physics is switched off.
    """
    from pyvis.network import Network

    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    use_physics = physics if physics is not None else positions is None
    for n, d in g.nodes(data=True):
        style = STYLE.get(d.get("label", ""), {"color": "#999999", "shape": "dot"})
        size = 12 + min(int(d.get("mentions") or 1), 30)
        kw: dict[str, Any] = {}
        if positions and n in positions:
            kw = {"x": float(positions[n][0]), "y": float(positions[n][1]), "physics": False}
        net.add_node(str(n), label=str(d.get("name") or n), title=_tooltip(d, f"{d.get('label', '')}: {d.get('name', n)}"),
                     color=style["color"], shape=style["shape"], size=size, **kw)
    for u, v, d in g.edges(data=True):
        t = str(d.get("type", ""))
        net.add_edge(str(u), str(v), label=t, title=_tooltip(d, t), color=edge_colour(t),
                     width=1 + min(int(d.get("mentions") or 1), 10), arrows="to", font={"size": 10})
    if not use_physics:
        net.toggle_physics(False)
    html = _REMOTE.sub("", net.generate_html())
    html = html.replace("popup.innerHTML = nodeData[0].title", "popup.innerText = nodeData[0].title")
    html = html.replace("popup.innerHTML = edgeData[0].title", "popup.innerText = edgeData[0].title")
    if re.search(r'\b(?:src|href)="https?:', html):  # pyvis changed its template: fail closed
        raise RuntimeError("pyvis output still references a remote resource")
    return html


# --- large graphs: cap, layout in networkx, physics off ----------------------------------------

#: The most nodes a view draws; above it, the most connected ones are shown.
MAX_NODES = 300
#: From this many nodes on, the layout is computed in networkx and physics is off: in Chromium
#: vis physics took 2.5 s to settle 50 nodes and 6.4 s for 100, a networkx layout drawn with
#: physics off 1.1 s for 300 (benchmarks/render.py, BENCHMARKS.md "Rendering").
STATIC_FROM = 50


@dataclass(frozen=True)
class NetworkView:
    """A drawn view: the HTML, and what it shows and hides."""

    html: str
    shown: int
    hidden: int
    physics: bool

    @property
    def note(self) -> str:
        if not self.hidden:
            return f"{self.shown} nodes"
        return f"showing the {self.shown} most connected of {self.shown + self.hidden} nodes ({self.hidden} hidden)"


def cap_graph(g: nx.MultiDiGraph, max_nodes: int = MAX_NODES, keep: Iterable[str] = ()) -> nx.MultiDiGraph:
    """The ``max_nodes`` most connected nodes of ``g`` (degree; ``keep`` always stays), as a
    subgraph *view* (no copy). Costs one sort of the degrees: O(N log N)."""
    if g.number_of_nodes() <= max_nodes:
        return g
    pinned = [n for n in dict.fromkeys(keep) if n in g][:max_nodes]
    rest = sorted((n for n in g if n not in set(pinned)), key=lambda n: (-g.degree(n), str(n)))
    return g.subgraph(pinned + rest[: max_nodes - len(pinned)])


def _layout(g: nx.MultiDiGraph, scale: float) -> dict[Any, tuple[float, float]]:
    """A spring layout computed once in networkx (about 0.2 s for 300 nodes), seeded so the
    same graph always looks the same."""
    simple = nx.Graph(g.to_undirected(as_view=True))  # copy of the <= MAX_NODES drawn nodes only
    k = 1.5 / max(simple.number_of_nodes(), 1) ** 0.5
    pos = nx.spring_layout(simple, k=k, iterations=60, seed=7, scale=scale)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


_NOTE = ('<div id="geokg-note" style="position:absolute;top:6px;left:10px;z-index:10;'
         'font:12px sans-serif;color:#555;background:rgba(255,255,255,.85);padding:2px 6px;border-radius:4px">{}</div>')


def network_view(g: nx.MultiDiGraph, height: int = 560, max_nodes: int = MAX_NODES,
                 keep: Iterable[str] = (), static_from: int = STATIC_FROM) -> NetworkView:
    """Draw ``g`` safely (see :func:`network_html`), capped at ``max_nodes`` most connected
    nodes (``keep``, e.g. the focus entity, always shown). From ``static_from`` drawn nodes on,
    positions come from a networkx layout and physics is off, so the browser stays responsive.
    The HTML carries a note saying how many nodes are hidden (numbers only, no article text)."""
    shown = cap_graph(g, max_nodes, keep)
    hidden = g.number_of_nodes() - shown.number_of_nodes()
    static = shown.number_of_nodes() >= static_from
    positions = _layout(shown, scale=60.0 * shown.number_of_nodes() ** 0.5) if static else None
    html = network_html(shown, height=height, physics=not static, positions=positions)
    view = NetworkView(html, shown.number_of_nodes(), hidden, not static)
    if hidden or static:
        html = html.replace("<body>", "<body>" + _NOTE.format(view.note), 1)
        view = NetworkView(html, view.shown, view.hidden, view.physics)
    return view
