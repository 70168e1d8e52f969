"""Articles per second: bare ``nlp.pipe`` next to the whole pipeline (read -> extract -> fragment).

Usage: ``python benchmarks/extract.py [--n 200] [--words 700] [--batch-size 16] [--shared PATH]``

Texts: the dev articles and ``shared/data/text`` articles, consecutive ones joined until each text
has at least ``--words`` words (the issue's ~700-word article), repeated to ``--n``. Both legs use
the same texts, for n_process 1 and 2; the bare leg is the English model as shipped (loaded on its
own: GeoKG's pipeline swaps the model's ``attribute_ruler`` for an equivalent lookup, see
``loaders/attributes.py``, and decodes its NER in NumPy, see ``loaders/ner.py``); the last column is
the pipeline's time over bare spaCy's (goal: <= 1.3, and >= 15 articles/s of ~700 words on 2 cores).
Each cell is the best of ``--repeat`` runs. The CPU columns (this process and its spaCy workers) say
what an article costs even when other programs share the cores and make the wall-clock columns
noisy.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geokg.graph.model import Article, Document  # noqa: E402
from geokg.loaders.extraction.extractor import MODEL_NAMES, Extractor, load_nlp  # noqa: E402
from geokg.loaders.formats.text import read_text_file  # noqa: E402
from geokg.loaders.pipeline import Sources, read_fragments  # noqa: E402


def _documents(shared: Path, n: int, words: int) -> list[Document]:
    """``n`` documents of at least ``words`` words, made of whole paragraphs of real articles."""
    paths = sorted((shared / "eval" / "dev").glob("[0-9]*.txt")) + sorted((shared / "data" / "text").rglob("[0-9]*.txt"))
    if not paths:
        raise SystemExit(f"no articles under {shared}; pass --shared or set GEOKG_SHARED")
    base = [read_text_file(p) for p in paths]
    paragraphs = [(d, p) for d in base for p in d.text.split("\n\n") if p.strip()]
    out: list[Document] = []
    i = 0
    while len(out) < n:
        first, parts = paragraphs[i % len(paragraphs)][0], []
        while sum(len(p.split()) for p in parts) < words:
            parts.append(paragraphs[i % len(paragraphs)][1])
            i += 1
        article = Article(f"bench-{len(out)}", first.article.title, published=first.article.published)
        out.append(Document(article, "\n\n".join(parts)))
    return out


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (spaCy joins its workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(leg: Callable[[], None]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``leg``."""
    t0, c0 = time.perf_counter(), _cpu()
    leg()
    return time.perf_counter() - t0, _cpu() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--words", type=int, default=700, help="at least this many words per article")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=2, help="best of this many runs per cell (a busy machine is noisy)")
    ap.add_argument("--shared", default=os.environ.get("GEOKG_SHARED")
                    or str(Path(__file__).resolve().parents[2] / "shared"))
    args = ap.parse_args()
    docs = _documents(Path(args.shared), args.n, args.words)
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts) / len(texts)
    shipped = spacy.load(next(n for n in MODEL_NAMES if importlib.util.find_spec(n) is not None))
    ex = Extractor(load_nlp())
    list(read_fragments(Sources(documents=tuple(docs[:4])), extractor=ex))  # warm up caches and matcher
    list(shipped.pipe(texts[:4]))
    print(f"{len(docs)} articles, {words:.0f} words on average, batch size {args.batch_size}, "
          f"model {shipped.meta.get('name')} {shipped.meta.get('version')}")
    print(f"{'n_process':>9} | {'bare nlp.pipe art/s':>19} | {'pipeline art/s':>14} | {'ratio':>5} | "
          f"{'bare CPU ms/art':>15} | {'pipeline CPU ms/art':>19} | {'CPU ratio':>9}")
    print(" | ".join("-" * w for w in (9, 19, 14, 5, 15, 19, 9)))
    for n_process in (1, 2):
        bares: list[tuple[float, float]] = []
        fulls: list[tuple[float, float]] = []

        def bare_leg(n_process: int = n_process) -> None:
            for _doc in shipped.pipe(texts, batch_size=args.batch_size, n_process=n_process):
                pass

        def full_leg(n_process: int = n_process) -> None:
            count = 0
            for frag in read_fragments(Sources(documents=tuple(docs)), extractor=ex, batch_size=args.batch_size,
                                       n_process=n_process):
                frag.to_json()
                count += 1
            assert count == len(docs)

        for _ in range(args.repeat):
            bares.append(_timed(bare_leg))
            fulls.append(_timed(full_leg))
        bare = min(w for w, _ in bares), min(c for _, c in bares)
        full = min(w for w, _ in fulls), min(c for _, c in fulls)
        n = len(docs)
        print(f"{n_process:>9} | {n / bare[0]:>19.1f} | {n / full[0]:>14.1f} | {full[0] / bare[0]:>5.2f} | "
              f"{bare[1] / n * 1000:>15.0f} | {full[1] / n * 1000:>19.0f} | {full[1] / bare[1]:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
