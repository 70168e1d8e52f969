"""The evidence panel and shared links in a real browser (Debian's chromium through
playwright): hostile article text in an evidence sentence stays text (no dialog, no injected
script, no javascript: link), and a copied link reopens the same view in a fresh page."""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from browser_support import open_browser, script_effects, serve_app, settle

from geokg.graph.model import Article, Entity, Event, Fragment, Relation, stable_id
from geokg.graph.stores.embedded import EmbeddedStore
from graph_fixtures import BLR, EU, followup_fragment, seed_fragment

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__xss=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__xss=2;alert(2)">'
LINK = "[click](javascript:alert(3))"
EVIL = Entity("Person", "hostile", "Hostile Person", (), {"country": "BLR"})


def hostile_fragment() -> Fragment:
    """An article whose sentences, title, outlet and URL carry script, markup and markdown."""
    a = Article("hostile-ev", f"Title {IMG} {LINK}", url="javascript:alert(4)", published="2023-06-01",
                source=f"Outlet {SCRIPT}")
    ev = Event(stable_id("hostile-ev", "SANCTION"), "SANCTION", (EVIL.ref,), (BLR.ref,),
               f"Sanctions sentence {SCRIPT} {IMG} {LINK}", "2023-06-01")
    return Fragment(a, (EVIL, BLR), (Relation("LEADS", EVIL.ref, BLR.ref, f"Leads sentence {SCRIPT} {IMG}", "2023-06-01"),),
                    (ev,))


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("evidence")
    db = tmp / "graph.lbdb"
    with EmbeddedStore(db) as s:
        s.write_many([seed_fragment(), followup_fragment(), hostile_fragment()])
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    with serve_app({**env, "GEOKG_DB": str(db), "GEOKG_BACKEND": "embedded"}, tmp / "app.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with open_browser() as b:
        yield b


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    ctx.close()


def _panel(page, app_url: str, ev: str) -> str:
    page.goto(f"{app_url}/explore?focus={quote(EVIL.ref)}&ev={quote(ev)}")
    page.get_by_text("newest first").wait_for(timeout=60_000)
    settle(page)
    return page.inner_text("body")


def test_a_hostile_event_sentence_shows_as_text(page, app_url):
    text = _panel(page, app_url, f"{EVIL.ref}|SANCTION|{BLR.ref}")
    assert f"Sanctions sentence {SCRIPT} {IMG} {LINK}" in text


def test_a_hostile_article_title_shows_as_text(page, app_url):
    assert f"Title {IMG} {LINK}" in _panel(page, app_url, f"{EVIL.ref}|SANCTION|{BLR.ref}")


def test_a_hostile_outlet_shows_as_text(page, app_url):
    assert f"Outlet {SCRIPT}" in _panel(page, app_url, f"{EVIL.ref}|SANCTION|{BLR.ref}")


def test_hostile_evidence_fires_no_dialog(page, app_url):
    _panel(page, app_url, f"{EVIL.ref}|LEADS|{BLR.ref}")
    page.wait_for_timeout(1000)
    assert page.dialogs == []


def test_hostile_evidence_leaves_no_script_effect(page, app_url):
    _panel(page, app_url, f"{EVIL.ref}|SANCTION|{BLR.ref}")
    assert script_effects(page) == []


@pytest.fixture
def reopened(page, app_url, browser):
    """A fresh browser context on the link an Explore view offers to copy (Belarus, 2 hops,
    the EU's sanctions shown in the evidence panel)."""
    page.goto(f"{app_url}/explore?focus={quote(BLR.ref)}&hops=2&ev={quote(f'{EU.ref}|SANCTION|{BLR.ref}')}")
    page.get_by_text("newest first").wait_for(timeout=60_000)
    settle(page)
    link = page.get_by_test_id("stCode").first.inner_text().strip()
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    other = ctx.new_page()
    other.goto(link)
    other.get_by_text("newest first").wait_for(timeout=60_000)
    settle(other)
    yield other
    ctx.close()


def test_a_copied_link_reopens_the_focus_entity(reopened):
    assert reopened.get_by_test_id("stSelectbox").first.locator("input").input_value() == "Belarus (Country, 3 mentions)"


def test_a_copied_link_reopens_the_hops(reopened):
    assert reopened.get_by_test_id("stSliderThumbValue").first.inner_text().strip() == "2"


def test_a_copied_link_reopens_the_evidence_shown(reopened):
    assert "The European Union imposed new sanctions on Belarus" in reopened.inner_text("body")
