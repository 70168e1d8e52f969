"""Draw a networkx graph with pyvis, safely and offline.

pyvis has raw-HTML paths (``heading=``, ``select_menu``, and an ``innerHTML`` popup once any
title contains "href") and links bootstrap from a CDN even with ``cdn_resources="in_line"``
(see RECIPES.md). So: no heading or menus, every id/label/title passed as ``str`` (pyvis
serialises them with ``|tojson``, and vis draws labels on the canvas and puts string titles
in with ``innerText``), the popup patched to ``innerText``, and every remote reference removed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from geokg.graph.model import EVENT_TYPES, QUAD_CLASS, UNDIRECTED_TYPES

__all__ = ["network_html", "network_view", "NetworkView", "cap_graph", "STYLE", "edge_colour", "MAX_NODES", "blank",
           "LAYOUT_SEED"]

#: vis's seed when it lays out with physics, and networkx's for a fixed layout: a rerun (any
#: click on the page) redraws the same picture instead of a new arrangement.
LAYOUT_SEED = 7
#: Longest node label drawn (the tooltip and the panel hold the whole name), longest tooltip evidence.
LABEL_CHARS, TOOLTIP_CHARS = 32, 160

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


def blank(value: Any) -> str:
    """A value as tooltip/table text: missing ones (None, NaN, empty) as "", never "nan"/"None"."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value in ("", [], ()):
        return ""
    return str(value)


def _count(value: Any) -> int:
    """A mentions count for sizes: missing or NaN counts as 1."""
    return int(value) if blank(value) and float(value) >= 1 else 1


def _short(text: Any, n: int = TOOLTIP_CHARS) -> str:
    text = " ".join(blank(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _tooltip(data: dict[str, Any], head: str) -> str:
    """A short tooltip (plain text; vis puts it in with innerText): the head, a few facts,
    the evidence cut short. The Explore page's evidence panel holds the whole story."""
    lines = [_short(head, 80)]
    for k in ("role", "country", "kind", "mentions"):
        if blank(data.get(k)):
            lines.append(f"{k}: {_short(data[k], 60)}")
    first, last = blank(data.get("first_seen")), blank(data.get("last_seen"))
    if first or last:
        lines.append(f"seen: {first}{' – ' + last if last and last != first else ''}")
    if blank(data.get("evidence")):
        lines.append(f"“{_short(data['evidence'])}”")
    if data.get("articles") and isinstance(data["articles"], list):
        lines.append(f"{len(data['articles'])} article{'s' * (len(data['articles']) != 1)}")
    return "\n".join(lines)


def _label(text: Any, n: int = LABEL_CHARS) -> str:
    return _short(text, n)


def _parallel_smooth(g: nx.MultiDiGraph) -> dict[tuple[Any, Any, Any], dict[str, Any]]:
    """Per edge (u, v, key), a vis ``smooth`` that draws the relations of one pair apart:
    alternate sides, rounder each pair of them. A lone edge keeps the default."""
    groups: dict[frozenset, list[tuple[Any, Any, Any]]] = {}
    for u, v, k in g.edges(keys=True):
        groups.setdefault(frozenset((u, v)), []).append((u, v, k))
    out: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        for i, (u, v, k) in enumerate(sorted(members, key=lambda e: (str(e[2]), str(e[0])))):
            clockwise = (i % 2 == 0) == (str(u) <= str(v))  # the same side whichever way an edge points
            out[u, v, k] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                            "roundness": round(0.15 + 0.2 * (i // 2), 2)}
    return out


_CSS = ("<style>div.vis-tooltip{max-width:340px;white-space:pre-wrap;font:12px/1.35 system-ui,sans-serif;"
        "color:#222;background:#fffef4;border:1px solid #c9c3a8;border-radius:6px;padding:6px 8px;"
        "box-shadow:0 2px 6px rgba(0,0,0,.15)}</style>")


def network_html(g: nx.MultiDiGraph, height: int = 560, physics: bool | None = None,
                 positions: dict[str, tuple[float, float]] | None = None) -> str:
    """Standalone HTML (vis-network inlined, no remote references) drawing ``g``.

    Nodes are styled by ``label``, edges labelled by ``type``, width by ``mentions``, coloured
    cooperation vs conflict; symmetric types (``UNDIRECTED_TYPES``) have no arrow; several
    relations between one pair curve apart instead of lying on top of each other. With
    ``positions`` (e.g. a networkx layout) physics is switched off; without, vis lays out from a
    fixed seed, so the same graph looks the same on every rerun.
    """
    from pyvis.network import Network

    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    use_physics = physics if physics is not None else positions is None
    for n, d in g.nodes(data=True):
        style = STYLE.get(d.get("label", ""), {"color": "#999999", "shape": "dot"})
        size = 12 + min(_count(d.get("mentions")), 30)
        kw: dict[str, Any] = {}
        if positions and n in positions:
            kw = {"x": float(positions[n][0]), "y": float(positions[n][1]), "physics": False}
        name = blank(d.get("name")) or str(n)
        net.add_node(str(n), label=_label(name), title=_tooltip(d, f"{d.get('label', '')}: {name}"),
                     color=style["color"], shape=style["shape"], size=size,
                     font={"size": 14, "strokeWidth": 4, "strokeColor": "#ffffff"}, **kw)
    smooth = _parallel_smooth(g)
    for u, v, k, d in g.edges(keys=True, data=True):
        t = str(d.get("type", ""))
        kw = {"smooth": smooth[u, v, k]} if (u, v, k) in smooth else {}
        arrows = {"to": {"enabled": t not in UNDIRECTED_TYPES, "scaleFactor": 0.6}}
        net.add_edge(str(u), str(v), label=t, title=_tooltip(d, t), color=edge_colour(t),
                     width=1 + min(_count(d.get("mentions")), 10), arrows=arrows,
                     font={"size": 10, "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"}, **kw)
    net.options.layout = {"randomSeed": LAYOUT_SEED, "improvedLayout": True}
    if not use_physics:
        net.toggle_physics(False)
    html = _REMOTE.sub("", net.generate_html())
    html = html.replace("popup.innerHTML = nodeData[0].title", "popup.innerText = nodeData[0].title")
    html = html.replace("popup.innerHTML = edgeData[0].title", "popup.innerText = edgeData[0].title")
    html = html.replace("</head>", _CSS + "</head>", 1)
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
    pos = nx.spring_layout(simple, k=k, iterations=60, seed=LAYOUT_SEED, scale=scale)
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
