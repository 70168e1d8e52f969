"""The explorer in a real browser (Debian's chromium through playwright): the network draws
offline, shows the chosen entity's neighbourhood, and hostile article text never runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import need
from graph.embedded import EmbeddedStore
from graph.model import Article, Entity, Fragment, Relation
from graph_fixtures import BLR, seed_fragment

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("GEOKG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
FRAME = 'iframe[title="st.iframe"]'
XSS = '<img src=x onerror="alert(1)">'


def hostile_fragment() -> Fragment:
    """An article whose names and evidence carry script: the app must show them as text."""
    p = Entity("Person", "hostile", f"Evil {XSS}", (), {"role": "<a href=x>boss</a><script>alert(2)</script>", "country": "BLR"})
    return Fragment(Article("hostile", f"title {XSS}", published="2023-05-01"), (p, BLR),
                    (Relation("LEADS", p.ref, BLR.ref, f"evidence href {XSS} <a href='javascript:alert(3)'>x</a>",
                              "2023-05-01"),))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    db = tmp_path_factory.mktemp("ui") / "graph.lbdb"
    with EmbeddedStore(db) as s:
        s.write_many([seed_fragment(), hostile_fragment()])
    port = free_port()
    env = {**os.environ, "GEOKG_DB": str(db), "GEOKG_BACKEND": "embedded"}
    env.pop("NEO4J_URI", None)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    need(Path(CHROMIUM).exists(), f"no chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.dialogs, pg.remote = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "about:", "blob:"))
          else pg.remote.append(r.url))
    pg.goto(app_url)
    yield pg
    ctx.close()


def network_size(page) -> tuple[int, int]:
    return page.evaluate(f"""() => {{ const n = document.querySelector('{FRAME}').contentWindow.network;
        return n ? [n.body.data.nodes.length, n.body.data.edges.length] : [0, 0]; }}""")


def painted_pixels(page) -> int:
    return page.frame_locator(FRAME).locator("canvas").evaluate("""c => { const d = c.getContext('2d')
        .getImageData(0, 0, c.width, c.height).data; let k = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) k++;
        return k; }""")


def choose_entity(page, name: str) -> None:
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=name).click()


def test_network_draws_the_neighbourhood_offline(page):
    page.frame_locator(FRAME).locator("canvas").wait_for(timeout=60_000)
    choose_entity(page, "Belarus (Country, 2 mentions)")
    page.wait_for_function(f"() => document.querySelector('{FRAME}').contentWindow.network?.body.data.nodes.length === 7",
                           timeout=30_000)
    time.sleep(1.5)
    assert (network_size(page)[0], painted_pixels(page) > 1000, page.remote) == (7, True, [])


def test_relations_summary_counts_the_entitys_relations_by_type(page):
    page.frame_locator(FRAME).locator("canvas").wait_for(timeout=60_000)
    choose_entity(page, "Belarus (Country, 2 mentions)")
    summary = page.get_by_text("MILITARY_POSTURE 1")
    summary.wait_for(timeout=30_000)
    assert "BORDERS 2" in summary.inner_text()


def test_hostile_names_and_evidence_never_execute(page, tmp_path):
    page.frame_locator(FRAME).locator("canvas").wait_for(timeout=60_000)
    choose_entity(page, f"Evil {XSS} (Person, 1 mentions)")
    page.wait_for_function(f"() => document.querySelector('{FRAME}').contentWindow.network?.body.data.nodes.length === 2",
                           timeout=30_000)
    time.sleep(1.5)  # let physics settle so the positions below stay put
    box = page.frame_locator(FRAME).locator("canvas").bounding_box()
    spots = page.evaluate(f"""() => {{ const n = document.querySelector('{FRAME}').contentWindow.network;
        return Object.values(n.getPositions()).map(p => n.canvasToDOM(p)); }}""")
    for spot in spots:  # hover every node long enough for its tooltip to open
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        time.sleep(0.8)
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert (page.dialogs, page.remote) == ([], [])
