"""A relation's confidence as the share of such relations that are right.

The rules give each finding a raw score (0.8, less for a modal, a far-fetched actor, a rule's
penalty, see ``events.ARG_RULES``). Raw scores rank findings but do not say how often they are
right: on the develop split, FIGHT at raw 0.8 was right a third of the time, REJECT always.
``data/confidence.tsv`` holds what develop measured (right, predicted), per type and per
raw-score bucket (pooled at run time so that the share never falls as the raw score rises);
:func:`calibrate` combines them as ``p(bucket) * p(type) / p(all)``, each share
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
from typing import Any

from geokg.loaders import gazetteer as gz

__all__ = ["calibrate", "Calibration", "calibration", "fit", "BUCKET", "PRIOR", "TARGET_PRECISION"]

#: Width of a raw-score bucket.
BUCKET = 0.1
#: Pseudo-counts pulling a bucket's or a type's share toward the overall share.
PRIOR = 5.0
#: Weight of the raw score added to the calibrated share, so that findings in one pooled bucket
#: keep the order the rules gave them ("would consider sending aid" below "sent aid").
TIE_BREAK = 0.02
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

    @functools.cached_property
    def bucket_shares(self) -> tuple[float, ...]:
        """The smoothed share of each bucket (0.0, 0.1, ... 0.9), made non-decreasing by pooling
        adjacent buckets (pool-adjacent-violators, weighted by count + prior): a higher raw score
        never gets a lower share, whatever the noise of a bucket of eight relations. A bucket with
        no relations takes the share of the nearest one below that has some (the lowest, above)."""
        lows = [round(i * BUCKET, 1) for i in range(10)]
        blocks: list[list[Any]] = []  # [indices, weighted share sum, weight]
        for i, low in enumerate(lows):
            if low in self.buckets:
                w = self.buckets[low][1] + PRIOR
                blocks.append([[i], self.share(self.buckets[low]) * w, w])
                while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] > blocks[-1][1] / blocks[-1][2]:
                    last = blocks.pop()
                    blocks[-1] = [blocks[-1][0] + last[0], blocks[-1][1] + last[1], blocks[-1][2] + last[2]]
        shares: dict[int, float] = {i: b[1] / b[2] for b in blocks for i in b[0]}
        if not shares:
            return tuple(self.overall for _ in lows)
        out: list[float] = []
        share = shares[min(shares)]
        for i in range(len(lows)):
            share = shares.get(i, share)
            out.append(share)
        return tuple(out)

    def __call__(self, etype: str, raw: float) -> float:
        if not self.overall:
            return raw
        p = self.bucket_shares[min(int(raw / BUCKET + 1e-9), 9)] * self.share(self.types.get(etype)) / self.overall
        p += TIE_BREAK * raw  # inside a pooled bucket the rules' own order still holds
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
