"""How ``geokg ingest`` shows progress: a bar with counts, rate and total on a terminal, a line per
committed batch in a log."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

from cli_support import ROOT, SAMPLES


def ingest(db, stderr) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GEOKG_"))}
    return subprocess.run([sys.executable, "-m", "geokg.ui.cli", "ingest", str(SAMPLES)], cwd=ROOT, timeout=300,
                          env={**env, "GEOKG_DB": str(db), "COLUMNS": "120"}, stdout=subprocess.PIPE, stderr=stderr,
                          stdin=subprocess.DEVNULL, text=True)


def on_a_terminal(db) -> str:
    """What the user's terminal shows on stderr (a pseudo-terminal), carriage returns as line ends."""
    main, tty = pty.openpty()
    try:
        ingest(db, tty)
        os.close(tty)
        tty = -1
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the pty's other end is closed: everything was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(main)
        if tty >= 0:
            os.close(tty)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r", "\n")


def test_on_a_terminal_the_bar_shows_done_of_total_and_the_rate(tmp_path):
    shown = on_a_terminal(tmp_path / "g.lbdb")
    assert re.search(r"articles +\[#+\] +8/8 +\d+\.\d/s", shown), shown


def test_in_a_log_each_batch_is_one_line_and_there_is_no_bar(tmp_path):
    res = ingest(tmp_path / "g.lbdb", subprocess.PIPE)
    assert res.stderr.splitlines() == ["geokg: articles: 8 written, 0 already stored"]
