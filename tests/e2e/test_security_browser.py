"""Issue #7, "Injection", as a user meets it: the ``geokg`` command refuses a bad export path in one
line, and in a real browser hostile article text runs nothing on any page of the explorer (the
store-level attacks are in tests/contract/test_security.py)."""

from __future__ import annotations

import re

from cli_support import assert_one_line_error, geokg

from geokg.graph.model import Article, Entity, Event, Fragment, Relation, stable_id
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import BLR, seed_fragment


def test_cli_export_to_a_missing_folder_is_one_line_before_the_store_is_opened(tmp_path):
    res = geokg("export", "--format", "json", "--out", str(tmp_path / "nope" / "g.json"), db=tmp_path / "none.lbdb")
    assert_one_line_error(res, "does not exist")


# --- 5. in a real browser: payloads that would set a flag instead of calling alert() ------------

FLAG_PAYLOADS = ["<img src=x onerror=\"top.__xss='img'\">", "<script>top.__xss='script'</script>",
                 "<svg onload=\"window.parent.__xss='svg'\">", "[click](javascript:top.__xss='md')",
                 "<a href=\"javascript:top.__xss='href'\">href</a>"]


def flag_fragment() -> Fragment:
    text = " ".join(FLAG_PAYLOADS)
    p = Entity("Person", "evil-flag", f"Evil {FLAG_PAYLOADS[0]}", (FLAG_PAYLOADS[1],), {"role": FLAG_PAYLOADS[2], "country": "BLR"})
    o = Entity("Organization", "evil-org", f"Org {FLAG_PAYLOADS[3]}", (), {"kind": FLAG_PAYLOADS[4]})
    art = Article("evil-article", f"title {text}", url="javascript:top.__xss='url'", published="2023-05-01", source=text)
    ev = Event(stable_id("evil-ev"), "SANCTION", (o.ref,), (p.ref,), f"evidence href {text}", "2023-05-01")
    return Fragment(art, (p, o, BLR), (Relation("LEADS", p.ref, BLR.ref, f"evidence href {text}", "2023-05-01"),
                                       Relation("MEMBER_OF", p.ref, o.ref, text, "2023-05-01")), (ev,))


def test_hostile_text_sets_no_flag_and_makes_no_script_link_on_any_page(tmp_path):
    from browser_support import PAGES, choose_entity, hover_graph, open_browser, script_effects, serve_app, settle

    from geokg.graph.stores.embedded import EmbeddedStore

    db = tmp_path / "graph.lbdb"
    with EmbeddedStore(db) as s:
        write_fragments(s, [seed_fragment(), flag_fragment()])
    seen = {}
    with serve_app({"GEOKG_BACKEND": "embedded", "GEOKG_DB": str(db)}, tmp_path / "app.log") as url, open_browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for name in PAGES:
            page.goto(f"{url}/{name}")
            page.get_by_test_id("stApp").wait_for(timeout=60_000)
            settle(page)
            choose_entity(page, "Evil")
            if name == "cypher":
                page.get_by_test_id("stTextArea").locator("textarea").fill(
                    "MATCH (a)-[r]-(b) WHERE a.id IN ['evil-flag', 'evil-org'] RETURN a, r, b, a.name AS name, r.evidence AS ev")
                page.get_by_role("button", name="Run").click()
                settle(page)
                page.get_by_role("tab", name=re.compile("Graph")).click()
            hover_graph(page)
            seen[name] = script_effects(page) + dialogs
    assert seen == {name: [] for name in PAGES}
