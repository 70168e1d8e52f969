"""A seeded synthetic GeoKG graph at benchmark scale, and bulk loaders for both stores.

The read benchmarks need 100,000 nodes / 1,000,000 relationships in the graph contract of
``SCHEMA.md`` with the degree skew of real news: a few hub countries in a large share of all
relationships, many persons and events with a handful each. ``write_fragments`` would take far
too long for that, so the graph is generated as column tables (numpy, vectorised) and bulk-loaded:
LadybugDB with ``COPY <table> FROM '<parquet>'`` per node/relationship table, Neo4j with batched
``UNWIND $rows CREATE`` after GeoKG's own constraints exist. Both stores then hold the same graph.

Generated stores are cached under ``.cache/bench/`` keyed by size and seed (the embedded file), and
Neo4j carries a ``:BenchMeta`` marker with the key, so reruns only load what is missing.

    .venv/bin/python benchmarks/synth.py --nodes 100000 --rels 1000000          # build/reuse the embedded file
    .venv/bin/python benchmarks/synth.py --nodes 2000 --rels 10000 --neo4j      # also load NEO4J_URI
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geokg.graph import cypher as Q  # noqa: E402
from geokg.graph.model import ENDPOINTS, EVENT_TYPES, ref  # noqa: E402

__all__ = ["Spec", "SynthGraph", "generate", "embedded_path", "load_embedded", "load_neo4j", "neo4j_key", "drop_neo4j",
           "CACHE", "degrees"]

CACHE = ROOT / ".cache" / "bench"
ACTORS = ("Country", "Person", "Organization")
#: The biggest hubs, in order (country popularity is Zipf by this rank, then gazetteer order).
HUBS = ("USA", "CHN", "RUS", "UKR", "ISR", "IRN", "GBR", "FRA", "DEU", "IND")
#: Share of the non-country nodes per label (events and persons dominate, as in GDELT-fed graphs).
SHARES = {"Person": 0.30, "Organization": 0.05, "Location": 0.10, "Event": 0.40, "Article": 0.15}
#: How often each event type is rolled up (statements and meetings are the bulk of the news).
_TYPE_WEIGHT = {"STATEMENT": 12, "MEET": 8, "APPEAL": 5, "INTENT_TO_COOPERATE": 4, "DIPLOMATIC_COOPERATION": 5,
                "AGREEMENT": 3, "MATERIAL_COOPERATION": 2, "PROVIDE_AID": 2, "YIELD": 1, "INVESTIGATE": 1,
                "DEMAND": 2, "DISAPPROVE": 4, "REJECT": 2, "THREATEN": 2, "PROTEST": 2, "MILITARY_POSTURE": 2,
                "REDUCE_RELATIONS": 1, "SANCTION": 1, "COERCE": 2, "ASSAULT": 2, "FIGHT": 3, "MASS_VIOLENCE": 1}
_FIRST = ("Amira Boris Chen Dmitri Elena Farid Grace Hassan Ines Jamal Kenji Lena Mateo Nadia Oleg Priya Quentin "
          "Rania Sergei Tomas Umar Vera Wei Ximena Yusuf Zara Aleksandr Beatriz Carlos Daria").split()
_LAST = ("Kovalenko Nakamura Okafor Haddad Petrov Silva Mendez Novak Rahman Schmidt Tanaka Ivanova Haddadi Moreau "
         "Kaplan Oyelaran Lindqvist Romero Bakr Sato Dubois Yilmaz Hossain Costa Mwangi Kowalski Ortiz Jensen "
         "Pereira Vasquez Abe Karimi Fischer Nguyen Popescu Akhtar Mensah Horvat Rossi Varga").split()
_ORG_WORDS = ("National Front Council Ministry Union Party Agency Bank Forces League Alliance Institute Movement "
              "Authority Commission Federation Assembly Guard Office Network").split()


@dataclass(frozen=True)
class Spec:
    """What to generate: sizes and the seed. Same spec, same graph, on every machine."""

    nodes: int = 100_000
    rels: int = 1_000_000
    seed: int = 7
    #: Zipf exponent of country popularity: 1.3 puts ~5% of all relationships on the top hub.
    country_skew: float = 1.3

    @property
    def key(self) -> str:
        return f"n{self.nodes}-r{self.rels}-s{self.seed}"


@dataclass
class SynthGraph:
    """Column tables per node label and per (type, source label, target label), ready to bulk-load."""

    spec: Spec
    nodes: dict[str, pd.DataFrame]
    rels: dict[tuple[str, str, str], pd.DataFrame] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return sum(len(df) for df in self.nodes.values())

    @property
    def rel_count(self) -> int:
        return sum(len(df) for df in self.rels.values())


def _countries(n: int) -> pd.DataFrame:
    """The gazetteer's real countries (ISO3), topped up with ISO's user-assigned codes (XAA, XAB...)."""
    table = pd.read_csv(ROOT / "data" / "countries.tsv", sep="\t", comment="#", dtype=str, keep_default_na=False)
    rows = [{"id": r.iso3, "name": r.name, "iso2": r.iso2, "region": r.region} for r in table.itertuples()]
    rows = sorted(rows, key=lambda r: (r["id"] not in HUBS, HUBS.index(r["id"]) if r["id"] in HUBS else 0))[:n]
    letters = [f"X{a}{b}" for a in "ABCDEFGHIJKLMNOPQRSTUVWYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    for code in letters[: n - len(rows)]:
        rows.append({"id": code, "name": f"Territory {code}", "iso2": code[1:], "region": "Synthetic"})
    return pd.DataFrame(rows)


def _dates(rng: np.random.Generator, n: int) -> np.ndarray:
    days = rng.integers(0, 365 * 10, n)
    return (np.datetime64("2015-01-01") + days).astype(str)


def _sizes(spec: Spec) -> dict[str, int]:
    countries = min(250, max(20, spec.nodes // 20))
    rest = spec.nodes - countries
    sizes = {"Country": countries, **{lab: int(rest * share) for lab, share in SHARES.items()}}
    sizes["Person"] += spec.nodes - sum(sizes.values())  # rounding goes to persons
    return sizes


def _zipf(rng: np.random.Generator, n_items: int, size: int, exponent: float) -> np.ndarray:
    """Item indices 0..n_items-1, item k drawn with weight (k+1)^-exponent (0 is the biggest hub)."""
    w = np.arange(1, n_items + 1, dtype=float) ** -exponent
    return rng.choice(n_items, size=size, p=w / w.sum())


class _Actors:
    """Draws actor endpoints with the skew of news: a quarter countries (Zipf: a few hubs), the rest
    persons and organisations (mildly skewed)."""

    MIX = {"Country": 0.25, "Person": 0.60, "Organization": 0.15}
    SKEW = {"Person": 0.6, "Organization": 0.8}

    def __init__(self, rng: np.random.Generator, nodes: dict[str, pd.DataFrame], country_skew: float):
        self.rng, self.ids = rng, {lab: nodes[lab]["id"].to_numpy() for lab in ACTORS}
        self.skew = {"Country": country_skew, **self.SKEW}

    def draw(self, size: int, labels: tuple[str, ...] = ACTORS) -> tuple[np.ndarray, np.ndarray]:
        """``size`` endpoints as (label per endpoint, id per endpoint)."""
        mix = np.array([self.MIX[lab] for lab in labels])
        which = self.rng.choice(len(labels), size=size, p=mix / mix.sum())
        labs = np.array(labels, dtype=object)[which]
        ids = np.empty(size, dtype=object)
        for i, lab in enumerate(labels):
            mask = which == i
            ids[mask] = self.ids[lab][_zipf(self.rng, len(self.ids[lab]), int(mask.sum()), self.skew[lab])]
        return labs, ids


def _actor_props(rng: np.random.Generator, n: int, article_ids: np.ndarray, event_ids: np.ndarray) -> dict[str, Any]:
    first = _dates(rng, n)
    span = rng.integers(0, 900, n)
    last = (first.astype("datetime64[D]") + span).astype(str)
    arts = article_ids[rng.integers(0, len(article_ids), (n, 2))]
    evs = event_ids[rng.integers(0, len(event_ids), n)]
    return {
        "mentions": (rng.zipf(2.0, n).clip(max=5000)).astype(np.int64),
        "first_seen": first, "last_seen": last,
        "articles": [list(a) for a in arts], "events": [[e] for e in evs],
        "evidence": [f"synthetic evidence sentence {i}" for i in range(n)],
        "confidence": rng.uniform(0.5, 1.0, n).round(2),
        "role": [None] * n, "origins": [["gdelt"]] * n, "reviewed": np.zeros(n, dtype=bool),
    }


def _split(df: pd.DataFrame, rel: str, into: dict[tuple[str, str, str], pd.DataFrame]) -> None:
    """File rows under (type, source label, target label), dropping pairs the schema forbids."""
    srcs, dsts = ENDPOINTS.get(rel, (None, None)) if rel in ENDPOINTS else (None, None)
    for (sl, tl), part in df.groupby(["s_label", "t_label"], sort=True):
        if srcs is not None and (sl not in srcs or tl not in dsts):
            continue
        key = (rel, sl, tl)
        part = part.drop(columns=["s_label", "t_label"])
        into[key] = pd.concat([into[key], part], ignore_index=True) if key in into else part.reset_index(drop=True)


def generate(spec: Spec) -> SynthGraph:
    """The whole graph for ``spec`` (deterministic: numpy's PCG64 seeded with ``spec.seed``)."""
    rng = np.random.default_rng(spec.seed)
    sizes = _sizes(spec)
    nodes: dict[str, pd.DataFrame] = {"Country": _countries(sizes["Country"])}
    n = sizes["Person"]
    names = [f"{_FIRST[i % len(_FIRST)]} {_LAST[(i // len(_FIRST)) % len(_LAST)]}" for i in rng.permutation(n)]
    nodes["Person"] = pd.DataFrame({"id": [f"p{i}-{nm.lower().replace(' ', '-')}" for i, nm in enumerate(names)],
                                    "name": names, "role": rng.choice(["President", "Minister", "General", None], n)})
    n = sizes["Organization"]
    nodes["Organization"] = pd.DataFrame({
        "id": [f"org-{i}" for i in range(n)],
        "name": [f"{_ORG_WORDS[i % len(_ORG_WORDS)]} of {_LAST[(i * 7) % len(_LAST)]} {i}" for i in range(n)],
        "kind": rng.choice(["igo", "government", "military", "party", "company", "media"], n)})
    n = sizes["Location"]
    nodes["Location"] = pd.DataFrame({"id": [f"loc-{i}" for i in range(n)], "name": [f"Town {i}" for i in range(n)],
                                      "lat": rng.uniform(-60, 70, n).round(3), "lon": rng.uniform(-180, 180, n).round(3)})
    n = sizes["Article"]
    art_dates = _dates(rng, n)
    nodes["Article"] = pd.DataFrame({"id": [f"a{i:07d}" for i in range(n)], "title": [f"Report {i}" for i in range(n)],
                                     "url": [f"https://example.org/news/{i}" for i in range(n)], "published": art_dates,
                                     "source": rng.choice(["Reuters", "AP", "BBC", "Xinhua", "TASS"], n),
                                     "origin": "article", "ingested_at": "2026-01-01T00:00:00"})
    n = sizes["Event"]
    types = np.array(list(_TYPE_WEIGHT))
    w = np.array(list(_TYPE_WEIGHT.values()), dtype=float)
    ev_types = rng.choice(types, n, p=w / w.sum())
    nodes["Event"] = pd.DataFrame({
        "id": [f"e{i:08d}" for i in range(n)], "type": ev_types, "cameo": [EVENT_TYPES[t] for t in ev_types],
        "date": _dates(rng, n), "date_precision": "day", "evidence": [f"synthetic event {i}" for i in range(n)],
        "confidence": rng.uniform(0.5, 1.0, n).round(2), "origin": "gdelt",
        "article": nodes["Article"]["id"].to_numpy()[rng.integers(0, len(nodes["Article"]), n)]})
    for lab in ("Country", "Person", "Organization", "Location"):
        nodes[lab]["mentions"] = rng.zipf(1.8, len(nodes[lab])).clip(max=100_000).astype(np.int64)
        nodes[lab]["aliases"] = [[] for _ in range(len(nodes[lab]))]
    # the hubs are the most mentioned countries too, so search ranks them first
    nodes["Country"]["mentions"] = np.sort(nodes["Country"]["mentions"].to_numpy())[::-1] * 100

    g = SynthGraph(spec, nodes)
    actors = _Actors(rng, nodes, spec.country_skew)
    ev = nodes["Event"]["id"].to_numpy()
    arts = nodes["Article"]["id"].to_numpy()
    n_ev = len(ev)
    # event links: one actor, one target, one place and one reporting article per event
    for rel, side in (("ACTOR_IN", "s"), ("TARGETS", "t")):
        labs, ids = actors.draw(n_ev)
        df = pd.DataFrame({"s": ids, "t": ev, "s_label": labs, "t_label": "Event"}) if side == "s" else \
            pd.DataFrame({"s": ev, "t": ids, "s_label": "Event", "t_label": labs})
        _split(df, rel, g.rels)
    locs = nodes["Location"]["id"].to_numpy()
    g.rels[("OCCURRED_IN", "Event", "Location")] = pd.DataFrame({"s": ev, "t": locs[rng.integers(0, len(locs), n_ev)]})
    g.rels[("REPORTS", "Article", "Event")] = pd.DataFrame({"s": nodes["Event"]["article"].to_numpy(), "t": ev})
    ctry = nodes["Country"]["id"].to_numpy()
    g.rels[("LOCATED_IN", "Location", "Country")] = pd.DataFrame(
        {"s": locs, "t": ctry[_zipf(rng, len(ctry), len(locs), spec.country_skew)]})
    used = sum(len(df) for df in g.rels.values())
    remaining = spec.rels - used
    if remaining < spec.rels * 0.3:
        raise ValueError(f"{spec.rels} relationships are too few for {spec.nodes} nodes: give at least "
                         f"{int(used / 0.7) + 1} (events alone need {4 * n_ev})")
    # article mentions: a quarter of what is left, countries favoured like in the actor draws
    n_mentions = remaining // 4
    labs, ids = actors.draw(int(n_mentions * 1.1))
    df = pd.DataFrame({"s": arts[rng.integers(0, len(arts), len(ids))], "t": ids, "s_label": "Article", "t_label": labs})
    df = df.drop_duplicates(["s", "t", "t_label"]).head(n_mentions)
    _split(df, "MENTIONS", g.rels)
    # actor relationships: structural ones, then event roll-ups with the rest of the budget
    persons = nodes["Person"]["id"].to_numpy()
    leaders = persons[: max(1, len(persons) // 20)]
    _add_actor(g, rng, "LEADS", np.full(len(leaders), "Person", dtype=object), leaders,
               *actors.draw(len(leaders), ("Country", "Organization")), arts, ev)
    n_borders = min(len(ctry) * 3, remaining // 50)
    _add_actor(g, rng, "BORDERS", np.full(n_borders, "Country", dtype=object), ctry[rng.integers(0, len(ctry), n_borders)],
               np.full(n_borders, "Country", dtype=object), ctry[rng.integers(0, len(ctry), n_borders)], arts, ev)
    n_member = remaining // 40
    _add_actor(g, rng, "MEMBER_OF", *actors.draw(n_member), np.full(n_member, "Organization", dtype=object),
               nodes["Organization"]["id"].to_numpy()[_zipf(rng, len(nodes["Organization"]), n_member, 0.9)], arts, ev)
    budget = spec.rels - g.rel_count
    picked = rng.choice(types, int(budget * 1.15), p=w / w.sum())
    s_lab, s_id = actors.draw(len(picked))
    t_lab, t_id = actors.draw(len(picked))
    df = pd.DataFrame({"type": picked, "s": s_id, "t": t_id, "s_label": s_lab, "t_label": t_lab})
    df = df[df.s != df.t].drop_duplicates(["type", "s", "t", "s_label", "t_label"]).head(budget)
    for rel, part in df.groupby("type", sort=True):
        _add_actor(g, rng, str(rel), part.s_label.to_numpy(), part.s.to_numpy(), part.t_label.to_numpy(),
                   part.t.to_numpy(), arts, ev)
    return g


def _add_actor(g: SynthGraph, rng: np.random.Generator, rel: str, s_lab: np.ndarray, s_id: np.ndarray,
               t_lab: np.ndarray, t_id: np.ndarray, arts: np.ndarray, ev: np.ndarray) -> None:
    df = pd.DataFrame({"s": s_id, "t": t_id, "s_label": s_lab, "t_label": t_lab})
    df = df[df.s != df.t].drop_duplicates(["s", "t", "s_label", "t_label"]).reset_index(drop=True)
    props = _actor_props(rng, len(df), arts, ev)
    if rel == "LEADS":
        props["role"] = ["President"] * len(df)
    _split(pd.concat([df, pd.DataFrame(props)], axis=1), rel, g.rels)


def degrees(g: SynthGraph) -> pd.Series:
    """Relationships per node reference (both directions, all types), biggest first."""
    ends = []
    for (_rel, sl, tl), df in g.rels.items():
        ends.append(pd.Series([ref(sl, x) for x in df["s"]]))
        ends.append(pd.Series([ref(tl, x) for x in df["t"]]))
    return pd.concat(ends).value_counts()


# --- LadybugDB: COPY FROM parquet ------------------------------------------------------------------

def embedded_path(spec: Spec) -> Path:
    return CACHE / spec.key / "graph.lbdb"


def _arrow_type(col_type: str):
    import pyarrow as pa

    return {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(), "BOOL": pa.bool_(),
            "STRING[]": pa.list_(pa.string())}[col_type]


def _columns(conn, table: str) -> list[tuple[str, str]]:
    res = conn.execute(f"CALL table_info('{Q.rel_types([table]) if table.isupper() else Q.label(table)}') RETURN *")
    cols = []
    while res.has_next():
        row = res.get_next()
        cols.append((row[1], row[2]))
    return cols


def _parquet(df: pd.DataFrame, cols: list[tuple[str, str]], path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays, fields = [], []
    for name, typ in cols:
        values = df[name] if name in df else pd.Series([None] * len(df))
        t = _arrow_type(typ)
        clean = [None if isinstance(v, float) and np.isnan(v) else v for v in values.tolist()]
        arrays.append(pa.array(clean, type=t))
        fields.append(pa.field(name, t))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), path)
    return path


def load_embedded(g: SynthGraph, path: Path | None = None, log=print) -> Path:
    """Build the embedded store for ``g`` at ``path`` (default: the cache), unless it is there."""
    import ladybug

    path = path or embedded_path(g.spec)
    done = path.parent / "COMPLETE"
    if path.parent == embedded_path(g.spec).parent and done.exists():
        return path
    if path.exists():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    for ddl in Q.ladybug_schema():
        conn.execute(ddl)
    with tempfile.TemporaryDirectory() as tmp:
        for lab, df in g.nodes.items():
            f = _parquet(df, _columns(conn, lab), Path(tmp) / f"{lab}.parquet")
            conn.execute(f"COPY {Q.label(lab)} FROM '{f}'")
        for (rel, sl, tl), df in sorted(g.rels.items()):
            cols = [("from", "STRING"), ("to", "STRING")] + _columns(conn, rel)
            f = _parquet(df.rename(columns={"s": "from", "t": "to"}), cols, Path(tmp) / f"{rel}-{sl}-{tl}.parquet")
            conn.execute(f"COPY {Q.rel_types([rel])} FROM '{f}' (from='{Q.label(sl)}', to='{Q.label(tl)}')")
    conn.close()
    db.close()
    done.write_text(f"{g.node_count} nodes, {g.rel_count} relationships\n")
    log(f"embedded: loaded {g.node_count:,} nodes / {g.rel_count:,} relationships in {time.perf_counter() - t0:.1f} s")
    return path


# --- Neo4j: batched UNWIND CREATE --------------------------------------------------------------------

def _batches(df: pd.DataFrame, size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(df), size):
        part = df.iloc[start:start + size]
        yield [{k: v for k, v in row.items() if v is not None and not (isinstance(v, float) and np.isnan(v))}
               for row in part.to_dict("records")]


def neo4j_key(driver, database: str | None) -> str | None:
    """The spec key of the synthetic graph the server holds, if any."""
    rows, _, _ = driver.execute_query("MATCH (m:BenchMeta) RETURN m.key AS key", database_=database)
    return rows[0]["key"] if rows else None


def load_neo4j(g: SynthGraph, uri: str, auth: tuple[str, str], database: str | None = None, batch: int = 10_000,
               log=print, wipe: bool = False) -> None:
    """Load ``g`` into Neo4j unless it already holds it. Another synthetic graph is replaced;
    a database with other content is only wiped when ``wipe`` says so (a scratch server, e.g.
    scripts/neo4j-local), otherwise this stops with a one-line reason."""
    import neo4j

    from geokg.graph.stores.neo4j_store import Neo4jStore

    with neo4j.GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF") as driver:
        key = neo4j_key(driver, database)
        if key == g.spec.key:
            return
        if key is None and not wipe and driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=database)[0][0]["n"]:
            raise SystemExit(f"{uri} holds data that is not a benchmark graph: point NEO4J_URI at a scratch server "
                             "or pass --wipe-neo4j to replace it")
        t0 = time.perf_counter()
        drop_neo4j(driver, database)
        Neo4jStore(uri, auth[0], auth[1], database).close()  # GeoKG's constraints and indexes first
        for lab, df in g.nodes.items():
            for rows in _batches(df, batch):
                driver.execute_query(f"UNWIND $rows AS row CREATE (n:{Q.label(lab)}) SET n = row", rows=rows,
                                     database_=database)
        log(f"neo4j: nodes in {time.perf_counter() - t0:.1f} s")
        for (rel, sl, tl), df in sorted(g.rels.items()):
            props = df.drop(columns=["s", "t"])
            maps = props.to_dict("records") if len(props.columns) else [{}] * len(df)
            flat = pd.DataFrame({"s": df["s"], "t": df["t"], "p": maps})
            for rows in _batches(flat, batch):
                for row in rows:
                    row["p"] = {k: v for k, v in row["p"].items() if v is not None}
                driver.execute_query(
                    f"UNWIND $rows AS row MATCH (a:{Q.label(sl)} {{id: row.s}}) MATCH (b:{Q.label(tl)} {{id: row.t}}) "
                    f"CREATE (a)-[r:{Q.rel_types([rel])}]->(b) SET r = row.p", rows=rows, database_=database)
        driver.execute_query("CREATE (:BenchMeta {key: $key})", key=g.spec.key, database_=database)
        log(f"neo4j: loaded {g.node_count:,} nodes / {g.rel_count:,} relationships in {time.perf_counter() - t0:.1f} s")


def drop_neo4j(driver, database: str | None = None) -> None:
    """Empty the database in small transactions, relationships first: a DETACH DELETE of a hub
    with ~90,000 relationships in one transaction exceeds a 2 GiB server's transaction memory."""
    with driver.session(database=database) as s:
        s.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        s.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


def neo4j_auth() -> tuple[str, str]:
    return os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD") or ""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--rels", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--neo4j", action="store_true", help="also load the graph into NEO4J_URI")
    ap.add_argument("--wipe-neo4j", action="store_true", help="replace NEO4J_URI's content even if it is no benchmark graph")
    ap.add_argument("--drop-neo4j", action="store_true", help="only empty NEO4J_URI (e.g. before `make test` on it)")
    a = ap.parse_args(argv)
    if a.drop_neo4j:
        import neo4j

        with neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"], auth=neo4j_auth()) as driver:
            drop_neo4j(driver, os.environ.get("NEO4J_DATABASE") or None)
        return
    spec = Spec(a.nodes, a.rels, a.seed)
    t0 = time.perf_counter()
    g = generate(spec)
    print(f"generated {g.node_count:,} nodes / {g.rel_count:,} relationships in {time.perf_counter() - t0:.1f} s")
    deg = degrees(g)
    print(f"degree: top {deg.iloc[0]:,} ({deg.index[0]}), 2nd {deg.iloc[1]:,}, 3rd {deg.iloc[2]:,}, "
          f"median {int(deg.median())}")
    load_embedded(g)
    if a.neo4j:
        load_neo4j(g, os.environ["NEO4J_URI"], neo4j_auth(), os.environ.get("NEO4J_DATABASE") or None, wipe=a.wipe_neo4j)


if __name__ == "__main__":
    main()
