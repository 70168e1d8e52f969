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

__all__ = ["evaluate", "score_dir", "score_article", "format_summary", "main", "relation_report",
           "format_type_table", "format_errors", "format_report", "fit_confidence", "format_calibration", "CONFIDENCE_BUCKETS"]

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


def _prediction(pred_dir: Path, stem: str, min_confidence: float | None = None) -> dict[str, Any]:
    """``PRED_DIR/NNN.json`` (empty when missing or unreadable), without the relations below
    ``min_confidence``: what the explorer's minimum-confidence filter shows of the article. A
    relation without a confidence is kept, as the filter keeps it."""
    try:
        pred = json.loads((pred_dir / f"{stem}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if min_confidence is not None:
        pred["relations"] = [r for r in pred.get("relations", [])
                             if r.get("confidence") is None or float(r["confidence"]) >= min_confidence]
    return pred


def score_dir(gold_dir: str | Path, pred_dir: str | Path, min_confidence: float | None = None) -> dict[str, Any]:
    """Score ``PRED_DIR/NNN.json`` against ``GOLD_DIR/NNN.gold.json``: micro-averaged summary + per article.

    A missing or unreadable prediction counts as an empty one; ``min_confidence`` drops the
    predicted relations below it first.
    """
    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    totals: dict[str, list[int]] = {}
    articles: dict[str, dict[str, float]] = {}
    for gpath in sorted(gold_dir.glob("*.gold.json")):
        stem = gpath.name[: -len(".gold.json")]
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        res = score_article(gold, _prediction(pred_dir, stem, min_confidence))
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


#: Lower edges of the confidence buckets of the calibration table.
CONFIDENCE_BUCKETS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def _ref_label(key: tuple[str, str]) -> str:
    return key[1] if key[0] == "country" else f"{key[1]}"


def relation_report(gold_dir: str | Path, pred_dir: str | Path, min_confidence: float | None = None) -> dict[str, Any]:
    """What the relation score is made of, for finding what to fix next.

    Returns ``{"types": {type: [tp, predicted, gold]}, "missed": [...], "false": [...],
    "buckets": [[low, count, right], ...], "scored": [(type, confidence, right), ...]}``. Keys are exact (type included), as in
    ``relations_p/r/f1``, so the per-type counts add up to the summary's. A missed item carries the
    gold cue; a false one its evidence sentence, confidence and, when gold relates the same pair
    under another type, that type (``gold_type``), which tells a wrong type from a wrong pair.
    A predicted key's confidence is the highest among the relations that give it.
    """
    aliases = _org_aliases()
    types: dict[str, list[int]] = {}
    missed: list[dict[str, Any]] = []
    false: list[dict[str, Any]] = []
    buckets = [[low, 0, 0] for low in CONFIDENCE_BUCKETS]
    scored: list[tuple[str, float, bool]] = []
    for gpath in sorted(Path(gold_dir).glob("*.gold.json")):
        stem = gpath.name[: -len(".gold.json")]
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        pred = _prediction(Path(pred_dir), stem, min_confidence)
        ents = {e["id"]: e for e in pred.get("entities", []) if "id" in e}
        g: dict[tuple[Any, ...], dict[str, Any]] = {}
        for r in gold.get("relations", []):
            k = _key(_gold_ref(r["source"], gold, aliases), r["type"], _gold_ref(r["target"], gold, aliases), False)
            g.setdefault(k, r)
        p: dict[tuple[Any, ...], dict[str, Any]] = {}
        for r in pred.get("relations", []):
            s, t = ents.get(r.get("source")), ents.get(r.get("target"))
            if s and t:
                k = _key(_entity_key(s, aliases), r.get("type", ""), _entity_key(t, aliases), False)
                if k not in p or float(r.get("confidence") or 0) > float(p[k].get("confidence") or 0):
                    p[k] = r
        pairs = {frozenset((k[0], k[2])): k[1] for k in g}
        for k in set(g) | set(p):
            row = types.setdefault(k[1], [0, 0, 0])
            row[0] += k in g and k in p
            row[1] += k in p
            row[2] += k in g
        for k, r in p.items():
            conf = float(r.get("confidence") or 0)
            b = max(i for i, low in enumerate(CONFIDENCE_BUCKETS) if conf >= low or i == 0)
            buckets[b][1] += 1
            buckets[b][2] += k in g
            scored.append((k[1], conf, k in g))
            if k not in g:
                false.append({"article": stem, "type": k[1], "source": _ref_label(k[0]), "target": _ref_label(k[2]),
                              "confidence": conf, "sentence": r.get("evidence", ""),
                              "gold_type": pairs.get(frozenset((k[0], k[2])))})
        for k, r in g.items():
            if k not in p:
                missed.append({"article": stem, "type": k[1], "source": _ref_label(k[0]),
                               "target": _ref_label(k[2]), "sentence": r.get("cue", "")})
    return {"types": types, "missed": missed, "false": false, "buckets": buckets, "scored": scored}


def format_type_table(types: Mapping[str, list[int]]) -> str:
    """Per relation type: right, predicted, gold, precision, recall, F1; most gold first."""
    lines = [f"{'type':<24}{'tp':>5}{'pred':>6}{'gold':>6}{'P':>7}{'R':>7}{'F1':>7}"]
    total = [0, 0, 0]
    for t, (tp, n_pred, n_gold) in sorted(types.items(), key=lambda kv: (-kv[1][2], -kv[1][1], kv[0])):
        p, r, f = _prf(tp, n_pred, n_gold)
        lines.append(f"{t:<24}{tp:>5}{n_pred:>6}{n_gold:>6}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
        total = [a + b for a, b in zip(total, (tp, n_pred, n_gold))]
    p, r, f = _prf(*total)
    lines.append(f"{'all':<24}{total[0]:>5}{total[1]:>6}{total[2]:>6}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
    return "\n".join(lines)


def format_errors(report: Mapping[str, Any]) -> str:
    """Each missed and each false relation with its sentence, grouped by type."""
    lines: list[str] = []
    by_type: dict[str, list[str]] = {}
    for m in report["missed"]:
        by_type.setdefault(m["type"], []).append(
            f"  MISSED {m['article']} {m['source']} -> {m['target']}: {m['sentence']}")
    for f in report["false"]:
        also = f" (gold: {f['gold_type']})" if f["gold_type"] else ""
        by_type.setdefault(f["type"], []).append(
            f"  FALSE  {f['article']} {f['source']} -> {f['target']} conf={f['confidence']:.2f}{also}: {f['sentence']}")
    for t in sorted(by_type, key=lambda t: (-len(by_type[t]), t)):
        lines.append(f"{t} ({len(by_type[t])})")
        lines += sorted(by_type[t])
    return "\n".join(lines)


def format_calibration(buckets: list[list[Any]]) -> str:
    """Precision per confidence bucket, and the share at or above each bucket's lower edge."""
    lines = [f"{'confidence':<12}{'count':>6}{'right':>6}{'P':>7}{'P(>=)':>7}"]
    for i, (low, n, right) in enumerate(buckets):
        high = buckets[i + 1][0] if i + 1 < len(buckets) else 1.0
        n_up = sum(b[1] for b in buckets[i:])
        r_up = sum(b[2] for b in buckets[i:])
        p = f"{right / n:.3f}" if n else "-"
        p_up = f"{r_up / n_up:.3f}" if n_up else "-"
        lines.append(f"{low:.1f}-{high:.1f}{'':<5}{n:>6}{right:>6}{p:>7}{p_up:>7}")
    return "\n".join(lines)


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
             pred_dir: str | Path | None = None, min_confidence: float | None = None) -> dict[str, Any]:
    """Extract and score a gold folder. Returns ``{"summary", "articles", "report", "pred_dir"[, "reference"]}``
    (``report``: :func:`relation_report`).

    ``pred_dir`` keeps the predictions (default: a temporary folder, removed afterwards).
    ``score_script``: path of the shared ``score.py``; when given, it scores the same predictions
    in a subprocess and its summary is added under ``"reference"`` (unfiltered).
    ``min_confidence``: score only the relations at or above it (the explorer's filter).
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold folder {gold_dir} does not exist; pass a folder of NNN.txt + NNN.gold.json")
    if not _gold_stems(gold_dir):
        raise FileNotFoundError(f"{gold_dir} has no NNN.txt with a NNN.gold.json beside it")
    with tempfile.TemporaryDirectory(prefix="geokg-eval-") as tmp:
        out_dir = Path(pred_dir) if pred_dir else Path(tmp)
        write_predictions(gold_dir, out_dir, extractor)
        result = score_dir(gold_dir, out_dir, min_confidence)
        result["report"] = relation_report(gold_dir, out_dir, min_confidence)
        result["pred_dir"] = str(out_dir) if pred_dir else None
        if score_script:
            proc = subprocess.run([sys.executable, str(score_script), str(gold_dir), str(out_dir), "--json"],
                                  capture_output=True, text=True, check=True)
            result["reference"] = json.loads(proc.stdout)["summary"]
    return result


def format_summary(summary: dict[str, float]) -> str:
    """The one-line summary in score.py's layout: ``score: countries_f1=.. people_f1=.. ...``."""
    return "score: " + " ".join(f"{k}={summary[k]}" for k in _KEYS if k in summary)


def fit_confidence(gold_dir: str | Path, out_path: str | Path) -> str:
    """Refit ``data/confidence.tsv`` on ``gold_dir`` (the develop split): extract with raw
    scores, fit :func:`geokg.loaders.extraction.confidence.fit` on the event and structural
    relations (LEADS keeps its fixed score), write the table; returns its text."""
    import os

    from geokg.loaders.extraction import confidence as cf

    before = os.environ.get("GEOKG_RAW_CONFIDENCE")
    os.environ["GEOKG_RAW_CONFIDENCE"] = "1"
    try:
        result = evaluate(gold_dir)
    finally:
        if before is None:
            os.environ.pop("GEOKG_RAW_CONFIDENCE", None)
        else:
            os.environ["GEOKG_RAW_CONFIDENCE"] = before
    scored = [s for s in result["report"]["scored"] if s[0] != "LEADS"]
    cal = cf.fit(scored)
    text = cf.to_table(cal, sum(ok for _, _, ok in scored), len(scored))
    Path(out_path).write_text(text, encoding="utf-8")
    return text


def format_report(result: Mapping[str, Any], errors: bool = False) -> str:
    """The text ``geokg eval`` prints: article rows, the per-type table, the calibration table,
    the errors when asked, and the summary line last (scripts read the last line)."""
    parts = ["\n".join(f"{stem} " + " ".join(f"{k}={v:.2f}" for k, v in row.items())
                       for stem, row in result["articles"].items()),
             "relations by type (exact match):", format_type_table(result["report"]["types"]),
             "precision by confidence:", format_calibration(result["report"]["buckets"])]
    if errors:
        parts += ["errors by type:", format_errors(result["report"])]
    parts.append(format_summary(result["summary"]))
    return "\n".join(parts)


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m geokg.loaders.evaluate GOLD_DIR [--score-script PATH] [--pred-dir DIR] [--json]``."""
    import argparse

    ap = argparse.ArgumentParser(prog="geokg eval", description="Score extraction against gold annotations.")
    ap.add_argument("gold_dir")
    ap.add_argument("--score-script", help="also run this score.py on the predictions")
    ap.add_argument("--pred-dir", help="keep the predictions in this folder")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument("--errors", action="store_true", help="list every missed and false relation")
    args = ap.parse_args(list(argv) if argv is not None else None)
    result = evaluate(args.gold_dir, score_script=args.score_script, pred_dir=args.pred_dir)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(format_report(result, errors=args.errors))
        if "reference" in result:
            print("reference " + format_summary(result["reference"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
