"""`geokg ingest` of a real mixed folder: good items are written, each bad item is one line."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _mixed_folder(shared_dir: Path, folder: Path) -> dict[str, str]:
    """Build the folder from real files; returns {bad file name: expected reason}."""
    data = shared_dir / "data"
    (folder / "web").mkdir(parents=True)
    (folder / "feeds").mkdir()
    shutil.copyfile(data / "html/mozilla-readability/telegraph/source.html", folder / "web/telegraph.html")
    shutil.copyfile(data / "rss/heise.atom", folder / "feeds/heise.atom")
    articles = sorted((data / "text/bbc/politics").glob("*.txt"))[:3]
    lines = []
    for p in articles:
        title, _, body = p.read_text(encoding="utf-8").partition("\n")
        lines.append(json.dumps({"title": title.strip(), "body": body.strip()}))
    lines.insert(1, '{"title": "half a line", "body": ')
    (folder / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    with zipfile.ZipFile(folder / "archive.txt", "w") as zf:  # a real binary, renamed .txt
        zf.write(articles[0], arcname=articles[0].name)
    # a real article saved in a legacy encoding: not UTF-8, so it is read as cp1252
    legacy = articles[1].read_text(encoding="utf-8").replace("pounds", "£")
    (folder / "legacy.txt").write_bytes(legacy.encode("cp1252"))
    (folder / ".hidden.txt").write_bytes(b"\x00\x01 never read")
    (folder / ".cache").mkdir()
    (folder / ".cache" / "page.html").write_bytes(b"\x00\x01 never read either")
    return {"dump.jsonl:2": "broken JSON", "empty.txt": "empty file", "archive.txt": "binary file"}


def test_ingest_of_a_mixed_folder_reports_each_bad_item_once(shared_dir, tmp_path):
    folder = tmp_path / "inbox"
    bad = _mixed_folder(shared_dir, folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "GEOKG_BACKEND"}
    env["GEOKG_DB"] = str(tmp_path / "g.lbdb")
    res = subprocess.run([sys.executable, "-m", "geokg.ui.cli", "ingest", str(folder)], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=300, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    reported = [ln for ln in res.stderr.splitlines() if str(folder) in ln]
    assert sorted(ln.split(str(folder) + "/", 1)[1].split(": ", 1)[0] for ln in reported) == sorted(bad)
    for name, reason in bad.items():
        assert [ln for ln in reported if f"/{name}: " in ln and reason in ln] != [], (name, reported)
    summary = re.search(r"articles read: (\d+), .*skipped: (\d+); nodes written: \d+, relationships written: \d+",
                        res.stdout)
    # 1 page + 15 Atom entries + 3 JSONL rows + the legacy-encoded article
    assert summary, res.stdout
    assert int(summary.group(1)) == 20, res.stdout
    assert int(summary.group(2)) == 3, res.stdout
