"""GDELT records into the stores, on both backends: loading is idempotent by GLOBALEVENTID, a
record and an article meet on one relationship, and each record keeps its provenance."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from geokg.graph.errors import LoadError
from geokg.graph.stores.writer import write_fragments
from geokg.loaders.records.gdelt import read_gdelt

EXPORT = "gdelt/20191024143000.export.CSV"


@pytest.fixture(scope="session")
def data_dir(shared_dir) -> Path:
    return shared_dir / "data"


def split(items):
    """(fragments, errors) of a reader's output."""
    items = list(items)
    return [i for i in items if not isinstance(i, LoadError)], [i for i in items if isinstance(i, LoadError)]


def test_loading_gdelt_twice_changes_nothing(store_factory, data_dir):
    """Idempotent by GLOBALEVENTID: a second load (also after reopening the store) is all skipped."""
    frags = split(read_gdelt(data_dir / EXPORT))[0][:400]
    store = store_factory()
    first = write_fragments(store, frags, batch_size=150)
    before = store.stats()
    again = write_fragments(store_factory(), frags, batch_size=150)
    assert first.articles_written == 400
    assert again.articles_written == 0
    assert again.articles_skipped == 400
    assert store_factory().stats() == before


def _posture_record(data_dir: Path) -> Path:
    """Row 881991165 (BLR -> RUS at Makei, Pskov) turned round into RUS -> BLR, EventCode 150."""
    line = (data_dir / EXPORT).read_text(encoding="utf-8").splitlines()[333]
    f = line.split("\t")
    assert f[0] == "881991165"
    f[0] = "999000001"
    f[5:15], f[15:25] = f[15:25], f[5:15]
    f[26], f[27], f[28], f[29] = "150", "150", "15", "4"
    return "\t".join(f)


@pytest.fixture(scope="module")
def article_fragment(extractor):
    """The real article extraction of the sample brief 01 (Russia stations troops in Belarus)."""
    from geokg.loaders.sources import iter_documents

    sample = Path(__file__).resolve().parents[2] / "data/samples/01-xi-lukashenko-beijing.txt"
    (fragment,) = extractor.extract_many(iter_documents([sample]))
    return fragment


def test_gdelt_and_an_article_meet_on_one_relationship(store_factory, data_dir, tmp_path, article_fragment):
    path = tmp_path / "posture.export.CSV"
    path.write_text(_posture_record(data_dir) + "\n", encoding="utf-8")
    (record,) = read_gdelt(path)
    store = store_factory()
    write_fragments(store, [article_fragment, record])
    rows = store.cypher("MATCH (a:Country {id: 'RUS'})-[r:MILITARY_POSTURE]->(b:Country {id: 'BLR'}) "
                        "RETURN a.name AS a, b.name AS b, r.mentions AS mentions, r.origins AS origins")
    assert [(r.a, r.b, r.mentions, sorted(r.origins)) for r in rows.itertuples()] == [
        ("Russia", "Belarus", 2, ["article", "gdelt"])]


def test_an_article_cited_by_gdelt_first_is_still_extracted(store_factory, data_dir, tmp_path, article_fragment):
    """GDELT creates an Article node for each SOURCEURL; reading that very article later must
    add what it says, not be skipped as "already stored" - and a re-run changes nothing."""
    path = tmp_path / "posture.export.CSV"
    path.write_text(_posture_record(data_dir) + "\n", encoding="utf-8")
    (record,) = read_gdelt(path)
    same_url = dataclasses.replace(article_fragment, article=dataclasses.replace(
        article_fragment.article, id=record.article.id, url=record.article.url))
    store = store_factory()
    write_fragments(store, [record])
    written = write_fragments(store, [same_url])
    again = write_fragments(store, [record, same_url])
    rows = store.cypher("MATCH (a:Country {id: 'RUS'})-[r:MILITARY_POSTURE]->(b:Country {id: 'BLR'}) "
                        "MATCH (s:Article {id: $id}) RETURN r.mentions AS mentions, r.origins AS origins, "
                        "s.origin AS origin", {"id": record.article.id})
    assert written.articles_written == 1
    assert again.articles_skipped == 2
    assert [(r.mentions, sorted(r.origins), r.origin) for r in rows.itertuples()] == [(2, ["article", "gdelt"], "article")]


def test_gdelt_record_keeps_its_provenance(store_factory, data_dir, tmp_path):
    path = tmp_path / "posture.export.CSV"
    path.write_text(_posture_record(data_dir) + "\n", encoding="utf-8")
    store = store_factory()
    write_fragments(store, read_gdelt(path))
    rows = store.cypher("MATCH (a:Article)-[:REPORTS]->(e:Event) RETURN a.origin AS origin, a.url AS url, "
                        "e.origin_id AS gid, e.cameo AS cameo")
    assert rows.to_dict("records") == [{"origin": "gdelt", "gid": "999000001", "cameo": "150", "url":
                                        "https://belsat.eu/en/news/10-years-of-belarus-participating-in-"
                                        "eastern-partnership-what-is-to-come/"}]


