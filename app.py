"""GeoKG explorer: the Streamlit app analysts live in.

Thin on purpose: the pages live in ``ui/`` and call into ``graph/`` (store protocol, analytics,
gallery, safe pyvis) and ``loaders/`` (extraction, on the Ingest page). Everything reads through
the store protocol, so the app works the same on the embedded store and on Neo4j.

    streamlit run app.py        # or: geokg ui
"""

from __future__ import annotations

import logging

import streamlit as st

from graph.errors import StoreUnavailable
from ui import state

st.set_page_config(page_title="GeoKG explorer", layout="wide")  # no page_icon: a material one loads from Google

PAGES = {
    "Browse": [
        st.Page("ui/overview.py", title="Overview", default=True, url_path="overview"),
        st.Page("ui/explore.py", title="Explore", url_path="explore"),
        st.Page("ui/profile.py", title="Entity profile", url_path="profile"),
        st.Page("ui/paths.py", title="Paths", url_path="paths"),
        st.Page("ui/timeline.py", title="Timeline", url_path="timeline"),
        st.Page("ui/analytics.py", title="Analytics", url_path="analytics"),
    ],
    "Research": [
        st.Page("ui/cypher.py", title="Cypher", url_path="cypher"),
        st.Page("ui/export.py", title="Export", url_path="export"),
    ],
    "Edit": [
        st.Page("ui/ingest.py", title="Ingest", url_path="ingest"),
        st.Page("ui/curate.py", title="Curate", url_path="curate"),
    ],
}


def main() -> None:
    page = st.navigation(PAGES)
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


main()
