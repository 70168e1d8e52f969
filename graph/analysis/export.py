"""Export a graph as GraphML, JSON (node-link) or CSV (nodes.csv + relationships.csv).

GraphML cannot hold lists, so list properties (aliases, articles) are joined with ``|``.

Where an export may go (:func:`check_export_path`, checked before anything is read or written):
the folder it goes into must already exist (a typo must not grow a new tree of folders); a
GraphML/JSON export is a file and never replaces a folder; a CSV export is a folder that is
new, empty, or holds nothing but an earlier export's ``nodes.csv``/``relationships.csv``.
Every file is written beside its target and renamed over it at the end, so a failed export
leaves the earlier file whole and no half-written one.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pandas as pd

from geokg.graph.errors import GeoKGError

__all__ = ["export_graph", "check_export_path", "spreadsheet_safe", "csv_text", "FORMATS", "CSV_FILES", "export_geojson",
           "GEO_FORMATS"]

FORMATS = ("graphml", "json", "csv")
CSV_FILES = ("nodes.csv", "relationships.csv")
#: A text cell starting with one of these is run as a formula by a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(v):
    return "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell and column name a spreadsheet would run as a formula prefixed
    with ``'`` (OWASP's advice against CSV injection). Names and evidence come from articles, and
    a CSV is what an analyst opens in Excel: ``=HYPERLINK(...)`` in an article must stay text
    there; a console query's column alias (``AS `=cmd|...` ``) is a header cell as well."""
    out = df.map(_inert)
    out.columns = [_inert(str(c)) for c in df.columns]
    return out


def csv_text(df: pd.DataFrame) -> str:
    """``df`` as the CSV text every download and ``--format csv`` gives: formulas made inert."""
    return spreadsheet_safe(df).to_csv(index=False)


#: Characters XML 1.0 cannot hold at all (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF):
#: one in a name (a bell from a feed, an escape code) made lxml refuse the whole GraphML export.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value):
    """``value`` with the characters XML cannot hold removed (other values unchanged)."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def _flat(value):
    if isinstance(value, (list, tuple)):
        return "|".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def check_export_path(fmt: str, out: Path | str) -> Path:
    """``out`` if an export of format ``fmt`` may be written there; else GeoKGError naming
    the path and the reason (see the module docstring for the rule)."""
    if fmt not in FORMATS + GEO_FORMATS:
        raise GeoKGError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS + GEO_FORMATS)}")
    out = Path(out)
    parent = out.parent
    if not parent.exists():
        raise GeoKGError(f"cannot export to {out}: the folder {parent} does not exist; create it first")
    if not parent.is_dir():
        raise GeoKGError(f"cannot export to {out}: {parent} is not a folder")
    if fmt != "csv":
        if out.is_dir():
            raise GeoKGError(f"{out} is a folder; give a file name for {fmt} export")
        return out
    if out.exists() and not out.is_dir():
        raise GeoKGError(f"{out} is a file; CSV export writes a folder")
    if out.is_dir():
        other = sorted(p.name for p in out.iterdir() if p.name not in CSV_FILES)
        if other:
            raise GeoKGError(f"{out} holds other files ({', '.join(other[:3])}); CSV export writes "
                             f"{' and '.join(CSV_FILES)} into a new or empty folder")
    return out


def _write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """``write`` into a temporary file beside ``target``, then rename it over ``target``."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except (OSError, nx.NetworkXError, TypeError, ValueError) as e:
        tmp.unlink(missing_ok=True)
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e).splitlines()[0]
        raise GeoKGError(f"cannot write {target}: {reason}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def export_graph(g: nx.MultiDiGraph, fmt: str, out: Path) -> Path:
    """Write ``g`` to ``out``; returns the path written."""
    out = check_export_path(fmt, out)
    if fmt == "graphml":
        flat = nx.MultiDiGraph()
        flat.add_nodes_from((xml_text(n), {k: xml_text(_flat(v)) for k, v in d.items()}) for n, d in g.nodes(data=True))
        flat.add_edges_from((xml_text(u), xml_text(v), xml_text(k), {a: xml_text(_flat(b)) for a, b in d.items()})
                            for u, v, k, d in g.edges(keys=True, data=True))
        _write_atomically(out, lambda p: nx.write_graphml(flat, p))
    elif fmt == "json":
        text = json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False, default=str)
        _write_atomically(out, lambda p: p.write_text(text, encoding="utf-8"))
    else:
        try:
            out.mkdir(exist_ok=True)
        except OSError as e:
            raise GeoKGError(f"cannot create {out}: {e.strerror}") from None
        nodes = pd.DataFrame([{"ref": n, **{k: _flat(v) for k, v in d.items()}} for n, d in g.nodes(data=True)])
        rels = pd.DataFrame([{"source": u, "target": v, **{a: _flat(b) for a, b in d.items()}}
                             for u, v, d in g.edges(data=True)])
        _write_atomically(out / CSV_FILES[0], lambda p: spreadsheet_safe(nodes).to_csv(p, index=False))
        _write_atomically(out / CSV_FILES[1], lambda p: spreadsheet_safe(rels).to_csv(p, index=False))
    return out


# -- GeoJSON: a map of the events, not a copy of the graph --------------------------------------
#: Formats written from store reads (events with coordinates, countries with counts), not from
#: the whole graph: :func:`export_geojson`.
GEO_FORMATS = ("geojson",)


def export_geojson(store, out: Path | str, date_from: str | None = None, date_to: str | None = None) -> Path:
    """Write the events with coordinates in the window (Points, [lon, lat]) and every country
    with its event counts and cooperation-conflict score (its Natural Earth shape, or no
    geometry) as one RFC 7946 FeatureCollection (``geokg.graph.analysis.geo``). ``store`` is
    either backend; two aggregate reads and one of the placed events, no whole-graph copy."""
    from geokg.graph.analysis.geo import country_scores, feature_collection

    out = check_export_path("geojson", out)
    n = store.count_placed_events(date_from, date_to)
    events = store.placed_events(date_from, date_to, limit=max(n, 1))
    scores = country_scores(store.country_activity(date_from, date_to))
    text = json.dumps(feature_collection(events, scores), ensure_ascii=False, separators=(",", ":"))
    _write_atomically(out, lambda p: p.write_text(text, encoding="utf-8"))
    return out
