"""GeoKG as a user installs it: the wheel, not the checkout.

The wheel is built from a clean copy of the sources (a stale ``build/`` in a checkout can carry
deleted modules into a wheel), installed with ``pip install --no-deps --target T`` (the
dependencies come from this environment), and run from an empty folder with ``PYTHONPATH=T``, so
nothing is read from the checkout: the tests assert that the modules and data files are T's.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IGNORED = shutil.ignore_patterns(".git", ".venv", ".n4j", "build", "*.egg-info", ".cache", "__pycache__",
                                 ".pytest_cache", ".ruff_cache", "*.lbdb", "*.lbdb.wal", "tests", "benchmarks",
                                 "test-artifacts")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel ``pip wheel --no-deps .`` builds from a clean copy of the checkout."""
    src = tmp_path_factory.mktemp("src") / "geokg"
    shutil.copytree(ROOT, src, ignore=IGNORED)
    out = tmp_path_factory.mktemp("wheel")
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    (built,) = out.glob("geokg-*.whl")
    return built


@pytest.fixture(scope="module")
def target(wheel, tmp_path_factory) -> Path:
    """The wheel installed into a folder of its own (``pip install --no-deps --target``)."""
    t = tmp_path_factory.mktemp("target")
    res = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--no-index",
                          "--target", str(t), str(wheel)], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    return t


def run_installed(target: Path, cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python ARGS`` from ``cwd`` with the installed wheel first on the path and no GeoKG settings."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GEOKG_", "PYTHONPATH"))}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**base, "PYTHONPATH": str(target), **(env or {})}, stdin=subprocess.DEVNULL)


def test_the_wheel_has_one_import_root_geokg(wheel):
    roots = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {r for r in roots if not r.endswith(".dist-info")} == {"geokg"}


def data_files() -> set[str]:
    """Every file of the checkout's data/ (tables, their READMEs, samples), as the wheel names it;
    not the code, caches or a store someone ingested into."""
    return {f"geokg/data/{p.relative_to(ROOT / 'data').as_posix()}" for p in (ROOT / "data").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".py", ".pyc")
            and not p.name.startswith(("geokg.lbdb", "."))}


def test_the_wheel_carries_every_data_file(wheel):
    assert sorted(data_files() - set(zipfile.ZipFile(wheel).namelist())) == []


def test_the_installed_cli_extracts_a_sample_from_an_empty_folder(target, tmp_path):
    sample = target / "geokg" / "data" / "samples" / "01-xi-lukashenko-beijing.txt"
    where = run_installed(target, tmp_path, "-c", "import geokg.ui.cli as m, geokg.data as d; print(m.__file__); "
                                                  "print(d.files())")
    res = run_installed(target, tmp_path, "-m", "geokg.ui.cli", "extract", str(sample))
    assert [Path(p).is_relative_to(target) for p in where.stdout.split()] == [True, True], where.stdout + where.stderr
    assert (res.returncode, "Traceback" in res.stderr) == (0, False), res.stderr
    assert {"country:CHN", "country:BLR"} <= {e["id"] for e in json.loads(res.stdout)["entities"]}


@pytest.fixture(scope="module")
def user_store(target, tmp_path_factory):
    """The samples ingested by the installed wheel from an empty folder, with no GEOKG_DB: (that
    folder, the environment, the user data directory, the ingest's result)."""
    home = tmp_path_factory.mktemp("home")
    empty, data_home = home / "empty", home / "xdg"
    empty.mkdir()
    env = {"XDG_DATA_HOME": str(data_home), "HOME": str(home)}
    res = run_installed(target, empty, "-m", "geokg.ui.cli", "ingest", str(target / "geokg" / "data" / "samples"),
                        env=env)
    return empty, env, data_home, res


def test_outside_a_checkout_the_store_lives_in_the_user_data_dir_and_stats_names_it(target, user_store):
    empty, env, data_home, ingest = user_store
    stats = run_installed(target, empty, "-m", "geokg.ui.cli", "stats", env=env)
    assert (ingest.returncode, ingest.stdout.split("written: ")[1].split(",")[0]) == (0, "8"), ingest.stderr
    assert stats.stdout.splitlines()[0] == f"store: embedded {data_home / 'geokg' / 'geokg.lbdb'}"
    assert sorted(p.name for p in empty.iterdir()) == []


def test_the_installed_explorer_serves_the_user_store_in_a_browser(target, user_store):
    from browser_support import open_browser, settle

    empty, env, _, _ = user_store
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GEOKG_", "PYTHONPATH"))}
    server = subprocess.Popen([sys.executable, "-m", "geokg.ui.cli", "ui", "--port", str(port)], cwd=empty,
                              env={**base, "PYTHONPATH": str(target), **env}, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        with open_browser() as browser:
            page = browser.new_page()
            page.goto(url)
            page.locator("h1").first.wait_for(timeout=90_000)
            settle(page)
            metric = page.get_by_test_id("stMetric").filter(has_text="Article").first.inner_text()
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # `geokg ui` and the streamlit process it started
        server.wait(timeout=30)
    assert metric.split() == ["Article", "8"]
