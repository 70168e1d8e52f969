"""Export: the whole graph as GraphML, JSON or CSV, its events on a map as GeoJSON (what
``geokg export --format geojson`` writes), and the current network view as a standalone HTML
file (vis-network inlined, no remote references, article text inert)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from geokg.graph.analysis.export import export_geojson
from geokg.ui import state


def main() -> None:
    s = state.store()
    st.title("Export")
    st.subheader("The whole graph")
    st.caption("A full copy of the graph, built when you press the button (GraphML and JSON keep every property; "
               "CSV is a zip of nodes.csv and relationships.csv). GeoJSON is the map instead, as `geokg export "
               "--format geojson` writes it: every event with coordinates and every country with its counts "
               "(QGIS, kepler.gl; the Map page's button saves the time shown there).")
    fmt = st.radio("Format", ["graphml", "json", "csv", "geojson"], horizontal=True, key="export_fmt")
    if st.button("Prepare export", key="export_prepare"):
        with st.spinner("Exporting…"), tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / ("graph" if fmt == "csv" else f"graph.{fmt}")
            out = export_geojson(s, target) if fmt == "geojson" else s.export(fmt, target)
            if fmt == "csv":
                buf = io.BytesIO()
                with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                    for f in sorted(out.iterdir()):
                        z.write(f, f.name)
                data, name, mime = buf.getvalue(), "geokg-csv.zip", "application/zip"
            else:
                data, name = out.read_bytes(), f"geokg.{fmt}"
                mime = {"graphml": "application/xml", "geojson": "application/geo+json"}.get(fmt, "application/json")
        st.session_state["export_file"] = (data, name, mime)
    if st.session_state.get("export_file"):
        data, name, mime = st.session_state["export_file"]
        st.download_button(f"Download {name} ({len(data):,} bytes)", data, file_name=name, mime=mime, icon=":material/download:",
                           key="export_download", type="primary")

    st.subheader("The current network view")
    views = {"Explore": "explore_view_html", "Paths": "path_view_html", "Cypher result": "cypher_view_html"}
    have = {k: v for k, v in views.items() if st.session_state.get(v)}
    if not have:
        st.caption("Open a graph on the Explore, Paths or Cypher page first; its view can then be saved here.")
        return
    which = st.radio("View", list(have), horizontal=True, key="export_view")
    html = st.session_state[have[which]]
    st.download_button("Standalone HTML", html, file_name=f"geokg-{which.lower().replace(' ', '-')}.html",
                       mime="text/html", icon=":material/download:", key="export_html")


main()
