"""Regression guard: extraction quality on the dev gold set, and our scorer agrees with score.py.

Thresholds sit a little under the scores measured when this was written (see the report in
``data/README-extraction.md``); raise them when extraction improves, never lower them quietly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.evaluate import evaluate, score_article, score_dir
from loaders.extract import Extractor

THRESHOLDS = {
    "countries_f1": 0.95,
    "people_f1": 0.95,
    "leads_acc": 0.90,
    "relations_f1": 0.68,
    "relations_root_f1": 0.68,
}


@pytest.fixture(scope="module")
def dev_result(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    pred = tmp_path_factory.mktemp("pred")
    return evaluate(shared_dir / "eval" / "dev", Extractor(), score_script=shared_dir / "eval" / "score.py",
                    pred_dir=pred)


@pytest.mark.parametrize("metric,minimum", sorted(THRESHOLDS.items()))
def test_dev_score_does_not_regress(dev_result: dict, metric: str, minimum: float):
    assert dev_result["summary"][metric] >= minimum, dev_result["summary"]


@pytest.mark.parametrize("metric", ["countries_f1", "people_f1", "leads_acc", "relations_p", "relations_r",
                                    "relations_f1", "relations_root_f1"])
def test_our_scorer_agrees_with_the_shared_score_py(dev_result: dict, metric: str):
    assert dev_result["summary"][metric] == pytest.approx(dev_result["reference"][metric], abs=0.001)


def test_every_gold_article_gets_a_prediction_file(dev_result: dict, shared_dir: Path):
    stems = {p.name[:3] for p in (shared_dir / "eval" / "dev").glob("*.gold.json")}
    assert {p.stem for p in Path(dev_result["pred_dir"]).glob("*.json")} == stems


SCORER_CASES = [
    # (gold, prediction, category, (tp, predicted, gold))
    ({"countries": ["CHN", "BLR"]},
     {"entities": [{"id": "country:CHN", "kind": "Country", "iso3": "CHN"}]}, "countries", (1, 1, 2)),
    ({"people": [{"name": "Xi Jinping"}]},
     {"entities": [{"id": "person:x", "kind": "Person", "name": "Mr Jinping"}]}, "people", (1, 1, 1)),
    ({"organizations": ["EU"]},
     {"entities": [{"id": "org:eu", "kind": "Organization", "name": "European Union"}]}, "orgs", (1, 1, 1)),
    ({"countries": ["CHN", "BLR"], "relations": [{"source": "CHN", "type": "MEET", "target": "BLR"}]},
     {"entities": [{"id": "country:CHN", "kind": "Country", "iso3": "CHN"},
                   {"id": "country:BLR", "kind": "Country", "iso3": "BLR"}],
      "relations": [{"source": "country:BLR", "type": "MEET", "target": "country:CHN"}]},
     "relations", (1, 1, 1)),
    ({"countries": ["CHN", "BLR"], "relations": [{"source": "CHN", "type": "AGREEMENT", "target": "BLR"}]},
     {"entities": [{"id": "country:CHN", "kind": "Country", "iso3": "CHN"},
                   {"id": "country:BLR", "kind": "Country", "iso3": "BLR"}],
      "relations": [{"source": "country:BLR", "type": "DIPLOMATIC_COOPERATION", "target": "country:CHN"}]},
     "relations_root", (1, 1, 1)),
    ({"people": [{"name": "Xi Jinping", "country": "CHN", "role": "President"}]},
     {"entities": [{"id": "person:x", "kind": "Person", "name": "Xi Jinping", "country": "CHN"}]},
     "leads", (1, 1, 1)),
]


@pytest.mark.parametrize("gold,pred,category,expected", SCORER_CASES)
def test_scorer_counts_matches_as_the_gold_format_says(gold, pred, category, expected):
    assert score_article(gold, pred)[category] == expected


def test_missing_prediction_scores_as_empty(tmp_path: Path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "001.gold.json").write_text(json.dumps({"countries": ["CHN"]}))
    result = score_dir(tmp_path / "gold", tmp_path / "nothing")
    assert result["summary"]["countries_f1"] == 0.0
