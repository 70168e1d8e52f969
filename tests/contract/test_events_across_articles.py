"""One happening, many reports, on both stores: articles (extracted for real from short texts)
and a real GDELT row reporting one happening become one :Event, linked from every source, with
every report's sentence; a later happening of the same kind and one at another place stay apart;
writing the same sources again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from geokg.graph.model import Fragment
from geokg.graph.stores.writer import write_fragments
from geokg.loaders.records.gdelt import read_gdelt
from geokg.loaders.sources import iter_documents

EXPORT = "gdelt/20191024143000.export.CSV"

DEPLOYMENT = {  # three outlets, three days, one troop deployment
    "a": ("Outlet A", "2023-03-01", "Russia deployed troops to Belarus on Wednesday, the defence ministry said."),
    "b": ("Outlet B", "2023-03-02", "Russia has deployed troops to Belarus, officials in Minsk confirmed."),
    "c": ("Outlet C", "2023-03-04", "Russia deployed troops to Belarus this week, satellite images show."),
}
LATER = ("Outlet D", "2023-03-20", "Russia deployed troops to Belarus again on Monday.")


def article(tmp_path: Path, name: str, source: str, day: str, sentence: str) -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_text(f"Title: {sentence[:40]}\nDate: {day}\nSource: {source}\n\n{sentence}\n", encoding="utf-8")
    return path


def extract(extractor, paths: list[Path]) -> list[Fragment]:
    return list(extractor.extract_many(iter_documents(paths)))


@pytest.fixture
def deployment(tmp_path, extractor) -> list[Fragment]:
    frags = extract(extractor, [article(tmp_path, k, *v) for k, v in DEPLOYMENT.items()])
    assert [[(e.type, e.actors, e.targets) for e in f.events] for f in frags] == [
        [("MILITARY_POSTURE", ("country:RUS",), ("country:BLR",))]] * 3
    return frags


def events(store) -> list[dict]:
    df = store.cypher("MATCH (e:Event) OPTIONAL MATCH (a:Article)-[:REPORTS]->(e) "
                      "RETURN e.id AS id, e.type AS type, e.date AS date, e.reports AS reports, "
                      "e.first_reported AS first_reported, e.last_reported AS last_reported, "
                      "e.report_evidence AS evidence, e.report_dates AS dates, e.report_origins AS origins, "
                      "e.report_articles AS articles, count(a) AS edges ORDER BY date")
    return df.to_dict("records")


def test_one_deployment_from_three_articles_is_one_event_reported_three_times(store, deployment):
    write_fragments(store, deployment[:2])
    write_fragments(store, deployment[2:])  # a later ingest: the third article joins the stored event
    (ev,) = events(store)
    assert (ev["type"], ev["date"], ev["reports"], ev["edges"]) == ("MILITARY_POSTURE", "2023-03-01", 3, 3)
    assert (ev["first_reported"], ev["last_reported"]) == ("2023-03-01", "2023-03-04")
    assert list(ev["evidence"]) == [s for _, _, s in DEPLOYMENT.values()]
    assert list(ev["dates"]) == ["2023-03-01", "2023-03-02", "2023-03-04"]
    assert list(ev["articles"]) == [f.article.id for f in deployment]
    rel = store.cypher("MATCH (:Country {id: 'RUS'})-[r:MILITARY_POSTURE]->(:Country {id: 'BLR'}) "
                       "RETURN r.mentions AS mentions, r.events AS events")
    assert [(r.mentions, list(r.events)) for r in rel.itertuples()] == [(3, [ev["id"]])]  # 3 sources, 1 event


def test_a_later_deployment_outside_the_window_is_another_event(store, deployment, tmp_path, extractor):
    later = extract(extractor, [article(tmp_path, "d", *LATER)])
    write_fragments(store, deployment + later)
    assert [(e["date"], e["reports"], e["edges"]) for e in events(store)] == [("2023-03-01", 3, 3), ("2023-03-20", 1, 1)]


def test_a_differing_known_place_splits_and_an_unknown_one_joins(store, tmp_path, extractor):
    texts = [("k", "Outlet A", "2023-03-10", "Russian forces attacked Ukraine in Kharkiv on Friday."),
             ("o", "Outlet B", "2023-03-10", "Russian forces attacked Ukraine in Odesa on Friday."),
             ("n", "Outlet C", "2023-03-11", "Russian forces attacked Ukraine on Friday, Kyiv said.")]
    frags = extract(extractor, [article(tmp_path, *t) for t in texts])
    assert [f.events[0].location for f in frags] == ["location:kharkiv-ukr", "location:odesa-ukr", None]
    write_fragments(store, frags)
    placed = store.cypher("MATCH (e:Event)-[:OCCURRED_IN]->(l:Location) RETURN l.id AS place, e.reports AS reports "
                          "ORDER BY place")
    assert placed.to_dict("records") == [{"place": "kharkiv-ukr", "reports": 2}, {"place": "odesa-ukr", "reports": 1}]
    assert len(events(store)) == 2


def test_writing_the_same_sources_again_changes_nothing(store_factory, deployment, tmp_path, extractor):
    later = extract(extractor, [article(tmp_path, "d", *LATER)])
    store = store_factory()
    write_fragments(store, deployment + later, batch_size=2)
    before = (store.stats(), events(store), store.relations().to_dict("records"))
    reopened = store_factory()
    again = write_fragments(reopened, [*reversed(deployment), *later])
    assert (again.articles_written, again.articles_skipped) == (0, 4)
    assert (reopened.stats(), events(reopened), reopened.relations().to_dict("records")) == before


def _record_on(shared_dir: Path, tmp_path: Path, day: str) -> Fragment:
    """A real GDELT row (881991165, BLR -> RUS at Makei, Pskov) turned round into RUS -> BLR
    troop posture (EventCode 150) on ``day``: GDELT's own record of the deployment."""
    line = (shared_dir / "data" / EXPORT).read_text(encoding="utf-8").splitlines()[333]
    f = line.split("\t")
    assert f[0] == "881991165"
    f[5:15], f[15:25] = f[15:25], f[5:15]
    f[26], f[27], f[28], f[29] = "150", "150", "15", "4"
    f[1] = day.replace("-", "")
    f[59] = day.replace("-", "") + "120000"  # DATEADDED: when GDELT saw it
    path = tmp_path / "posture.export.CSV"
    path.write_text("\t".join(f) + "\n", encoding="utf-8")
    (record,) = read_gdelt(path)
    assert isinstance(record, Fragment)
    return record


def test_a_gdelt_record_and_an_article_about_one_happening_meet(store_factory, deployment, shared_dir, tmp_path):
    record = _record_on(shared_dir, tmp_path, "2023-03-02")
    store = store_factory()
    write_fragments(store, deployment[:1])
    write_fragments(store, [record])
    (ev,) = events(store)
    assert (ev["reports"], ev["edges"], list(ev["origins"])) == (2, 2, ["article", "gdelt"])
    assert list(ev["articles"]) == [deployment[0].article.id, record.article.id]
    gdelt_place = store.cypher("MATCH (e:Event)-[:OCCURRED_IN]->(l:Location) RETURN l.name AS place")
    assert list(gdelt_place.place) == ["Makei, Pskovskaya Oblast', Russia"]  # the article named no place: the record's is kept
    again = write_fragments(store_factory(), [record, *deployment[:1]])
    assert again.articles_skipped == 2
    assert events(store_factory()) == [ev]
