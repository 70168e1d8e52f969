"""Shared fixtures: the shared/ folder, both real stores, and their settings; the suite's layout.

Neo4j tests talk to a real server named by NEO4J_URI (``make test`` starts one with
``scripts/neo4j-local``). Without it they skip with a loud reason on a laptop, and fail
under ``CI=true``, where skipping would hide a broken leg.

Layout, one marker per folder (``pytest -m unit`` ...): ``tests/unit`` pure functions, no store;
``tests/contract`` the stores, each test on the embedded store and a real Neo4j; ``tests/e2e``
real processes (the ``geokg`` command, the app in a browser, faults, nasty inputs, scale-out).
Every test that touches the suite's Neo4j is marked ``neo4j``: each empties that database first,
so no two may run on one server at once. ``scripts/run-tests`` gives each pytest-xdist worker a
local server of its own (``GEOKG_TEST_NEO4J_ENVS``, read by ``pytest_configure`` below); with
one server of yours (NEO4J_URI) it runs the ``neo4j`` tests in a pass of their own, one at a time.
(Not ``xdist_group`` + ``--dist loadgroup``: pytest-xdist 3.8 groups by renaming
``item._nodeid``, which pytest 9 no longer reads, so the group is silently empty.)
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.open import Settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ROOT = Path(__file__).resolve().parents[1]


FOLDER_MARKERS = ("unit", "contract", "e2e")
_NEO4J_KEYS = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD")


def read_env_file(path: Path) -> dict[str, str]:
    """The ``export KEY=value`` lines of a file ``scripts/neo4j-local`` wrote."""
    pairs = {}
    for line in path.read_text().splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            pairs[key] = value
    return pairs


def pytest_configure(config: pytest.Config) -> None:
    """On xdist worker ``gw<i>``, point NEO4J_URI and its login at the i-th server of
    ``GEOKG_TEST_NEO4J_ENVS`` (env files, ``:``-separated), so that workers never empty each
    other's database. The process environment is set, so the ``geokg`` commands a test starts
    reach the same server."""
    files = [f for f in os.environ.get("GEOKG_TEST_NEO4J_ENVS", "").split(":") if f]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    if not files or not worker.startswith("gw"):
        return
    chosen = read_env_file(Path(files[int(worker[2:]) % len(files)]))
    for key in _NEO4J_KEYS:
        if key in chosen:
            os.environ[key] = chosen[key]


def uses_shared_neo4j(item: pytest.Item) -> bool:
    """True when the test talks to the suite's Neo4j: it asks for ``neo4j_settings`` (directly or
    through a fixture's dependencies), is parametrised onto the ``neo4j`` backend (``store_factory``,
    ``app_env``: they reach ``neo4j_settings`` only at run time), or is marked ``neo4j``."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    return ("neo4j_settings" in getattr(item, "fixturenames", ())
            or "neo4j" in params.values()
            or item.get_closest_marker("neo4j") is not None)


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark each test with its folder (unit / contract / e2e), and the Neo4j ones ``neo4j``
    (as each test is collected, so that ``-m`` sees the marks)."""
    tests_dir = Path(__file__).resolve().parent
    try:
        folder = item.path.resolve().relative_to(tests_dir).parts[0]
    except ValueError:  # a doctest of graph/, loaders/ or data/: a unit test
        folder = "unit"
    if folder in FOLDER_MARKERS:
        item.add_marker(getattr(pytest.mark, folder))
    if uses_shared_neo4j(item):
        item.add_marker(pytest.mark.neo4j)


def need(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false, except under CI=true, where it fails."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared/ folder (beside the repo), or GEOKG_SHARED."""
    path = Path(os.environ.get("GEOKG_SHARED") or ROOT.parent / "shared")
    need(path.is_dir(), f"shared/ folder not found at {path} (set GEOKG_SHARED)")
    return path


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


FIRST_NINE = range(0, 9)  # dev articles 000-008: the whole dev set when facts about "the dev articles" were pinned


def dev_articles(shared_dir: Path, numbers: range = FIRST_NINE) -> list[Path]:
    """The dev articles ``NNN.txt`` numbered ``numbers`` (000-008 by default), in order.

    Tests that state facts measured on particular articles name them, so the dev folder growing
    (9 articles, then 39) changes neither their answer nor their cost.
    """
    paths = [shared_dir / "eval" / "dev" / f"{n:03d}.txt" for n in numbers]
    missing = [p.name for p in paths if not p.is_file()]
    assert not missing, f"dev articles missing from {shared_dir / 'eval' / 'dev'}: {missing}"
    return paths


def link_folder(paths: list[Path], folder: Path) -> Path:
    """``folder`` holding a symlink to each of ``paths`` (shared/ files are never copied)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        (folder / path.name).symlink_to(path)
    return folder


@pytest.fixture(scope="session")
def extractor():
    """One Extractor for the whole session: spaCy and the gazetteer matcher load once (seconds)."""
    from geokg.loaders.extraction.extractor import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def neo4j_settings() -> Settings:
    s = Settings.from_env("neo4j")
    need(bool(s.neo4j_uri), "NEO4J_URI is not set: run `make test` (starts a local Neo4j) "
                            "or point NEO4J_URI at a server")
    return s


def wipe_neo4j(settings: Settings) -> None:
    """Empty the test database (the test's own admin connection, not the read-only console)."""
    import neo4j

    with neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)) as d, \
            d.session(database=settings.neo4j_database) as s:
        # in batches: one huge DETACH DELETE after a benchmark can exhaust a small test server's heap
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


APP_ENV_KEYS = ("GEOKG_DB", "GEOKG_BACKEND", "NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")


def seed_app_store(request, tmp_path: Path, monkeypatch, fragments) -> str:
    """For a fixture parametrised on the backend: write ``fragments`` into a fresh store of
    ``request.param`` (the suite's Neo4j, emptied, or an embedded file in ``tmp_path``), point the
    app's environment at it and drop Streamlit's caches, so an AppTest opens that store."""
    from geokg.graph.stores.writer import write_fragments

    for k in APP_ENV_KEYS:
        if request.param == "embedded" or k.startswith("GEOKG"):
            monkeypatch.delenv(k, raising=False)
    if request.param == "neo4j":
        settings = request.getfixturevalue("neo4j_settings")
        wipe_neo4j(settings)
        from geokg.graph.stores.neo4j_store import Neo4jStore
        with Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database) as s:
            write_fragments(s, fragments)
    else:
        db = tmp_path / "graph.lbdb"
        with EmbeddedStore(db) as s:
            write_fragments(s, fragments)
        monkeypatch.setenv("GEOKG_DB", str(db))
    monkeypatch.setenv("GEOKG_BACKEND", request.param)
    import streamlit as st
    st.cache_resource.clear()
    st.cache_data.clear()
    return request.param


@pytest.fixture(params=["embedded", "neo4j"])
def store_factory(request, tmp_path):
    """A function opening a fresh, empty store of each backend; call it again to 'reopen'."""
    opened = []
    if request.param == "neo4j":
        settings = request.getfixturevalue("neo4j_settings")
        wipe_neo4j(settings)
        from geokg.graph.stores.neo4j_store import Neo4jStore

        def factory():
            s = Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database)
            opened.append(s)
            return s
    else:
        path = tmp_path / "graph.lbdb"

        def factory():
            for s in opened:
                s.close()
            s = EmbeddedStore(path)
            opened.append(s)
            return s
    yield factory
    for s in opened:
        try:
            s.close()
        except Exception:
            pass


@pytest.fixture
def store(store_factory):
    return store_factory()
