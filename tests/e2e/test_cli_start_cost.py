"""Commands that do not extract start without the spaCy model (~3 s to load) and, for ``--help``,
without pandas and networkx: ``python -X importtime`` lists every module a command imported."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_support import ROOT

from geokg.graph.stores.embedded import EmbeddedStore
from graph_fixtures import seed_fragment


def imported(args: list[str], db) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GEOKG_"))}
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "geokg.ui.cli", *args], capture_output=True,
                         text=True, cwd=ROOT, env={**env, "GEOKG_DB": str(db)}, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    return {ln.rsplit("|", 1)[1].strip() for ln in res.stderr.splitlines() if ln.startswith("import time:")}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "graph.lbdb"
    with EmbeddedStore(path) as s:
        s.write(seed_fragment())
    return path


@pytest.mark.parametrize("args", [["--help"], ["stats"], ["stats", "--json"], ["query", "MATCH (n) RETURN count(n) AS n"],
                                  ["ingest", "--help"]])
def test_commands_that_do_not_extract_never_load_spacy(args, db):
    assert "spacy" not in imported(args, db)


def test_help_imports_neither_pandas_nor_networkx(db):
    assert {"pandas", "networkx"} & imported(["--help"], db) == set()
