"""The ``geokg`` command: ingest, extract, query, stats, export, eval, ui.

Every failure a user can cause (a wrong password, an unreachable server, a locked or corrupt
database, bad Cypher, an unreadable file) ends as one line on stderr naming the cause and the
fix, with a non-zero exit code and no traceback.

``geokg ingest`` outlives faults: it writes whole articles per transaction, waits out a Neo4j
outage (also one under way when it starts) or another ingest holding the embedded file
(``geokg.graph.stores.retry``, ``GEOKG_RETRY_SECONDS``), and when it is stopped anyway (kill, or an outage
longer than the budget) running it again completes the rest, because articles already stored
are skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Optional

import typer

from geokg.graph.errors import GeoKGError, LoadError, StoreBusy, StoreUnavailable, TransientStoreError
from geokg.graph.model import Fragment
from geokg.graph.stores.open import Settings, open_store
from geokg.graph.stores.overlap import batches, overlapped
from geokg.graph.stores.protocol import Store, WriteStats
from geokg.graph.stores.retry import RETRY_ENV, Backoff, retrying

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="GeoKG: news and event data -> a geopolitical knowledge graph.")

BackendOpt = typer.Option(None, "--backend", "-b", envvar="GEOKG_BACKEND",
                          help="embedded (default; LadybugDB file GEOKG_DB) or neo4j (NEO4J_URI).")


class OutFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class RecordFormat(str, Enum):
    gdelt = "gdelt"
    acled = "acled"


class ExportFormat(str, Enum):
    graphml = "graphml"
    json = "json"
    csv = "csv"


def _settings(backend: Optional[str]) -> Settings:
    """Settings from the environment; ``--backend`` wins over GEOKG_BACKEND (checked there)."""
    return Settings.from_env(backend)


def _err(message: str) -> None:
    typer.echo(f"geokg: {message}", err=True)


def _note(message: str) -> None:
    """A timestamped line on stderr: outages and waits are read in logs afterwards."""
    _err(f"{time.strftime('%H:%M:%S')} {message}")


def _open_for_writing(settings: Settings, backoff: Backoff) -> Store:
    """The store, waiting (up to the budget, as for an outage mid-ingest) while another process
    holds the embedded file or while the Neo4j server is down or starting. A wrong password or
    address is not waited for: the store raises those as plain :class:`StoreUnavailable`."""
    waiting_for = []

    def waiting(e: BaseException, budget: float) -> None:
        waiting_for.append("free" if isinstance(e, StoreBusy) else "reachable")
        _note(f"{e}; waiting up to {budget:g} s ({RETRY_ENV})")

    try:
        return retrying(lambda: open_store(settings), backoff, retry_on=(StoreBusy, TransientStoreError),
                        on_wait=waiting,
                        on_back=lambda waited: _note(f"the store is {waiting_for[0]} after {waited:.0f} s; going on"))
    except StoreBusy as e:
        if backoff.total > 0:
            raise StoreBusy(f"{e} (waited {backoff.total:g} s; raise {RETRY_ENV} to wait longer)") from None
        raise
    except TransientStoreError as e:
        waited = f" (waited {backoff.total:g} s; raise {RETRY_ENV} to wait longer)" if backoff.total > 0 else ""
        raise StoreUnavailable(f"{e}{waited}") from None


def _retried(fn, backoff: Backoff):
    """``fn()`` retried through an outage of up to ``backoff.total`` seconds, saying so."""
    return retrying(fn, backoff,
                    on_wait=lambda e, budget: _note(f"{e} Retrying for up to {budget:g} s ({RETRY_ENV}); "
                                                    "whole articles written so far are kept"),
                    on_back=lambda waited: _note(f"the store is back after {waited:.0f} s; going on"))


def _write_batches(store: Store, frags: Iterable[Fragment], size: int, backoff: Backoff,
                   what: str, progress: bool) -> WriteStats:
    """Write ``frags`` in transactions of ``size`` whole articles, each retried through an outage
    of up to ``backoff.total`` seconds. A retry is safe: a batch that committed before the
    connection dropped is skipped as already stored. ``progress`` prints a line per batch."""
    stats = WriteStats()
    try:
        redirects = _retried(store.redirects, backoff)  # once, not per batch
        write = partial(_retried, backoff=backoff)
        for written in overlapped(batches(frags, size),  # the next batch is read meanwhile
                                  lambda batch: write(partial(store.write_batch, batch, redirects))):
            stats += written
            if progress:
                _err(f"{what}: {stats.articles_written} written, {stats.articles_skipped} already stored")
    except TransientStoreError as e:
        raise StoreUnavailable(f"{e} (gave up after {backoff.total:g} s; {stats.articles_written} {what} were "
                               "written: run the same command again to add the rest)") from None
    return stats


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Files and folders: articles, feeds, dumps, GDELT/ACLED."),
           backend: Optional[str] = BackendOpt,
           fmt: Optional[RecordFormat] = typer.Option(None, "--format", help="Treat every file as gdelt or acled "
                                                      "(default: recognised by content)."),
           batch_size: int = typer.Option(100, help="Articles per write transaction (extraction, at ~10 "
                                          "articles/s, is the pace: small batches commit often)."),
           record_batch_size: int = typer.Option(5000, help="GDELT/ACLED records per write transaction."),
           processes: int = typer.Option(1, help="Extraction processes (spaCy n_process): one per spare core.")) -> None:
    """Read articles and event data, extract the graph and write it; bad items are reported and skipped."""
    from geokg.loaders.records.sniffing import iter_records
    from geokg.loaders.sources import iter_documents, split_records

    problems: list[LoadError] = []
    counts = {"articles": 0, "records": 0}

    def report(item: LoadError) -> None:
        problems.append(item)
        _err(f"skipped {item}")

    def records(files) -> Iterator:
        for path, kind in files:
            for item in iter_records(path, kind):
                if isinstance(item, LoadError):
                    report(item)
                else:
                    counts["records"] += 1
                    yield item

    def documents(files, extractor) -> Iterator:
        for item in iter_documents(files):
            problem = item if isinstance(item, LoadError) else extractor.check(item)
            if problem:
                report(problem)
            else:
                counts["articles"] += 1
                yield item

    def shown(items: Iterable[Fragment], label: str):
        """A progress bar on a terminal; in a log (not a terminal) a line per batch instead."""
        return typer.progressbar(items, label=label, file=sys.stderr) if tty else nullcontext(items)

    tty = sys.stderr.isatty()
    backoff = Backoff.from_env()
    record_files, article_files = split_records(paths, fmt.value if fmt else None)
    store = _open_for_writing(_settings(backend), backoff)
    stats = WriteStats()
    try:
        if record_files:
            with shown(records(record_files), "event records") as frags:
                stats += _write_batches(store, frags, record_batch_size, backoff, "records", not tty)
        if article_files:
            from geokg.loaders.extraction.extractor import Extractor

            extractor = Extractor()
            frags = extractor.extract_many(documents(article_files, extractor), n_process=processes)
            with shown(frags, "articles") as frags:
                stats += _write_batches(store, frags, batch_size, backoff, "articles", not tty)
        try:  # once per ingest: the batches left the hubs they touched stale (read correctly, slower)
            _retried(store.refresh_hubs, backoff)
        except TransientStoreError as e:
            raise StoreUnavailable(f"{e} (everything was written; the hub lists that speed up big "
                                   "neighbourhoods are rebuilt by the next ingest)") from None
    finally:
        store.close()
    typer.echo(f"articles read: {counts['articles']}, records read: {counts['records']}, "
               f"written: {stats.articles_written}, already stored: {stats.articles_skipped}, "
               f"skipped: {len(problems)}; nodes written: {stats.nodes}, relationships written: {stats.relationships}")
    if not any(counts.values()) and problems:
        raise typer.Exit(1)


@app.command()
def extract(file: Path = typer.Argument(..., help="One article file."),
            as_json: bool = typer.Option(True, "--json/--no-json", help="Print the SCHEMA.md JSON.")) -> None:
    """Extract one article and print its graph fragment as JSON; no store is touched."""
    from geokg.loaders.extraction.extractor import Extractor
    from geokg.loaders.sources import iter_documents

    items = list(iter_documents([file]))
    for item in items:
        if isinstance(item, LoadError):
            raise item
    extractor = Extractor()
    out = [f.to_json() for f in extractor.extract_many(items)]
    typer.echo(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2 if as_json else None))


@app.command()
def query(cypher: str = typer.Argument(..., help="A read-only Cypher query."),
          backend: Optional[str] = BackendOpt,
          fmt: OutFormat = typer.Option(OutFormat.table, "--format", "-f"),
          param: list[str] = typer.Option([], "--param", "-p", help="name=value (value as JSON if it parses)."),
          limit: int = typer.Option(1000, help="Row cap."),
          timeout: float = typer.Option(10.0, help="Seconds before the query is stopped.")) -> None:
    """Run a read-only Cypher query and print the result."""
    params = {}
    for p in param:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise GeoKGError(f"--param {p!r}: expected name=value")
        try:
            params[name] = json.loads(value)
        except json.JSONDecodeError:
            params[name] = value
    store = open_store(_settings(backend), read_only=True)
    try:
        df = store.cypher(cypher, params, row_cap=limit, timeout=timeout)
    finally:
        store.close()
    if fmt is OutFormat.json:
        typer.echo(df.to_json(orient="records", force_ascii=False, default_handler=str))
    elif fmt is OutFormat.csv:
        typer.echo(df.to_csv(index=False), nl=False)
    else:
        typer.echo(df.to_string(index=False) if len(df) else "(no rows)")
    if df.attrs.get("truncated"):
        _err(f"showing the first {limit} rows; raise --limit for more")


@app.command()
def stats(backend: Optional[str] = BackendOpt,
          as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Count nodes by label and relationships by type."""
    store = open_store(_settings(backend), read_only=True)
    try:
        s = store.stats()
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(s))
        return
    for section, counts in s.items():
        typer.echo(f"{section}:")
        for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            typer.echo(f"  {name:<24}{n:>10}")


@app.command()
def export(fmt: ExportFormat = typer.Option(..., "--format", "-f"),
           out: Path = typer.Option(..., "--out", "-o", help="File (GraphML, JSON) or folder (CSV)."),
           backend: Optional[str] = BackendOpt) -> None:
    """Export the whole graph as GraphML, JSON or CSV."""
    from geokg.graph.analysis.export import check_export_path

    check_export_path(fmt.value, out)  # a bad path fails before the whole graph is read
    store = open_store(_settings(backend), read_only=True)
    try:
        path = store.export(fmt.value, out)
    finally:
        store.close()
    typer.echo(f"wrote {path}")


@app.command(name="eval")
def evaluate(gold_dir: Path = typer.Argument(..., help="Folder of NNN.txt + NNN.gold.json."),
             as_json: bool = typer.Option(False, "--json"),
             errors: bool = typer.Option(False, "--errors", help="List every missed and false relation, "
                                         "with its sentence, grouped by type."),
             fit_confidence: Optional[Path] = typer.Option(
                 None, "--fit-confidence", help="Refit the confidence calibration on this (develop) folder "
                 "and write the table to this path (data/confidence.tsv).")) -> None:
    """Score extraction against hand-made gold annotations (GOLD_FORMAT): article rows, a per-type
    P/R/F1 table, precision per confidence bucket, and the summary line last."""
    from geokg.loaders.evaluate import evaluate as run_eval
    from geokg.loaders.evaluate import format_report

    if not gold_dir.is_dir():
        raise GeoKGError(f"{gold_dir} is not a folder of NNN.txt + NNN.gold.json files")
    if fit_confidence is not None:
        from geokg.loaders.evaluate import fit_confidence as fit

        typer.echo(fit(gold_dir, fit_confidence), nl=False)
        return
    try:
        result = run_eval(gold_dir)
    except FileNotFoundError as e:
        raise GeoKGError(str(e)) from None
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(format_report(result, errors=errors))


@app.command()
def ui(port: int = typer.Option(8501, help="Port to serve on."),
       address: str = typer.Option("127.0.0.1", help="Address to bind (0.0.0.0 to share)."),
       backend: Optional[str] = BackendOpt) -> None:
    """Serve the explorer (Streamlit) on http://ADDRESS:PORT."""
    app_py = Path(__file__).resolve().parent / "explorer.py"
    env = dict(os.environ, GEOKG_BACKEND=_settings(backend).backend)
    cmd = [sys.executable, "-m", "streamlit", "run", str(app_py), "--server.headless", "true",
           "--server.port", str(port), "--server.address", address, "--browser.gatherUsageStats", "false"]
    raise typer.Exit(subprocess.call(cmd, env=env))


def main() -> None:
    """Entry point: user mistakes become one line and exit code 1, never a traceback."""
    try:
        app()
    except GeoKGError as e:
        _err(f"error: {e}")
        sys.exit(1)
    except KeyboardInterrupt:
        _err("interrupted; whole articles written so far are kept, run again to continue")
        sys.exit(130)


if __name__ == "__main__":
    main()
