"""Score extraction against hand-made gold (``GOLD_FORMAT.md``): ``geokg eval GOLD_DIR``.

:func:`evaluate` extracts every ``NNN.txt`` that has an ``NNN.gold.json`` beside it, writes the
``geokg extract --json`` objects to ``NNN.json`` in a temporary folder and scores them with
:func:`score_dir`, our own implementation of the shared metric:

* countries, people and organisations: micro precision / recall / F1 over sets per article
  (people compared by surname, organisations by normalised name with only the metric's own
  acronyms expanded, ``data/eval_org_acronyms.tsv``: resolving them through our gazetteer's
  aliases instead once credited "Fox News" for "Fox News Digital", a match score.py refuses);
* leader attribution: of the gold people with a country and a role, the share whose (surname,
  country) the prediction states, as a Person's ``country`` or a LEADS relation;
* relations: micro P/R/F1 of (source, type, target), undirected types in either order, exactly
  and at CAMEO-root level (``AGREEMENT`` counts as ``DIPLOMATIC_COOPERATION``).

Per-article F1 follows the metric too: an article with neither predictions nor gold in a category
scores 1.0 there (the summary, micro-averaged, is unaffected). The predictions are read exactly as
``geokg extract`` reads an article (:func:`geokg.loaders.pipeline.read_fragments`), so the scores are
those of the command the held-out set is scored on.

When the caller passes the path of the shared ``score.py`` it is also run, as a subprocess, on
the same predictions, and its summary is returned under ``"reference"``.

Cost: one extraction pass over the folder (about 0.1 s per article) plus the scoring, which is
linear in the number of facts.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from geokg.graph.errors import LoadError
from geokg.graph.model import EVENT_TYPES, UNDIRECTED_TYPES
from geokg.loaders import gazetteer as gz

__all__ = ["evaluate", "score_dir", "score_article", "format_summary", "main"]

_KEYS = ("countries_f1", "people_f1", "orgs_f1", "leads_acc", "relations_p", "relations_r",
         "relations_f1", "relations_root_f1")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(w for w in text.split() if w != "the")


@functools.cache
def _org_aliases() -> Mapping[str, str]:
    """Acronym -> full name, the metric's own table: the only organisation names it equates."""
    rows = gz.read_table("eval_org_acronyms.tsv")
    return MappingProxyType({r["acronym"]: r["name"] for r in rows})


def _org(name: str, aliases: Mapping[str, str]) -> str:
    n = _norm(name).replace("organisation", "organization")
    return aliases.get(n.replace(" ", ""), aliases.get(n, n))


def _person(name: str) -> str:
    parts = _norm(name).split()
    return parts[-1] if parts else ""


def _root(rel_type: str) -> str:
    code = EVENT_TYPES.get(rel_type)
    return code[:2] if code else rel_type


def _key(src: tuple[str, str], rel_type: str, dst: tuple[str, str], root: bool) -> tuple[Any, ...]:
    t = _root(rel_type) if root else rel_type
    if rel_type in UNDIRECTED_TYPES:
        a, b = sorted([src, dst])
        return (a, t, b)
    return (src, t, dst)


def _entity_key(ent: dict[str, Any], aliases: Mapping[str, str]) -> tuple[str, str]:
    kind = ent.get("kind") or ent.get("label")
    if kind == "Country":
        return ("country", str(ent.get("iso3") or ent.get("code") or ent.get("name") or "").upper())
    if kind == "Person":
        return ("person", _person(ent.get("name", "")))
    if kind == "Organization":
        return ("org", _org(ent.get("name", ""), aliases))
    return ("name", _norm(ent.get("name", "")))


def _gold_ref(ref: str, gold: dict[str, Any], aliases: Mapping[str, str]) -> tuple[str, str]:
    orgs = gold.get("organizations", [])
    if ref in gold.get("countries", []) or (re.fullmatch(r"[A-Z]{3}", ref) and ref not in orgs):
        return ("country", ref)
    if _norm(ref) in {_norm(p["name"]) for p in gold.get("people", [])}:
        return ("person", _person(ref))
    return ("org", _org(ref, aliases))


def score_article(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    """(true positives, predicted, gold) per category for one article."""
    aliases = _org_aliases()
    ents = {e["id"]: e for e in pred.get("entities", []) if "id" in e}
    kinds = {k: {_entity_key(e, aliases)[1] for e in ents.values() if (e.get("kind") or e.get("label")) == k}
             for k in ("Country", "Person", "Organization")}
    golds = {"Country": {c.upper() for c in gold.get("countries", [])},
             "Person": {_person(p["name"]) for p in gold.get("people", [])},
             "Organization": {_org(o, aliases) for o in gold.get("organizations", [])}}
    out = {}
    for name, kind in (("countries", "Country"), ("people", "Person"), ("orgs", "Organization")):
        out[name] = (len(kinds[kind] & golds[kind]), len(kinds[kind]), len(golds[kind]))
    for name, root in (("relations", False), ("relations_root", True)):
        g = {_key(_gold_ref(r["source"], gold, aliases), r["type"], _gold_ref(r["target"], gold, aliases), root)
             for r in gold.get("relations", [])}
        p = set()
        for r in pred.get("relations", []):
            s, t = ents.get(r.get("source")), ents.get(r.get("target"))
            if s and t:
                p.add(_key(_entity_key(s, aliases), r.get("type", ""), _entity_key(t, aliases), root))
        out[name] = (len(g & p), len(p), len(g))
    g_leads = {(_person(p["name"]), p["country"]) for p in gold.get("people", []) if p.get("country") and p.get("role")}
    p_leads = {(_person(e["name"]), str(e["country"]).upper()) for e in ents.values()
               if (e.get("kind") or e.get("label")) == "Person" and e.get("country")}
    for r in pred.get("relations", []):
        s, t = ents.get(r.get("source")), ents.get(r.get("target"))
        if r.get("type") == "LEADS" and s and t and _entity_key(t, aliases)[0] == "country":
            p_leads.add((_person(s.get("name", "")), _entity_key(t, aliases)[1]))
    out["leads"] = (len(g_leads & p_leads), len(p_leads), len(g_leads))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _article_f1(tp: int, n_pred: int, n_gold: int) -> float:
    """One article's F1: nothing predicted where nothing is gold is perfect (1.0), as in the metric."""
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score_dir(gold_dir: str | Path, pred_dir: str | Path) -> dict[str, Any]:
    """Score ``PRED_DIR/NNN.json`` against ``GOLD_DIR/NNN.gold.json``: micro-averaged summary + per article.

    A missing or unreadable prediction counts as an empty one.
    """
    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    totals: dict[str, list[int]] = {}
    articles: dict[str, dict[str, float]] = {}
    for gpath in sorted(gold_dir.glob("*.gold.json")):
        stem = gpath.name[: -len(".gold.json")]
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        try:
            pred = json.loads((pred_dir / f"{stem}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pred = {}
        res = score_article(gold, pred)
        articles[stem] = {k: (v[0] / v[2] if v[2] else 1.0) if k == "leads" else _article_f1(*v)
                          for k, v in res.items()}
        for k, v in res.items():
            t = totals.setdefault(k, [0, 0, 0])
            for i in range(3):
                t[i] += v[i]
    summary: dict[str, float] = {}
    for k, (tp, n_pred, n_gold) in totals.items():
        if k == "leads":
            summary["leads_acc"] = round(tp / n_gold, 3) if n_gold else 1.0
            continue
        p, r, f = _prf(tp, n_pred, n_gold)
        summary[f"{k}_p"], summary[f"{k}_r"], summary[f"{k}_f1"] = round(p, 3), round(r, 3), round(f, 3)
    return {"summary": summary, "articles": articles}


def _gold_stems(gold_dir: Path) -> list[str]:
    return [p.name[: -len(".gold.json")] for p in sorted(gold_dir.glob("*.gold.json"))
            if (gold_dir / (p.name[: -len(".gold.json")] + ".txt")).exists()]


def write_predictions(gold_dir: str | Path, pred_dir: str | Path, extractor: Any = None) -> list[str]:
    """Extract every gold-annotated article of ``gold_dir`` into ``pred_dir/NNN.json``; returns the stems."""
    from geokg.loaders.pipeline import Sources, read_fragments

    def fail(problem: LoadError) -> None:
        raise problem  # a gold article that cannot be read would shift every score after it

    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    pred_dir.mkdir(parents=True, exist_ok=True)
    stems = _gold_stems(gold_dir)
    frags = read_fragments(Sources(articles=tuple(gold_dir / f"{s}.txt" for s in stems)), extractor=extractor,
                           on_problem=fail)
    for stem, frag in zip(stems, frags):
        (pred_dir / f"{stem}.json").write_text(json.dumps(frag.to_json(), ensure_ascii=False, indent=1),
                                               encoding="utf-8")
    return stems


def evaluate(gold_dir: str | Path, extractor: Any = None, score_script: str | Path | None = None,
             pred_dir: str | Path | None = None) -> dict[str, Any]:
    """Extract and score a gold folder. Returns ``{"summary", "articles", "pred_dir"[, "reference"]}``.

    ``pred_dir`` keeps the predictions (default: a temporary folder, removed afterwards).
    ``score_script``: path of the shared ``score.py``; when given, it scores the same predictions
    in a subprocess and its summary is added under ``"reference"``.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold folder {gold_dir} does not exist; pass a folder of NNN.txt + NNN.gold.json")
    if not _gold_stems(gold_dir):
        raise FileNotFoundError(f"{gold_dir} has no NNN.txt with a NNN.gold.json beside it")
    with tempfile.TemporaryDirectory(prefix="geokg-eval-") as tmp:
        out_dir = Path(pred_dir) if pred_dir else Path(tmp)
        write_predictions(gold_dir, out_dir, extractor)
        result = score_dir(gold_dir, out_dir)
        result["pred_dir"] = str(out_dir) if pred_dir else None
        if score_script:
            proc = subprocess.run([sys.executable, str(score_script), str(gold_dir), str(out_dir), "--json"],
                                  capture_output=True, text=True, check=True)
            result["reference"] = json.loads(proc.stdout)["summary"]
    return result


def format_summary(summary: dict[str, float]) -> str:
    """The one-line summary in score.py's layout: ``score: countries_f1=.. people_f1=.. ...``."""
    return "score: " + " ".join(f"{k}={summary[k]}" for k in _KEYS if k in summary)


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m geokg.loaders.evaluate GOLD_DIR [--score-script PATH] [--pred-dir DIR] [--json]``."""
    import argparse

    ap = argparse.ArgumentParser(prog="geokg eval", description="Score extraction against gold annotations.")
    ap.add_argument("gold_dir")
    ap.add_argument("--score-script", help="also run this score.py on the predictions")
    ap.add_argument("--pred-dir", help="keep the predictions in this folder")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = ap.parse_args(list(argv) if argv is not None else None)
    result = evaluate(args.gold_dir, score_script=args.score_script, pred_dir=args.pred_dir)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for stem, row in result["articles"].items():
            print(stem, " ".join(f"{k}={v:.2f}" for k, v in row.items()))
        print(format_summary(result["summary"]))
        if "reference" in result:
            print("reference " + format_summary(result["reference"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
