"""How a batch goes into LadybugDB fast: rows as Arrow tables, and CREATE for what is new.

Two costs dominated the embedded store's writes (a profile of ``benchmarks/writes.py``'s
10,000 articles: converting row parameters and MERGE, ~80% of the time), and this module
removes both:

- **Row parameters.** LadybugDB converts a ``$rows`` list of dicts value by value and plans the
  statement again for each new pattern of nulls: 0.3 s for the 1,740 events of a 500-article
  batch. The same rows as an Arrow table read through ``LOAD FROM`` take 20-35 ms.
  :func:`arrow_rows` makes that table: one struct column ``row``, so the statements read
  ``row.id`` as their Neo4j form does, typed from the schema (``geokg.graph.cypher.ROW_TYPES``), not
  from the values, so a column that is null throughout a batch keeps its type.
- **MERGE.** LadybugDB's MERGE of 1,640 persons costs 100-160 ms where CREATE of the same rows
  costs 14 ms and MATCH ... SET 18 ms; merging 400 roll-ups onto a hub 300 ms where reading,
  deleting and creating them again costs ~70 ms. The transaction first asks which of the
  batch's entities are stored (one key lookup each); ``geokg.graph.stores.plan.plan_batch`` then creates
  what is new (entities, articles, links) and sets only what is stored; the roll-ups between stored
  nodes are taken out with their properties (one statement per type and endpoint labels),
  combined with the batch in Python (:func:`rollup`) and created whole with the rest, one
  CREATE per type and endpoint labels. All of it in the batch's one transaction: a batch that
  fails anywhere leaves the store as it was, its taken roll-ups included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from geokg.graph import cypher as Q
from geokg.graph.stores.plan import Statement
from geokg.graph.stores.rows import Batch

__all__ = ["arrow_rows", "rollup", "rollup_statements"]

_ARROW = {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
          "STRING[]": pa.list_(pa.string())}


def _coerce(value: Any, typ: str) -> Any:
    """One value as the column type wants it (a GDELT number where a string is declared)."""
    if value is None:
        return None
    if typ == "STRING":
        return value if isinstance(value, str) else str(value)
    if typ == "INT64":
        return int(value)
    if typ == "DOUBLE":
        return float(value)
    if typ == "BOOLEAN":
        return bool(value)
    return [x if isinstance(x, str) or x is None else str(x) for x in value]


def arrow_rows(rows: Sequence[dict[str, Any]]) -> pa.Table:
    """``rows`` (dicts with the same keys, at least one row) as an Arrow table of one struct
    column ``row``; each field typed by ``ROW_TYPES`` (STRING when not listed)."""
    if not rows:
        raise ValueError("an Arrow table of rows needs at least one row")
    names = list(rows[0])
    columns = []
    for name in names:
        typ = Q.ROW_TYPES.get(name, "STRING")
        values = [r[name] for r in rows]
        try:
            columns.append(pa.array(values, type=_ARROW[typ]))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            columns.append(pa.array([_coerce(v, typ) for v in values], type=_ARROW[typ]))
    return pa.table({"row": pa.StructArray.from_arrays(columns, names=names)})


def _distinct(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def rollup(row: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    """A roll-up relationship's properties after this batch: ``row`` (a ``build_batch`` roll-up
    row) alone when it is new, else combined with the ``old`` properties exactly as
    ``Q.merge_actor_rel`` combines them ``ON MATCH`` (newest provenance first, capped; dates
    widened; first evidence kept; highest confidence; newest role; the review mark kept).

    LadybugDB spends ~50 us per property and row updating a relationship in place and more
    on the list expressions, where creating it whole costs a tenth: so the store takes the old
    relationship out and creates it again with these values, in the same transaction."""
    cap = Q.PROVENANCE_CAP
    out = {"s": row["s"], "t": row["t"]}
    if old is None:
        return out | {"mentions": row["n"], "articles": row["articles"][:cap], "events": row["events"][:cap],
                      "origins": row["origins"], "first_seen": row["first_seen"], "last_seen": row["last_seen"],
                      "evidence": row["evidence"], "confidence": row["confidence"], "role": row["role"],
                      "reviewed": False}

    def pick(new: Any, current: Any, better: bool) -> Any:
        return new if current is None or (new is not None and better) else current

    first, last, conf = row["first_seen"], row["last_seen"], row["confidence"]
    return out | {
        "mentions": (old["mentions"] or 0) + row["n"],
        "articles": _distinct(row["articles"] + (old["articles"] or []))[:cap],
        "events": _distinct(row["events"] + (old["events"] or []))[:cap],
        "origins": _distinct((old["origins"] or []) + row["origins"]),
        "first_seen": pick(first, old["first_seen"], first is not None and old["first_seen"] is not None
                           and first < old["first_seen"]),
        "last_seen": pick(last, old["last_seen"], last is not None and old["last_seen"] is not None
                          and last > old["last_seen"]),
        "evidence": old["evidence"] if old["evidence"] is not None else row["evidence"],
        "confidence": pick(conf, old["confidence"], conf is not None and old["confidence"] is not None
                           and conf > old["confidence"]),
        "role": row["role"] if row["role"] is not None else old["role"],
        "reviewed": old["reviewed"] if old["reviewed"] is not None else False,
    }


def rollup_statements(b: Batch, old: dict[tuple[str, str, str, str, str], dict[str, Any]],
                      d: Q.Dialect) -> list[Statement]:
    """One CREATE per relationship type and endpoint labels for every roll-up row of ``b``,
    with its final properties; ``old`` maps (type, source label, target label, source key,
    target key) to the properties of a relationship taken out of the store."""
    return [(Q.create_actor_rel(rel, src, dst, d),
             {"rows": [rollup(r, old.get((rel, src, dst, r["s"], r["t"]))) for r in rows]})
            for (rel, src, dst), rows in sorted(b.actor_rels.items()) if rows]
