"""A relation's confidence as the share of such relations that are right.

The rules give each finding a raw score (0.8, less for a modal, a far-fetched actor, a rule's
penalty, see ``events.ARG_RULES``). Raw scores rank findings but do not say how often they are
right: on the develop split, FIGHT at raw 0.8 was right a third of the time, REJECT always.
``data/confidence.tsv`` holds what develop measured, per raw-score bucket and per type (right,
predicted); :func:`calibrate` combines the two as ``p(bucket) * p(type) / p(all)``, each share
smoothed toward the overall one with :data:`PRIOR` pseudo-counts so that a rare type or bucket
stays near the average. The table is refitted with ``geokg eval DEVELOP --fit-confidence``; it
also records ``min_confidence``, the lowest calibrated value at which develop's precision is
still at least 0.8, the explorer's default filter.

``GEOKG_RAW_CONFIDENCE=1`` switches calibration off (the fit reads raw scores).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field

from geokg.loaders import gazetteer as gz

__all__ = ["calibrate", "Calibration", "calibration", "fit", "BUCKET", "PRIOR", "TARGET_PRECISION"]

#: Width of a raw-score bucket.
BUCKET = 0.1
#: Pseudo-counts pulling a bucket's or a type's share toward the overall share.
PRIOR = 5.0
#: Precision the explorer's default filter keeps (on develop).
TARGET_PRECISION = 0.8


@dataclass(frozen=True)
class Calibration:
    """Shares measured on develop: overall, per raw bucket (its lower edge) and per type."""

    overall: float = 0.0
    buckets: dict[float, tuple[int, int]] = field(default_factory=dict)
    types: dict[str, tuple[int, int]] = field(default_factory=dict)
    min_confidence: float = 0.0

    def share(self, counts: tuple[int, int] | None) -> float:
        right, n = counts or (0, 0)
        return (right + PRIOR * self.overall) / (n + PRIOR)

    def __call__(self, etype: str, raw: float) -> float:
        if not self.overall:
            return raw
        low = round(min(int(raw / BUCKET + 1e-9) * BUCKET, 0.9), 1)
        p = self.share(self.buckets.get(low)) * self.share(self.types.get(etype)) / self.overall
        return round(max(0.05, min(p, 0.95)), 3)


@functools.cache
def calibration() -> Calibration:
    """The table of ``data/confidence.tsv`` (columns kind, key, right, predicted)."""
    buckets: dict[float, tuple[int, int]] = {}
    types: dict[str, tuple[int, int]] = {}
    overall, minimum = 0.0, 0.0
    for r in gz.read_table("confidence.tsv"):
        kind, key = r["kind"], r["key"]
        if kind == "overall":
            overall = int(r["right"]) / max(1, int(r["predicted"]))
        elif kind == "min_confidence":
            minimum = float(key)
        elif kind == "bucket":
            buckets[float(key)] = (int(r["right"]), int(r["predicted"]))
        elif kind == "type":
            types[key] = (int(r["right"]), int(r["predicted"]))
    return Calibration(overall, buckets, types, minimum)


def calibrate(etype: str, raw: float) -> float:
    """The calibrated confidence of a finding of ``etype`` with raw score ``raw``."""
    if os.environ.get("GEOKG_RAW_CONFIDENCE") == "1":
        return raw
    return calibration()(etype, raw)


def fit(scored: list[tuple[str, float, bool]]) -> Calibration:
    """A calibration from (type, raw confidence, right) of every predicted relation of develop,
    with ``min_confidence`` chosen on the calibrated values of the same relations."""
    n = len(scored)
    right = sum(ok for _, _, ok in scored)
    buckets: dict[float, list[int]] = {}
    types: dict[str, list[int]] = {}
    for t, raw, ok in scored:
        b = buckets.setdefault(round(min(int(raw / BUCKET + 1e-9) * BUCKET, 0.9), 1), [0, 0])
        b[0] += ok
        b[1] += 1
        c = types.setdefault(t, [0, 0])
        c[0] += ok
        c[1] += 1
    cal = Calibration(right / n if n else 0.0, {k: (v[0], v[1]) for k, v in buckets.items()},
                      {k: (v[0], v[1]) for k, v in types.items()})
    values = sorted(((cal(t, raw), ok) for t, raw, ok in scored), reverse=True)
    minimum, hits = 0.95, 0
    for i, (v, ok) in enumerate(values, 1):
        hits += ok
        if hits / i >= TARGET_PRECISION and (i == len(values) or values[i][0] < v):
            minimum = v
    return Calibration(cal.overall, cal.buckets, cal.types, minimum)


def to_table(cal: Calibration, right: int, predicted: int) -> str:
    """``data/confidence.tsv`` text for a fitted calibration."""
    lines = ["# Confidence calibration fitted on the develop split (loaders/extraction/confidence.py).",
             "# Refit: geokg eval DEVELOP --fit-confidence. Columns: kind, key, right, predicted.",
             "kind\tkey\tright\tpredicted", f"overall\tall\t{right}\t{predicted}",
             f"min_confidence\t{cal.min_confidence}\t0\t0"]
    lines += [f"bucket\t{k}\t{r}\t{n}" for k, (r, n) in sorted(cal.buckets.items())]
    lines += [f"type\t{k}\t{r}\t{n}" for k, (r, n) in sorted(cal.types.items())]
    return "\n".join(lines) + "\n"
