"""Place views of the graph: country activity on a cooperation-conflict scale, and GeoJSON.

Pure functions over store reads (``CypherStore.placed_events`` and ``country_activity``) and the
Natural Earth shapes in ``data/world_110m.geojson`` (see data/README-geo.md):

* :func:`country_scores`: per country, its events in a window and where they sit between
  cooperation (+1) and conflict (-1): each event weighs by its CAMEO quad class, verbal
  cooperation +0.5, material cooperation +1, verbal conflict -0.5, material conflict -1, and the
  score is their mean. Goldstein scores (GDELT only) are averaged beside it where there are any.
* :func:`feature_collection`: an RFC 7946 FeatureCollection of the events with coordinates
  (``Point``, ``[lon, lat]``) and the countries with their counts (their shapes where Natural
  Earth has one, else no geometry), which QGIS and kepler.gl open as they are.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any

import pandas as pd

from geokg import data
from geokg.graph.model import QUAD_CLASS

__all__ = ["QUAD_WEIGHT", "world_shapes", "country_scores", "feature_collection", "SCORE_COLUMNS"]

#: How far an event of each CAMEO quad class pulls a country towards cooperation (+) or conflict (-).
QUAD_WEIGHT = {1: 0.5, 2: 1.0, 3: -0.5, 4: -1.0}
_INTEGERS = ("quad_class", "reports")
SCORE_COLUMNS = ["iso3", "name", "events", "reports", "cooperation", "conflict", "score", "goldstein"]


@functools.cache
def world_shapes() -> dict[str, Any]:
    """The Natural Earth 1:110m country shapes (a FeatureCollection; ``properties.iso3``)."""
    with data.open_text("world_110m.geojson") as fh:
        return json.load(fh)


def _quad(cameo: Any) -> int | None:
    return QUAD_CLASS.get(str(cameo)[:2]) if isinstance(cameo, str) and cameo else None


def country_scores(activity: pd.DataFrame) -> pd.DataFrame:
    """``CypherStore.country_activity`` rows -> one row per country (``SCORE_COLUMNS``), most
    active first. ``events`` counts participations (as actor and as target), ``reports`` the
    sources reporting those events (the events' count when the rows carry none); ``score`` is in
    -1..1 (module doc), ``goldstein`` the mean Goldstein score or None."""
    if activity.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    df = activity.copy()
    df["quad"] = df["cameo"].map(_quad)
    df["reports"] = df["reports"] if "reports" in df else df["events"]
    df["weight"] = df["quad"].map(QUAD_WEIGHT).fillna(0.0) * df["events"]
    df["coop"] = df["events"].where(df["quad"].isin([1, 2]), 0)
    df["confl"] = df["events"].where(df["quad"].isin([3, 4]), 0)
    g = df.groupby("id", sort=False).agg(name=("name", "first"), events=("events", "sum"), reports=("reports", "sum"),
                                         cooperation=("coop", "sum"),
                                         conflict=("confl", "sum"), weight=("weight", "sum"),
                                         gsum=("goldstein_sum", lambda s: s.fillna(0).sum()),
                                         gn=("goldstein_n", lambda s: s.fillna(0).sum()))
    out = pd.DataFrame({
        "iso3": g.index, "name": g["name"].values, "events": g["events"].astype(int).values,
        "reports": g["reports"].astype(int).values,
        "cooperation": g["cooperation"].astype(int).values, "conflict": g["conflict"].astype(int).values,
        "score": (g["weight"] / g["events"]).round(3).values,
        "goldstein": [round(s / n, 2) if n else None for s, n in zip(g["gsum"], g["gn"])],
    })
    return out.sort_values(["events", "iso3"], ascending=[False, True]).reset_index(drop=True)


def _number(v: Any) -> Any:
    """A JSON-safe scalar: NaN/NA -> None, numpy numbers -> Python numbers."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def _ccw(geometry: dict[str, Any]) -> dict[str, Any]:
    """A (Multi)Polygon with RFC 7946 winding: exterior rings counter-clockwise, holes clockwise
    (the shipped shapes wind the other way, for d3-geo)."""
    def area(ring: list[list[float]]) -> float:
        return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))

    def poly(rings: list[list[list[float]]]) -> list[list[list[float]]]:
        return [r if (area(r) > 0) == (i == 0) else r[::-1] for i, r in enumerate(rings)]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": poly(geometry["coordinates"])}
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in geometry["coordinates"]]}


def feature_collection(events: pd.DataFrame, scores: pd.DataFrame) -> dict[str, Any]:
    """The FeatureCollection of ``placed_events`` rows (Points) and ``country_scores`` rows
    (their Natural Earth shape, or a null geometry). Every feature has ``properties.kind``
    (``event`` or ``country``); coordinates are ``[lon, lat]`` as RFC 7946 orders them."""
    shapes = {f["properties"]["iso3"]: f["geometry"] for f in world_shapes()["features"]}
    features: list[dict[str, Any]] = []
    for row in events.to_dict("records"):
        if _number(row.get("lat")) is None or _number(row.get("lon")) is None:
            continue
        props = {"kind": "event", **{k: _number(v) for k, v in row.items() if k not in ("lat", "lon")}}
        for k in _INTEGERS:
            if props.get(k) is not None:
                props[k] = int(props[k])  # a column with nulls comes back as floats
        features.append({"type": "Feature", "id": row["id"],
                         "geometry": {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]},
                         "properties": props})
    for row in scores.to_dict("records"):
        shape = shapes.get(row["iso3"])
        features.append({"type": "Feature", "id": f"country:{row['iso3']}",
                         "geometry": _ccw(shape) if shape else None,
                         "properties": {"kind": "country", **{k: _number(v) for k, v in row.items()}}})
    return {"type": "FeatureCollection", "features": features}
