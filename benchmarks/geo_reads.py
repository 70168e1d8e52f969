"""The Map and What-changed reads on the synthetic graph (benchmarks/synth.py), embedded store.

Times, over a month's window and over all time: ``placed_events`` (the map's 5,000 points),
``count_placed_events``, ``country_activity`` (the shading) and ``what_changed`` between two
months (two ``rollup_mentions`` aggregates plus the evidence of the changes shown).

    .venv/bin/python benchmarks/geo_reads.py --nodes 100000 --rels 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

from geokg.graph.analysis.changes import parse_period, what_changed  # noqa: E402
from geokg.graph.analysis.geo import country_scores  # noqa: E402
from geokg.graph.stores.embedded import EmbeddedStore  # noqa: E402


def _time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--rels", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    spec = synth.Spec(args.nodes, args.rels, args.seed)
    path = synth.embedded_path(spec)
    if not (path.parent / "COMPLETE").exists():
        synth.load_embedded(synth.generate(spec))
    with EmbeddedStore(path) as s:
        dates = s.events(limit=1)["date"].tolist()
        last = dates[0] if dates else "2024-12-31"
        month_b = (last[:7] + "-01", last)
        y, m = int(last[:4]), int(last[5:7])
        prev = f"{y - (m == 1)}-{12 if m == 1 else m - 1:02d}"
        month_a = (prev + "-01", prev + "-28")
        for label, (d0, d1) in (("all time", (None, None)), ("one month", month_b)):
            t, ev = _time(lambda d0=d0, d1=d1: s.placed_events(d0, d1, limit=5000), args.repeat)
            print(f"placed_events ({label}, limit 5000): {t * 1000:.0f} ms, {len(ev)} rows")
            t, n = _time(lambda d0=d0, d1=d1: s.count_placed_events(d0, d1), args.repeat)
            print(f"count_placed_events ({label}): {t * 1000:.0f} ms, {n} events")
            t, sc = _time(lambda d0=d0, d1=d1: country_scores(s.country_activity(d0, d1)), args.repeat)
            print(f"country_activity + scores ({label}): {t * 1000:.0f} ms, {len(sc)} countries")
        a, b = parse_period(f"{month_a[0]}..{month_a[1]}"), parse_period(f"{month_b[0]}..{month_b[1]}")
        t, ch = _time(lambda: what_changed(s, a, b), args.repeat)
        print(f"what_changed ({a.label} -> {b.label}, limit 500): {t * 1000:.0f} ms, {len(ch)} changes shown")


if __name__ == "__main__":
    main()
