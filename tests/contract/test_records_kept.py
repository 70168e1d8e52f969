"""No record dropped: every ACLED and GDELT record is stored as an :Event, those no CAMEO-aligned
type fits as UNCLASSIFIED with their source's own types on them, counted and searchable on both
stores (an ACLED export used to load 1,977 of 2,000: "Strategic developments/Other" mapped to
nothing)."""

from __future__ import annotations

import pytest

from geokg.graph import cypher as Q
from geokg.graph.errors import LoadError
from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.writer import write_fragments
from geokg.loaders.records.acled import read_acled

MODERN = "data/acled/acled_2020-05-04_to_2020-05-09_global_first2000.csv"


@pytest.fixture(scope="module")
def acled_fragments(shared_dir):
    items = list(read_acled(shared_dir / MODERN))
    return [f for f in items if not isinstance(f, LoadError)]


def test_acled_export_stores_all_2000_records(store, acled_fragments):
    write_fragments(store, acled_fragments)
    assert store.cypher("MATCH (e:Event) WHERE e.origin = 'acled' RETURN count(e) AS n").n[0] == 2000


def test_unclassified_acled_records_are_found_by_type_with_their_acled_types(store, acled_fragments):
    write_fragments(store, acled_fragments)
    df = store.cypher("MATCH (e:Event {type: 'UNCLASSIFIED'}) RETURN e.acled_type AS t, e.sub_type AS s, count(*) AS n")
    assert df.to_dict("records") == [{"t": "Strategic developments", "s": "Other", "n": 23}]


def test_unclassified_events_are_listed_by_the_events_filter(store, acled_fragments):
    write_fragments(store, acled_fragments)
    assert len(store.events(types=["UNCLASSIFIED"])) == 23


def test_unclassified_events_make_no_actor_relationship(store, acled_fragments):
    write_fragments(store, acled_fragments)
    assert "UNCLASSIFIED" not in set(store.cypher("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t").t)


def test_store_made_before_acled_type_existed_takes_acled_records(tmp_path, acled_fragments):
    """A file created by the previous schema (no acled_type column) gets the column on opening."""
    import ladybug

    path = tmp_path / "old.lbdb"
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    for ddl in Q.ladybug_schema():
        if not ddl.startswith("ALTER"):
            conn.execute(ddl.replace("acled_type STRING, ", ""))
    conn.close()
    db.close()
    store = EmbeddedStore(path)
    try:
        write_fragments(store, acled_fragments[:50])
        assert store.cypher("MATCH (e:Event) RETURN count(e.acled_type) AS n").n[0] == 50
    finally:
        store.close()
