"""Ingest speed with events across articles on and off, in one run (``geokg.graph.event_clusters``).

Clustering costs each batch one more read (the stored events its reports may join: an index
lookup by key on Neo4j, a scan of the Event table on LadybugDB, which has no secondary index) and
an update of the events that grew. This measures what that costs, against the same writes with
the window off (``store.event_window = None``: an event per report, as before), each leg into an
empty store, the two legs of a backend one after the other, ``--runs`` times (medians; one
untimed warm-up write first):

- ``articles``: the real articles of ``shared/eval/dev``, ``shared/data/text`` and ``data/samples``,
  extracted once and repeated with new ids (``benchmarks/writes.py``), each round of copies dated
  two days after the one before, so a copy joins the events of the round before it about half
  the time, as outlets re-reporting a story over a few days would;
- ``gdelt``: the real 15-minute GDELT export repeated with new GLOBALEVENTIDs (every copy on the
  same dates: GDELT's duplicates, the case clustering is for).

The table gives seconds, sources/s, the events each leg stored and the time ratio on/off. Neo4j
runs when NEO4J_URI is set and ``--wipe-neo4j`` allows emptying it (a scratch server only).

    .venv/bin/python benchmarks/event_clusters.py --articles 2000 --gdelt 10000 --wipe-neo4j
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from writes import base_fragments, embedded_opener, gdelt_fragments, neo4j_opener, repeated  # noqa: E402

from geokg.graph.event_clusters import EVENT_WINDOW_DAYS  # noqa: E402
from geokg.graph.model import Fragment  # noqa: E402
from geokg.graph.stores.base import CypherStore  # noqa: E402
from geokg.graph.stores.writer import write_fragments  # noqa: E402


def _shift(day: str | None, days: int) -> str | None:
    return None if day is None else (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def dated_copies(base: list[Fragment], n: int) -> list[Fragment]:
    """``n`` article fragments (``writes.repeated``), each round of copies two days after the last."""
    out = []
    for i, f in enumerate(repeated(base, n)):
        days = 2 * (i // len(base))
        out.append(dataclasses.replace(
            f, article=dataclasses.replace(f.article, published=_shift(f.article.published, days)),
            relations=tuple(dataclasses.replace(r, date=_shift(r.date, days)) for r in f.relations),
            events=tuple(dataclasses.replace(e, date=_shift(e.date, days)) for e in f.events)))
    return out


def leg(opener: Callable[[], CypherStore], fragments: list[Fragment], window: int | None,
        batch_size: int) -> tuple[float, int, int]:
    """(seconds, events stored, reports they hold) of writing ``fragments`` into an empty store."""
    store = opener()
    try:
        store.event_window = window
        t = time.perf_counter()
        write_fragments(store, fragments, batch_size=batch_size)
        seconds = time.perf_counter() - t
        row = store.cypher("MATCH (e:Event) RETURN count(e) AS events, sum(size(e.report_ids)) AS reports").iloc[0]
        return seconds, int(row.events), int(row.reports or 0)
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000, help="article fragments (0: none)")
    ap.add_argument("--gdelt", type=int, default=10000, help="GDELT rows (0: none)")
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3, help="off/on pairs per backend and workload (medians)")
    ap.add_argument("--backends", default="embedded,neo4j")
    ap.add_argument("--wipe-neo4j", action="store_true", help="allow emptying NEO4J_URI's database (scratch only)")
    args = ap.parse_args()
    backends = args.backends.split(",")
    if "neo4j" in backends and not (os.environ.get("NEO4J_URI") and args.wipe_neo4j):
        print("neo4j: skipped (needs NEO4J_URI and --wipe-neo4j)", file=sys.stderr)
        backends.remove("neo4j")
    workloads: list[tuple[str, list[Fragment]]] = []
    if args.articles:
        workloads.append(("articles", dated_copies(base_fragments(), args.articles)))
    if args.gdelt:
        workloads.append(("gdelt", gdelt_fragments(args.gdelt)))
    rows = []
    with tempfile.TemporaryDirectory(prefix="geokg-bench-") as tmp:
        openers = {"embedded": embedded_opener(Path(tmp))}
        if "neo4j" in backends:
            openers["neo4j"] = neo4j_opener()
        for name, frags in workloads:
            for backend in backends:
                leg(openers[backend], frags[:args.batch_size], None, args.batch_size)  # warm-up: indexes, JIT, caches
                runs = [(leg(openers[backend], frags, None, args.batch_size),
                         leg(openers[backend], frags, EVENT_WINDOW_DAYS, args.batch_size)) for _ in range(args.runs)]
                off, on = (sorted(r[i] for r in runs)[len(runs) // 2] for i in (0, 1))  # by time: the median
                rows.append((name, backend, len(frags), off, on))
    print(f"\nevents across articles: window off vs ±{EVENT_WINDOW_DAYS} days, batch {args.batch_size}, "
          f"median of {args.runs}\n")
    head = ("workload", "backend", "sources", "off s", "on s", "off src/s", "on src/s", "events off",
            "events on", "reports", "on/off time")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, backend, n, (t0, e0, _), (t1, e1, r1) in rows:
        print(f"| {name} | {backend} | {n:,} | {t0:.1f} | {t1:.1f} | {n / t0:,.0f} | {n / t1:,.0f} | {e0:,} | {e1:,} "
              f"| {r1:,} | {t1 / t0:.2f} |")


if __name__ == "__main__":
    main()
