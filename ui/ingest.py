"""Ingest: upload files or paste text, preview what will be extracted (entities, relations,
evidence), then commit with a progress bar and a summary of what was skipped and why.

Nothing is written before "Commit". The write opens a short-lived read-write handle on the
embedded store (``state.writer``): if a ``geokg ingest`` holds the file, the page says so.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from geokg.graph.errors import GeoKGError, LoadError
from geokg.graph.model import Fragment
from geokg.graph.stores.protocol import WriteStats
from geokg.graph.stores.writer import write_fragments
from geokg.ui import state
from geokg.ui.uploads import upload_path

PREVIEW = "ingest_preview"


@st.cache_resource(show_spinner="Loading the English language model…")
def _extractor():
    from geokg.loaders.extraction.extractor import Extractor
    return Extractor()


def _read(uploads, pasted: str) -> tuple[list[Fragment], list[LoadError]]:
    """Uploaded files and pasted text -> fragments (articles extracted, event records as they
    are: the same reading as ``geokg ingest``), and the items that failed, named by upload."""
    from geokg.loaders.formats.text import parse_article_text
    from geokg.loaders.pipeline import ReadCounts, find_sources, read_fragments

    problems: list[LoadError] = []
    pasted_doc = []
    if pasted.strip():
        try:
            pasted_doc.append(parse_article_text(pasted, "pasted text"))
        except LoadError as e:
            problems.append(e)
    taken: set[str] = set()
    names: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="geokg-upload-") as tmp:
        for up in uploads or []:
            path = upload_path(Path(tmp), up.name, taken)  # the browser's name never picks the folder
            path.write_bytes(up.getvalue())
            names[str(path)] = up.name
        counts = ReadCounts()
        with st.spinner("Extracting…"):
            frags = list(read_fragments(find_sources(list(map(Path, names)), documents=pasted_doc),
                                        extractor=_extractor, counts=counts))

    def named(problem: LoadError) -> LoadError:
        """The error under the upload's name, not the temporary file's."""
        for path, name in names.items():
            if problem.where.startswith(path):
                return LoadError(name + problem.where[len(path):], problem.reason)
        return problem

    return frags, [named(p) for p in counts.problems] + problems


def _preview_tables(frags: list[Fragment]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ents, rels, arts = [], [], []
    for f in frags:
        names = {e.ref: e.name for e in f.entities}
        arts.append({"title": f.article.title, "published": f.article.published, "source": f.article.source,
                     "entities": len(f.entities), "relations": len(f.relations), "events": len(f.events)})
        for e in f.entities:
            ents.append({"article": f.article.title, "label": e.label, "name": e.name, "id": e.key,
                         "aliases": ", ".join(e.aliases), **{k: v for k, v in e.props.items() if v is not None}})
        for r in f.all_relations():
            rels.append({"article": f.article.title, "source": names.get(r.source, r.source), "type": r.type,
                         "target": names.get(r.target, r.target), "date": r.date,
                         "confidence": round(r.confidence, 2), "evidence": r.evidence})
    return pd.DataFrame(arts), pd.DataFrame(ents), pd.DataFrame(rels)


def main() -> None:
    st.title("Ingest")
    st.caption("Upload article files or paste an article, check what GeoKG extracts, then commit it to the graph. "
               "Articles already in the graph are skipped, so committing twice changes nothing.")
    s = state.current_settings()
    c1, c2 = st.columns(2)
    uploads = c1.file_uploader("Files (text, HTML, feeds, JSONL/CSV — whatever `geokg ingest` reads)",
                               accept_multiple_files=True, key="ingest_files")
    pasted = c2.text_area("…or paste an article", key="ingest_text", height=200,
                          placeholder="Title: …\nDate: 2023-03-01\nSource: …\n\nThe article text…")
    if st.button("Preview extraction", icon=":material/preview:", key="ingest_preview_btn", type="primary",
                 disabled=not (uploads or pasted.strip())):
        try:
            frags, problems = _read(uploads, pasted)
        except (ImportError, RuntimeError) as e:
            st.error(f"Extraction is not available here: {state.md(str(e).splitlines()[0])}")
            return
        st.session_state[PREVIEW] = {"fragments": frags, "problems": [str(p) for p in problems]}
    pv = st.session_state.get(PREVIEW)
    if not pv:
        return
    frags, problems = pv["fragments"], pv["problems"]
    arts, ents, rels = _preview_tables(frags)
    st.subheader(f"Preview: {len(frags)} article{'s' * (len(frags) != 1)}, {len(ents)} entities, {len(rels)} relations")
    if problems:
        with st.expander(f"{len(problems)} item(s) will be skipped", expanded=True):
            st.dataframe(pd.DataFrame({"skipped": problems}), hide_index=True, width="stretch", key="ingest_problems")
    if frags:
        st.dataframe(arts, hide_index=True, width="stretch", key="ingest_articles")
        t1, t2 = st.tabs([f"Entities ({len(ents)})", f"Relations and evidence ({len(rels)})"])
        t1.dataframe(ents, hide_index=True, width="stretch", key="ingest_entities")
        t2.dataframe(rels, hide_index=True, width="stretch", key="ingest_relations")
    c1, c2 = st.columns([1, 4])
    commit = c1.button("Commit to graph", icon=":material/check_circle:", key="ingest_commit", disabled=not frags)
    if c2.button("Discard preview", key="ingest_discard"):
        st.session_state.pop(PREVIEW, None)
        st.rerun()
    if not commit:
        return
    bar = st.progress(0.0, text="Writing…")

    def progress(so_far: WriteStats) -> None:
        done = so_far.articles_written + so_far.articles_skipped
        bar.progress(min(1.0, done / len(frags)), text=f"Writing… {done}/{len(frags)}")

    try:
        with state.writer() as w:
            total = write_fragments(w, frags, batch_size=10, on_batch=progress)
    except GeoKGError as e:
        bar.empty()
        st.error(f"Nothing more was written: {state.md(e)}", icon=":material/error:")
        return
    bar.progress(1.0, text="Done")
    st.session_state.pop(PREVIEW, None)
    st.success(f"Written: {total.articles_written} article(s), {total.nodes} nodes, {total.relationships} relationships. "
               f"Already in the graph: {total.articles_skipped}. Skipped unreadable: {len(problems)}.")
    if problems:
        st.dataframe(pd.DataFrame({"skipped": problems}), hide_index=True, key="ingest_skipped")
    st.caption(f"Store: {s.backend}")


main()
