"""What ``geokg ingest`` expects to read, counted before it starts: the total of its progress bar
and what decides how many extraction processes it uses by default."""

from __future__ import annotations

import csv
import zipfile

import pytest
from cli_support import SAMPLES

from geokg.loaders.sources import iter_documents, split_records
from geokg.ui.cli import PARALLEL_FROM, available_cores, default_processes
from geokg.ui.progress import count_articles, count_records


def read_items(folder) -> int:
    """What the ingest itself goes through: documents and the reports of bad entries."""
    return sum(1 for _ in iter_documents(split_records([folder])[1]))


@pytest.mark.parametrize("where", ["data/rss", "data/html", "data/text", "eval/dev"])
def test_the_article_count_matches_what_the_readers_yield(shared_dir, where):
    files = split_records([shared_dir / where])[1]
    assert count_articles(files) == read_items(shared_dir / where)


def test_the_samples_count_as_eight_articles():
    assert count_articles(split_records([SAMPLES])[1]) == 8


def test_a_csv_dump_counts_rows_not_lines_when_cells_span_lines(tmp_path, shared_dir):
    dump = tmp_path / "dump.csv"
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared_dir / "eval" / "dev").glob("[0-9]*.txt"))[:5]]
    with open(dump, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["title", "text"], *[[t.splitlines()[0], t] for t in texts]])
    assert count_articles([dump]) == 5


def test_a_gdelt_export_counts_its_rows(shared_dir):
    records = split_records([shared_dir / "data" / "gdelt" / "20191024143000.export.CSV"])[0]
    assert count_records(records) == 2111


def test_an_acled_export_counts_its_events(shared_dir):
    records = split_records(sorted((shared_dir / "data" / "acled").glob("*.csv")))[0]
    assert count_records(records) == 4000


def test_a_zipped_export_has_no_cheap_count(shared_dir, tmp_path):
    zipped = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.write(shared_dir / "data" / "gdelt" / "20191024143000.export.CSV", "20191024143000.export.CSV")
    assert count_records([(zipped, "gdelt")]) is None


@pytest.mark.parametrize(("articles", "expected"), [(0, 1), (PARALLEL_FROM - 1, 1), (PARALLEL_FROM, "cores"),
                                                    (10_000, "cores")])
def test_big_ingests_use_every_available_core_small_ones_one(articles, expected):
    assert default_processes(articles) == (available_cores() if expected == "cores" else expected)
