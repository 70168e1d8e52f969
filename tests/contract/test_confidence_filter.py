"""The minimum-confidence filter: the store reads hide extracted relations below it and keep
those without a confidence of their own (GDELT/ACLED records, structural facts stored at 1.0);
the Explore page starts at the calibrated default and keeps a changed value in its URL. On both
backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import seed_app_store
from geokg.graph.model import Article, Event, Fragment, stable_id
from geokg.graph.stores.writer import write_fragments
from geokg.loaders.extraction.confidence import calibration
from graph_fixtures import BLR, CHN, RUS, followup_fragment, seed_fragment

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def doubtful_fragment() -> Fragment:
    """An article whose extractor was unsure: Russia criticising Belarus at confidence 0.3."""
    a = Article(Article.make_id("https://example.org/doubt", ""), "Moscow grumbles", url="https://example.org/doubt",
                published="2023-05-01", source="Example")
    sentence = "Moscow was said to be unhappy with Minsk"
    ev = Event(stable_id(a.id, "DISAPPROVE", sentence), "DISAPPROVE", (RUS.ref,), (BLR.ref,), sentence,
               a.published, confidence=0.3)
    return Fragment(a, (RUS, BLR), (), (ev,))


def record_fragment() -> Fragment:
    """A GDELT record: China meets Belarus, with no confidence of its own (1.0)."""
    a = Article("gdelt-1", "", published="2023-05-02", origin="gdelt")
    ev = Event(stable_id("gdelt", "1"), "DIPLOMATIC_COOPERATION", (CHN.ref,), (BLR.ref,), "", a.published)
    return Fragment(a, (CHN, BLR), (), (ev,))


def _frags() -> list[Fragment]:
    return [seed_fragment(), followup_fragment(), doubtful_fragment(), record_fragment()]


def test_relations_below_the_minimum_confidence_are_hidden(store):
    write_fragments(store, _frags())
    assert "DISAPPROVE" in set(store.relations(entity=BLR.ref).type)
    assert "DISAPPROVE" not in set(store.relations(entity=BLR.ref, min_confidence=0.5).type)


def test_the_neighbourhood_hides_relations_below_the_minimum_confidence(store):
    write_fragments(store, _frags())
    kinds = {k for _, _, k in store.neighbourhood([BLR.ref], min_confidence=0.5).edges(keys=True)}
    assert "DISAPPROVE" not in kinds and "SANCTION" in kinds


def test_records_without_a_confidence_are_never_hidden(store):
    write_fragments(store, _frags())
    rel = store.relations(min_confidence=0.99)
    g = store.neighbourhood([BLR.ref], min_confidence=0.99)
    assert "DIPLOMATIC_COOPERATION" in set(rel.type)
    assert g.has_edge(CHN.ref, BLR.ref, key="DIPLOMATIC_COOPERATION")


# --- the Explore page ------------------------------------------------------------------------

@pytest.fixture(params=["embedded", "neo4j"])
def doubt_env(request, tmp_path, monkeypatch):
    """An app whose store holds the seed article, its follow-up, a doubtful one and a record."""
    frags = _frags()
    return seed_app_store(request, tmp_path, monkeypatch, frags)


def _explore(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run().switch_page("ui/explore.py").run()


def _types(at: AppTest) -> set[str]:
    """The relation types of the page's relations table."""
    return set(at.dataframe[0].value.type)


@pytest.mark.usefixtures("doubt_env")
def test_explore_starts_at_the_calibrated_confidence_and_hides_doubtful_relations():
    at = _explore(focus=BLR.ref)
    assert at.number_input(key="explore_conf").value == pytest.approx(calibration().min_confidence)
    assert "DISAPPROVE" not in _types(at)
    assert {"DIPLOMATIC_COOPERATION", "SANCTION"} <= _types(at)
    assert "conf" not in at.query_params  # the default is left out of the link


@pytest.mark.usefixtures("doubt_env")
def test_a_lower_minimum_confidence_shows_them_and_goes_in_the_link():
    at = _explore(focus=BLR.ref)
    at.number_input(key="explore_conf").set_value(0.0).run()
    assert "DISAPPROVE" in _types(at)
    assert at.query_params["conf"] == "0.0"


@pytest.mark.usefixtures("doubt_env")
def test_an_explore_link_reopens_its_minimum_confidence():
    at = _explore(focus=BLR.ref, conf="0.2")
    assert at.number_input(key="explore_conf").value == pytest.approx(0.2)
    assert "DISAPPROVE" in _types(at)

