"""Build data/world_110m.geojson (country shapes of the Map page) from Natural Earth 1:110m.

Natural Earth is public domain. Its 1:110m admin-0 countries come, offline, inside the geopandas
0.14.4 wheel on PyPI (``geopandas/datasets/naturalearth_lowres``; geopandas 1.x dropped them):

    pip download geopandas==0.14.4 --no-deps -d /tmp/ne && unzip /tmp/ne/geopandas-0.14.4-*.whl 'geopandas/datasets/*' -d /tmp/ne
    python -m venv /tmp/ne/v && /tmp/ne/v/bin/pip install pyshp==3.1.6
    /tmp/ne/v/bin/python scripts/make_world_geojson.py \
        /tmp/ne/geopandas/datasets/naturalearth_lowres/naturalearth_lowres data/world_110m.geojson

Coordinates are rounded to 2 decimals (about 1 km, finer than the 1:110m lines) and rings keep the
shapefile's clockwise exterior, the order d3-geo (Vega, hence Altair) draws; the GeoJSON export
rewinds them to RFC 7946's counter-clockwise. Properties: ``iso3`` and ``name``.
"""

from __future__ import annotations

import json
import sys

import shapefile  # pyshp, only in the throw-away venv above

#: Natural Earth's "-99" (no ISO code) for a country our gazetteer has a code for.
FIX_ISO3 = {"Kosovo": "XKX"}


def _round(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 2), round(coords[1], 2)]
    out = [_round(c) for c in coords]
    if out and isinstance(out[0][0], (int, float)):  # a ring: drop points that rounding made repeats
        out = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
    return out


def _valid(geom: dict) -> dict:
    """Rings of fewer than 4 points dropped (one North Korean "ring" is a single point, which
    d3-geo cannot draw), and polygons left without an exterior with them."""
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    kept = []
    for rings in polys:
        if len(rings[0]) < 4:
            continue
        kept.append([r for r in rings if len(r) >= 4])
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def main(src: str, out: str) -> None:
    features = []
    for sr in shapefile.Reader(src).iterShapeRecords():
        rec = sr.record.as_dict()
        iso3 = FIX_ISO3.get(rec["name"], rec["iso_a3"])
        geom = sr.shape.__geo_interface__
        geometry = _valid({"type": geom["type"], "coordinates": _round(geom["coordinates"])})
        features.append({"type": "Feature", "properties": {"iso3": iso3, "name": rec["name"]}, "geometry": geometry})
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"type": "FeatureCollection", "features": features}, fh, separators=(",", ":"), ensure_ascii=False)
        fh.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
