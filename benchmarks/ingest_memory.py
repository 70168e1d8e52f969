"""Peak memory of ``geokg ingest`` over many articles: flat, because everything streams.

Writes ``--articles`` article files (real articles of ``shared/eval/dev`` and
``shared/data/text``, each copy with a last line of its own so it is a new article) into a temporary
folder, runs ``geokg ingest`` on it as a child process into a fresh embedded store (or Neo4j with
``--backend neo4j``), and samples the child's resident memory (its own and its spaCy workers')
every half second. Flat means the samples stop growing once the model and caches are loaded:
the last tenth of the run is compared with the second tenth.

    .venv/bin/python benchmarks/ingest_memory.py --articles 2000
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("GEOKG_SHARED") or ROOT.parent / "shared")


def write_corpus(n: int, out: Path) -> None:
    base = sorted((shared_dir() / "eval" / "dev").glob("[0-9]*.txt")) + sorted((shared_dir() / "data" / "text").rglob("*.txt"))
    if not base:
        raise SystemExit(f"no articles under {shared_dir()} (set GEOKG_SHARED)")
    texts = [p.read_text(encoding="utf-8") for p in base]
    for i in range(n):
        # a URL and a last line of its own make each copy a new article (ids hash the URL, else the text)
        text = re.sub(r"^URL: *(\S+)$", lambda m, i=i: f"URL: {m.group(1)}#copy-{i}", texts[i % len(texts)],
                      count=1, flags=re.M)
        (out / f"{i:06d}.txt").write_text(f"{text.rstrip()}\n\n(Copy {i}.)\n", encoding="utf-8")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants (spaCy workers), in MiB."""
    total = 0
    for p in [pid, *_descendants(pid)]:
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total / 2**20


def _descendants(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            kids = [int(k) for k in fh.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _descendants(k)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--backend", default="embedded", choices=("embedded", "neo4j"))
    ap.add_argument("--processes", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="geokg-bench-") as tmp:
        corpus = Path(tmp) / "articles"
        corpus.mkdir()
        write_corpus(args.articles, corpus)
        env = {**os.environ, "GEOKG_DB": str(Path(tmp) / "bench.lbdb"), "GEOKG_BACKEND": args.backend}
        t0 = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "geokg.ui.cli", "ingest", "--processes", str(args.processes),
                                  str(corpus)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True)
        samples: list[tuple[float, float]] = []
        while child.poll() is None:
            samples.append((time.perf_counter() - t0, tree_rss_mb(child.pid)))
            time.sleep(0.5)
        out = child.stdout.read() if child.stdout else ""
        seconds = time.perf_counter() - t0
    if child.returncode != 0 or not samples:
        raise SystemExit(f"ingest failed ({child.returncode}): {out}")
    tenth = max(len(samples) // 10, 1)
    early = max(rss for _, rss in samples[tenth:2 * tenth] or samples)
    late = max(rss for _, rss in samples[-tenth:])
    print(out.strip().splitlines()[-1])
    print(f"{args.articles} articles in {seconds:.0f}s ({args.articles / seconds:.1f}/s), backend {args.backend}, "
          f"{args.processes} extraction process(es)")
    print("RSS every 10% of the run (MiB): " + " ".join(f"{samples[min(i * tenth, len(samples) - 1)][1]:.0f}"
                                                         for i in range(11)))
    print(f"peak {max(r for _, r in samples):.0f} MiB; second tenth {early:.0f} MiB, last tenth {late:.0f} MiB "
          f"(growth {late - early:+.0f} MiB)")


if __name__ == "__main__":
    main()
