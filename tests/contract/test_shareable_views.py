"""Explore, Paths and Cypher keep their state in the URL, so a link reopens the same view; and
Explore's evidence panel lists every sentence of a relation, newest first. Through AppTest
on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract.test_curate_page import curate_env  # noqa: F401  (the fixture, used below)
from streamlit.testing.v1 import AppTest

from graph_fixtures import BLR, EU, LUKA, XI

APP = str(Path(__file__).resolve().parents[2] / "app.py")
pytestmark = pytest.mark.usefixtures("curate_env")


def opened(page: str, **params: str) -> AppTest:
    """The app opened on ``page`` from a link carrying ``params``."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run().switch_page(page).run()


def test_an_explore_link_reopens_its_focus_entity():
    at = opened("ui/explore.py", focus=LUKA.ref, hops="2")
    assert at.selectbox(key="explore_entity").value == LUKA.ref


def test_an_explore_link_reopens_its_hops():
    assert opened("ui/explore.py", focus=LUKA.ref, hops="2").slider(key="explore_hops").value == 2


def test_an_explore_link_reopens_its_type_filter():
    assert opened("ui/explore.py", focus=BLR.ref, types="BORDERS,NOT_A_TYPE").multiselect(key="explore_types").value \
        == ["BORDERS"]


def test_explore_puts_its_view_in_the_url():
    at = opened("ui/explore.py", focus=BLR.ref)
    at.slider(key="explore_hops").set_value(2).run()
    assert at.query_params["focus"] == BLR.ref
    assert at.query_params["hops"] == "2"


def test_explore_shows_the_link_to_copy():
    at = opened("ui/explore.py", focus=BLR.ref)
    assert any("focus=country%3ABLR" in c.value for c in at.code)


def test_a_link_to_an_unknown_entity_opens_the_page_as_usual():
    at = opened("ui/explore.py", focus="person:nobody", hops="banana")
    assert not at.exception
    assert [e.value for e in at.error] == []


def _sentences(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("“")]


def test_the_evidence_panel_lists_every_sentence_of_a_relation_newest_first():
    at = opened("ui/explore.py", focus=BLR.ref)
    at.selectbox(key="explore_ev").select(f"{EU.ref}|SANCTION|{BLR.ref}").run()
    assert _sentences(at) == ["“The European Union imposed new sanctions on Belarus”",
                              "“his country faces sanctions from the European Union”"]


def test_the_evidence_panel_names_each_article_outlet_and_date():
    at = opened("ui/explore.py", focus=BLR.ref)
    at.selectbox(key="explore_ev").select(f"{EU.ref}|SANCTION|{BLR.ref}").run()
    assert any(c.value.startswith("[EU widens Belarus sanctions](https://example.org/followup) · Example · 2023")
               for c in at.caption)


def test_an_explore_link_reopens_the_evidence_shown():
    at = opened("ui/explore.py", focus=BLR.ref, ev=f"{EU.ref}|SANCTION|{BLR.ref}")
    assert len(_sentences(at)) == 2


def test_a_paths_link_reopens_its_start():
    assert opened("ui/paths.py", a=XI.ref, b=EU.ref).selectbox(key="path_a_entity").value == XI.ref


def test_a_paths_link_reopens_its_end():
    assert opened("ui/paths.py", a=XI.ref, b=EU.ref).selectbox(key="path_b_entity").value == EU.ref


def test_a_cypher_link_runs_its_query():
    at = opened("ui/cypher.py", q="MATCH (c:Country) RETURN c.name AS name ORDER BY name")
    table = next(d.value for d in at.dataframe if "name" in d.value.columns)
    assert list(table["name"])[:2] == ["Belarus", "China"]


def test_cypher_puts_the_query_it_ran_in_the_url():
    at = opened("ui/cypher.py")
    at.text_area(key="cy_text").input("MATCH (c:Country) RETURN count(c) AS n").run()
    at.button(key="cy_run").click().run()
    assert at.query_params["q"] == "MATCH (c:Country) RETURN count(c) AS n"
