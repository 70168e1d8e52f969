"""Faults GeoKG lives through, with real processes: ``geokg ingest`` killed with SIGKILL, a Neo4j
server stopped in the middle of an ingest (and one that does not come back in time), two ingests
into one embedded file at once, and the explorer in a real browser while Neo4j is down.

The Neo4j tests stop and start a server of their own (``scripts/neo4j-local`` with
``NEO4J_LOCAL_HOME``), never the suite's. An ingest is paused (SIGSTOP) while its server stops,
so the outage lands mid-ingest however fast the machine is.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser_support import open_browser, serve_app

from conftest import need
from faults_support import (
    ROOT,
    Fingerprint,
    Ingest,
    PrivateNeo4j,
    fingerprint,
    geokg_env,
    java_available,
    write_corpus,
)
from geokg.graph.errors import TransientStoreError
from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.retry import Backoff, retrying
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import seed_fragment

BATCH = 8
COPIES = 6  # x 8 sample articles = 48 articles, 6 transactions: a kill after the third lands mid-ingest


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("faults") / "corpus"
    write_corpus(folder, COPIES)
    return folder


@pytest.fixture(scope="module")
def clean(corpus, tmp_path_factory) -> Fingerprint:
    """The graph of one uninterrupted ingest of the corpus (embedded store)."""
    db = tmp_path_factory.mktemp("clean") / "graph.lbdb"
    run = Ingest([corpus], geokg_env(GEOKG_DB=str(db)), BATCH)
    assert run.finish() == 0, run.stderr
    with EmbeddedStore(db, read_only=True) as s:
        fp = fingerprint(s)
    assert len(fp.articles) == COPIES * 8
    assert [a for a, (m, _) in fp.articles.items() if m <= 0] == []
    return fp


def whole_articles(partial: Fingerprint, clean: Fingerprint) -> dict:
    """The stored articles whose links differ from the clean run's (empty when all are whole)."""
    return {a: (links, clean.articles.get(a)) for a, links in partial.articles.items() if clean.articles.get(a) != links}


# --- the embedded store -------------------------------------------------------------------------


def test_kill_9_mid_ingest_leaves_whole_articles_and_a_rerun_completes_without_duplicates(corpus, clean, tmp_path):
    db = tmp_path / "graph.lbdb"
    env = geokg_env(GEOKG_DB=str(db))
    run = Ingest([corpus], env, BATCH)
    run.wait_for("articles: ", count=3)  # three transactions committed
    run.kill()
    with EmbeddedStore(db, read_only=True) as s:  # the file opens after a SIGKILL
        killed = fingerprint(s)
    assert 3 * BATCH <= len(killed.articles) < len(clean.articles), "the kill should land mid-ingest"
    assert whole_articles(killed, clean) == {}
    rerun = Ingest([corpus], env, BATCH)
    assert rerun.finish() == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr, rerun.stderr
    with EmbeddedStore(db, read_only=True) as s:
        assert fingerprint(s) == clean


def test_two_ingests_at_once_into_one_file_take_turns_and_count_once(corpus, clean, tmp_path):
    db = tmp_path / "graph.lbdb"
    env = geokg_env(GEOKG_DB=str(db), GEOKG_RETRY_SECONDS="600")
    runs = [Ingest([corpus], env, BATCH) for _ in range(2)]
    codes = [r.finish() for r in runs]
    waited = [r for r in runs if any("busy" in ln and "waiting up to 600 s" in ln for ln in r.lines)]
    written = sum(int(r.stdout.split("written: ")[1].split(",")[0]) for r in runs)
    assert codes == [0, 0], [r.stderr for r in runs]
    assert len(waited) == 1, [r.stderr for r in runs]
    assert written == len(clean.articles), [r.stderr for r in runs]
    with EmbeddedStore(db, read_only=True) as s:
        assert fingerprint(s) == clean


def test_a_second_writer_gives_up_after_its_wait_with_one_error_line(tmp_path):
    db = tmp_path / "graph.lbdb"
    with EmbeddedStore(db):
        t0 = time.monotonic()
        res = subprocess.run([sys.executable, "-m", "geokg.ui.cli", "ingest", str(ROOT / "data" / "samples")], cwd=ROOT,
                             env=geokg_env(GEOKG_DB=str(db), GEOKG_RETRY_SECONDS="2"), capture_output=True, text=True,
                             timeout=120, stdin=subprocess.DEVNULL)
        took = time.monotonic() - t0
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("geokg: error:")]
    assert res.returncode == 1, res.stderr
    assert len(errors) == 1, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    assert took >= 2, res.stderr
    assert "busy" in errors[0]
    assert "waited 2 s" in errors[0]
    with EmbeddedStore(db, read_only=True) as s:  # the waiting never touched the file
        assert s.stats()["nodes"] == {}


@pytest.mark.parametrize("value", ["abc", "-1"])
def test_a_bad_retry_budget_is_one_line_naming_the_variable(value, tmp_path):
    res = subprocess.run([sys.executable, "-m", "geokg.ui.cli", "ingest", str(ROOT / "data" / "samples")], cwd=ROOT,
                         env=geokg_env(GEOKG_DB=str(tmp_path / "g.lbdb"), GEOKG_RETRY_SECONDS=value),
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    lines = res.stderr.splitlines()
    assert res.returncode == 1, res.stderr
    assert len(lines) == 1, res.stderr
    assert "GEOKG_RETRY_SECONDS" in res.stderr, res.stderr


def test_retry_pauses_grow_to_a_cap_and_stop_at_the_budget():
    """The waiting schedule a user sees in the outage lines: quick first retries, then one try
    every ``cap`` seconds, and no attempt after the budget."""
    now = [0.0]
    slept: list[float] = []
    calls = []

    def down():
        calls.append(now[0])
        raise TransientStoreError("lost the connection")

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    with pytest.raises(TransientStoreError):
        retrying(down, Backoff(total=20, first=0.5, factor=2, cap=8), sleep=sleep, clock=lambda: now[0])
    assert slept == [0.5, 1, 2, 4, 8, 4.5]
    assert calls[-1] == 20


# --- a Neo4j that stops ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def private_neo4j():
    need(java_available(), "no java: the fault tests start a Neo4j of their own (scripts/neo4j-local)")
    server = PrivateNeo4j(ROOT / ".cache" / "neo4j-faults")
    server.start()
    yield server
    server.stop()


@contextmanager
def paused(run: Ingest):
    """The ingest frozen (SIGSTOP) for the duration: what happens meanwhile lands mid-ingest."""
    os.kill(run.proc.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(run.proc.pid, signal.SIGCONT)


def test_ingest_waits_out_a_neo4j_restart_and_resumes_without_duplicates(private_neo4j, corpus, clean):
    private_neo4j.wipe()
    run = Ingest([corpus], private_neo4j.env(GEOKG_RETRY_SECONDS="300"), BATCH)
    run.wait_for("articles: ", count=2)
    with paused(run):
        private_neo4j.stop()
    run.wait_for("Retrying for up to 300 s")
    private_neo4j.start()
    code = run.finish()
    print("\n".join(run.lines))  # shown with -s or on failure: the outage as a user reads it
    outages = [ln for ln in run.lines if "Retrying for up to" in ln]
    assert code == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert len(outages) == 1, run.stderr
    assert "Neo4j at " + private_neo4j.uri in outages[0]
    assert any("back after" in ln for ln in run.lines)
    with private_neo4j.open() as s:
        assert fingerprint(s) == clean


def test_ingest_gives_up_in_one_line_when_neo4j_stays_down_and_a_rerun_completes(private_neo4j, corpus, clean):
    private_neo4j.wipe()
    env = private_neo4j.env(GEOKG_RETRY_SECONDS="3")
    run = Ingest([corpus], env, BATCH)
    run.wait_for("articles: ", count=2)
    with paused(run):
        private_neo4j.stop()
    code = run.finish()
    errors = [ln for ln in run.lines if ln.startswith("geokg: error:")]
    assert code == 1, run.stderr
    assert len(errors) == 1, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert "gave up after 3 s" in errors[0]
    assert "run the same command again" in errors[0]
    private_neo4j.start()
    with private_neo4j.open() as s:
        partial = fingerprint(s)
    assert 2 * BATCH <= len(partial.articles) < len(clean.articles)
    assert whole_articles(partial, clean) == {}
    rerun = Ingest([corpus], env, BATCH)
    assert rerun.finish() == 0, rerun.stderr
    with private_neo4j.open() as s:
        assert fingerprint(s) == clean


def ingest_samples(env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    """``geokg ingest data/samples`` run to its end, and how long it took."""
    t0 = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "geokg.ui.cli", "ingest", str(ROOT / "data" / "samples")], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    return res, time.monotonic() - t0


def test_ingest_started_while_neo4j_is_down_waits_for_it_within_the_budget(private_neo4j, corpus, clean):
    """One stop of the server for both halves (a restart costs ~30 s of a shared machine): with a
    2 s budget the ingest says once that it waits, then gives up in one line; with 300 s it
    waits for a server started a few seconds after it began, and loads the whole corpus."""
    private_neo4j.wipe()
    private_neo4j.stop()
    try:
        short, took = ingest_samples(private_neo4j.env(GEOKG_RETRY_SECONDS="2"))
        lines = short.stderr.splitlines()
        waits = [ln for ln in lines if "waiting up to 2 s (GEOKG_RETRY_SECONDS)" in ln]
        errors = [ln for ln in lines if ln.startswith("geokg: error:")]
        assert short.returncode == 1, short.stderr
        assert len(waits) == 1, short.stderr
        assert len(errors) == 1, short.stderr
        assert len(lines) == 2, short.stderr
        assert "Traceback" not in short.stderr, short.stderr
        assert took >= 2, short.stderr
        assert f"cannot reach Neo4j at {private_neo4j.uri}" in errors[0]
        assert "waited 2 s" in errors[0]
        run = Ingest([corpus], private_neo4j.env(GEOKG_RETRY_SECONDS="300"), BATCH)
        run.wait_for("waiting up to 300 s (GEOKG_RETRY_SECONDS)")
        time.sleep(3)
    finally:
        private_neo4j.start()
    code = run.finish()
    print("\n".join(run.lines))  # shown with -s or on failure: the wait as a user reads it
    waits = [ln for ln in run.lines if "waiting up to" in ln]
    assert code == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert len(waits) == 1, run.stderr
    assert f"cannot reach Neo4j at {private_neo4j.uri}" in waits[0]
    assert any("the store is reachable after" in ln for ln in run.lines)
    with private_neo4j.open() as s:
        assert fingerprint(s) == clean


WRONG_SETTINGS = {
    "wrong password": lambda server: {"NEO4J_PASSWORD": "not-the-password-7f3a"},
    "host name that does not resolve": lambda server: {"NEO4J_URI": "bolt://no-such-host.invalid:7687"},
    "port that is not a number": lambda server: {"NEO4J_URI": "bolt://127.0.0.1:notaport"},
    "scheme that is not Neo4j's": lambda server: {"NEO4J_URI": server.uri.replace("bolt://", "ftp://")},
    # the driver takes http:// for its preview HTTP API, which needs packages GeoKG lacks
    "http address": lambda server: {"NEO4J_URI": server.uri.replace("bolt://", "http://")},
}


@pytest.mark.parametrize("wrong", WRONG_SETTINGS.values(), ids=WRONG_SETTINGS.keys())
def test_ingest_fails_at_once_on_a_wrong_password_or_address_however_long_it_may_wait(private_neo4j, wrong):
    env = {**private_neo4j.env(GEOKG_RETRY_SECONDS="300"), **wrong(private_neo4j)}
    res, took = ingest_samples(env)
    lines = res.stderr.splitlines()
    assert res.returncode == 1, res.stderr
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("geokg: error:"), res.stderr
    assert "waiting" not in res.stderr, res.stderr
    assert took < 60, res.stderr
    assert private_neo4j.password not in res.stderr + res.stdout
    assert "not-the-password" not in res.stderr


# --- the explorer while Neo4j is down -------------------------------------------------------------

BANNER = "The graph store is not available"
DATA = "Most connected actors"


@pytest.fixture(scope="module")
def browser():
    with open_browser() as b:
        yield b


def shows(page, text: str, timeout: float = 60_000) -> bool:
    """The page shows ``text`` (waiting up to ``timeout`` ms) and no Streamlit exception box."""
    page.get_by_text(text).first.wait_for(timeout=timeout)
    return page.get_by_test_id("stException").count() == 0 and "Traceback" not in page.content()


def test_app_shows_a_banner_while_neo4j_is_down_and_recovers_when_it_returns(private_neo4j, browser, tmp_path):
    private_neo4j.wipe()
    with private_neo4j.open() as s:
        write_fragments(s, [seed_fragment()])
    env = private_neo4j.env()
    with serve_app(env, tmp_path / "browsing.log") as browsing_url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        browsing = ctx.new_page()
        browsing.goto(f"{browsing_url}/overview")
        assert shows(browsing, DATA)
        private_neo4j.stop()
        browsing.reload()  # any rerun while the server is down
        assert shows(browsing, BANNER)
        with serve_app(env, tmp_path / "fresh.log") as fresh_url:  # an app started while the server is down
            fresh = ctx.new_page()
            fresh.goto(f"{fresh_url}/overview")
            assert shows(fresh, BANNER)
            assert shows(fresh, "cannot reach Neo4j at " + private_neo4j.uri)
            private_neo4j.start()
            fresh.reload()
            browsing.reload()
            assert shows(fresh, DATA)
            assert shows(browsing, DATA)
            assert fresh.get_by_text(BANNER).count() == 0
            assert browsing.get_by_text(BANNER).count() == 0
        ctx.close()
