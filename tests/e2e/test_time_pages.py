"""The one time control (sidebar) shared by Explore, Map, Paths, Analytics, Profile and Timeline,
and the Pair page: through AppTest on both backends (time_fixtures), and in Debian's chromium for
a shared link that carries the time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser_support import open_browser, serve_app, settle
from streamlit.testing.v1 import AppTest
from time_fixtures import BLR, CHN, FRAGMENTS, RUS

from conftest import seed_app_store
from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.writer import write_fragments

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIME_PAGES = ["ui/explore.py", "ui/map.py", "ui/paths.py", "ui/analytics.py", "ui/profile.py", "ui/timeline.py",
              "ui/pair.py"]


@pytest.fixture(params=["embedded", "neo4j"])
def time_env(request, tmp_path, monkeypatch):
    return seed_app_store(request, tmp_path, monkeypatch, FRAGMENTS)


def opened(page: str, **params: str) -> AppTest:
    """The app opened on ``page`` from a link carrying ``params``."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run().switch_page(page).run()


def as_of(at: AppTest, day: str) -> AppTest:
    at.radio(key="time_mode").set_value("As of").run()
    return at.date_input(key="time_asof").set_value(day).run()


def find(at: AppTest, prefix: str, name: str, node_ref: str) -> AppTest:
    at.text_input(key=f"{prefix}_q").set_value(name).run()
    return at.selectbox(key=f"{prefix}_entity").select(node_ref).run()


def table(at: AppTest, *columns: str):
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


# -- one control, every page ---------------------------------------------------------------------

def test_the_time_set_on_the_map_is_the_time_of_explore(time_env):
    at = as_of(opened("ui/map.py"), "2023-01-31")
    at.switch_page("ui/explore.py").run()
    assert (at.radio(key="time_mode").value, at.date_input(key="time_asof").value) == ("As of", dt.date(2023, 1, 31))


def test_explore_as_of_a_date_shows_only_the_relations_first_seen_by_then(time_env):
    at = as_of(opened("ui/map.py"), "2023-01-31")
    at.switch_page("ui/explore.py").run()
    find(at, "explore", "China", CHN.ref)
    assert sorted(table(at, "source", "target", "reviewed").type) == ["MEET", "THREATEN"]


def test_the_time_survives_a_page_without_the_control(time_env):
    at = as_of(opened("ui/analytics.py"), "2023-01-31")
    at.switch_page("ui/cypher.py").run().switch_page("ui/profile.py").run()
    assert at.date_input(key="time_asof").value == dt.date(2023, 1, 31)


def test_the_profile_honours_the_time_set_on_explore(time_env):
    at = as_of(opened("ui/explore.py"), "2023-01-31")
    at.switch_page("ui/profile.py").run()
    find(at, "profile", "China", CHN.ref)
    assert sorted(table(at, "role", "actors", "targets").type) == ["MEET", "THREATEN"]


def test_paths_honour_the_time_set_on_analytics(time_env):
    at = as_of(opened("ui/analytics.py"), "2023-01-31")
    at.switch_page("ui/paths.py").run()
    find(find(at, "path_a", "China", CHN.ref), "path_b", "Russia", RUS.ref)
    assert any(c.value.endswith("of 2 hops as of 2023-01-31") for c in at.caption)


def test_every_page_puts_the_time_in_the_url(time_env):
    at = as_of(opened("ui/map.py"), "2023-01-31")
    seen = {}
    for page in TIME_PAGES:
        seen[page] = at.switch_page(page).run().query_params.get("asof")
    assert seen == {page: "2023-01-31" for page in TIME_PAGES}


@pytest.mark.parametrize("page", TIME_PAGES)
def test_a_link_with_the_time_reopens_it_on_every_page(time_env, page):
    at = opened(page, asof="2023-01-31")
    assert (at.radio(key="time_mode").value, at.date_input(key="time_asof").value) == ("As of", dt.date(2023, 1, 31))


def test_a_link_with_a_window_reopens_the_window(time_env):
    at = opened("ui/analytics.py", **{"from": "2023-02-01", "to": "2023-02-28"})
    assert (at.radio(key="time_mode").value, at.date_input(key="time_from").value,
            at.date_input(key="time_to").value) == ("Window", dt.date(2023, 2, 1), dt.date(2023, 2, 28))


def test_analytics_as_of_a_link_s_date_counts_the_graph_of_then(time_env):
    at = opened("ui/analytics.py", asof="2023-01-31")
    assert any(c.value.startswith("Actor subgraph: 3 nodes, 3 relationships") for c in at.caption)


def test_a_window_that_ends_before_it_starts_says_so(time_env):
    at = opened("ui/analytics.py", **{"from": "2023-03-01", "to": "2023-02-01"})
    assert [e.value for e in at.sidebar.error] == ["The window ends before it starts: showing all time."]


EMPTY = {"ui/map.py": "No events to map as of 2022-12-31.",
         "ui/analytics.py": "No relationships match these filters as of 2022-12-31.",
         "ui/timeline.py": "No events match these filters as of 2022-12-31.",
         "ui/explore.py": "No relations of China as of 2022-12-31.",
         "ui/profile.py": "No relationships or events of China as of 2022-12-31.",
         "ui/pair.py": "No dated events between China and Belarus as of 2022-12-31."}


@pytest.mark.parametrize("page", list(EMPTY))
def test_an_empty_window_says_so_on_each_page(time_env, page):
    at = opened(page, asof="2022-12-31", focus=CHN.ref, a=CHN.ref, b=BLR.ref)
    if page == "ui/profile.py":
        find(at, "profile", "China", CHN.ref)
    assert [i.value for i in at.info] == [f"{EMPTY[page]} Widen the time window in the sidebar."]


def test_paths_say_when_the_window_has_no_path(time_env):
    at = opened("ui/paths.py", a=CHN.ref, b=RUS.ref, asof="2022-12-31")
    assert [w.value for w in at.warning] == [
        "No path of at most 4 hops as of 2022-12-31. Widen the time window in the sidebar."]


# -- a pair's temperature ------------------------------------------------------------------------

def pair_page(**params: str) -> AppTest:
    return opened("ui/pair.py", a=CHN.ref, b=BLR.ref, **params)


def test_the_pair_page_draws_a_monthly_line_of_goldstein_values(time_env):
    spec = pair_page().get("vega_lite_chart")[0].proto.spec
    assert '"month_pick"' in spec and '"goldstein"' in spec


def test_the_pair_page_lists_each_month_s_mean_goldstein_value(time_env):
    months = table(pair_page(), "month", "goldstein", "scored")
    assert list(zip(months.month, months.goldstein)) == [("2023-01", -2.5), ("2023-02", 2.0)]


def test_picking_a_month_lists_its_events_from_articles_and_records(time_env):
    at = pair_page()
    at.selectbox(key="pair_month").select("2023-02").run()
    events = table(at, "who", "score", "origin")
    assert sorted(zip(events.type, events.origin)) == [("DISAPPROVE", "gdelt"), ("PROVIDE_AID", "article")]


def test_a_pair_link_reopens_its_month(time_env):
    events = table(pair_page(month="2023-01"), "who", "score", "origin")
    assert sorted(events.who) == ["Belarus → China", "China → Belarus"]


def test_the_pair_page_keeps_to_the_shared_time(time_env):
    months = table(pair_page(asof="2023-01-31"), "month", "goldstein", "scored")
    assert list(months.month) == ["2023-01"]


# -- in the browser ------------------------------------------------------------------------------

def test_a_shared_link_with_the_time_opens_on_that_window_in_the_browser(tmp_path):
    with EmbeddedStore(tmp_path / "graph.lbdb") as s:
        write_fragments(s, FRAGMENTS)
    with serve_app({"GEOKG_DB": str(tmp_path / "graph.lbdb"), "GEOKG_BACKEND": "embedded"}, tmp_path / "app.log") as url, \
            open_browser() as browser:
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.goto(f"{url}/analytics?from=2023-02-01&to=2023-02-28")
        pg.locator("h1").first.wait_for(timeout=60_000)
        settle(pg)
        sidebar = pg.get_by_test_id("stSidebar")
        dates = ["".join(sidebar.get_by_role("group", name=name).inner_text().split()) for name in ("From", "To")]
        caption = pg.get_by_text("Relationships seen from").inner_text()
        pg.get_by_role("link", name="Explore").click()
        settle(pg)
        kept = pg.url
    assert (dates, caption.split(" (")[0], "from=2023-02-01&to=2023-02-28" in kept) == (
        ["2023-02-01", "2023-02-28"], "Relationships seen from 2023-02-01 to 2023-02-28", True)
