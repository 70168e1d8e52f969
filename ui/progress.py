"""How far ``geokg ingest`` has come: a cheap count of what is to come, and the bar on a terminal.

The count reads bytes, not articles: one per text/HTML file, a feed's ``<item>``/``<entry>``
tags, a dump's lines (a CSV's rows), an event file's lines. That takes well under a second for
what extraction needs minutes for, and lets the bar show a total and the time left. It is an
estimate (an entry may turn out empty or bad); where nothing cheap can be read (a zipped GDELT
export) the total is unknown and the bar shows counts and rate only.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

import typer

__all__ = ["count_articles", "count_records", "progress_bar"]

T = TypeVar("T")

#: Article formats with one article per file; feeds and dumps are counted by their entries.
ONE_PER_FILE = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm"})
FEEDS = frozenset({".xml", ".rss", ".atom"})
#: Above this a CSV's rows are not parsed to be counted: its lines are counted (an over-estimate
#: when cells span lines, but a few hundred MB/s).
CSV_PARSED_UP_TO = 64 << 20
_ENTRY = re.compile(rb"<(?:item|entry)[\s>]")
_CHUNK = 1 << 20


def count_articles(files: Sequence[Path]) -> int:
    """About how many articles ``files`` hold (an unreadable file counts as one: it is one report)."""
    total = 0
    for path in files:
        suffix = path.suffix.lower()
        try:
            if suffix in FEEDS:
                total += _feed_entries(path)
            elif suffix == ".csv":
                total += _csv_rows(path) - 1
            elif suffix in ONE_PER_FILE:
                total += 1
            else:
                total += _lines(path)
        except OSError:
            total += 1
    return max(total, 0)


def count_records(files: Sequence[tuple[Path, str]]) -> int | None:
    """About how many event records ``files`` (path, "gdelt"|"acled") hold; None when a file is zipped."""
    total = 0
    for path, kind in files:
        if path.suffix.lower() == ".zip":
            return None
        try:
            total += _csv_rows(path) - 1 if kind == "acled" else _lines(path)
        except OSError:
            pass
    return total


def _lines(path: Path) -> int:
    """Lines of ``path``, the last one counted without its newline too."""
    n, last = 0, b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def _csv_rows(path: Path) -> int:
    """Records of a CSV file, header included. Read as Latin-1, which keeps every byte, so the
    quotes and newlines of UTF-8 and Windows-1252 files are where csv expects them."""
    if path.stat().st_size > CSV_PARSED_UP_TO:
        return _lines(path)
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, CSV_PARSED_UP_TO))
    try:
        with open(path, encoding="latin-1", newline="") as fh:
            return sum(1 for _ in csv.reader(fh))
    except csv.Error:
        return _lines(path)
    finally:
        csv.field_size_limit(limit)


def _feed_entries(path: Path) -> int:
    with open(path, "rb") as fh:
        return len(_ENTRY.findall(fh.read(8 * _CHUNK)))  # feeds are capped at 5 MB when read


def progress_bar(items: Iterable[T], label: str, total: int | None):
    """A bar on stderr over ``items`` with the count, the rate and (when ``total`` is known) the
    percentage and time left: ``articles  [####----]  120/300  12.3/s  00:00:15``. Without a total
    there is no bar to fill, so the line shows the count and rate alone."""
    start = time.monotonic()
    shown: list = []

    def rate(_item) -> str | None:
        done = shown[0].pos if shown else 0
        elapsed = time.monotonic() - start
        return f"{done / elapsed:.1f}/s" if done and elapsed > 0 else None

    bar = typer.progressbar(items, length=total or None, label=label, file=sys.stderr, show_pos=True,
                            show_percent=False, show_eta=True, item_show_func=rate,
                            bar_template="%(label)s  [%(bar)s]  %(info)s" if total else "%(label)s  %(info)s")
    shown.append(bar)
    return bar
