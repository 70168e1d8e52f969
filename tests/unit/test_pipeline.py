"""The one read -> extract loop (``geokg.loaders.pipeline``) over real files: records and
articles alike, each bad item reported once while the rest goes on, counts that add up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geokg.graph.errors import LoadError
from geokg.loaders.pipeline import ReadCounts, Sources, find_sources, read_fragments

GDELT = "data/gdelt/20191024143000.export.CSV"


@pytest.fixture(scope="module")
def extractor():
    from geokg.loaders.extraction.extractor import Extractor
    return Extractor()


@pytest.fixture
def folder(shared_dir: Path, tmp_path: Path) -> Path:
    """A GDELT export beside two real BBC articles and an empty file."""
    (tmp_path / "news").mkdir()
    shutil.copyfile(shared_dir / GDELT, tmp_path / "events.csv")
    for p in sorted((shared_dir / "data/text/bbc/politics").glob("*.txt"))[:2]:
        shutil.copyfile(p, tmp_path / "news" / p.name)
    (tmp_path / "news" / "empty.txt").write_bytes(b"")
    return tmp_path


def test_one_walk_tells_event_data_from_articles(folder):
    sources = find_sources([folder])
    assert ([p.name for p, _ in sources.records], sorted(p.name for p in sources.articles)) == \
        (["events.csv"], sorted(p.name for p in (folder / "news").iterdir()))


def test_records_and_articles_come_out_of_one_read_with_counts_that_add_up(folder, extractor):
    counts = ReadCounts()
    frags = list(read_fragments(find_sources([folder]), extractor=extractor, counts=counts))
    origins = [f.article.origin for f in frags]
    assert (len(frags), origins.count("article"), counts.articles) == (counts.records + 2, 2, 2)


def test_a_bad_file_is_reported_once_and_the_read_goes_on(folder, extractor):
    heard: list[LoadError] = []
    counts = ReadCounts()
    list(read_fragments(find_sources([folder / "news"]), extractor=extractor, counts=counts, on_problem=heard.append))
    assert ([Path(p.where).name for p in heard], counts.problems == heard, counts.articles) == (["empty.txt"], True, 2)


def test_an_article_too_long_for_the_parser_is_skipped_with_its_reason(folder, extractor):
    heard: list[LoadError] = []
    limit = extractor.nlp.max_length
    extractor.nlp.max_length = 100  # every real article is longer
    try:
        frags = list(read_fragments(Sources(articles=tuple(sorted((folder / "news").glob("[!e]*.txt")))),
                                    extractor=extractor, on_problem=heard.append))
    finally:
        extractor.nlp.max_length = limit
    assert (frags, [("over spaCy's limit" in p.reason) for p in heard]) == ([], [True, True])


def test_event_records_alone_never_load_the_language_model(shared_dir):
    def no_model():
        raise AssertionError("the English model was loaded for event records")

    counts = ReadCounts()
    frags = list(read_fragments(Sources(records=((shared_dir / GDELT, "gdelt"),)), extractor=no_model, counts=counts))
    assert (len(frags), counts.records > 0) == (counts.records, True)
