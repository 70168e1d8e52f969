"""`geokg ingest` of a folder says in one line which files it took as what and skips the data
set's README.TXT (it became an article before)."""

from __future__ import annotations

from cli_support import geokg


def test_geokg_ingest_prints_the_intake_line(bbc_folder, tmp_path):
    res = geokg("ingest", str(bbc_folder), db=tmp_path / "g.lbdb")
    assert (res.returncode, "skipped: README.TXT (not an article: readme/licence file)" in res.stdout,
            "articles read: 3," in res.stdout) == (0, True, True), res.stdout + res.stderr
