"""The Map and What-changed pages: through AppTest on both backends (the small graph of
geo_fixtures, and the real GDELT export for the cap on points), and in Debian's chromium for
what only a browser shows (shapes drawn, no request off this machine, hostile text inert)."""

from __future__ import annotations

import json

import pytest
from browser_support import open_browser, script_effects, serve_app, settle
from cli_support import geokg
from geo_fixtures import BEIJING, FRAGMENTS
from streamlit.testing.v1 import AppTest

from conftest import seed_app_store
from geokg.graph.model import Article, Entity, Event, Fragment, stable_id
from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.writer import write_fragments

APP = str(__import__("pathlib").Path(__file__).resolve().parents[2] / "app.py")
HOSTILE = '<img src=x onerror="window.__xss=1"> talks in Beijing [x](javascript:alert(1))'


def hostile_fragment() -> Fragment:
    chn = Entity("Country", "CHN", "China", (), {"iso2": "CN"})
    rus = Entity("Country", "RUS", "Russia", (), {"iso2": "RU"})
    art = Article(Article.make_id("https://news.example/x", ""), "<script>window.__xss=2</script>",
                  url="https://news.example/x", published="2023-02-20")
    ev = Event(stable_id(art.id, "MEET"), "MEET", (chn.ref,), (rus.ref,), HOSTILE, "2023-02-20",
               summary='<b onmouseover="window.__xss=3">China MEET Russia</b>', location=BEIJING.ref)
    return Fragment(art, (chn, rus, BEIJING), (), (ev,))


@pytest.fixture(params=["embedded", "neo4j"])
def app_env(request, tmp_path, monkeypatch):
    return seed_app_store(request, tmp_path, monkeypatch, FRAGMENTS)


def page(path: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at.switch_page(path).run()


def chart_spec(at: AppTest) -> dict:
    return json.loads(at.get("vega_lite_chart")[0].proto.spec)


def test_the_map_draws_country_shapes_and_event_points(app_env):
    marks = [layer["mark"]["type"] for layer in chart_spec(page("ui/map.py"))["layer"]]
    assert marks == ["geoshape", "geoshape", "circle"]


def test_the_map_loads_no_data_from_a_url(app_env):
    spec = json.dumps(chart_spec(page("ui/map.py")))
    assert '"url"' not in spec.replace('"url:N"', "").replace('"field": "url"', "")


def test_the_map_counts_the_events_with_a_place(app_env):
    captions = [c.value for c in page("ui/map.py").caption]
    assert any("3 events with a place shown" in c for c in captions)


def test_a_window_with_nothing_says_so_on_the_map(app_env):
    at = page("ui/map.py")
    at.radio(key="time_mode").set_value("Window").run()
    at.date_input(key="time_from").set_value("2030-01-01").run()
    assert [i.value for i in at.info] == ["No events to map since 2030-01-01. Widen the time window in the sidebar."]


def test_what_changed_counts_each_kind_of_change(app_env):
    at = page("ui/changes.py")
    at.date_input(key="chg_a_from").set_value("2023-01-01").run()
    at.date_input(key="chg_a_to").set_value("2023-01-31").run()
    at.date_input(key="chg_b_from").set_value("2023-02-01").run()
    at.date_input(key="chg_b_to").set_value("2023-02-28").run()
    assert {m.label: m.value for m in at.metric} == {"new": "1", "gone": "1", "grown": "1", "shrunk": "1"}


def test_what_changed_asks_for_both_periods_first(app_env):
    assert [i.value for i in page("ui/changes.py").info] == [
        "Choose both periods: a start or end date for each (or 'as of' a date)."]


def test_what_changed_with_nothing_changed_says_so(app_env):
    at = page("ui/changes.py")
    at.date_input(key="chg_a_from").set_value("2030-01-01").run()
    at.date_input(key="chg_b_from").set_value("2031-01-01").run()
    assert "Nothing changed" in at.info[0].value


def test_the_export_page_saves_the_map_as_geojson_like_the_cli(app_env):
    at = page("ui/export.py")
    at.radio(key="export_fmt").set_value("geojson").run()
    at.button(key="export_prepare").click().run()
    data, name, mime = at.session_state["export_file"]
    points = [f["properties"]["place"] for f in json.loads(data)["features"] if (f["geometry"] or {}).get("type") == "Point"]
    assert (name, mime, sorted(points)) == ("geokg.geojson", "application/geo+json", ["Bakhmut", "Bakhmut", "Beijing"])


@pytest.fixture(scope="module")
def gdelt_db(shared_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("gdelt") / "graph.lbdb"
    assert geokg("ingest", str(shared_dir / "data" / "gdelt" / "20191024143000.export.CSV"), db=db).returncode == 0
    return db


def test_the_map_caps_points_and_says_how_many_are_hidden(gdelt_db, monkeypatch):
    monkeypatch.setenv("GEOKG_DB", str(gdelt_db))
    monkeypatch.setenv("GEOKG_BACKEND", "embedded")
    with EmbeddedStore(gdelt_db) as s:
        placed = s.count_placed_events()
    at = page("ui/map.py")
    at.select_slider(key="map_cap").set_value(500).run()
    assert any(f"500 events with a place shown, {placed - 500:,} less reported ones hidden" in c.value for c in at.caption)


# -- in the browser ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def map_page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mapui")
    with EmbeddedStore(tmp / "graph.lbdb") as s:
        write_fragments(s, [*FRAGMENTS, hostile_fragment()])
    off: list[str] = []
    with serve_app({"GEOKG_DB": str(tmp / "graph.lbdb"), "GEOKG_BACKEND": "embedded"}, tmp / "app.log") as url, \
            open_browser() as browser:
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "about:", "blob:"))
              else off.append(r.url))
        pg.goto(f"{url}/map")
        pg.locator("h1").first.wait_for(timeout=60_000)
        settle(pg)
        pg.locator("[data-testid=stVegaLiteChart] svg path").nth(100).wait_for(timeout=30_000)
        yield pg, off


def test_the_map_page_draws_the_country_shapes_in_the_browser(map_page):
    pg, _ = map_page
    assert pg.locator("[data-testid=stVegaLiteChart] svg path").count() > 177


def test_the_map_page_requests_nothing_off_this_machine(map_page):
    pg, off = map_page
    pg.wait_for_timeout(1000)
    assert off == []


def test_hovering_every_point_runs_no_article_text(map_page):
    pg, _ = map_page
    points = pg.locator("[data-testid=stVegaLiteChart] svg .mark-symbol path")
    for i in range(points.count()):
        points.nth(i).hover(force=True)
        pg.wait_for_timeout(300)
    assert script_effects(pg) == []


def test_a_point_shows_its_evidence_as_text_in_the_tooltip(map_page):
    pg, _ = map_page
    points = pg.locator("[data-testid=stVegaLiteChart] svg .mark-symbol path")
    texts = []
    for i in range(points.count()):
        points.nth(i).hover(force=True)
        pg.wait_for_timeout(300)
        texts.append(pg.evaluate("() => document.querySelector('#vg-tooltip-element')?.innerText || ''"))
    assert any('<img src=x onerror="window.__xss=1">' in t for t in texts)



def _click_smallest_scored_country(pg) -> None:
    """Click the middle of the smallest shaded country (Belarus here: its box lies inside it)."""
    shaded = pg.locator("[data-testid=stVegaLiteChart] svg g.mark-shape").nth(1).locator("path")
    boxes = [shaded.nth(i).bounding_box() for i in range(shaded.count())]
    box = min(boxes, key=lambda b: b["width"] * b["height"])
    pg.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(pg)


def test_clicking_a_country_selects_it(map_page):
    pg, _ = map_page
    _click_smallest_scored_country(pg)
    assert pg.locator("h3").all_inner_texts() == ["Belarus"]


def test_the_selected_country_opens_its_profile(map_page):
    pg, _ = map_page
    pg.get_by_role("button", name="Open its profile").click()
    settle(pg)
    pg.locator("h2").first.wait_for(timeout=30_000)
    assert pg.locator("h2").first.inner_text() == "Belarus"


def test_the_profile_says_who_led_a_country_as_of_a_date(tmp_path, monkeypatch):
    from graph_fixtures import seed_fragment

    db = tmp_path / "graph.lbdb"
    with EmbeddedStore(db) as s:
        write_fragments(s, [seed_fragment()])
    monkeypatch.setenv("GEOKG_DB", str(db))
    monkeypatch.setenv("GEOKG_BACKEND", "embedded")
    import streamlit as st
    st.cache_resource.clear()
    st.cache_data.clear()
    at = page("ui/profile.py")
    at.text_input(key="profile_q").set_value("China").run()
    at.radio(key="time_mode").set_value("As of").run()
    at.date_input(key="time_asof").set_value("2023-06-01").run()
    assert "Xi Jinping (the latest known: no source after 2023-03-01)" in [c.value for c in at.caption]
