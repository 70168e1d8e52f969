"""ACLED records into the stores, on both backends: a second load of the same records changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from geokg.graph.errors import LoadError
from geokg.graph.stores.writer import write_fragments
from geokg.loaders.records.acled import read_acled

MODERN = "acled/acled_2020-05-04_to_2020-05-09_global_first2000.csv"


@pytest.fixture(scope="module")
def modern(shared_dir: Path):
    items = list(read_acled(shared_dir / "data" / MODERN))
    return [i for i in items if not isinstance(i, LoadError)], [i for i in items if isinstance(i, LoadError)]


def test_loading_acled_twice_changes_nothing(store_factory, modern):
    frags = modern[0][:300]
    store = store_factory()
    write_fragments(store, frags, batch_size=150)
    before = store.stats()
    again = write_fragments(store_factory(), frags, batch_size=150)
    assert again.articles_skipped == 300
    assert store_factory().stats() == before
