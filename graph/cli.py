"""The ``geokg`` command: ingest, extract, query, stats, export, eval, ui.

Every failure a user can cause (a wrong password, an unreachable server, a locked or corrupt
database, bad Cypher, an unreadable file) ends as one line on stderr naming the cause and the
fix, with a non-zero exit code and no traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from graph.errors import GeoKGError, LoadError
from graph.store import Settings, WriteStats, open_store

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
    from loaders.records import iter_records
    from loaders.sources import iter_documents, split_records

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

    record_files, article_files = split_records(paths, fmt.value if fmt else None)
    store = open_store(_settings(backend))
    stats = WriteStats()
    try:
        if record_files:
            with typer.progressbar(records(record_files), label="event records", file=sys.stderr) as frags:
                stats += store.write_many(frags, batch_size=record_batch_size)
        if article_files:
            from loaders.extract import Extractor

            extractor = Extractor()
            frags = extractor.extract_many(documents(article_files, extractor), n_process=processes)
            with typer.progressbar(frags, label="articles", file=sys.stderr) as frags:
                stats += store.write_many(frags, batch_size=batch_size)
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
    from loaders.extract import Extractor
    from loaders.sources import iter_documents

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
    from graph.export import check_export_path

    check_export_path(fmt.value, out)  # a bad path fails before the whole graph is read
    store = open_store(_settings(backend), read_only=True)
    try:
        path = store.export(fmt.value, out)
    finally:
        store.close()
    typer.echo(f"wrote {path}")


@app.command(name="eval")
def evaluate(gold_dir: Path = typer.Argument(..., help="Folder of NNN.txt + NNN.gold.json."),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Score extraction against hand-made gold annotations (GOLD_FORMAT)."""
    from loaders.evaluate import evaluate as run_eval
    from loaders.evaluate import format_summary

    if not gold_dir.is_dir():
        raise GeoKGError(f"{gold_dir} is not a folder of NNN.txt + NNN.gold.json files")
    try:
        result = run_eval(gold_dir)
    except FileNotFoundError as e:
        raise GeoKGError(str(e)) from None
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    for stem, row in result["articles"].items():
        typer.echo(f"{stem} " + " ".join(f"{k}={v:.2f}" for k, v in row.items()))
    typer.echo(format_summary(result["summary"]))


@app.command()
def ui(port: int = typer.Option(8501, help="Port to serve on."),
       address: str = typer.Option("127.0.0.1", help="Address to bind (0.0.0.0 to share)."),
       backend: Optional[str] = BackendOpt) -> None:
    """Serve the explorer (Streamlit) on http://ADDRESS:PORT."""
    app_py = Path(__file__).resolve().parent.parent / "app.py"
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
