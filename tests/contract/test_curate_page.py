"""The Curate page through ``streamlit.testing.v1.AppTest`` on both backends: nothing is
pre-selected, merging two countries needs the removed one's code typed out, candidates are
listed with their reasons and a rejection removes the pair."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract.test_duplicates import SERGEI, SERGEY, lavrov_fragments
from streamlit.testing.v1 import AppTest

from conftest import seed_app_store
from graph_fixtures import RUS, UKR, followup_fragment, seed_fragment

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(params=["embedded", "neo4j"])
def curate_env(request, tmp_path, monkeypatch):
    """An app whose store holds the seed article and two spellings of one minister."""
    frags = [seed_fragment(), followup_fragment(), *lavrov_fragments()]
    return seed_app_store(request, tmp_path, monkeypatch, frags)


def curate() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at.switch_page("ui/curate.py").run()


def test_the_merge_form_opens_with_no_entity_kept(curate_env):
    assert curate().selectbox(key="cur_keep_entity").value is None


def test_the_merge_form_opens_with_no_entity_to_remove(curate_env):
    assert curate().selectbox(key="cur_drop_entity").value is None


def test_the_merge_button_is_disabled_until_both_are_chosen(curate_env):
    assert curate().button(key="cur_merge").disabled is True


def _two_countries(at: AppTest) -> AppTest:
    at.selectbox(key="cur_keep_entity").select(RUS.ref).run()
    at.selectbox(key="cur_drop_entity").select(UKR.ref).run()
    return at.checkbox(key="cur_merge_ok").check().run()


def test_merging_two_countries_is_refused_with_only_the_checkbox(curate_env):
    assert _two_countries(curate()).button(key="cur_merge").disabled is True


def test_merging_two_countries_goes_ahead_once_the_code_is_typed(curate_env):
    at = _two_countries(curate())
    at.text_input(key="cur_merge_country_ok").input("UKR").run()
    assert at.button(key="cur_merge").disabled is False


def test_merging_a_person_into_a_country_is_refused(curate_env):
    at = curate()
    at.selectbox(key="cur_keep_entity").select(RUS.ref).run()
    at.selectbox(key="cur_drop_entity").select(SERGEI.ref).run()
    assert any("cannot be merged" in e.value for e in at.error)


def test_the_candidates_tab_lists_the_pair_with_its_reason(curate_env):
    table = next(d.value for d in curate().dataframe if "reason" in d.value.columns)
    row = table[table["first"] == "Sergei Lavrov"].iloc[0]
    assert row["second"] == "Sergey Lavrov"
    assert "spelling variant" in row["reason"]


def test_a_candidate_opens_with_neither_side_kept(curate_env):
    at = curate()
    at.selectbox(key="cur_cand_pick").select(0).run()
    assert at.radio(key="cur_cand_keep").value is None


def test_not_the_same_removes_the_pair_from_the_candidates(curate_env):
    at = curate()
    at.selectbox(key="cur_cand_pick").select(0).run()
    at.button(key="cur_cand_reject").click().run()
    tables = [d.value for d in at.dataframe if "reason" in d.value.columns]
    assert not any((t["first"] == "Sergei Lavrov").any() for t in tables)


def test_a_merge_from_the_candidates_tab_can_be_undone(curate_env):
    at = curate()
    at.selectbox(key="cur_cand_pick").select(0).run()
    at.radio(key="cur_cand_keep").set_value(SERGEI.ref).run()
    at.checkbox(key="cur_cand_ok").check().run()
    at.button(key="cur_cand_merge").click().run()
    at.selectbox(key="cur_undo_pick").select_index(0).run()
    at.button(key="cur_undo").click().run()
    names = {o.split(" (")[0] for o in at.selectbox(key="cur_keep_entity").options}
    assert SERGEY.name in names
