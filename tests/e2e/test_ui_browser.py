"""The explorer in a real browser (Debian's chromium through playwright): the network draws
offline, shows the chosen entity's neighbourhood, and hostile article text never runs."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from browser_support import open_browser, serve_app

from geokg.graph.model import Article, Entity, Fragment, Relation
from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import BLR, seed_fragment

ROOT = Path(__file__).resolve().parents[2]
FRAME = 'iframe[title="st.iframe"]'
XSS = '<img src=x onerror="alert(1)">'


MD = "![pixel](http://evil.example/p.png) [click](javascript:alert(5)) <script>alert(6)</script>"


def hostile_fragment() -> Fragment:
    """An article whose names, title, URL and evidence carry script, markup and markdown: the
    app must show them as text (no alert, no request to evil.example)."""
    p = Entity("Person", "hostile", f"Evil {XSS}", (), {"role": "<a href=x>boss</a><script>alert(2)</script>", "country": "BLR"})
    o = Entity("Organization", "hostile-org", f"Org {MD}", (f"alias {XSS}",), {})
    return Fragment(Article("hostile", f"title {XSS} {MD}", url="javascript:alert(4)", published="2023-05-01",
                            source=f"src {XSS}"), (p, o, BLR),
                    (Relation("LEADS", p.ref, BLR.ref, f"evidence href {XSS} <a href='javascript:alert(3)'>x</a>",
                              "2023-05-01"),
                     Relation("MEMBER_OF", p.ref, o.ref, f"member {MD}", "2023-05-01")))


HUB_LEADERS, HUB_ORGS = 250, 150


def hub_fragment() -> Fragment:
    """A synthetic hub country with 400 neighbours: its hop keeps the 300 most mentioned, 301
    nodes with the hub, one more than a view draws."""
    hub = Entity("Country", "HUB", "Hubland")
    people = [Entity("Person", f"zz-leader-{i}", f"zz leader {i}") for i in range(HUB_LEADERS)]
    orgs = [Entity("Organization", f"zz-org-{i}", f"zz org {i}") for i in range(HUB_ORGS)]
    rels = [Relation("LEADS", p.ref, hub.ref, "synthetic", "2023-01-01") for p in people] + \
           [Relation("MEMBER_OF", hub.ref, o.ref, "synthetic", "2023-01-01") for o in orgs]
    return Fragment(Article("hub", "synthetic hub", published="2023-01-01"), (hub, *people, *orgs), tuple(rels))


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ui")
    db = tmp / "graph.lbdb"
    with EmbeddedStore(db) as s:
        write_fragments(s, [seed_fragment(), hostile_fragment(), hub_fragment()])
    env = {**os.environ, "GEOKG_DB": str(db), "GEOKG_BACKEND": "embedded"}
    env.pop("NEO4J_URI", None)
    with serve_app(env, tmp / "app.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with open_browser() as b:
        yield b


@pytest.fixture
def page(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.dialogs, pg.remote = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "about:", "blob:", "file:"))
          else pg.remote.append(r.url))
    pg.goto(f"{app_url}/explore")
    yield pg
    ctx.close()


def network_size(page) -> tuple[int, int]:
    return page.evaluate(f"""() => {{ const n = document.querySelector('{FRAME}').contentWindow.network;
        return n ? [n.body.data.nodes.length, n.body.data.edges.length] : [0, 0]; }}""")


def painted_pixels(page) -> int:
    return page.frame_locator(FRAME).locator("canvas").evaluate("""c => { const d = c.getContext('2d')
        .getImageData(0, 0, c.width, c.height).data; let k = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) k++;
        return k; }""")


def choose_entity(page, name: str, search: str | None = None) -> None:
    """Pick an entity in the page's first entity picker (optionally typing a search first)."""
    if search:
        box = page.get_by_test_id("stTextInput").filter(has_text="Find").first.locator("input")
        box.fill(search)
        box.press("Enter")
        settle(page)
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=name).click()


def settle(page) -> None:
    """Wait for the app's rerun to finish (the running indicator comes and goes)."""
    page.wait_for_timeout(700)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)


def wait_nodes(page, n: int, timeout: int = 30_000) -> None:
    page.wait_for_function(f"() => document.querySelector('{FRAME}')?.contentWindow.network?.body.data.nodes.length === {n}",
                           timeout=timeout)


def hover_every_node(page, frame_selector: str = FRAME) -> int:
    """Hover each node long enough for its tooltip to open; returns how many were hovered."""
    # node positions are relative to the network's canvas, not to the iframe around it
    box = page.frame_locator(frame_selector).first.locator("canvas").bounding_box()
    spots = page.evaluate(f"""() => {{ const n = document.querySelector('{frame_selector}').contentWindow.network;
        return n ? Object.values(n.getPositions()).map(p => n.canvasToDOM(p)) : []; }}""")
    for spot in spots:
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        time.sleep(0.5)
    return len(spots)


def shoot(page, tmp_path, name: str) -> None:
    """A screenshot into the test's folder, and into GEOKG_SCREENSHOTS when set (for the README)."""
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    out = os.environ.get("GEOKG_SCREENSHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / f"{name}.png"), full_page=True)


def test_network_draws_the_neighbourhood_offline(page):
    page.frame_locator(FRAME).locator("canvas").wait_for(timeout=60_000)
    choose_entity(page, "Belarus (Country, 2 mentions)")
    page.wait_for_function(f"() => document.querySelector('{FRAME}').contentWindow.network?.body.data.nodes.length === 7",
                           timeout=30_000)
    time.sleep(1.5)
    assert network_size(page)[0] == 7
    assert painted_pixels(page) > 1000
    assert page.remote == []


def test_relations_summary_counts_the_entitys_relations_by_type(page):
    page.frame_locator(FRAME).locator("canvas").wait_for(timeout=60_000)
    choose_entity(page, "Belarus (Country, 2 mentions)")
    summary = page.get_by_text("MILITARY_POSTURE 1")
    summary.wait_for(timeout=30_000)
    assert "BORDERS 2" in summary.inner_text()


def test_hostile_names_and_evidence_never_execute(page, tmp_path):
    page.frame_locator(FRAME).locator("canvas").wait_for(timeout=60_000)
    choose_entity(page, f"Evil {XSS} (Person, 1 mentions)", search="Evil")
    wait_nodes(page, 3)
    time.sleep(1.5)  # let physics settle so the positions below stay put
    box = page.frame_locator(FRAME).locator("canvas").bounding_box()
    spots = page.evaluate(f"""() => {{ const n = document.querySelector('{FRAME}').contentWindow.network;
        return Object.values(n.getPositions()).map(p => n.canvasToDOM(p)); }}""")
    for spot in spots:  # hover every node long enough for its tooltip to open
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        time.sleep(0.8)
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert page.dialogs == []
    assert page.remote == []


def test_expanded_nodes_stay_expanded_across_reruns(page, tmp_path):
    page.frame_locator(FRAME).locator("canvas").wait_for(timeout=60_000)
    choose_entity(page, "Belarus (Country, 2 mentions)")
    wait_nodes(page, 7)
    page.locator(".st-key-explore_pick").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=re.compile(r"^China \(Country")).click()
    page.get_by_role("button", name="Expand").click()
    wait_nodes(page, 8)  # China brings Xi Jinping
    page.get_by_role("button", name="Reconnect").click()  # a rerun (and a fresh store handle) that changes nothing
    settle(page)
    wait_nodes(page, 8)
    time.sleep(1)
    shoot(page, tmp_path, "explore")
    assert network_size(page)[0] == 8
    assert page.get_by_text("• China (Country").count() == 1
    assert page.dialogs == []
    assert page.remote == []


def test_large_graph_is_capped_static_and_says_how_many_are_hidden(page, tmp_path):
    page.frame_locator(FRAME).locator("canvas").wait_for(timeout=60_000)
    choose_entity(page, "Hubland (Country, 1 mentions)", search="Hubland")
    wait_nodes(page, 300, timeout=60_000)
    physics = page.evaluate(f"() => document.querySelector('{FRAME}').contentWindow.network.physics.options.enabled")
    note = page.frame_locator(FRAME).locator("#geokg-note").inner_text()
    time.sleep(1)
    shoot(page, tmp_path, "large-graph")
    shown = page.get_by_text("(1 hidden)").count() >= 1
    assert not physics
    assert "of 301 nodes (1 hidden)" in note
    assert shown
    assert painted_pixels(page) > 1000


def test_cypher_query_from_the_page_draws_its_result(page, tmp_path):
    page.goto(page.url.rsplit("/", 1)[0] + "/cypher")
    editor = page.get_by_test_id("stTextArea").locator("textarea")
    editor.wait_for(timeout=60_000)
    editor.fill("MATCH (a:Person)-[r]->(b) WHERE a.id = $id RETURN a, r, b, b.name AS target")
    page.get_by_test_id("stTextInput").filter(has_text="Parameters").locator("input").fill('{"id": "hostile"}')
    page.get_by_role("button", name="Run").click()
    page.get_by_role("tab", name=re.compile("Graph")).click()
    wait_nodes(page, 3)  # the hostile person, Belarus and the hostile organisation
    page.wait_for_timeout(1500)
    hovered = hover_every_node(page)
    page.get_by_role("tab", name="Table").click()
    page.get_by_text("Country Belarus").first.wait_for(state="attached", timeout=30_000)  # a grid cell
    shoot(page, tmp_path, "cypher")
    assert hovered == 3
    assert page.dialogs == []
    assert page.remote == []


PAGES = ["", "explore", "profile", "paths", "timeline", "analytics", "cypher", "export", "ingest", "curate"]


def test_hostile_text_is_inert_on_every_page_and_in_the_exported_html(page, tmp_path):
    base = page.url.rsplit("/", 1)[0]
    for name in PAGES:
        page.goto(f"{base}/{name}")
        page.get_by_test_id("stApp").wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        pickers = page.get_by_test_id("stTextInput").filter(has_text="Find")
        if pickers.count():
            choose_entity(page, re.compile(r"^Evil "), search="Evil")
            page.wait_for_timeout(1500)
        if page.locator(FRAME).count():
            page.frame_locator(FRAME).locator("canvas").wait_for(timeout=30_000)
            page.wait_for_timeout(1000)
            hover_every_node(page)
        if name == "profile":
            shoot(page, tmp_path, "profile-hostile")
        assert name == name
        assert page.dialogs == []
        assert page.remote == []
        assert page.get_by_test_id("stException").count() == 0
    # the standalone export of the hostile person's network, opened on its own
    page.goto(f"{base}/explore")
    choose_entity(page, f"Evil {XSS} (Person, 1 mentions)", search="Evil")
    wait_nodes(page, 3)
    with page.expect_download() as dl:
        page.get_by_role("button", name="This view as HTML").click()
    path = tmp_path / "view.html"
    dl.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_function("() => window.network?.body.data.nodes.length === 3", timeout=30_000)
    page.wait_for_timeout(1500)
    spots = page.evaluate("() => Object.values(network.getPositions()).map(p => network.canvasToDOM(p))")
    box = page.locator("#mynetwork").bounding_box()
    for spot in spots:
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        page.wait_for_timeout(500)
    assert re.search(r'\b(?:src|href)="https?:', html) is None
    assert page.dialogs == []
    assert page.remote == []
