"""A hostile-input sweep through every page, the HTML and GraphML exports: names, aliases, titles,
URLs and evidence carrying markup, markdown link and image syntax, RTL overrides and control
characters set no script flag, open no dialog, make no script link and make the browser fetch
nothing from another machine (a markdown image or ``<img>`` would be a tracking pixel)."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from geokg.graph.model import Article, Entity, Event, Fragment, Relation, stable_id
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import BLR, seed_fragment

#: An address no test machine has (TEST-NET-3): any request to it is the page obeying article text.
OFF = "203.0.113.7"
PARTS = [
    f"![pixel](http://{OFF}/md.png)", f"<img src=http://{OFF}/img.png>", f"[link](http://{OFF}/md-link)",
    f"<link rel=stylesheet href=//{OFF}/s.css>", f"<iframe src=http://{OFF}/frame></iframe>",
    f"<meta http-equiv=refresh content=\"0;url=http://{OFF}/meta\">", f"<div style=\"background:url(//{OFF}/css)\">",
    "<script>top.__xss='script'</script>", "<img src=x onerror=\"top.__xss='img'\">",
    "[click](javascript:top.__xss='md')", "\u202eevil\u202c", "\u200f\u2067rtl\u2069", "\x07\x1b[31m\x08", "**bold** `code` $x$",
    "</textarea><svg onload=\"top.__xss='svg'\">", "{{7*7}} ${7*7}", "&lt;b&gt; &#x3C;script&#x3E;",
    "<svg onload=\"window.parent.__xss='parent'\">", "<a href=\"javascript:top.__xss='href'\">href</a>",
]


def sweep_texts(n: int = 6) -> list[str]:
    """``n`` hostile strings: every part once, in pairs that put one kind inside another's text."""
    pairs = itertools.cycle(zip(PARTS, PARTS[1:] + PARTS[:1]))
    return [f"Hostile {i} {a} {b} " + " ".join(PARTS[i::n]) for i, (a, b) in zip(range(n), pairs)]


def sweep_fragments() -> list[Fragment]:
    """The hostile person, organisation and place, an event and three relations; and a second
    article about the person whose link is a ``javascript:`` URL (no page may make it a link)."""
    t = sweep_texts()
    p = Entity("Person", "hostile-person", t[0], (t[1],), {"role": t[2], "country": "BLR"})
    o = Entity("Organization", "hostile-org", t[3], (t[4],), {"kind": t[5]})
    loc = Entity("Location", "hostile-place", t[1], (), {"country": "BLR"})
    art = Article("hostile-article", t[2], url=f"http://{OFF}/article?x=<b>", published="2023-06-01", source=t[3])
    ev = Event(stable_id("hostile-ev"), "SANCTION", (o.ref,), (p.ref,), " ".join(t), "2023-06-01", location=loc.ref)
    second = Article("hostile-article-2", t[4], url="javascript:top.__xss='url'", published="2023-06-02", source=t[5])
    return [Fragment(art, (p, o, loc, BLR), (Relation("LEADS", p.ref, BLR.ref, t[4], "2023-06-01"),
                                             Relation("MEMBER_OF", p.ref, o.ref, t[5], "2023-06-01"),
                                             Relation("LOCATED_IN", loc.ref, BLR.ref, t[0], "2023-06-01")), (ev,)),
            Fragment(second, (p, BLR), (Relation("LEADS", p.ref, BLR.ref, t[1], "2023-06-02"),), ())]


def _off_machine(urls: list[str]) -> list[str]:
    return [u for u in urls if urlsplit(u).hostname not in ("127.0.0.1", "localhost", None) and not u.startswith("data:")]


def test_graphml_export_of_hostile_names_parses_and_keeps_them(tmp_path):
    from geokg.graph.stores.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "g.lbdb") as s:
        write_fragments(s, [seed_fragment(), *sweep_fragments()])
        stored = s.entity("person:hostile-person")["name"]
        out = s.export("graphml", tmp_path / "g.graphml")
    texts = {d.text for d in ET.parse(out).iter() if d.tag.endswith("data")}
    assert re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", stored) in texts  # what XML cannot hold is dropped


def test_hostile_text_makes_no_request_flag_dialog_or_script_link_on_any_page_or_export(tmp_path):
    from browser_support import PAGES, choose_entity, hover_graph, open_browser, script_effects, serve_app, settle

    from geokg.graph.analysis.viz import network_view
    from geokg.graph.stores.embedded import EmbeddedStore

    db = tmp_path / "graph.lbdb"
    with EmbeddedStore(db) as s:
        write_fragments(s, [seed_fragment(), *sweep_fragments()])
        standalone = network_view(s.neighbourhood(["person:hostile-person"], hops=2), height=500).html
    seen: dict[str, list[str]] = {}
    with serve_app({"GEOKG_BACKEND": "embedded", "GEOKG_DB": str(db)}, tmp_path / "app.log") as url, open_browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        requests: list[str] = []
        dialogs: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for name in PAGES:
            requests.clear()
            page.goto(f"{url}/{name}")
            page.get_by_test_id("stApp").wait_for(timeout=60_000)
            settle(page)
            choose_entity(page, "Hostile 0")
            if name == "cypher":
                page.get_by_test_id("stTextArea").locator("textarea").fill(
                    "MATCH (a)-[r]-(b) WHERE a.id STARTS WITH 'hostile' RETURN a, r, b, a.name AS name, r.evidence AS ev")
                page.get_by_role("button", name="Run").click()
                settle(page)
                tabs = page.get_by_role("tab", name=re.compile("Graph"))
                if tabs.count():
                    tabs.click()
            hover_graph(page)
            seen[name] = script_effects(page) + dialogs + _off_machine(requests)
        requests.clear()
        export = tmp_path / "view.html"
        export.write_text(standalone, encoding="utf-8")
        page.goto(export.as_uri())
        page.wait_for_timeout(1500)
        seen["standalone HTML export"] = script_effects(page) + dialogs + _off_machine(requests)
        requests.clear()
        page.set_content(f"<img src='http://{OFF}/control.png'>")  # the tripwire itself: it must see this one
        page.wait_for_timeout(500)
        control = _off_machine(requests)
    assert (seen, control != []) == ({**{name: [] for name in PAGES}, "standalone HTML export": []}, True)
