"""Running ``geokg`` as a user does, for the tests that drive the command line: a subprocess
with the environment cleared of NEO4J_*/GEOKG_* (so a developer's own settings never leak in),
and the check that a user mistake is one line on stderr, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["ROOT", "SAMPLES", "geokg", "assert_one_line_error"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


def geokg(*args: str, env: dict[str, str] | None = None, db: Path | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GEOKG_"))}
    if db is not None:
        base["GEOKG_DB"] = str(db)
    return subprocess.run([sys.executable, "-m", "geokg.ui.cli", *args], capture_output=True, text=True,
                          env={**base, **(env or {})}, cwd=ROOT, timeout=300, stdin=subprocess.DEVNULL)


def assert_one_line_error(res: subprocess.CompletedProcess, *needles: str) -> None:
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.returncode != 0, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    assert len(lines) == 1, res.stderr
    for needle in needles:
        assert needle in lines[0]
