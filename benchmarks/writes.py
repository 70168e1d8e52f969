"""Relationships per second into each store: GeoKG's writer between a naive one and the ceiling.

The fragments: the real articles of ``shared/eval/dev``, ``shared/data/text`` and ``data/samples``
go through the extractor once; their fragments are then repeated with new article and event ids
up to ``--articles`` (default 10,000), so the entity set stays that of real news (hub countries
and leaders met again and again) while every article and event is new.

Three writers per backend, each into an empty store, all in this process:

- ``naive``: one parametrised MERGE statement per node and per relationship, one transaction
  per article (what a first version does); measured on ``--naive-articles`` articles only,
  because it is slow, and reported per relationship like the others;
- ``geokg``: ``write_fragments`` (existence check, batch building, UNWIND statements);
- ``bare``: ``UNWIND $rows CREATE`` of the very rows ``build_batch`` makes (nodes, then
  relationships matched by id): no MERGE, no roll-up arithmetic, no skip of stored articles.
  The ceiling of a statement-per-batch ``UNWIND`` writer for these rows (GeoKG's embedded
  store goes past it: it reads its rows as Arrow tables, ``geokg.graph.stores.bulk``).

The table gives relationships/s and the ratios the issue asks for (geokg/bare time, geokg/naive
speed). This machine's speed moves by 10-20% from minute to minute, the naive leg's by up to 2x,
so ``--runs N`` runs the three legs N times, one after the other, and the summary takes each
writer's median. Neo4j runs when NEO4J_URI is set and the database may be emptied
(``--wipe-neo4j``: a scratch server only).

    .venv/bin/python benchmarks/writes.py --articles 10000 --runs 3 --wipe-neo4j
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from geokg.graph import cypher as Q  # noqa: E402
from geokg.graph.model import ENTITY_PROPS, EVENT_PROPS, Fragment  # noqa: E402
from geokg.graph.stores.base import CypherStore  # noqa: E402
from geokg.graph.stores.rows import build_batch  # noqa: E402
from geokg.graph.stores.writer import write_fragments  # noqa: E402


def shared_dir() -> Path:
    return Path(os.environ.get("GEOKG_SHARED") or ROOT.parent / "shared")


def base_fragments() -> list[Fragment]:
    """Fragments of every real article at hand, extracted once."""
    from geokg.loaders.extraction.extractor import Extractor, load_nlp
    from geokg.loaders.pipeline import Sources, read_fragments

    paths = sorted((shared_dir() / "eval" / "dev").glob("[0-9]*.txt"))
    paths += sorted((shared_dir() / "data" / "text").rglob("*.txt")) + sorted((ROOT / "data" / "samples").glob("*.md"))
    if not paths:
        raise SystemExit(f"no articles found under {shared_dir()} (set GEOKG_SHARED)")
    return [f for f in read_fragments(Sources(articles=tuple(paths)), extractor=lambda: Extractor(load_nlp()))
            if f.entities]


def repeated(base: list[Fragment], n: int, variants: int = 200) -> Iterator[Fragment]:
    """``n`` fragments: the base ones again and again, each copy with new article and event ids.

    Countries stay the same (the hubs of real news); persons, organisations and locations come
    in ``variants`` namesakes per round, so relationships between them keep arriving new as
    they would from new articles, instead of collapsing onto the few pairs of the base set.
    """
    for i in range(n):
        f = base[i % len(base)]
        suffix, variant = f"-{i}", f"~{(i // len(base)) % variants}"

        def vary(node_ref: str, variant: str = variant) -> str:
            return node_ref if node_ref.startswith("country:") else node_ref + variant

        entities = tuple(e if e.label == "Country" else dataclasses.replace(e, key=e.key + variant)
                         for e in f.entities)
        relations = tuple(dataclasses.replace(r, source=vary(r.source), target=vary(r.target)) for r in f.relations)
        events = tuple(dataclasses.replace(e, id=e.id + suffix, actors=tuple(map(vary, e.actors)),
                                           targets=tuple(map(vary, e.targets)),
                                           location=e.location and vary(e.location)) for e in f.events)
        yield Fragment(dataclasses.replace(f.article, id=f.article.id + suffix), entities, relations, events)


def gdelt_fragments(rows: int) -> list[Fragment]:
    """``rows`` GDELT records: the real export repeated with new GLOBALEVENTIDs."""
    from gdelt_load import build_file

    from geokg.loaders.records.gdelt import read_gdelt

    with tempfile.TemporaryDirectory(prefix="geokg-bench-") as tmp:
        return [f for f in read_gdelt(build_file(rows, Path(tmp))) if isinstance(f, Fragment)]


# --- the naive writer: one statement per node and relationship ------------------------------

def unwinding(store: CypherStore) -> Q.Dialect:
    """The store's dialect reading its rows from an ``UNWIND``ed list, as Neo4j does: the
    naive and bare writers keep that form on both backends (GeoKG's embedded store reads
    them as Arrow tables instead, see ``geokg.graph.stores.bulk``)."""
    return dataclasses.replace(store.dialect, rows=Q.NEO4J.rows)


def naive_write(store: CypherStore, fragment: Fragment) -> None:
    """What a first version does: MERGE every node and relationship on its own."""
    d = unwinding(store)
    b = build_batch([fragment])
    stmts: list[tuple[str, dict[str, Any]]] = [(Q.merge_articles(d), {"rows": [row]}) for row in b.articles]
    for lab, rows in b.entities.items():
        stmts += [(Q.merge_entities(lab, sorted(ENTITY_PROPS[lab]), d), {"rows": [row]}) for row in rows]
    stmts += [(Q.create_events(sorted(EVENT_PROPS), d), {"rows": [row]}) for row in b.events]
    for (rel, src, dst), rows in [*b.links.items(), *b.new_links.items()]:
        stmts += [(Q.merge_link(rel, src, dst, d), {"rows": [row]}) for row in rows]
    for (rel, src, dst), rows in b.actor_rels.items():
        stmts += [(Q.merge_actor_rel(rel, src, dst, d), {"rows": [row]}) for row in rows]
    store._write(stmts)


# --- the ceiling: bare UNWIND CREATE of the same rows ------------------------------------------

def bare_write(store: CypherStore, fragments: list[Fragment]) -> None:
    """CREATE the rows of ``build_batch`` with no merging: the engine's own speed for them."""
    d = unwinding(store)
    b = build_batch(fragments)
    stmts = []
    for lab, rows in [("Article", b.articles), *b.entities.items()]:
        # entities (and GDELT's source articles) repeat across batches: a CREATE would break
        # the key, so only the new ones
        known = {r["id"] for r in store._read(Q.existing(lab), {"ids": [r["id"] for r in rows]})}
        fresh = [r for r in rows if r["id"] not in known]
        query = Q.merge_articles(d) if lab == "Article" else Q.merge_entities(lab, sorted(ENTITY_PROPS[lab]), d)
        if fresh:
            stmts.append((query.replace("MERGE", "CREATE"), {"rows": fresh}))
    if b.events:
        stmts.append((Q.create_events(sorted(EVENT_PROPS), d), {"rows": b.events}))
    for (rel, src, dst), rows in [*b.links.items(), *b.new_links.items()]:
        stmts.append((Q.create_link(rel, src, dst, d), {"rows": rows}))
    for (rel, src, dst), rows in b.actor_rels.items():
        stmts.append((f"UNWIND $rows AS row MATCH (a:{src} {{id: row.s}}) MATCH (b:{dst} {{id: row.t}}) "
                      f"CREATE (a)-[r:{rel} {{mentions: row.n, evidence: row.evidence}}]->(b)", {"rows": rows}))
    store._write(stmts)


# --- legs ---------------------------------------------------------------------------------------

def timed(fn: Callable[..., Any], *args: Any) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def rel_count(fragments: list[Fragment], batch_size: int) -> int:
    """Relationships the writers write (roll-ups combined per batch as build_batch does)."""
    return sum(build_batch(fragments[i:i + batch_size]).rel_count for i in range(0, len(fragments), batch_size))


def run_backend(name: str, opener: Callable[[], CypherStore], fragments: list[Fragment],
                naive_n: int, batch_size: int, warmup: int = 0) -> list[tuple[str, int, float]]:
    """(writer, relationships, seconds) for the three writers, each into a fresh store, after
    ``warmup`` fragments written and thrown away: a server just started compiles its write
    paths on the first thousand articles (the first leg ran at a third of its speed). Each
    writer warms its own statements (the naive writer's first run was 2.3x slower than its
    next two when only GeoKG's were warmed), on fragments after those, so none is skipped."""
    out = []
    if warmup:
        store = opener()
        try:
            write_fragments(store, fragments[:warmup], batch_size=batch_size)
            for f in fragments[warmup:warmup + 30]:
                naive_write(store, f)
            bare_write(store, fragments[warmup + 30:warmup + 30 + batch_size])
        finally:
            store.close()
    legs: list[tuple[str, list[Fragment], int, Callable[[CypherStore], Any]]] = [
        ("naive", fragments[:naive_n], 1, lambda store: [naive_write(store, f) for f in fragments[:naive_n]]),
        ("geokg", fragments, batch_size, lambda store: write_fragments(store, fragments, batch_size=batch_size)),
        ("bare", fragments, batch_size, lambda store: [bare_write(store, fragments[i:i + batch_size])
                                                       for i in range(0, len(fragments), batch_size)]),
    ]
    for writer, written, per_batch, leg in legs:
        store = opener()
        try:
            out.append((writer, rel_count(written, per_batch), timed(leg, store)))
        finally:
            store.close()
    return out


def neo4j_opener() -> Callable[[], CypherStore]:
    import neo4j

    from geokg.graph.stores.neo4j_store import Neo4jStore

    uri, user = os.environ["NEO4J_URI"], os.environ.get("NEO4J_USERNAME", "neo4j")
    password, database = os.environ.get("NEO4J_PASSWORD"), os.environ.get("NEO4J_DATABASE") or None

    def opener() -> CypherStore:
        with neo4j.GraphDatabase.driver(uri, auth=(user, password or "")) as drv, drv.session(database=database) as s:
            s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        return Neo4jStore(uri, user, password, database)
    return opener


def embedded_opener(tmp: Path) -> Callable[[], CypherStore]:
    from geokg.graph.stores.embedded import EmbeddedStore

    counter = iter(range(1_000_000))
    return lambda: EmbeddedStore(tmp / f"bench-{next(counter)}.lbdb")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--gdelt", type=int, default=0, metavar="ROWS",
                    help="write this many GDELT 2.0 records (the real export repeated) instead of articles")
    ap.add_argument("--naive-articles", type=int, default=300)
    ap.add_argument("--batch-size", type=int, default=500, help="articles (or records) per write transaction")
    ap.add_argument("--backends", default="embedded,neo4j")
    ap.add_argument("--warmup", type=int, default=1000, help="fragments written and thrown away before the legs")
    ap.add_argument("--wipe-neo4j", action="store_true", help="allow emptying NEO4J_URI's database (scratch only)")
    ap.add_argument("--runs", type=int, default=1,
                    help="run the three legs this many times; the summary takes each writer's median")
    args = ap.parse_args()
    t = time.perf_counter()
    if args.gdelt:
        fragments = gdelt_fragments(args.gdelt)
        print(f"{len(fragments)} GDELT records read in {time.perf_counter() - t:.0f}s; batch size {args.batch_size}")
    else:
        base = base_fragments()
        fragments = list(repeated(base, args.articles))
        per = rel_count(fragments[:len(base)], len(base)) / len(base)
        print(f"{len(base)} real articles extracted in {time.perf_counter() - t:.0f}s, repeated to {len(fragments)} "
              f"({per:.1f} relationships per article); batch size {args.batch_size}")
    backends = [b for b in args.backends.split(",") if b]
    if "neo4j" in backends and not (os.environ.get("NEO4J_URI") and args.wipe_neo4j):
        print("neo4j: skipped (needs NEO4J_URI and --wipe-neo4j)", file=sys.stderr)
        backends.remove("neo4j")
    print(f"\n{'backend':<10}{'run':<5}{'writer':<8}{'rels':>9}{'seconds':>9}{'rels/s':>9}")
    summary = []
    with tempfile.TemporaryDirectory(prefix="geokg-bench-") as tmp:
        for backend in backends:
            opener = neo4j_opener() if backend == "neo4j" else embedded_opener(Path(tmp))
            speeds: dict[str, list[float]] = {}
            for run in range(1, args.runs + 1):
                # the warm-up once per backend: later runs find the server warm
                legs = run_backend(backend, opener, fragments, args.naive_articles, args.batch_size,
                                   args.warmup if run == 1 else 0)
                for w, n, s in legs:
                    print(f"{backend:<10}{run:<5}{w:<8}{n:>9}{s:>9.2f}{n / s:>9.0f}")
                    speeds.setdefault(w, []).append(n / s)
            med = {w: statistics.median(v) for w, v in speeds.items()}
            summary.append((backend, med["geokg"], med["bare"] / med["geokg"], med["geokg"] / med["naive"],
                            med["bare"] / med["naive"]))
    what = "median of each writer's runs" if args.runs > 1 else "one run"
    # the last column is the ceiling's own lead over the naive writer: about as far ahead as a
    # writer of these rows, one transaction at a time, can get (within this machine's noise)
    print(f"\n{'backend':<10}{'geokg rels/s':>13}{'geokg time / bare':>19}{'geokg / naive speed':>21}"
          f"{'bare / naive speed':>20}   ({what})")
    for backend, rate, vs_bare, vs_naive, ceiling in summary:
        print(f"{backend:<10}{rate:>13.0f}{vs_bare:>18.2f}x{vs_naive:>20.1f}x{ceiling:>19.1f}x")


if __name__ == "__main__":
    main()
