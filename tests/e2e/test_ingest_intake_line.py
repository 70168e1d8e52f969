"""`geokg ingest` of a folder says in one line which files it took as what and skips the data
set's README.TXT (it became an article before)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import geokg


@pytest.fixture
def bbc_folder(shared_dir, tmp_path) -> Path:
    """The real BBC corpus layout: README.TXT beside a folder of articles (three of them), and a
    real GDELT export."""
    folder = tmp_path / "bbc"
    (folder / "politics").mkdir(parents=True)
    shutil.copyfile(shared_dir / "data/text/bbc/README.TXT", folder / "README.TXT")
    for p in sorted((shared_dir / "data/text/bbc/politics").glob("*.txt"))[:3]:
        shutil.copyfile(p, folder / "politics" / p.name)
    shutil.copyfile(shared_dir / "data/gdelt/spark-gdelt/events.csv", folder / "events.csv")
    return folder


def test_geokg_ingest_prints_the_intake_line(bbc_folder, tmp_path):
    res = geokg("ingest", str(bbc_folder), db=tmp_path / "g.lbdb")
    assert (res.returncode, "skipped: README.TXT (not an article: readme/licence file)" in res.stdout,
            "articles read: 3," in res.stdout) == (0, True, True), res.stdout + res.stderr
