"""``geokg curate`` as a user runs it: candidates as a table and as JSON, a merge that prints
how to undo it, a refused country merge as one line, reject and undo."""

from __future__ import annotations

import json

import pytest
from cli_support import assert_one_line_error, geokg
from contract.test_duplicates import SERGEI, SERGEY, lavrov_fragments

from geokg.graph.stores.embedded import EmbeddedStore
from graph_fixtures import seed_fragment


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "graph.lbdb"
    with EmbeddedStore(path) as s:
        s.write_many([seed_fragment(), *lavrov_fragments()])
    return path


def test_candidates_as_json_name_the_pair_and_its_reasons(db):
    out = json.loads(geokg("curate", "candidates", "--format", "json", db=db).stdout)
    assert {(c["a"], c["b"]): c["reasons"][0] for c in out}[SERGEI.ref, SERGEY.ref] == "spelling variant"


def test_candidates_as_a_table_show_score_and_reason(db):
    line = next(ln for ln in geokg("curate", "candidates", db=db).stdout.splitlines() if "Lavrov" in ln)
    assert "Sergey Lavrov" in line
    assert "spelling variant" in line


def test_merging_two_countries_without_confirmation_is_one_clear_line(db):
    assert_one_line_error(geokg("curate", "merge", "country:RUS", "country:UKR", db=db), "--yes-countries")


def test_a_merge_prints_the_command_that_undoes_it_and_that_command_works(db):
    merged = geokg("curate", "merge", SERGEI.ref, SERGEY.ref, db=db)
    undo = merged.stdout.strip().split("undo with: ")[1]
    restored = geokg(*undo.split()[1:], db=db)
    assert restored.stdout.strip() == f"restored {SERGEY.ref}"


def test_a_rejected_pair_is_no_longer_listed(db):
    geokg("curate", "reject", SERGEI.ref, SERGEY.ref, db=db)
    out = json.loads(geokg("curate", "candidates", "--format", "json", db=db).stdout)
    assert (SERGEI.ref, SERGEY.ref) not in {(c["a"], c["b"]) for c in out}
