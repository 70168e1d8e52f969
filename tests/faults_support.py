"""What the fault tests need: a Neo4j of their own to stop and start, a corpus big enough for a
kill to land mid-ingest, ``geokg ingest`` as a watched process, and a fingerprint of a graph to
compare an interrupted-then-resumed ingest with a clean one."""

from __future__ import annotations

import os
import queue
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from geokg.graph.stores.open import Settings
from geokg.graph.stores.protocol import Store

__all__ = ["ROOT", "SAMPLES", "PrivateNeo4j", "write_corpus", "Fingerprint", "fingerprint", "Ingest",
           "geokg_env", "free_port", "java_available"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _quiet_port() -> int:
    """A free port below Linux's ephemeral range (32768+), so that no outgoing connection takes
    it while the server is down between a stop and a start."""
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


def geokg_env(**extra: str) -> dict[str, str]:
    """The environment of a ``geokg`` process: none of the caller's store settings leak in."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GEOKG_"))}
    return {**base, **extra}


class PrivateNeo4j:
    """A second local Neo4j (``scripts/neo4j-local`` with ``NEO4J_LOCAL_HOME``) that a test may
    stop and start without disturbing the suite's server. It keeps its Bolt port across restarts,
    so a client that lost it can find it again."""

    def __init__(self, home: Path):
        self.home = home
        self.port = _quiet_port()
        self.uri = ""
        self.password = ""

    def _script(self, command: str) -> None:
        env = {**os.environ, "NEO4J_LOCAL_HOME": str(self.home), "NEO4J_LOCAL_PORT": str(self.port),
               "NEO4J_LOCAL_HEAP_INITIAL": "256m", "NEO4J_LOCAL_HEAP_MAX": "512m", "NEO4J_LOCAL_PAGECACHE": "64m"}
        res = subprocess.run([str(ROOT / "scripts" / "neo4j-local"), command], env=env, capture_output=True,
                             text=True, timeout=400, stdin=subprocess.DEVNULL)
        if res.returncode != 0:
            raise RuntimeError(f"scripts/neo4j-local {command} failed: {res.stdout}{res.stderr}")

    def start(self) -> None:
        from conftest import read_env_file

        self._script("start")
        values = read_env_file(self.home / "neo4j-local.env")
        self.uri, self.password = values["NEO4J_URI"], values["NEO4J_PASSWORD"]
        assert self.uri.endswith(f":{self.port}"), f"the restarted server moved to {self.uri}"

    def stop(self) -> None:
        self._script("stop")

    def settings(self) -> Settings:
        return Settings(backend="neo4j", neo4j_uri=self.uri, neo4j_password=self.password)

    def env(self, **extra: str) -> dict[str, str]:
        return geokg_env(GEOKG_BACKEND="neo4j", NEO4J_URI=self.uri, NEO4J_USERNAME="neo4j",
                         NEO4J_PASSWORD=self.password, **extra)

    def open(self) -> Store:
        from geokg.graph.stores.neo4j_store import Neo4jStore
        return Neo4jStore(self.uri, "neo4j", self.password)

    def wipe(self) -> None:
        from conftest import wipe_neo4j
        wipe_neo4j(self.settings())


def write_corpus(folder: Path, copies: int) -> int:
    """``copies`` of each sample article, each copy a distinct article (its own URL, so its own id):
    real text for the extractor, many small transactions for the store. Returns the count."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for i in range(copies):
        for sample in sorted(SAMPLES.glob("*.txt")):
            head, body = sample.read_text(encoding="utf-8").split("\n\n", 1)
            (folder / f"{i:03d}-{sample.name}").write_text(
                f"{head}\nURL: https://news.example.org/{i}/{sample.stem}\n\n{body}", encoding="utf-8")
            n += 1
    return n


ARTICLE_LINKS = ("MATCH (a:Article) OPTIONAL MATCH (a)-[m:MENTIONS]->() WITH a, count(m) AS mentions "
                 "OPTIONAL MATCH (a)-[:REPORTS]->(e:Event) RETURN a.id AS id, mentions, count(e) AS reports")


@dataclass(frozen=True)
class Fingerprint:
    """What must be equal between a clean ingest and an interrupted one that was run again:
    counts by label and type, each article's links, and every roll-up's mention count (a
    duplicate article would count twice there)."""

    stats: dict
    articles: dict[str, tuple[int, int]]
    rollups: tuple[tuple, ...]


def fingerprint(store: Store) -> Fingerprint:
    links = store.cypher(ARTICLE_LINKS, row_cap=100_000)
    rels = store.relations(limit=100_000)
    rollups = sorted(zip(rels.source_label, rels.source_id, rels.type, rels.target_label, rels.target_id,
                         rels.mentions)) if len(rels) else []
    return Fingerprint(store.stats(), {r.id: (int(r.mentions), int(r.reports)) for r in links.itertuples()},
                       tuple(rollups))


class Ingest:
    """``geokg ingest`` running in the background; its stderr is read line by line as it comes,
    so a test can act on progress ("articles: 20 written, ...") and outage lines."""

    def __init__(self, paths: list[Path], env: dict[str, str], batch_size: int = 10):
        self.proc = subprocess.Popen([sys.executable, "-m", "geokg.ui.cli", "ingest", *map(str, paths),
                                      "--batch-size", str(batch_size)], cwd=ROOT, env=env, text=True,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines: list[str] = []
        self._new: queue.Queue[str | None] = queue.Queue()
        self._out: list[str] = []
        self._readers = [threading.Thread(target=self._read_err, daemon=True),
                         threading.Thread(target=self._read_out, daemon=True)]
        for t in self._readers:
            t.start()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._new.put(line.rstrip("\n"))
        self._new.put(None)

    def _read_out(self) -> None:
        assert self.proc.stdout is not None
        self._out.append(self.proc.stdout.read())

    def wait_for(self, needle: str, count: int = 1, timeout: float = 300) -> None:
        """Until ``count`` stderr lines contain ``needle`` (fails if the process ends first)."""
        deadline = time.monotonic() + timeout
        while sum(needle in ln for ln in self.lines) < count:
            try:
                line = self._new.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {needle!r} x{count} after {timeout}s; stderr so far: {self.lines}") from None
            if line is None:
                raise AssertionError(f"ingest ended before {needle!r} x{count}; stderr: {self.lines}")
            self.lines.append(line)

    def kill(self) -> None:
        self.proc.kill()
        self.finish()

    def finish(self, timeout: float = 600) -> int:
        """Wait for the end; returns the exit code (all stderr lines are in ``lines``)."""
        self.proc.wait(timeout=timeout)
        for t in self._readers:
            t.join(timeout=30)
        while True:
            try:
                line = self._new.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.lines.append(line)
        return self.proc.returncode

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    @property
    def stdout(self) -> str:
        return "".join(self._out)


def java_available() -> bool:
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))
