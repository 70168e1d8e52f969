"""The ``geokg`` command: ingest, extract, query, stats, export, diff, eval, ui.

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
from collections.abc import Iterable
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from geokg.graph.errors import GeoKGError, LoadError, StoreBusy, StoreUnavailable, TransientStoreError
from geokg.graph.model import Fragment
from geokg.graph.stores.open import Settings, describe, open_store
from geokg.graph.stores.protocol import Store, WriteStats
from geokg.graph.stores.retry import RETRY_ENV, Backoff, retrying
from geokg.graph.stores.writer import write_fragments
from geokg.ui.progress import count_articles, count_records, progress_bar

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
    geojson = "geojson"  # events with coordinates and countries with counts (graph.analysis.geo)


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


#: From this many articles on, ``geokg ingest`` extracts in one process per core by default: below
#: it, loading the model in every worker (~3 s each) costs more than the workers save.
PARALLEL_FROM = 50


def available_cores() -> int:
    """The cores this process may run on (its affinity mask, e.g. a container's share), else all."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_processes(articles: int) -> int:
    """Extraction processes for an ingest of about ``articles`` articles when --processes is not given."""
    return available_cores() if articles >= PARALLEL_FROM else 1


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Files and folders: articles, feeds, dumps, GDELT/ACLED."),
           backend: Optional[str] = BackendOpt,
           fmt: Optional[RecordFormat] = typer.Option(None, "--format", help="Treat every file as gdelt or acled "
                                                      "(default: recognised by content)."),
           batch_size: int = typer.Option(100, help="Articles per write transaction (extraction, at ~10 "
                                          "articles/s, is the pace: small batches commit often)."),
           record_batch_size: int = typer.Option(5000, help="GDELT/ACLED records per write transaction."),
           processes: Optional[int] = typer.Option(None, help="Extraction processes (spaCy n_process); default: one "
                                                   f"per core from {PARALLEL_FROM} articles on, else 1.")) -> None:
    """Read articles and event data, extract the graph and write it; bad items are reported and skipped."""
    from geokg.loaders.pipeline import ReadCounts, find_sources, read_fragments
    from geokg.loaders.sources import intake

    def shown(items: Iterable[Fragment], label: str, total: int | None):
        """A progress bar on a terminal; in a log (not a terminal) a line per batch instead."""
        return progress_bar(items, label, total) if tty else nullcontext(items)

    def progress(what: str):
        if tty:
            return None
        return lambda total: _err(f"{what}: {total.articles_written} written, {total.articles_skipped} already stored")

    tty = sys.stderr.isatty()
    backoff = Backoff.from_env()
    typer.echo(intake(paths, fmt.value if fmt else None).line())  # which files are taken as what
    sources = find_sources(paths, fmt.value if fmt else None)
    # records and articles are written apart: a record is a small fragment, so its batches are bigger
    legs = [(part, size, what, label) for part, size, what, label in (
        (sources.only_records(), record_batch_size, "records", "event records"),
        (sources.only_articles(), batch_size, "articles", "articles")) if part] or [
        (sources, batch_size, "articles", "articles")]  # nothing to read: the hub refresh still runs
    counts = ReadCounts()
    store = _open_for_writing(_settings(backend), backoff)
    stats = WriteStats()
    try:
        for i, (part, size, what, label) in enumerate(legs):
            total = None
            if what == "records" and tty:
                total = count_records(part.records)
            elif what == "articles" and (tty or processes is None):
                total = count_articles(part.articles)
            frags = read_fragments(part, counts=counts, on_problem=lambda item: _err(f"skipped {item}"),
                                   n_process=processes or default_processes(total or 0))
            with shown(frags, label, total) if part else nullcontext(frags) as frags:
                stats += write_fragments(store, frags, batch_size=size, backoff=backoff, on_batch=progress(what),
                                         notify=_note, what=what, refresh=i == len(legs) - 1)
    finally:
        store.close()
    typer.echo(f"articles read: {counts.articles}, records read: {counts.records}, "
               f"written: {stats.articles_written}, already stored: {stats.articles_skipped}, "
               f"skipped: {counts.skipped}; nodes written: {stats.nodes}, relationships written: {stats.relationships}")
    if not (counts.articles or counts.records) and counts.problems:
        raise typer.Exit(1)


@app.command()
def extract(file: Path = typer.Argument(..., help="One article file."),
            as_json: bool = typer.Option(True, "--json/--no-json", help="Print the SCHEMA.md JSON.")) -> None:
    """Extract one article and print its graph fragment as JSON; no store is touched."""
    from geokg.loaders.pipeline import Sources, read_fragments

    def fail(problem: LoadError) -> None:
        raise problem

    out = [f.to_json() for f in read_fragments(Sources(articles=(file,)), on_problem=fail)]
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
        from geokg.graph.analysis.export import csv_text

        typer.echo(csv_text(df), nl=False)  # formulas from articles made inert, as in every CSV
    else:
        typer.echo(df.to_string(index=False) if len(df) else "(no rows)")
    if df.attrs.get("truncated"):
        _err(f"showing the first {limit} rows; raise --limit for more")


@app.command()
def stats(backend: Optional[str] = BackendOpt,
          as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Count nodes by label and relationships by type, after a line naming the store they come from."""
    settings = _settings(backend)
    store = open_store(settings, read_only=True)
    try:
        s = store.stats()
    finally:
        store.close()
    if as_json:  # stdout stays one JSON document (the same for the same graph in any file); the store goes to stderr
        typer.echo(f"store: {describe(settings)}", err=True)
        typer.echo(json.dumps(s))
        return
    typer.echo(f"store: {describe(settings)}")
    for section, counts in s.items():
        typer.echo(f"{section}:")
        for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            typer.echo(f"  {name:<24}{n:>10}")


@app.command()
def export(fmt: ExportFormat = typer.Option(..., "--format", "-f"),
           out: Path = typer.Option(..., "--out", "-o", help="File (GraphML, JSON) or folder (CSV)."),
           backend: Optional[str] = BackendOpt) -> None:
    """Export the whole graph as GraphML, JSON or CSV, or its events on a map as GeoJSON."""
    from geokg.graph.analysis.export import check_export_path, export_geojson

    check_export_path(fmt.value, out)  # a bad path fails before the whole graph is read
    store = open_store(_settings(backend), read_only=True)
    try:
        path = export_geojson(store, out) if fmt is ExportFormat.geojson else store.export(fmt.value, out)
    finally:
        store.close()
    typer.echo(f"wrote {path}")


class DiffFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
def diff(period_a: str = typer.Option(..., "--from", help="Period A: START..END (YYYY-MM-DD; an end may be empty) "
                                      "or a date YYYY-MM-DD (the graph as of that date)."),
         period_b: str = typer.Option(..., "--to", help="Period B, written as period A."),
         fmt: DiffFormat = typer.Option(DiffFormat.table, "--format", "-f"),
         limit: int = typer.Option(500, help="At most this many changes (new first, then gone, grown, shrunk)."),
         backend: Optional[str] = BackendOpt) -> None:
    """What changed from period A to B: relationships new, gone, grown and shrunk, with evidence."""
    from geokg.graph.analysis.changes import parse_period, what_changed

    a, b = parse_period(period_a, "--from"), parse_period(period_b, "--to")
    store = open_store(_settings(backend), read_only=True)
    try:
        changes = what_changed(store, a, b, limit=limit)
    finally:
        store.close()
    if fmt is DiffFormat.json:
        rows = json.loads(changes.to_json(orient="records", force_ascii=False))
        typer.echo(json.dumps({"from": a.label, "to": b.label, "changes": rows}, indent=2, ensure_ascii=False))
        return
    typer.echo(f"from {a.label} to {b.label}: {len(changes)} changed relationships")
    for typ, group in changes.groupby("type", sort=True):
        typer.echo(f"\n{typ}")
        for r in group.itertuples():
            link = f"  {r.url}" if isinstance(r.url, str) and r.url else ""
            typer.echo(f"  {r.status:<7}{r.source} -> {r.target}  {r.before} -> {r.after}{link}")


@app.command(name="eval")
def evaluate(gold_dir: Path = typer.Argument(..., help="Folder of NNN.txt + NNN.gold.json."),
             as_json: bool = typer.Option(False, "--json"),
             errors: bool = typer.Option(False, "--errors", help="List every missed and false relation, "
                                         "with its sentence, grouped by type."),
             fit_confidence: Optional[Path] = typer.Option(
                 None, "--fit-confidence", help="Refit the confidence calibration on this (develop) folder "
                 "and write the table to this path (data/confidence.tsv)."),
             min_confidence: Optional[float] = typer.Option(
                 None, "--min-confidence", min=0.0, max=1.0, help="Score only the relations at or above this "
                 "confidence, as the explorer's filter shows them (its default: data/confidence.tsv's "
                 "min_confidence).")) -> None:
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
        result = run_eval(gold_dir, min_confidence=min_confidence)
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


# --- geokg curate: duplicate review (commands in geokg.ui.curate_cli) ---------------------------

def _add_curate() -> None:
    from geokg.ui.curate_cli import curate_app

    app.add_typer(curate_app, name="curate")


_add_curate()


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
