"""`geokg eval`'s diagnostics: the per-type table adds up to the summary, errors name their sentence,
and the calibration buckets count every predicted relation once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geokg.loaders.evaluate import format_errors, format_type_table, relation_report, score_dir

GOLD = {"countries": ["CHN", "JPN", "KOR"], "people": [], "organizations": [],
        "relations": [{"source": "CHN", "type": "DISAPPROVE", "target": "JPN", "cue": "China criticised Japan"},
                      {"source": "JPN", "type": "MEET", "target": "KOR", "cue": "Japan met Korea"}]}
PRED = {"entities": [{"id": "country:CHN", "kind": "Country", "iso3": "CHN"},
                     {"id": "country:JPN", "kind": "Country", "iso3": "JPN"},
                     {"id": "country:KOR", "kind": "Country", "iso3": "KOR"}],
        "relations": [{"source": "country:CHN", "type": "DISAPPROVE", "target": "country:JPN",
                       "evidence": "China criticised Japan.", "confidence": 0.85},
                      {"source": "country:JPN", "type": "APPEAL", "target": "country:KOR",
                       "evidence": "Japan urged Korea.", "confidence": 0.42}]}


@pytest.fixture()
def folders(tmp_path: Path) -> tuple[Path, Path]:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    (gold / "001.gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    (pred / "001.json").write_text(json.dumps(PRED), encoding="utf-8")
    return gold, pred


def test_type_table_adds_up_to_the_summary(folders):
    report = relation_report(*folders)
    summary = score_dir(*folders)["summary"]
    tp, n_pred = (sum(v[i] for v in report["types"].values()) for i in range(2))
    assert round(tp / n_pred, 3) == summary["relations_p"]


def test_type_table_lists_types_most_gold_first_then_the_total(folders):
    table = format_type_table(relation_report(*folders)["types"])
    assert [line.split()[0] for line in table.splitlines()] == ["type", "DISAPPROVE", "MEET", "APPEAL", "all"]


def test_a_false_relation_on_a_gold_pair_names_the_gold_type(folders):
    assert "FALSE  001 JPN -> KOR conf=0.42 (gold: MEET): Japan urged Korea." in format_errors(relation_report(*folders))


def test_a_missed_relation_shows_its_gold_cue(folders):
    assert "MISSED 001 JPN -> KOR: Japan met Korea" in format_errors(relation_report(*folders))


def test_each_predicted_relation_lands_in_its_confidence_bucket(folders):
    buckets = {low: (n, right) for low, n, right in relation_report(*folders)["buckets"]}
    assert (buckets[0.4], buckets[0.8]) == ((1, 0), (1, 1))


def test_a_minimum_confidence_scores_only_the_relations_at_or_above_it(folders):
    """The explorer's filter as the eval measures it: the 0.42 APPEAL is dropped, precision rises,
    the summary and the per-type table agree."""
    summary = score_dir(*folders, min_confidence=0.5)["summary"]
    types = relation_report(*folders, min_confidence=0.5)["types"]
    assert (summary["relations_p"], summary["relations_r"]) == (1.0, 0.5)
    assert "APPEAL" not in types


def test_a_relation_without_a_confidence_is_never_dropped(folders, tmp_path):
    pred = json.loads(json.dumps(PRED))
    del pred["relations"][0]["confidence"]
    (folders[1] / "001.json").write_text(json.dumps(pred), encoding="utf-8")
    assert score_dir(*folders, min_confidence=0.99)["summary"]["relations_r"] == 0.5
