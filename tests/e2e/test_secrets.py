"""Issue #7, "Secrets": the Neo4j password reaches the driver and nothing else.

It comes from the environment, ``st.secrets`` (``~/.streamlit/secrets.toml``) or the app's
password field; these tests set a known one (the real local server's, and a wrong one for the
failure paths), run the CLI on success and failure paths, export, open the app in a real
browser, and grep every output, exported file, log and page for it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from browser_support import PAGES, open_browser, page_texts, serve_app, settle
from cli_support import geokg

from conftest import wipe_neo4j
from geokg.graph.stores.neo4j_store import Neo4jStore
from geokg.graph.stores.open import Settings
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import seed_fragment

WRONG = "geokg-Wrong-Pa55-7f3a9"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "03-finland-joins-nato.txt"


def files_text(folder: Path) -> str:
    """The text of every file under ``folder`` (exports, logs), bytes decoded leniently."""
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(folder.rglob("*")) if p.is_file())


def test_settings_and_store_objects_never_show_the_password(neo4j_settings):
    s = replace(neo4j_settings, neo4j_password=WRONG)
    with Neo4jStore(neo4j_settings.neo4j_uri, neo4j_settings.neo4j_user, neo4j_settings.neo4j_password) as store:
        shown = [repr(s), str(s), f"{s!r}", repr(store), repr(vars(store)), repr(Settings.from_env(env={"NEO4J_PASSWORD": WRONG}))]
        assert [WRONG in x or neo4j_settings.neo4j_password in x for x in shown] == [False] * len(shown)


def cli_runs(uri: str, password: str, out: Path) -> dict[str, tuple[str, ...]]:
    """The CLI commands to run with ``password``: reads, a refused write, bad Cypher, an export
    and an ingest (whose success depends on the password being right)."""
    return {
        "stats": ("stats", "--backend", "neo4j"),
        "query": ("query", "MATCH (c:Country) RETURN c.name AS name", "--backend", "neo4j", "--format", "json"),
        "refused write": ("query", "CREATE (:Country {id: 'ZZZ'})", "--backend", "neo4j"),
        "bad cypher": ("query", "MATCH (n RETURN n", "--backend", "neo4j"),
        "export": ("export", "--format", "json", "--out", str(out / "graph.json"), "--backend", "neo4j"),
        "export csv": ("export", "--format", "csv", "--out", str(out / "csv"), "--backend", "neo4j"),
        "ingest": ("ingest", str(SAMPLE), "--backend", "neo4j"),
    }


@pytest.mark.parametrize("case", ["right password", "wrong password", "unreachable server", "password in the address"])
def test_cli_output_and_exports_never_hold_the_password(neo4j_settings, tmp_path, case):
    uri, password = neo4j_settings.neo4j_uri, neo4j_settings.neo4j_password
    if case == "right password":
        wipe_neo4j(neo4j_settings)
        with Neo4jStore(uri, neo4j_settings.neo4j_user, password) as store:
            write_fragments(store, [seed_fragment()])
    elif case == "wrong password":
        password = WRONG
    elif case == "unreachable server":
        uri, password = "bolt://127.0.0.1:1", WRONG
    else:
        uri, password = uri.replace("bolt://", f"bolt://neo4j:{WRONG}@"), WRONG
    out = tmp_path / "out"
    out.mkdir()
    env = {"NEO4J_URI": uri, "NEO4J_USERNAME": neo4j_settings.neo4j_user, "NEO4J_PASSWORD": password,
           "GEOKG_DB": str(tmp_path / "unused.lbdb"),
           "GEOKG_RETRY_SECONDS": "2"}  # an ingest waits for an unreachable server: the lines it says then count too
    results = {name: geokg(*args, env=env) for name, args in cli_runs(uri, password, out).items()}
    works = case == "right password"
    assert {name: r.returncode == 0 for name, r in results.items()} == {
        "stats": works, "query": works, "refused write": False, "bad cypher": False, "export": works, "export csv": works,
        "ingest": works}
    assert [name for name, r in results.items() if password in r.stdout + r.stderr] == []
    assert password not in files_text(tmp_path)


def visit(page, url: str, names: list[str]) -> str:
    """Open each page, let it draw, and return everything it showed."""
    texts = []
    for name in names:
        page.goto(f"{url}/{name}")
        page.locator("h1, [data-testid=stAlert]").first.wait_for(timeout=60_000)
        settle(page)
        texts.append(page_texts(page))
    return "\n".join(texts)


def test_app_pages_and_log_never_hold_the_password(neo4j_settings, tmp_path):
    """The password from the environment, from ~/.streamlit/secrets.toml, typed into the
    sidebar, and a wrong one: the app connects (or says why not) and no page or log holds it."""
    wipe_neo4j(neo4j_settings)
    with Neo4jStore(neo4j_settings.neo4j_uri, neo4j_settings.neo4j_user, neo4j_settings.neo4j_password) as store:
        write_fragments(store, [seed_fragment()])
    secret = neo4j_settings.neo4j_password
    base = {"GEOKG_BACKEND": "neo4j", "NEO4J_URI": neo4j_settings.neo4j_uri, "NEO4J_USERNAME": neo4j_settings.neo4j_user}
    homes = {k: tmp_path / k for k in ("env", "secrets", "typed", "wrong")}
    for home in homes.values():
        home.mkdir()
    (homes["secrets"] / ".streamlit").mkdir()
    (homes["secrets"] / ".streamlit" / "secrets.toml").write_text(f'NEO4J_PASSWORD = "{secret}"\n')
    seen = {}
    with open_browser() as browser:
        for how, env, names in (("env", {**base, "NEO4J_PASSWORD": secret}, PAGES),
                                ("secrets", base, ["", "cypher"]),
                                ("typed", base, []),
                                ("wrong", {**base, "NEO4J_PASSWORD": WRONG}, ["", "cypher"])):
            with serve_app(env, homes[how] / "app.log") as url:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                if how == "typed":  # the sidebar's password field: typed, then the app reconnects
                    page.goto(f"{url}/")
                    page.locator("h1, [data-testid=stAlert]").first.wait_for(timeout=60_000)
                    field = page.locator("input[type=password]")
                    field.fill(secret)
                    field.press("Enter")
                    settle(page)
                    page.get_by_role("button", name="Reconnect").click()
                    settle(page)
                    texts = page_texts(page).replace(f'value="{secret}"', "")  # the field itself, in the user's own browser
                    page.get_by_role("link", name="Cypher").click()
                    page.locator("h1, [data-testid=stAlert]").first.wait_for(timeout=60_000)
                    settle(page)
                    texts += page_texts(page).replace(f'value="{secret}"', "")
                else:
                    texts = visit(page, url, names)
                connected = "neo4j store" in texts and "not available" not in texts
                page.close()
            seen[how] = (connected, (WRONG if how == "wrong" else secret) in texts + files_text(homes[how]).replace(
                f'NEO4J_PASSWORD = "{secret}"', ""))
    assert seen == {"env": (True, False), "secrets": (True, False), "typed": (True, False), "wrong": (False, False)}
