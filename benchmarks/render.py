"""How long the Explore network takes to become usable in a real browser, for 100, 300 and 1,000 nodes.

For each size a seeded scale-free graph (labels, relation types and mentions like GeoKG's) is drawn
two ways and opened in Debian's chromium (playwright, ``executable_path``), a fresh page each:

- ``view``: what the app draws, ``geokg.graph.analysis.viz.network_view`` - physics below 120 nodes, a networkx
  layout with physics off from 120 on, and at most 300 nodes (1,000 asked -> 300 drawn);
- ``uncapped physics``: ``geokg.graph.analysis.viz.network_html`` of the whole graph with vis physics on: the
  baseline in the same run, what drawing everything would cost.

Timed from navigation start (``performance.now()`` in the page) to vis-network's first
``afterDrawing`` and to ``stabilized`` (physics off: the first drawing is final). The Python side
(building the HTML, incl. the layout) is timed separately.

    .venv/bin/python benchmarks/render.py                  # 100, 300, 1000 nodes
    .venv/bin/python benchmarks/render.py --sizes 50 --timeout 60
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geokg.graph.analysis.viz import network_html, network_view  # noqa: E402
from geokg.graph.model import ACTOR_TYPES, ref  # noqa: E402

__all__ = ["sample_graph", "RenderTiming", "instrument", "render_times", "main"]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
_HOOK = "network = new vis.Network(container, data, options);"
#: Records when vis first draws and when physics settles (listeners attach before vis's first
#: stabilisation batch, which runs from a timer). Physics off: no 'stabilized' ever comes.
_PROBE = (_HOOK + " window.__geokg = {physics: !!(options.physics && options.physics.enabled !== false)};"
          " network.once('afterDrawing', function () { window.__geokg.drawn = performance.now(); });"
          " network.once('stabilized', function (p) { window.__geokg.stable = performance.now();"
          " window.__geokg.iterations = p.iterations; });")


def sample_graph(n: int, seed: int = 7) -> nx.MultiDiGraph:
    """A scale-free actor graph of ``n`` nodes (~2 edges per node), shaped like a neighbourhood."""
    rnd = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    labels = ("Country", "Person", "Person", "Organization")
    names = {i: ref(labels[i % 4], f"n{i}") for i in base}
    g = nx.MultiDiGraph()
    for i, r in names.items():
        g.add_node(r, label=labels[i % 4], name=f"Entity {i}", mentions=rnd.randint(1, 40))
    for u, v in base.edges():
        t = rnd.choice(ACTOR_TYPES)
        g.add_edge(names[u], names[v], key=t, type=t, mentions=rnd.randint(1, 30),
                   evidence=f"evidence sentence {u}-{v}", first_seen="2023-01-01", last_seen="2024-01-01")
    return g


def instrument(html: str) -> str:
    """The page with the timing probe after the network's construction."""
    if _HOOK not in html:
        raise RuntimeError("pyvis template changed: the network construction line was not found")
    return html.replace(_HOOK, _PROBE, 1)


@dataclass
class RenderTiming:
    asked: int
    how: str
    drawn_nodes: int
    drawn_edges: int
    physics: bool
    build_ms: float
    html_kib: float
    first_draw_ms: float | None
    stable_ms: float | None
    iterations: int | None


def render_times(html: str, page, timeout_s: float) -> dict:
    """Open ``html`` in ``page`` and wait until it is stable (or drawn, with physics off)."""
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as fh:
        fh.write(instrument(html))
        path = Path(fh.name)
    try:
        page.goto(path.as_uri())
        page.wait_for_function("() => window.__geokg && window.__geokg.drawn !== undefined && "
                               "(!window.__geokg.physics || window.__geokg.stable !== undefined)",
                               timeout=timeout_s * 1000)
        return page.evaluate("() => ({...window.__geokg, nodes: network.body.data.nodes.length, "
                             "edges: network.body.data.edges.length})")
    finally:
        path.unlink()


def _ms(value: float | None, timeout: float) -> str:
    return f"{value:.0f}" if value is not None else f"> {timeout * 1000:.0f}"


def main(argv: list[str] | None = None) -> list[RenderTiming]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,300,1000")
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for one page to stabilise")
    ap.add_argument("--chromium", default=CHROMIUM)
    a = ap.parse_args(argv)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    out: list[RenderTiming] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=a.chromium, args=ARGS)
        try:
            for n in [int(x) for x in a.sizes.split(",")]:
                g = sample_graph(n)
                for how in ("view", "uncapped physics"):
                    t0 = time.perf_counter()
                    if how == "view":
                        html = network_view(g, keep=[next(iter(g))]).html
                    else:
                        html = network_html(g)
                    build = (time.perf_counter() - t0) * 1000
                    page = browser.new_page()
                    try:
                        r = render_times(html, page, a.timeout)
                    except PlaywrightTimeout:  # honest: it did not settle within the timeout
                        r = {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "physics": True}
                    finally:
                        page.close()
                    out.append(RenderTiming(n, how, r["nodes"], r["edges"], r["physics"], build, len(html) / 1024,
                                            r.get("drawn"), r.get("stable") if r["physics"] else r.get("drawn"),
                                            r.get("iterations")))
                    print(f"  {n} nodes, {how}: {_ms(out[-1].stable_ms, a.timeout)}", file=sys.stderr)
        finally:
            browser.close()
    print("| nodes asked | drawing | drawn nodes / edges | physics | HTML build ms | first draw ms | stable ms | "
          "physics iterations |\n|---|---|---|---|---|---|---|---|")
    for t in out:
        print(f"| {t.asked} | {t.how} | {t.drawn_nodes} / {t.drawn_edges} | {'on' if t.physics else 'off'} | "
              f"{t.build_ms:.0f} | {_ms(t.first_draw_ms, a.timeout)} | {_ms(t.stable_ms, a.timeout)} | "
              f"{t.iterations if t.iterations else '-'} |")
    return [asdict(t) for t in out]  # type: ignore[return-value]


if __name__ == "__main__":
    main()
