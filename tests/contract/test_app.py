"""The explorer's page logic through ``streamlit.testing.v1.AppTest`` (no browser), on both
backends, on a graph built from ``graph_fixtures`` - plus the curation guarantees the Curate
page relies on (edits survive re-ingest; merges stick for new articles)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import seed_app_store
from geokg.graph.analysis.gallery import GALLERY
from geokg.graph.model import Article, Entity, Fragment, Relation
from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import BLR, EU, LUKA, RUS, followup_fragment, seed_fragment

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ["ui/overview.py", "ui/explore.py", "ui/profile.py", "ui/paths.py", "ui/timeline.py", "ui/map.py", "ui/changes.py",
         "ui/pair.py", "ui/analytics.py",
         "ui/cypher.py", "ui/export.py", "ui/ingest.py", "ui/curate.py"]
ENV_KEYS = ("GEOKG_DB", "GEOKG_BACKEND", "NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")


@pytest.fixture(params=["embedded", "neo4j"])
def app_env(request, tmp_path, monkeypatch):
    """The environment of an app whose store holds the seed and follow-up articles."""
    frags = [seed_fragment(), followup_fragment()]
    return seed_app_store(request, tmp_path, monkeypatch, frags)


def app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page:
        at.switch_page(page).run()
    return at


def pick(at: AppTest, prefix: str, node_ref: str) -> AppTest:
    return at.selectbox(key=f"{prefix}_entity").select(node_ref).run()


#: AppTest does not expose a dataframe's key, so each table is found by the columns only it has.
TABLE_COLUMNS = {"explore_edges": {"source", "target", "reviewed", "last_seen"}, "cy_table": {"actor", "host"},
                 "pf_leaders": {"leader"}, "pf_borders": {"country", "evidence"}, "pf_articles": {"title", "evidence", "url"},
                 "tl_table": {"actors", "targets", "origin", "confidence"}, "an_rank": {"pagerank", "betweenness"},
                 "ingest_entities": {"label", "name", "id", "aliases"}, "ingest_problems": {"skipped"}}


def df_of(at: AppTest, key: str):
    want = TABLE_COLUMNS[key]
    return next(d.value for d in at.dataframe if want <= set(d.value.columns))


# --- every page ---------------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app_env, page):
    at = app(page)
    assert list(at.exception) == []
    assert [e.value for e in at.error] == []


# --- explore --------------------------------------------------------------------------------------

def test_explore_type_filter_narrows_the_relations(app_env):
    at = pick(app("ui/explore.py"), "explore", BLR.ref)
    before = len(df_of(at, "explore_edges"))
    at.multiselect(key="explore_types").set_value(["BORDERS"]).run()
    assert before > 2
    assert sorted(df_of(at, "explore_edges").target) == ["Russia", "Ukraine"]


def test_explore_date_window_drops_older_relations(app_env):
    import datetime as dt
    at = pick(app("ui/explore.py"), "explore", LUKA.ref)
    at.slider(key="explore_hops").set_value(2).run()
    at.radio(key="time_mode").set_value("Window").run()
    at.date_input(key="time_from").set_value(dt.date(2023, 4, 1)).run()
    edges = df_of(at, "explore_edges")
    assert set(edges.source) | set(edges.target) == {"Alexander Lukashenko", "Belarus", "European Union"}


def test_explore_expanded_set_survives_reruns_and_grows_the_graph(app_env):
    at = pick(app("ui/explore.py"), "explore", EU.ref)
    first = len(df_of(at, "explore_edges"))
    at.selectbox(key="explore_pick").select(BLR.ref).run()
    at.button(key="explore_expand").click().run()
    at.run()  # an unrelated rerun
    assert at.session_state["explore_expanded"] == [BLR.ref]
    assert len(df_of(at, "explore_edges")) > first


def test_explore_network_is_inline_and_offline(app_env):
    at = pick(app("ui/explore.py"), "explore", BLR.ref)
    html = at.get("iframe")[0].proto.srcdoc
    assert "vis-network" in html or "vis.Network" in html
    assert "https://cdn" not in html


# --- cypher ---------------------------------------------------------------------------------------

def test_cypher_refuses_a_write_with_a_clear_message(app_env):
    at = app("ui/cypher.py")
    at.text_area(key="cy_text").input("CREATE (n:Country {id: 'ZZZ', name: 'Nowhere'})").run()
    at.button(key="cy_run").click().run()
    refusals = [e.value for e in at.error if "Refused" in e.value]
    assert refusals, [e.value for e in at.error]
    assert "writes" in refusals[0]


def test_cypher_bad_query_shows_the_error_not_a_traceback(app_env):
    at = app("ui/cypher.py")
    at.text_area(key="cy_text").input("MATCH (n RETURN n").run()
    at.button(key="cy_run").click().run()
    assert list(at.exception) == []
    assert any("Query failed" in e.value for e in at.error)


def test_cypher_result_has_a_table_and_a_csv_download(app_env):
    at = app("ui/cypher.py")
    at.button(key="cy_run").click().run()  # the default query: who has troops where
    table = df_of(at, "cy_table")
    assert list(table.actor) == ["Russia"]
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV"]


def test_cypher_gallery_loads_a_query_and_draws_its_graph(app_env):
    at = app("ui/cypher.py")
    at.selectbox(key="cy_gallery").select("The sanctions network").run()
    at.button(key="cy_run").click().run()
    html = at.get("iframe")[0].proto.srcdoc
    assert "SANCTION" in at.text_area(key="cy_text").value
    assert "European Union" in html


@pytest.mark.parametrize("query", GALLERY, ids=[q.name for q in GALLERY])
def test_gallery_query_runs_unchanged(store, query):
    write_fragments(store, [seed_fragment(), followup_fragment()])
    df = store.cypher(query.cypher, query.params)
    assert df is not None


# --- profile, paths, timeline, analytics, export -------------------------------------------------------

def test_profile_of_a_country_lists_its_leaders_and_borders(app_env):
    at = pick(app("ui/profile.py"), "profile", BLR.ref)
    assert list(df_of(at, "pf_leaders").leader) == ["Alexander Lukashenko"]
    assert sorted(df_of(at, "pf_borders").country) == ["Russia", "Ukraine"]


def test_profile_lists_articles_with_their_evidence(app_env):
    at = pick(app("ui/profile.py"), "profile", BLR.ref)
    arts = df_of(at, "pf_articles")
    assert len(arts) == 2
    assert "sanctions" in " ".join(arts.evidence)


def test_paths_finds_the_chain_from_xi_to_the_eu(app_env):
    at = app("ui/paths.py")
    at = pick(at, "path_a", "person:xi-jinping")
    at = pick(at, "path_b", EU.ref)
    assert any("Path 1" in e.label for e in at.expander)


def test_timeline_type_filter(app_env):
    at = app("ui/timeline.py")
    at.multiselect(key="tl_types").set_value(["SANCTION"]).run()
    assert sorted(df_of(at, "tl_table").date) == ["2023-03-01", "2023-04-02"]


def test_analytics_ranks_belarus_first(app_env):
    at = app("ui/analytics.py")
    at.radio(key="an_measure").set_value("degree").run()
    assert df_of(at, "an_rank").name.iloc[0] == "Belarus"


def test_export_offers_the_current_view_as_html(app_env):
    at = pick(app("ui/explore.py"), "explore", BLR.ref)
    at.switch_page("ui/export.py").run()
    assert "Standalone HTML" in [b.proto.label for b in at.get("download_button")]


# --- ingest ---------------------------------------------------------------------------------------

ARTICLE = ("Title: Lukashenko meets Putin\nDate: 2023-06-01\nSource: Test\n\n"
           "Belarusian President Alexander Lukashenko met Russian President Vladimir Putin in Moscow on Thursday. "
           "Russia has deployed troops in Belarus.\n")


def test_ingest_previews_entities_before_committing_then_commits(app_env):
    at = app("ui/ingest.py")
    at.text_area(key="ingest_text").input(ARTICLE).run()
    at.button(key="ingest_preview_btn").click().run()
    names = set(df_of(at, "ingest_entities").name)
    overview_before = app("ui/overview.py").metric[5].value  # Article count
    at.button(key="ingest_commit").click().run()
    overview_after = app("ui/overview.py").metric[5].value
    assert {"Belarus", "Russia"} <= names
    assert overview_before == "2"
    assert overview_after == "3"
    assert [e.value for e in at.success][:1] != []


def test_ingest_reports_an_unreadable_upload_and_skips_it(app_env):
    at = app("ui/ingest.py")
    at.text_area(key="ingest_text").input("Title: only a header\n\n   \n").run()
    at.button(key="ingest_preview_btn").click().run()
    problems = df_of(at, "ingest_problems")
    assert "no article text" in problems.skipped.iloc[0]


def test_ingest_while_another_process_writes_says_busy(tmp_path, monkeypatch):
    db = tmp_path / "graph.lbdb"
    with EmbeddedStore(db) as s:
        write_fragments(s, [seed_fragment()])
    for k in ENV_KEYS:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("GEOKG_DB", str(db))
    holder = subprocess.Popen([sys.executable, "-c", "import sys,time; sys.path.insert(0, sys.argv[2]);"
                               "from geokg.graph.stores.embedded import EmbeddedStore; s = EmbeddedStore(sys.argv[1]);"
                               "print('ready', flush=True); time.sleep(60)", str(db), str(ROOT)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        at = app("ui/curate.py")
        at.selectbox(key="cur_alias_entity").select(BLR.ref).run()
        at.text_input(key="cur_alias_text").input("Byelorussia").run()
        at.button(key="cur_alias_add").click().run()
        assert any("busy" in e.value for e in at.error)
    finally:
        holder.kill()
        holder.wait()


# --- backends and settings --------------------------------------------------------------------------

def test_unreachable_neo4j_shows_a_banner_and_never_the_password(monkeypatch):
    for k in ENV_KEYS:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-Pa55")
    import streamlit as st
    st.cache_resource.clear()
    at = app()
    shown = " ".join(str(e.value) for e in at.error) + " ".join(
        str(getattr(w, "value", "")) + str(getattr(w, "placeholder", "")) for w in at.sidebar.text_input)
    password_field = at.sidebar.text_input(key="cfg_neo4j_password").value
    assert list(at.exception) == []
    assert "cannot reach Neo4j" in shown
    assert "s3cret" not in shown
    assert password_field == ""


# --- curation that sticks ---------------------------------------------------------------------------------

DUP = Entity("Person", "lukashenko", "A. Lukashenko")


def _dup_article(n: int) -> Fragment:
    return Fragment(Article(f"dup-{n}", f"dup {n}", published=f"2023-0{4 + n}-01"), (DUP, BLR),
                    (Relation("LEADS", DUP.ref, BLR.ref, f"A. Lukashenko leads Belarus ({n})", f"2023-0{4 + n}-01"),))


def test_merge_survives_a_new_article_naming_the_merged_away_entity(store):
    write_fragments(store, [seed_fragment(), _dup_article(1)])
    store.merge_entities(LUKA.ref, DUP.ref)
    write_fragments(store, [_dup_article(2)])
    assert store.entity(DUP.ref) is None
    assert store.relations(types=["LEADS"], entity=LUKA.ref).mentions.tolist() == [3]


def test_merge_redirect_maps_an_article_that_names_both(store):
    write_fragments(store, [seed_fragment(), _dup_article(1)])
    store.merge_entities(LUKA.ref, DUP.ref)
    both = Fragment(Article("both", "both", published="2023-07-01"), (DUP, LUKA, BLR),
                    (Relation("LEADS", DUP.ref, BLR.ref, "x", "2023-07-01"),))
    write_fragments(store, [both])
    assert list(store.search("lukashenko").ref) == [LUKA.ref]


def test_deleted_relation_stays_deleted_after_reingesting_the_same_article(store):
    write_fragments(store, [seed_fragment()])
    store.delete_relation(RUS.ref, "MILITARY_POSTURE", BLR.ref)
    write_fragments(store, [seed_fragment()])
    assert store.relations(types=["MILITARY_POSTURE"]).empty


def test_review_mark_survives_reingest(store):
    write_fragments(store, [seed_fragment()])
    store.mark_reviewed(EU.ref, "SANCTION", BLR.ref)
    write_fragments(store, [seed_fragment(), followup_fragment()])
    assert store.relations(types=["SANCTION"]).reviewed.tolist() == [True]


def test_curate_page_merge_is_persisted(app_env):
    at = app("ui/curate.py")
    at.selectbox(key="cur_keep_entity").select(RUS.ref).run()
    at.selectbox(key="cur_drop_entity").select("country:UKR").run()
    at.checkbox(key="cur_merge_ok").check().run()
    at.text_input(key="cur_merge_country_ok").input("UKR").run()  # two countries: the code typed out
    at.button(key="cur_merge").click().run()
    time.sleep(0.1)
    at = app("ui/overview.py")
    assert at.metric[0].value == "3"  # Country: CHN, BLR, RUS


def test_curate_page_says_which_relationship_it_deleted(app_env):
    at = app("ui/curate.py")
    at.selectbox(key="cur_rel_entity").select(RUS.ref).run()
    shown = at.selectbox(key="cur_rel_pick").options[0]
    at.checkbox(key="cur_delete_ok").check().run()
    at.button(key="cur_delete").click().run()
    # the message is markdown with the article-derived names escaped; a reader sees it unescaped
    assert [re.sub(r"\\(.)", r"\1", s.value) for s in at.success] == [f"Deleted: {shown}"]
