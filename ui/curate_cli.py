"""``geokg curate``: duplicate candidates for review, and the decisions on them.

    geokg curate candidates [--format table|json]   # pairs that are probably one entity, with score and reason
    geokg curate merge KEEP DROP                    # fold DROP into KEEP (undoable)
    geokg curate reject A B                         # A and B are different: never proposed again
    geokg curate merges                             # merges that can be undone
    geokg curate undo MERGE_ID                      # put a merged-away entity back

Nothing is merged without a command naming both entities; a merge of two countries also needs
``--yes-countries``, because one mistaken merge removes a country from every view.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Optional

import typer

from geokg.graph.analysis.duplicates import DEFAULT_LABELS, store_candidates
from geokg.graph.errors import GeoKGError
from geokg.graph.model import ENTITY_LABELS, parse_ref
from geokg.graph.stores.open import Settings, open_store

__all__ = ["curate_app"]

curate_app = typer.Typer(add_completion=False, no_args_is_help=True,
                         help="Review duplicate candidates: merge, reject, undo.")

BackendOpt = typer.Option(None, "--backend", "-b", envvar="GEOKG_BACKEND",
                          help="embedded (default; LadybugDB file GEOKG_DB) or neo4j (NEO4J_URI).")


class Format(str, Enum):
    table = "table"
    json = "json"


def _ref(value: str) -> str:
    try:
        parse_ref(value)
    except ValueError as e:
        raise GeoKGError(str(e)) from None
    return value


@curate_app.command()
def candidates(fmt: Format = typer.Option(Format.table, "--format", "-f"),
               label: list[str] = typer.Option(list(DEFAULT_LABELS), "--label", "-l",
                                               help=f"Labels to look at ({', '.join(ENTITY_LABELS)})."),
               min_score: float = typer.Option(0.8, help="Lowest score shown (0..1)."),
               limit: int = typer.Option(100, help="At most this many pairs."),
               backend: Optional[str] = BackendOpt) -> None:
    """Pairs of entities that are probably one, best first, each with its score and reason."""
    bad = [x for x in label if x not in ENTITY_LABELS]
    if bad:
        raise GeoKGError(f"--label {bad[0]!r}: expected one of {', '.join(ENTITY_LABELS)}")
    store = open_store(Settings.from_env(backend), read_only=True)
    try:
        found = store_candidates(store, labels=label, min_score=min_score)[:limit]
    finally:
        store.close()
    if fmt is Format.json:
        typer.echo(json.dumps([{"a": c.a, "b": c.b, "label": c.label, "a_name": c.a_name, "b_name": c.b_name,
                                "score": c.score, "reasons": list(c.reasons)} for c in found], ensure_ascii=False))
        return
    if not found:
        typer.echo("(no candidates)")
        return
    w = max(len(f"{c.a_name} ({c.a})") for c in found)
    for c in found:
        typer.echo(f"{c.score:5.2f}  {f'{c.a_name} ({c.a})':<{w}}  ~  {c.b_name} ({c.b})  [{c.reason}]")


@curate_app.command()
def merge(keep: str = typer.Argument(..., help="The entity kept, e.g. person:sergei-lavrov."),
          drop: str = typer.Argument(..., help="The entity folded into it and removed."),
          yes_countries: bool = typer.Option(False, "--yes-countries", help="Confirm a merge of two countries."),
          backend: Optional[str] = BackendOpt) -> None:
    """Fold DROP into KEEP (relationships, events, mentions, name as alias); undo with `geokg curate undo`."""
    keep, drop = _ref(keep), _ref(drop)
    if parse_ref(keep)[0] == parse_ref(drop)[0] == "Country" and not yes_countries:
        raise GeoKGError(f"{drop} and {keep} are both countries: merging removes {drop} from every view; "
                         "add --yes-countries if that is meant")
    store = open_store(Settings.from_env(backend))
    try:
        store.merge_entities(keep, drop)
        undo = store.merges(limit=1).id.tolist()
    finally:
        store.close()
    typer.echo(f"merged {drop} into {keep}; undo with: geokg curate undo {undo[0] if undo else '?'}")


@curate_app.command()
def reject(a: str = typer.Argument(...), b: str = typer.Argument(...),
           backend: Optional[str] = BackendOpt) -> None:
    """Record that A and B are different entities: the pair is not proposed again."""
    a, b = _ref(a), _ref(b)
    store = open_store(Settings.from_env(backend))
    try:
        store.reject_duplicate(a, b)
    finally:
        store.close()
    typer.echo(f"remembered: {a} and {b} are different")


@curate_app.command()
def merges(backend: Optional[str] = BackendOpt, limit: int = typer.Option(50)) -> None:
    """The merges that can be undone, newest first."""
    store = open_store(Settings.from_env(backend), read_only=True)
    try:
        df = store.merges(limit=limit)
    finally:
        store.close()
    typer.echo(df.to_string(index=False) if len(df) else "(no merges to undo)")


@curate_app.command()
def undo(merge_id: str = typer.Argument(..., help="An id from `geokg curate merges`."),
         backend: Optional[str] = BackendOpt) -> None:
    """Undo a merge: the merged-away entity comes back with its relationships."""
    store = open_store(Settings.from_env(backend))
    try:
        restored = store.undo_merge(merge_id)
    finally:
        store.close()
    typer.echo(f"restored {restored}")
