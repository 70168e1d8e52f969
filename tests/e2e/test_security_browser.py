"""Issue #7, "Injection", as a user meets it: the ``geokg`` command refuses a bad export path in one
line (the store-level attacks are in tests/contract/test_security.py; hostile article text in a real
browser, on every page, is tests/e2e/test_hostile_sweep.py, whose payloads include those that would
set a flag on the page or its parent instead of calling alert())."""

from __future__ import annotations

from cli_support import assert_one_line_error, geokg


def test_cli_export_to_a_missing_folder_is_one_line_before_the_store_is_opened(tmp_path):
    res = geokg("export", "--format", "json", "--out", str(tmp_path / "nope" / "g.json"), db=tmp_path / "none.lbdb")
    assert_one_line_error(res, "does not exist")
