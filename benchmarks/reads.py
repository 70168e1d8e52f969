"""Read latency of GeoKG's store methods on a synthetic graph (default 100,000 nodes / 1,000,000
relationships, see ``benchmarks/synth.py``), p50 and p95, on the embedded store and on Neo4j.

Each operation is timed through the real store method the app calls, over ``--picks`` seeded
random picks that include the three biggest hub countries:

- ``search``: ``store.search(term)`` for person surnames, country names and parts of them;
- ``1-hop`` / ``2-hop``: ``store.neighbourhood([ref], hops=1|2, limit=300)`` (the Explore page's call);
  on Neo4j also ``w/o lists``: the same calls sorting every relationship, as before hub lists (the
  lists are rebuilt first, ``store.rebuild_hubs()``: the bulk load bypasses the store's writes);
- ``paths``: ``store.paths(a, b, max_hops=4)`` (the Paths page's call);
- ``research``: ``store.cypher(...)`` of the gallery's "Every event between two countries in a window";
- ``relations(entity)``, ``events(actor)``: the tables beside the Explore network and on the profile;
- ``overview``: the Overview page's reads (``top_connected``, latest ``events``, ``stats``), 3 runs.

Baseline in the same run (machines are noisy; ratios hold): the **floor**, the same question asked
as one bare Cypher statement through the backend's own primitive (no GeoKG shaping, no per-label
split, no ordering), so ``p95 / floor p95`` is what GeoKG adds. ``--baseline-nodes`` also times the
embedded store on a 10x smaller graph (ratio = how it scales).

``--hubs`` times the neighbourhood of the biggest hub (bounded: edges returned vs its degree) and,
for contrast, the unbounded variable-length count GeoKG avoids, stopped at ``--unbounded-timeout``.
``--opening`` measures opening the embedded store (time and RSS, a subprocess per measurement) at
the baseline and the full size.

    .venv/bin/python benchmarks/reads.py                                # 100k / 1M, embedded (+ neo4j with NEO4J_URI)
    .venv/bin/python benchmarks/reads.py --nodes 2000 --rels 20000 --picks 5   # smoke size
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

from geokg.graph.analysis.gallery import by_name  # noqa: E402
from geokg.graph.model import parse_ref  # noqa: E402
from geokg.graph.stores.base import CypherStore  # noqa: E402

__all__ = ["Picks", "Timing", "make_picks", "run_reads", "hub_probe", "open_probe", "main"]

LIMIT = 300  # the Explore page's limit (geokg.graph.analysis.viz.MAX_NODES)
RESEARCH = by_name("Every event between two countries in a window")


@dataclass(frozen=True)
class Picks:
    """What the benchmark asks, chosen once per graph and seed (stored beside the cached graph)."""

    hubs: list[str]
    refs: list[str]
    terms: list[str]
    pairs: list[tuple[str, str]]
    countries: list[tuple[str, str]]
    hub_degree: int


@dataclass
class Timing:
    op: str
    n: int
    p50: float
    p95: float
    max: float
    size: float          # mean edges / rows / paths returned
    floor_p50: float | None = None
    floor_p95: float | None = None
    p95_without_hubs: float | None = None  # the same picks minus the 3 hub countries (ops on entities)

    @property
    def ratio(self) -> float | None:
        return self.p95 / self.floor_p95 if self.floor_p95 else None


def make_picks(g: synth.SynthGraph, n: int, seed: int) -> Picks:
    """``n`` references (the 3 biggest hubs first), search terms, path pairs and country pairs."""
    rng = np.random.default_rng(seed + 1)
    deg = synth.degrees(g)
    actors = deg[[r.split(":")[0] in ("country", "person", "org") for r in deg.index]]
    hubs = list(actors.index[:3])
    others = list(rng.choice(actors.index[3:], size=max(0, n - 3), replace=False))
    persons = g.nodes["Person"]["name"].to_numpy()
    countries = g.nodes["Country"]["name"].to_numpy()
    terms = []
    for i in range(n):
        if i % 3 == 0:
            terms.append(str(rng.choice(persons)).split()[-1].lower())
        elif i % 3 == 1:
            terms.append(str(rng.choice(countries)))
        else:
            name = str(rng.choice(countries))
            terms.append(name[: max(3, len(name) // 2)].lower())
    pool = list(actors.index[: max(50, len(actors) // 10)])  # path ends: connected actors, hubs likely nearby
    pairs = []
    while len(pairs) < n:
        a, b = rng.choice(pool, 2, replace=False)
        pairs.append((str(a), str(b)))
    ctry = [r for r in actors.index if r.startswith("country:")]
    cpairs = [(parse_ref(ctry[i % 3])[1], parse_ref(str(rng.choice(ctry[3:40])))[1]) for i in range(n)]
    return Picks(hubs, hubs + [str(x) for x in others], terms, pairs, cpairs, int(actors.iloc[0]))


def _time(fn: Callable[[Any], Any], items: list[Any], size: Callable[[Any], float]) -> tuple[list[float], float]:
    fn(items[0])  # warm-up: plan caches, first page faults
    times, sizes = [], []
    for it in items:
        t0 = time.perf_counter()
        out = fn(it)
        times.append((time.perf_counter() - t0) * 1000)
        sizes.append(size(out))
    return times, float(np.mean(sizes))


def _timing(op: str, times: list[float], size: float, floor: list[float] | None = None,
            hubs_first: bool = False) -> Timing:
    p = lambda xs, q: float(np.percentile(xs, q))  # noqa: E731
    return Timing(op, len(times), p(times, 50), p(times, 95), max(times), size,
                  p(floor, 50) if floor else None, p(floor, 95) if floor else None,
                  p(times[3:], 95) if hubs_first and len(times) > 3 else None)


# --- floors: the same question as one bare statement --------------------------------------------

def _floor_hop(store: CypherStore, r: str, hops: int) -> int:
    lab, key = parse_ref(r)
    if hops == 1:
        q = f"MATCH (a:{lab} {{id: $id}})-[r]-(b) RETURN b.id AS id LIMIT {LIMIT}"
    else:
        q = (f"MATCH (a:{lab} {{id: $id}})-[r]-(b) WITH DISTINCT b LIMIT {LIMIT} "
             f"MATCH (b)-[r2]-(c) RETURN c.id AS id LIMIT {LIMIT * 4}")
    return len(store._read(q, {"id": key}))


def _floor_paths(store: CypherStore, pair: tuple[str, str]) -> int:
    (la, ka), (lb, kb) = parse_ref(pair[0]), parse_ref(pair[1])
    if store.backend == "neo4j":
        q = f"MATCH (a:{la} {{id: $a}}) MATCH (b:{lb} {{id: $b}}) MATCH p = shortestPath((a)-[*..4]-(b)) RETURN length(p) AS n"
    else:
        q = f"MATCH p = (a:{la} {{id: $a}})-[* SHORTEST 1..4]-(b:{lb} {{id: $b}}) RETURN length(p) AS n"
    return len(store._read(q, {"a": ka, "b": kb}))


def _floor_search(store: CypherStore, term: str) -> int:
    return len(store._read("MATCH (n:Person) WHERE n.name CONTAINS $q RETURN n.id AS id LIMIT 20", {"q": term}))


def run_reads(store: CypherStore, picks: Picks, floors: bool = True) -> list[Timing]:
    """p50/p95 of every read operation on ``store`` (and its floor when ``floors``)."""
    out = []

    def one(op: str, fn, items, size, floor_fn=None):
        times, mean = _time(fn, items, size)
        floor = _time(floor_fn, items, float)[0] if floors and floor_fn else None
        out.append(_timing(op, times, mean, floor, hubs_first=items is picks.refs))

    one("search", lambda t: store.search(t, limit=20), picks.terms, len,
        lambda t: _floor_search(store, t.title()))
    one("1-hop", lambda r: store.neighbourhood([r], hops=1, limit=LIMIT), picks.refs, lambda g: g.number_of_edges(),
        lambda r: _floor_hop(store, r, 1))
    one("2-hop", lambda r: store.neighbourhood([r], hops=2, limit=LIMIT), picks.refs, lambda g: g.number_of_edges(),
        lambda r: _floor_hop(store, r, 2))
    if store.dialect.hub_lists:  # the same hops sorting every relationship, as before hub lists
        top, store.hub_top = store.hub_top, 0
        try:
            one("1-hop w/o lists", lambda r: store.neighbourhood([r], hops=1, limit=LIMIT), picks.refs,
                lambda g: g.number_of_edges())
            one("2-hop w/o lists", lambda r: store.neighbourhood([r], hops=2, limit=LIMIT), picks.refs,
                lambda g: g.number_of_edges())
        finally:
            store.hub_top = top
    one("paths <=4", lambda p: store.paths(p[0], p[1], max_hops=4), picks.pairs, len,
        lambda p: _floor_paths(store, p))
    one("relations(entity)", lambda r: store.relations(entity=r, limit=LIMIT), picks.refs, len,
        lambda r: _floor_hop(store, r, 1))
    one("events(actor)", lambda r: store.events(actor=r, limit=100), picks.refs, len)
    one("overview", lambda _: (store.top_connected(limit=15), store.events(limit=12), store.stats()), [0, 1, 2],
        lambda o: 1)
    params = RESEARCH.params
    one("research", lambda c: store.cypher(RESEARCH.cypher, {**params, "a": c[0], "b": c[1]}), picks.countries, len,
        lambda c: len(store._read("MATCH (a:Country {id: $a})-[:ACTOR_IN]->(e:Event)-[:TARGETS]->(b:Country {id: $b}) "
                                  "RETURN e.id", {"a": c[0], "b": c[1]})))
    return out


def hub_probe(store: CypherStore, hub: str, degree: int, unbounded_timeout: float) -> list[dict[str, Any]]:
    """The biggest hub's neighbourhood with GeoKG's limits, and the unbounded pattern for contrast."""
    rows = []
    for hops in (1, 2, 3):
        t0 = time.perf_counter()
        g = store.neighbourhood([hub], hops=hops, limit=LIMIT)
        rows.append({"what": f"neighbourhood hops={hops} limit={LIMIT}", "ms": (time.perf_counter() - t0) * 1000,
                     "edges": g.number_of_edges(), "nodes": g.number_of_nodes(), "hub_degree": degree})
    lab, key = parse_ref(hub)
    q = f"MATCH (a:{lab} {{id: $id}})-[*1..2]-(b) RETURN count(DISTINCT b) AS n"
    t0 = time.perf_counter()
    try:
        n = store.cypher(q, {"id": key}, timeout=unbounded_timeout).iloc[0, 0]
        result = f"{int(n):,} nodes"
    except Exception as e:  # the timeout is the expected outcome on a hub
        result = f"stopped: {str(e).splitlines()[0][:60]}"
    rows.append({"what": "unbounded (a)-[*1..2]-(b) count", "ms": (time.perf_counter() - t0) * 1000,
                 "edges": None, "nodes": result, "hub_degree": degree})
    return rows


_OPEN = """
import json, sys, time
t0 = time.perf_counter()
from geokg.graph.stores.embedded import EmbeddedStore
t1 = time.perf_counter()
s = EmbeddedStore(sys.argv[1], read_only=sys.argv[2] == "ro")
t2 = time.perf_counter()
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"): return int(line.split()[1]) / 1024
    return 0.0
rss_open = hwm()
g = s.neighbourhood([sys.argv[3]], hops=1, limit=300)
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "open_s": t2 - t1, "first_hop_s": t3 - t2,
                  "rss_open_mib": rss_open, "rss_after_hop_mib": hwm()}))
"""


def open_probe(path: Path, hub: str, mode: str = "rw") -> dict[str, float]:
    """Open the embedded store in a fresh process: import, open and first-query time, peak RSS."""
    out = subprocess.run([sys.executable, "-c", _OPEN, str(path), mode, hub], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- report --------------------------------------------------------------------------------------

GOALS_NEO4J = {"1-hop": 50, "2-hop": 200, "paths <=4": 700}


def table(title: str, timings: list[Timing], goals: dict[str, float] | None = None) -> str:
    lines = [f"\n{title}", "| operation | n | p50 ms | p95 ms | p95 w/o hubs | max ms | mean size | floor p50 | "
             "floor p95 | p95 / floor |" + (" goal p95 |" if goals else ""),
             "|---|---|---|---|---|---|---|---|---|---|" + ("---|" if goals else "")]
    for t in timings:
        f50 = f"{t.floor_p50:.1f}" if t.floor_p50 is not None else "-"
        f95 = f"{t.floor_p95:.1f}" if t.floor_p95 is not None else "-"
        ratio = f"{t.ratio:.1f}x" if t.ratio else "-"
        nohub = f"{t.p95_without_hubs:.1f}" if t.p95_without_hubs is not None else "-"
        line = f"| {t.op} | {t.n} | {t.p50:.1f} | {t.p95:.1f} | {nohub} | {t.max:.1f} | {t.size:.0f} | {f50} | {f95} | {ratio} |"
        if goals:
            goal = goals.get(t.op)
            verdict = f"< {goal} {'ok' if t.p95 < goal else 'MISSED'}" if goal else "-"
            line += f" {verdict} |"
        lines.append(line)
    return "\n".join(lines)


def _graph_and_picks(spec: synth.Spec, n_picks: int, need_graph: bool) -> tuple[synth.SynthGraph | None, Picks]:
    """The generated graph (only when something must be loaded) and the picks, cached as JSON."""
    cache = synth.CACHE / spec.key / f"picks-{n_picks}.json"
    g = None
    if need_graph or not cache.exists():
        t0 = time.perf_counter()
        g = synth.generate(spec)
        print(f"generated {spec.key} in {time.perf_counter() - t0:.1f} s")
    if cache.exists():
        d = json.loads(cache.read_text())
        picks = Picks(d["hubs"], d["refs"], d["terms"], [tuple(p) for p in d["pairs"]],
                      [tuple(p) for p in d["countries"]], d["hub_degree"])
    else:
        picks = make_picks(g, n_picks, spec.seed)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(asdict(picks)))
    return g, picks


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--rels", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--picks", type=int, default=30)
    ap.add_argument("--backends", default="embedded,neo4j" if os.environ.get("NEO4J_URI") else "embedded")
    ap.add_argument("--baseline-nodes", type=int, default=0, help="also time the embedded store at this size (rels x10)")
    ap.add_argument("--hubs", action="store_true", help="time the biggest hub's neighbourhood, bounded and unbounded")
    ap.add_argument("--unbounded-timeout", type=float, default=20.0)
    ap.add_argument("--opening", action="store_true", help="open the embedded store in subprocesses: time and RSS")
    ap.add_argument("--hub-degree", type=int, default=None,
                    help="Neo4j: nodes with this many actor relationships keep hub lists (default: the store's)")
    ap.add_argument("--wipe-neo4j", action="store_true", help="replace NEO4J_URI's content even if it is no benchmark graph")
    ap.add_argument("--json", type=Path, help="write every number here too")
    a = ap.parse_args(argv)
    backends = [b for b in a.backends.split(",") if b]
    spec = synth.Spec(a.nodes, a.rels, a.seed)
    report: dict[str, Any] = {"spec": spec.key, "reads": {}, "hubs": {}, "opening": []}
    path = synth.embedded_path(spec)
    need_neo4j = False
    if "neo4j" in backends:
        import neo4j

        with neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"], auth=synth.neo4j_auth(), notifications_min_severity="OFF") as d:
            need_neo4j = synth.neo4j_key(d, os.environ.get("NEO4J_DATABASE") or None) != spec.key
    need = need_neo4j or ("embedded" in backends and not (path.parent / "COMPLETE").exists())
    g, picks = _graph_and_picks(spec, a.picks, need)
    print(f"graph {spec.key}: hubs {', '.join(picks.hubs)} (top degree {picks.hub_degree:,})")
    sizes = [(spec, path)]
    if a.baseline_nodes:
        small = synth.Spec(a.baseline_nodes, a.baseline_nodes * 10, a.seed)
        g_small, picks_small = _graph_and_picks(small, a.picks, not (synth.embedded_path(small).parent / "COMPLETE").exists())
        if g_small is not None:
            synth.load_embedded(g_small)
        sizes.insert(0, (small, synth.embedded_path(small)))
    for backend in backends:
        if backend == "embedded":
            from geokg.graph.stores.embedded import EmbeddedStore

            if g is not None:
                synth.load_embedded(g)
            if a.baseline_nodes:
                with EmbeddedStore(synth.embedded_path(small), read_only=True) as s:
                    res = run_reads(s, picks_small)
                report["reads"][f"embedded {small.key}"] = [asdict(t) for t in res]
                print(table(f"embedded store, {small.key} (baseline size)", res))
            with EmbeddedStore(path, read_only=True) as s:
                res = run_reads(s, picks)
                report["reads"][f"embedded {spec.key}"] = [asdict(t) for t in res]
                print(table(f"embedded store, {spec.key}", res))
                if a.hubs:
                    report["hubs"]["embedded"] = hub_probe(s, picks.hubs[0], picks.hub_degree, a.unbounded_timeout)
        elif backend == "neo4j":
            from geokg.graph.stores.neo4j_store import Neo4jStore

            uri, auth, db = os.environ["NEO4J_URI"], synth.neo4j_auth(), os.environ.get("NEO4J_DATABASE") or None
            if need_neo4j:
                synth.load_neo4j(g, uri, auth, db, wipe=a.wipe_neo4j)
            with Neo4jStore(uri, auth[0], auth[1], db) as s:
                s.hub_degree = a.hub_degree or s.hub_degree
                t0 = time.perf_counter()
                hubs = s.rebuild_hubs()  # the bulk load bypasses the store's writes, which keep them
                report["hub_lists"] = {"hubs": hubs, "s": time.perf_counter() - t0}
                print(f"neo4j: lists of {hubs} hubs (>= {s.hub_degree} actor relationships) built in "
                      f"{time.perf_counter() - t0:.1f} s")
                res = run_reads(s, picks)
                report["reads"][f"neo4j {spec.key}"] = [asdict(t) for t in res]
                print(table(f"Neo4j, {spec.key}", res, GOALS_NEO4J))
                if a.hubs:
                    report["hubs"]["neo4j"] = hub_probe(s, picks.hubs[0], picks.hub_degree, a.unbounded_timeout)
        else:
            raise SystemExit(f"unknown backend {backend!r}: use embedded and/or neo4j")
    for backend, rows in report["hubs"].items():
        print(f"\nbiggest hub {picks.hubs[0]} ({picks.hub_degree:,} relationships), {backend}")
        print("| what | ms | edges | nodes |\n|---|---|---|---|")
        for r in rows:
            print(f"| {r['what']} | {r['ms']:.0f} | {r['edges'] if r['edges'] is not None else '-'} | {r['nodes']} |")
    if a.opening:
        print("\nopening the embedded store (fresh process each; read-write as `geokg`, read-only as the console)")
        print("| graph | mode | open s | first 1-hop s | RSS after open MiB | RSS after 1-hop MiB |\n|---|---|---|---|---|---|")
        for sp, p in sizes:
            for mode in ("rw", "ro"):
                m = open_probe(p, picks.hubs[0], mode)
                report["opening"].append({"graph": sp.key, "mode": mode, **m})
                print(f"| {sp.key} | {mode} | {m['open_s']:.2f} | {m['first_hop_s']:.2f} | {m['rss_open_mib']:.0f} | "
                      f"{m['rss_after_hop_mib']:.0f} |")
    if a.json:
        a.json.write_text(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    main()
