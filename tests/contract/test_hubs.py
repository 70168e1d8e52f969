"""Hub lists on a real Neo4j: a node with many relationships keeps the ids of its most-mentioned
ones, and a hop reads those instead of sorting every relationship (``geokg.graph.cypher``, "hub lists").
What a user sees must not change: the neighbourhood read from the lists is the one a sorted hop
gives, after new writes, deletions and merges too.

The real dev articles 000-008 are the graph; the thresholds are lowered (a hub from 3 relationships, lists
of 4) so that their countries become hubs and a limit of 4 makes the lists' order matter.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import dev_articles, link_folder, wipe_neo4j
from geokg.graph import cypher as Q
from geokg.graph.cypher import HUB_OUT, HUB_STALE
from geokg.graph.model import ACTOR_TYPES, ENTITY_LABELS, PREFIX, Article, Entity, Fragment, Relation
from geokg.graph.stores.base import CypherStore
from geokg.graph.stores.writer import write_fragments

pytestmark = pytest.mark.neo4j

TOP = 4


@pytest.fixture(scope="module")
def dev_fragments(shared_dir: Path, extractor) -> list[Fragment]:
    from geokg.loaders.formats.text import read_text_file

    return list(extractor.extract_many(read_text_file(p) for p in dev_articles(shared_dir)))


@pytest.fixture
def hub_store(neo4j_settings, dev_fragments, monkeypatch):
    from geokg.graph.stores.neo4j_store import Neo4jStore

    wipe_neo4j(neo4j_settings)
    monkeypatch.setattr(CypherStore, "hub_degree", 3)
    monkeypatch.setattr(CypherStore, "hub_top", TOP)
    s = neo4j_settings
    store = Neo4jStore(s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.neo4j_database)
    write_fragments(store, dev_fragments, batch_size=10)
    yield store
    store.close()


def _hubs(store, stale: bool = False) -> list[str]:
    cond = f"n.{HUB_STALE} = true" if stale else f"n.{HUB_OUT} IS NOT NULL AND n.{HUB_STALE} IS NULL"
    return [f"{PREFIX[r['label']]}:{r['id']}" for r in store._read(
        f"MATCH (n) WHERE {cond} RETURN labels(n)[0] AS label, n.id AS id ORDER BY n.id")]


def _view(store, refs: list[str], sorted_hop: bool = False) -> Counter:
    """What the explorer draws around ``refs`` (limit TOP): each edge as its direction and
    mentions. Not its type or partner: at the cut, ties between equally mentioned edges may be
    broken either way, by the lists as by the sorted hop."""
    top = store.hub_top
    if sorted_hop:
        store.hub_top = 0  # a limit above the lists' length: every node's relationships sorted
    try:
        g = store.neighbourhood(refs, hops=1, limit=TOP)
    finally:
        store.hub_top = top
    return Counter((u in refs, d["mentions"]) for u, _, d in g.edges(data=True))


def test_writes_leave_lists_on_the_hubs_and_no_hub_stale(hub_store):
    assert len(_hubs(hub_store)) >= 5
    assert _hubs(hub_store, stale=True) == []


def test_a_hub_neighbourhood_read_from_its_lists_is_the_sorted_hops_answer(hub_store):
    hubs = _hubs(hub_store)
    for hub in hubs:
        assert _view(hub_store, [hub]) == _view(hub_store, [hub], sorted_hop=True), hub
    # several nodes at once, hubs and others, as in a second hop: the top of the union, query by
    # query (the graph's de-duplication of an edge met from both ends depends on ties)
    for lab in ENTITY_LABELS:
        keys = [r["id"] for r in hub_store._read(f"MATCH (n:{lab}) RETURN n.id AS id")]
        for direction in ("out", "in"):
            params = {"ids": keys, "min_mentions": 1, "limit": TOP}
            listed = Q.unpack(Q.NEO4J, hub_store._read(Q.hop_listed(lab, direction, Q.NEO4J), params))
            scanned = Q.unpack(Q.NEO4J, hub_store._read(Q.hop(lab, ACTOR_TYPES, direction, Q.NEO4J), params))
            assert sorted(r["mentions"] for r in listed) == sorted(r["mentions"] for r in scanned), \
                (lab, direction)


def _new_top_relation(store, hub: str, n_articles: int) -> tuple[Entity, list[Fragment]]:
    """An envoy who meets ``hub``'s leader in ``n_articles`` new articles: more mentions than
    any relationship of the hub has."""
    node = store.entity(hub)
    country = Entity("Country", hub.split(":", 1)[1], node["name"])
    envoy = Entity("Person", "hub-test-envoy", "Hub Test Envoy", (), {"country": country.key})
    frags = []
    for i in range(n_articles):
        a = Article(Article.make_id(f"https://example.org/envoy/{i}", ""), f"Envoy visit {i}",
                    url=f"https://example.org/envoy/{i}", published="2024-05-01", source="Example")
        rel = Relation("LEADS", envoy.ref, country.ref, "the envoy leads the delegation", "2024-05-01")
        frags.append(Fragment(a, (country, envoy), (rel,), ()))
    return envoy, frags


def test_a_write_reaches_a_hub_neighbourhood_before_and_after_the_refresh(hub_store):
    hub = next(h for h in _hubs(hub_store) if h.startswith("country:"))
    most = max(d["mentions"] for *_, d in hub_store.neighbourhood([hub], hops=1, limit=TOP).edges(data=True))
    envoy, frags = _new_top_relation(hub_store, hub, most + 2)
    hub_store.write_batch(frags, hub_store.redirects())  # as `geokg ingest` does: no refresh yet
    before = hub_store.neighbourhood([hub], hops=1, limit=TOP)
    stale = _hubs(hub_store, stale=True)
    assert hub_store.refresh_hubs() >= 1
    after = hub_store.neighbourhood([hub], hops=1, limit=TOP)
    seen = [(envoy.ref, hub) in g.edges() and g.edges[envoy.ref, hub, "LEADS"]["mentions"] for g in (before, after)]
    assert hub in stale
    assert seen == [most + 2, most + 2]
    assert _hubs(hub_store, stale=True) == []


def test_deleting_a_hubs_top_relationship_takes_it_out_of_the_neighbourhood(hub_store):
    hub = next(h for h in _hubs(hub_store) if h.startswith("country:"))
    g = hub_store.neighbourhood([hub], hops=1, limit=TOP)
    u, v, d = max(g.edges(data=True), key=lambda e: e[2]["mentions"])
    hub_store.delete_relation(u, d["type"], v)
    after = hub_store.neighbourhood([hub], hops=1, limit=TOP)
    assert not after.has_edge(u, v, key=d["type"])
    assert _view(hub_store, [hub]) == _view(hub_store, [hub], sorted_hop=True)


def test_merging_two_neighbours_of_a_hub_keeps_its_neighbourhood_right(hub_store):
    pairs = {}
    for hub in _hubs(hub_store):
        kinds = tuple(f"{PREFIX[lab]}:" for lab in ("Person", "Organization"))
        near = sorted(n for n in hub_store.neighbourhood([hub], hops=1, limit=50) if n.startswith(kinds))
        for label in kinds:
            same = [n for n in near if n.startswith(label)]
            if len(same) >= 2:
                pairs.setdefault(hub, same[:2])
    assert pairs, "no hub has two person or two organisation neighbours"
    hub, (keep, drop) = next(iter(pairs.items()))
    hub_store.merge_entities(keep, drop)
    assert _hubs(hub_store, stale=True) == []
    assert _view(hub_store, [hub]) == _view(hub_store, [hub], sorted_hop=True)


def test_geokg_ingest_refreshes_the_hub_lists_once_at_the_end(neo4j_settings, shared_dir, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from geokg.graph.stores.neo4j_store import Neo4jStore
    from geokg.ui.cli import app

    wipe_neo4j(neo4j_settings)
    monkeypatch.setattr(CypherStore, "hub_degree", 3)
    refreshes: list[int] = []
    refresh = CypherStore.refresh_hubs
    monkeypatch.setattr(CypherStore, "refresh_hubs", lambda self: refreshes.append(1) or refresh(self))
    s = neo4j_settings
    env = {"NEO4J_URI": s.neo4j_uri, "NEO4J_USERNAME": s.neo4j_user, "NEO4J_PASSWORD": s.neo4j_password or ""}
    folder = link_folder(dev_articles(shared_dir), tmp_path / "dev")
    res = CliRunner().invoke(app, ["ingest", "--backend", "neo4j", "--batch-size", "3", str(folder)], env=env)
    with Neo4jStore(s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.neo4j_database) as store:
        listed, stale = _hubs(store), _hubs(store, stale=True)
    assert res.exit_code == 0, res.output
    assert len(refreshes) == 1, res.output
    assert len(listed) >= 5, res.output
    assert stale == [], res.output


def test_rebuild_finds_the_hubs_of_a_graph_written_without_lists_and_drops_them_above_a_new_threshold(hub_store):
    hub_store._write([("MATCH (n) REMOVE n._hub_out, n._hub_out_n, n._hub_in, n._hub_in_n, n._hub_stale", {})])
    found = hub_store.rebuild_hubs()
    listed = _hubs(hub_store)
    same = all(_view(hub_store, [h]) == _view(hub_store, [h], sorted_hop=True) for h in listed)
    hub_store.hub_degree = 10**6
    hub_store.rebuild_hubs()
    assert found == len(listed)
    assert len(listed) >= 5
    assert same
    assert _hubs(hub_store) == []
    assert _hubs(hub_store, stale=True) == []
