"""How long duplicate-candidate search takes, blocked (what ``geokg curate candidates`` runs)
against comparing every pair (the baseline, in the same process), up to 100,000 persons.

A seeded set of persons with varied names (syllable surnames, a few thousand given names,
countries), of which ``--dup-share`` get a second node written another way: a transliteration
(``Sergei``/``Sergey``, ``-sky``/``-skyy``), an initial (``S. Lavrov``) or a title
(``Foreign Minister ...``). Reported per size: seconds, pairs scored, candidates found and the
share of the planted duplicates among them (recall). All-pairs is rapidfuzz's ``cdist``
(C++, one thread) over the names only - faster per pair than the full scoring, so the baseline
is flattered - run at the small sizes and extrapolated (quadratic) beyond.

    .venv/bin/python benchmarks/candidates.py                       # 5,000 / 20,000 / 100,000
    .venv/bin/python benchmarks/candidates.py --sizes 2000 --store  # also end to end on an embedded store
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from geokg.graph.analysis.duplicates import EntityRow, _blocked_pairs, find_candidates, store_candidates  # noqa: E402

_SYL = ("ka ri mo la ne to vi sa de ro mi na ko le ba zu ha pe lo ti ya gu ma no ve si ra do fe".split())
_END = ("ov ev in enko sky ski ani ez ez ic ovic ski son sen berg stein mann ari oglu".split())
_COUNTRIES = ("RUS UKR USA GBR FRA DEU CHN IND BRA TUR IRN ISR EGY NGA KEN ZAF JPN KOR MEX ARG".split())
_SPELL = (("ei", "ey"), ("sky", "skyy"), ("iy", "y"), ("ks", "x"), ("u", "ou"), ("y", "i"))


def _word(rng: random.Random, parts: int, end: bool) -> str:
    w = "".join(rng.choice(_SYL) for _ in range(parts)) + (rng.choice(_END) if end else "")
    return w.capitalize()


def _variant(rng: random.Random, first: str, last: str) -> str:
    kind = rng.choice(("spelling", "initial", "title"))
    if kind == "initial":
        return f"{first[0]}. {last}"
    if kind == "title":
        return f"{rng.choice(('Foreign Minister', 'President', 'General', 'Mr'))} {first} {last}"
    name = f"{first} {last}"
    for a, b in rng.sample(_SPELL, len(_SPELL)):
        if a in name:
            return name.replace(a, b, 1)
    return name + "h"  # Sergei -> Sergeih: still one skeleton


def persons(n: int, dup_share: float = 0.05, seed: int = 7) -> tuple[list[EntityRow], set[frozenset[str]]]:
    """``n`` person rows (``dup_share`` of them planted variants of another) and the planted pairs."""
    rng = random.Random(seed)
    firsts = [_word(rng, rng.randint(1, 2), False) + rng.choice(("", "a", "i", "ei", "o")) for _ in range(3000)]
    rows: list[EntityRow] = []
    planted: set[frozenset[str]] = set()
    while len(rows) < n:
        first, last = rng.choice(firsts), _word(rng, rng.randint(1, 3), True)
        country = rng.choice(_COUNTRIES)
        r = EntityRow(f"person:p{len(rows)}", "Person", f"{first} {last}", (), country, rng.randint(1, 50))
        rows.append(r)
        if rng.random() < dup_share and len(rows) < n:
            v = EntityRow(f"person:p{len(rows)}", "Person", _variant(rng, first, last), (), country, 1)
            rows.append(v)
            planted.add(frozenset((r.ref, v.ref)))
    return rows, planted


def blocked(rows: list[EntityRow], planted: set[frozenset[str]]) -> dict:
    t, c = time.perf_counter(), time.process_time()
    found = find_candidates(rows)
    secs, cpu = time.perf_counter() - t, time.process_time() - c
    hits = {frozenset((c.a, c.b)) for c in found}
    return {"seconds": secs, "cpu": cpu, "pairs": len(_blocked_pairs(rows, 50)), "found": len(found),
            "recall": len(hits & planted) / max(len(planted), 1)}


def all_pairs(rows: list[EntityRow], planted: set[frozenset[str]], cutoff: float = 80) -> dict:
    names = [r.name.lower() for r in rows]
    t, c = time.perf_counter(), time.process_time()
    m = process.cdist(names, names, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, workers=1, dtype="uint8")
    secs, cpu = time.perf_counter() - t, time.process_time() - c
    ii, jj = (m > 0).nonzero()
    hits = {frozenset((rows[i].ref, rows[j].ref)) for i, j in zip(ii, jj) if i < j}
    return {"seconds": secs, "cpu": cpu, "pairs": len(rows) * (len(rows) - 1) // 2, "found": len(hits),
            "recall": len(hits & planted) / max(len(planted), 1)}


def on_store(rows: list[EntityRow]) -> tuple[float, float]:
    """End to end on an embedded store holding ``rows``: the label scan, blocking, the
    neighbour hop of the involved persons, scoring."""
    from geokg.graph import cypher as Q
    from geokg.graph.stores.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(Path(tmp) / "bench.lbdb") as s:
        for i in range(0, len(rows), 10_000):
            s._write([(Q.create_entities("Person", ["country", "role"], s.dialect), {"rows": [
                {"id": r.ref.split(":", 1)[1], "name": r.name, "aliases": [], "new_mentions": r.mentions,
                 "country": r.country, "role": None} for r in rows[i:i + 10_000]]})])
        t, c = time.perf_counter(), time.process_time()
        store_candidates(s)
        return time.perf_counter() - t, time.process_time() - c


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 20_000, 100_000])
    ap.add_argument("--baseline-max", type=int, default=20_000, help="largest size all pairs are really compared at")
    ap.add_argument("--dup-share", type=float, default=0.05)
    ap.add_argument("--store", action="store_true", help="also time store_candidates on an embedded store")
    args = ap.parse_args(argv)
    print(f"{'persons':>8} {'method':<22} {'wall s':>9} {'cpu s':>9} {'pairs scored':>14} {'found':>7} {'recall':>7}")
    measured: tuple[int, float] | None = None
    for n in args.sizes:
        rows, planted = persons(n, args.dup_share)
        b = blocked(rows, planted)
        print(f"{n:>8} {'blocked (geokg)':<22} {b['seconds']:>9.2f} {b['cpu']:>9.2f} {b['pairs']:>14,} {b['found']:>7} "
              f"{b['recall']:>7.2f}")
        if n <= args.baseline_max:
            a = all_pairs(rows, planted)
            measured = (n, a["seconds"], a["cpu"])
            print(f"{n:>8} {'all pairs (cdist)':<22} {a['seconds']:>9.2f} {a['cpu']:>9.2f} {a['pairs']:>14,} {a['found']:>7} "
                  f"{a['recall']:>7.2f}")
        elif measured:
            k = (n / measured[0]) ** 2
            print(f"{n:>8} {'all pairs (estimated)':<22} {measured[1] * k:>9.0f} {measured[2] * k:>9.0f} "
                  f"{n * (n - 1) // 2:>14,} {'-':>7} {'-':>7}")
        if args.store:
            wall, cpu = on_store(rows)  # cpu: this process only (LadybugDB's own threads count too)
            print(f"{n:>8} {'store_candidates (emb)':<22} {wall:>9.2f} {cpu:>9.2f} {'':>14} {'':>7} {'':>7}")


if __name__ == "__main__":
    main()
