"""How fast GDELT rows go from a file into each store, and whether memory stays flat.

Builds a GDELT 2.0 export of ``--rows`` rows (default 100,000) in a temporary folder by repeating
the real 15-minute export of ``shared/data/gdelt`` with new GLOBALEVENTIDs, then measures, each
leg in a fresh subprocess so that its peak RSS is its own:

- ``parse``: ``geokg.loaders.records.gdelt.read_gdelt`` alone (rows/s, no store);
- ``embedded``: parse + ``write_fragments`` into a new LadybugDB file;
- ``neo4j``: parse + ``write_fragments`` into Neo4j, when NEO4J_URI is set (NEO4J_USERNAME,
  NEO4J_PASSWORD, NEO4J_DATABASE from the environment). Events already there are skipped, so
  measure on an empty database: ``--wipe-neo4j`` empties it first (a scratch server only!).

For the store legs it also times every write statement by kind (entities per label, events,
links per type, actor roll-ups), the existence check and ``build_batch``, to show where the
write path spends its time. RSS is sampled every 10% of the rows: flat memory means the
samples stop growing once the caches are warm.

    .venv/bin/python benchmarks/gdelt_load.py                       # 100,000 rows, all legs
    .venv/bin/python benchmarks/gdelt_load.py --rows 20000 --legs parse,embedded --batch-size 2000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXPORT = "data/gdelt/20191024143000.export.CSV"


def shared_dir() -> Path:
    return Path(os.environ.get("GEOKG_SHARED") or ROOT.parent / "shared")


def build_file(rows: int, out: Path) -> Path:
    """``rows`` real GDELT 2.0 rows: the export repeated, GLOBALEVENTID shifted by 10^9 per copy."""
    lines = (shared_dir() / EXPORT).read_text(encoding="utf-8").splitlines()
    path = out / f"gdelt_{rows}.export.CSV"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            copy, line = divmod(i, len(lines))
            gid, rest = lines[line].split("\t", 1)
            fh.write(f"{int(gid) + copy * 1_000_000_000}\t{rest}\n")
    return path


def rss_mb() -> float:
    """Current resident set size (Linux /proc), in MiB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    """Peak RSS of this process (VmHWM), in MiB. Not getrusage's ru_maxrss: on Linux that one
    survives fork+exec, so a child would report its parent's peak if that was higher."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wipe_neo4j() -> None:
    """Empty the benchmark database, in transactions of 10,000 nodes."""
    import neo4j

    auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD") or "")
    with neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"], auth=auth) as driver, \
            driver.session(database=os.environ.get("NEO4J_DATABASE") or None) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def _kind(query: str) -> str:
    """A short name for a write statement: what it merges."""
    m = re.search(r"MERGE \(a\)-\[r:(\w+)\]", query)
    if m:
        return "actor roll-ups (all types)"
    m = re.search(r"MATCH \(a:(\w+) .*MERGE \(a\)-\[:(\w+)\]->", query)
    if m:
        return f"link {m.group(2)}"
    m = re.search(r"MERGE \(\w+:(\w+) \{id", query)
    return f"merge {m.group(1)}" if m else query[:40]


def _instrument(store: Any, timings: dict[str, list[float]]) -> None:
    """Time each statement of the write path, without changing what runs in one transaction."""
    import geokg.graph.stores.base as gs

    orig_build = gs.build_batch

    def build_batch(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        try:
            return orig_build(*a, **k)
        finally:
            timings["build_batch (python)"].append(time.perf_counter() - t)
    gs.build_batch = build_batch

    orig_read = store._read
    reading = [False]

    def read(query: str, params: dict[str, Any] | None = None) -> Any:
        t = time.perf_counter()
        reading[0] = True
        try:
            return orig_read(query, params)
        finally:
            reading[0] = False
            name = "existing-id check (read)" if "n.id IN $ids" in query else "other reads"
            timings[name].append(time.perf_counter() - t)
    store._read = read

    if store.backend == "embedded":
        orig_execute = store._execute

        def execute(conn: Any, query: str, params: Any) -> Any:
            t = time.perf_counter()
            try:
                return orig_execute(conn, query, params)
            finally:
                if not reading[0]:
                    timings[_kind(query)].append(time.perf_counter() - t)
        store._execute = execute
    else:
        from geokg.graph.stores.neo4j_store import WRITE_HINT

        def write(statements: list[tuple[str, dict[str, Any]]]) -> None:
            def work(tx: Any) -> None:
                for query, params in statements:
                    t = time.perf_counter()
                    tx.run(WRITE_HINT + query, params).consume()
                    timings[_kind(query)].append(time.perf_counter() - t)

            def run() -> None:
                with store._session(read=False) as s:
                    s.execute_write(work)
            store._errors(run)
        store._write = write


def run_leg(leg: str, path: Path, rows: int, batch_size: int, db_dir: Path) -> dict[str, Any]:
    """One leg in this process; returns its measurements as a dict."""
    from geokg.loaders.pipeline import ReadCounts, Sources, read_fragments

    samples: list[float] = []
    stamps: list[float] = []
    step = max(rows // 10, 1)
    counts = ReadCounts()

    def fragments():
        """The records through the one reading loop, memory sampled every tenth of the rows."""
        due = step
        for item in read_fragments(Sources(records=((path, "gdelt"),)), counts=counts):
            if counts.records + counts.skipped >= due:
                samples.append(round(rss_mb(), 1))
                stamps.append(time.perf_counter())
                due += step
            yield item

    timings: dict[str, list[float]] = defaultdict(list)
    start_rss = rss_mb()
    t0 = time.perf_counter()
    if leg == "parse":
        for _ in fragments():
            pass
        written = 0
    else:
        if leg == "embedded":
            from geokg.graph.stores.embedded import EmbeddedStore
            store = EmbeddedStore(db_dir / "bench.lbdb")
        else:
            from geokg.graph.stores.neo4j_store import Neo4jStore
            store = Neo4jStore(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USERNAME", "neo4j"),
                               os.environ.get("NEO4J_PASSWORD"), os.environ.get("NEO4J_DATABASE") or None)
        from geokg.graph.stores.writer import write_fragments

        _instrument(store, timings)
        t0 = time.perf_counter()
        try:
            written = write_fragments(store, fragments(), batch_size=batch_size).articles_written
        finally:
            store.close()
    seconds = time.perf_counter() - t0
    # The second half alone: query plans compiled and caches warm (records are read ahead of the
    # write of their batch, so the stamps are accurate to one batch).
    half = len(stamps) // 2
    steady = round((len(stamps) - half) * step / (time.perf_counter() - stamps[half - 1])) if half else None
    seen, errors = counts.records + counts.skipped, counts.skipped
    return {"steady_rows_per_s": steady, "leg": leg, "rows": seen, "errors": errors, "written": written,
            "seconds": round(seconds, 2),
            "rows_per_s": round(seen / seconds), "start_rss_mb": round(start_rss, 1), "peak_rss_mb": round(peak_mb(), 1),
            "rss_samples_mb": samples,
            "statements": {k: (len(v), round(sum(v), 2)) for k, v in sorted(timings.items(), key=lambda kv: -sum(kv[1]))}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--legs", default="parse,embedded,neo4j")
    ap.add_argument("--batch-size", type=int, default=1000, help="records per write transaction")
    ap.add_argument("--wipe-neo4j", action="store_true", help="delete everything in NEO4J_URI's database first")
    ap.add_argument("--leg", help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    ap.add_argument("--db-dir", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.leg:  # child process: one leg, JSON on stdout
        print(json.dumps(run_leg(args.leg, Path(args.file), args.rows, args.batch_size, Path(args.db_dir))))
        return
    legs = [leg for leg in args.legs.split(",") if leg]
    if "neo4j" in legs and not os.environ.get("NEO4J_URI"):
        print("neo4j: skipped (NEO4J_URI is not set)", file=sys.stderr)
        legs.remove("neo4j")
    if "neo4j" in legs and args.wipe_neo4j:
        wipe_neo4j()
    with tempfile.TemporaryDirectory(prefix="geokg-bench-") as tmp:
        t = time.perf_counter()
        path = build_file(args.rows, Path(tmp))
        print(f"built {path.name}: {args.rows} rows, {path.stat().st_size / 2**20:.1f} MiB in "
              f"{time.perf_counter() - t:.1f}s; batch size {args.batch_size}")
        results = []
        for leg in legs:
            db_dir = Path(tmp) / leg
            db_dir.mkdir()
            out = subprocess.run([sys.executable, __file__, "--leg", leg, "--file", str(path), "--rows", str(args.rows),
                                  "--batch-size", str(args.batch_size), "--db-dir", str(db_dir)],
                                 capture_output=True, text=True, check=False)
            if out.returncode != 0:
                print(f"{leg}: failed\n{out.stderr.strip()}", file=sys.stderr)
                continue
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"\n{'leg':<10}{'rows':>9}{'errors':>8}{'seconds':>9}{'rows/s':>9}{'2nd half':>10}{'peak RSS MiB':>14}"
          "  RSS every 10% (MiB)")
    for r in results:
        print(f"{r['leg']:<10}{r['rows']:>9}{r['errors']:>8}{r['seconds']:>9}{r['rows_per_s']:>9}"
              f"{r['steady_rows_per_s'] or '-':>10}{r['peak_rss_mb']:>14}  {' '.join(str(x) for x in r['rss_samples_mb'])}")
    for r in results:
        if r["statements"]:
            total = r["seconds"]
            print(f"\n{r['leg']}: where the time goes ({total}s in all)")
            print(f"  {'statement':<34}{'calls':>7}{'seconds':>9}{'share':>7}")
            for name, (calls, secs) in r["statements"].items():
                print(f"  {name:<34}{calls:>7}{secs:>9}{secs / total:>7.0%}")


if __name__ == "__main__":
    main()
