"""GeoKG explorer: the Streamlit app analysts live in (``geokg ui`` serves this file).

Thin on purpose: the pages live beside it in ``geokg.ui`` and call into ``geokg.graph`` (store
protocol, analytics, gallery, safe pyvis) and ``geokg.loaders`` (extraction, on the Ingest page).
Everything reads through the store protocol, so the app works the same on the embedded store and
on Neo4j. Page files are named relative to this file, so it runs from a checkout and from a wheel.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from geokg.graph.errors import StoreUnavailable
from geokg.ui import state, timectl

HERE = Path(__file__).resolve().parent


def pages() -> dict[str, list]:
    """The navigation, built on every run (st.Page objects belong to one script run)."""
    return {
        "Browse": [
            st.Page(HERE / "overview.py", title="Overview", default=True, url_path="overview"),
            st.Page(HERE / "explore.py", title="Explore", url_path="explore"),
            st.Page(HERE / "profile.py", title="Entity profile", url_path="profile"),
            st.Page(HERE / "paths.py", title="Paths", url_path="paths"),
            st.Page(HERE / "timeline.py", title="Timeline", url_path="timeline"),
            st.Page(HERE / "map.py", title="Map", url_path="map"),
            st.Page(HERE / "changes.py", title="What changed", url_path="changes"),
            st.Page(HERE / "pair.py", title="Pair", url_path="pair"),
            st.Page(HERE / "analytics.py", title="Analytics", url_path="analytics"),
        ],
        "Research": [
            st.Page(HERE / "cypher.py", title="Cypher", url_path="cypher"),
            st.Page(HERE / "export.py", title="Export", url_path="export"),
        ],
        "Edit": [
            st.Page(HERE / "ingest.py", title="Ingest", url_path="ingest"),
            st.Page(HERE / "curate.py", title="Curate", url_path="curate"),
        ],
    }


def main() -> None:
    # first call of every run; no page_icon: a material one loads from Google
    st.set_page_config(page_title="GeoKG explorer", layout="wide")
    page = st.navigation(pages())
    timectl.page_run(page.url_path)
    state.settings_sidebar()
    try:
        page.run()
    except Exception as e:  # a store error mid-page: a banner, never a traceback
        if type(e).__name__ in ("StopException", "RerunException", "StreamlitAPIException"):
            raise
        logging.getLogger("geokg.app").error("page %s failed: %s", page.title, type(e).__name__)
        if isinstance(e, StoreUnavailable):
            state.reset_store()  # the server went away: reconnect on the next run
        state.banner(e)


if __name__ == "__main__":  # streamlit runs this file as __main__
    main()
