"""geokg.graph.analysis.analytics on small graphs with known answers, and the viz cap for large graphs."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from geokg.graph.analysis import analytics as A
from geokg.graph.analysis.viz import cap_graph, network_view
from geokg.graph.errors import GeoKGError


def actor(edges: list[tuple[str, str, str, int]]) -> nx.MultiDiGraph:
    """(source, type, target, mentions) rows of countries -> an actor graph."""
    g = nx.MultiDiGraph()
    for u, t, v, m in edges:
        for n in (u, v):
            g.add_node(n, name=n.split(":")[1], label="Country")
        g.add_edge(u, v, key=t, type=t, mentions=m)
    return g


STAR = actor([("country:HUB", "MEET", f"country:L{i}", 1) for i in range(4)])
PATH = actor([("country:A", "MEET", "country:B", 1), ("country:B", "MEET", "country:C", 1)])
TWO_TRIANGLES = actor([("country:A", "MEET", "country:B", 5), ("country:B", "MEET", "country:C", 5),
                       ("country:C", "MEET", "country:A", 5), ("country:X", "FIGHT", "country:Y", 5),
                       ("country:Y", "FIGHT", "country:Z", 5), ("country:Z", "FIGHT", "country:X", 5),
                       ("country:C", "STATEMENT", "country:X", 1)])


@pytest.mark.parametrize("rel_type, quad", [("STATEMENT", 1), ("MEET", 1), ("AGREEMENT", 1), ("PROVIDE_AID", 2),
                                            ("DEMAND", 3), ("THREATEN", 3), ("MILITARY_POSTURE", 4),
                                            ("SANCTION", 4), ("MASS_VIOLENCE", 4), ("LEADS", None), ("BORDERS", None)])
def test_quad_class_of_each_type(rel_type, quad):
    assert A.quad_class(rel_type) == quad


def test_hub_of_a_star_ranks_first_by_pagerank():
    assert A.rankings(STAR).ref.iloc[0] == "country:HUB"


def test_middle_of_a_path_has_all_the_betweenness():
    r = A.rankings(PATH).set_index("ref").betweenness.to_dict()
    assert r == {"country:B": 1.0, "country:A": 0.0, "country:C": 0.0}


def test_degree_counts_relationships_in_and_out():
    r = A.rankings(PATH).set_index("ref").degree.to_dict()
    assert r == {"country:A": 1, "country:B": 2, "country:C": 1}


def test_pagerank_matches_networkx_reference_implementation():
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
    g = nx.karate_club_graph()
    ours, ref = A.pagerank(g), _pagerank_python(g, weight="weight")
    assert max(abs(ours[n] - ref[n]) for n in g) < 1e-4


def test_pagerank_sums_to_one_with_isolated_nodes():
    g = nx.Graph([(1, 2)])
    g.add_node(3)
    assert sum(A.pagerank(g).values()) == pytest.approx(1.0)


def test_two_triangles_joined_by_a_weak_edge_are_two_communities():
    c = A.communities(TWO_TRIANGLES)
    groups = {frozenset(grp.ref) for _, grp in c.groupby("community")}
    assert groups == {frozenset({"country:A", "country:B", "country:C"}), frozenset({"country:X", "country:Y", "country:Z"})}


def test_balance_weighs_cooperation_against_conflict_by_mentions():
    g = actor([("country:AAA", "MEET", "country:BBB", 3), ("country:BBB", "SANCTION", "country:AAA", 1),
               ("country:AAA", "LEADS", "country:BBB", 9)])
    row = A.balance(g).iloc[0]
    assert row.a == "country:AAA"
    assert row.b == "country:BBB"
    assert row.cooperation == 3
    assert row.conflict == 1
    assert row.balance == 0.5


def test_balance_skips_pairs_that_are_not_two_countries_by_default():
    g = actor([("country:AAA", "FIGHT", "country:BBB", 1)])
    g.add_node("org:nato", name="NATO", label="Organization")
    g.add_edge("org:nato", "country:AAA", key="MEET", type="MEET", mentions=1)
    assert A.balance(g)[["a", "b"]].values.tolist() == [["country:AAA", "country:BBB"]]


def test_all_conflict_pair_has_balance_minus_one():
    assert A.balance(actor([("country:A", "FIGHT", "country:B", 2)])).balance.tolist() == [-1.0]


def test_actor_graph_from_relations_rows():
    rows = pd.DataFrame([{"source_label": "Person", "source_id": "xi", "source": "Xi", "type": "LEADS",
                          "target_label": "Country", "target_id": "CHN", "target": "China", "mentions": 2}])
    g = A.actor_graph(rows)
    assert list(g.edges(keys=True, data="mentions")) == [("person:xi", "country:CHN", "LEADS", 2)]


def test_actor_graph_names_missing_columns():
    with pytest.raises(GeoKGError, match="source_label"):
        A.actor_graph(pd.DataFrame([{"source": "x"}]))


def test_empty_graph_gives_empty_tables():
    g = nx.MultiDiGraph()
    assert A.rankings(g).empty
    assert A.communities(g).empty
    assert A.balance(g).empty


def test_betweenness_is_sampled_above_the_threshold_and_stays_reproducible():
    g = actor([(f"country:N{i}", "MEET", f"country:N{i + 1}", 1) for i in range(60)])
    a, b = (A.rankings(g, betweenness_k=10, exact_up_to=20) for _ in range(2))
    assert a.equals(b)
    assert a.betweenness.max() > 0


# --- the viz cap --------------------------------------------------------------------------------------

def big_star(n: int) -> nx.MultiDiGraph:
    g = actor([("country:HUB", "MEET", f"country:L{i}", 1) for i in range(n)])
    for i in range(0, n, 2):  # every other leaf gets a second relationship: those are "more connected"
        g.add_edge(f"country:L{i}", "country:HUB", key="FIGHT", type="FIGHT", mentions=1)
    return g


def test_cap_keeps_the_most_connected_and_the_pinned_nodes():
    g = big_star(400)
    kept = cap_graph(g, 201, keep=["country:L1"])
    assert kept.number_of_nodes() == 201
    assert "country:HUB" in kept
    assert "country:L1" in kept
    assert sum(1 for n in kept if n.startswith("country:L") and int(n[9:]) % 2 == 0) == 199


def test_large_view_is_capped_static_and_says_how_many_are_hidden():
    v = network_view(big_star(400), max_nodes=300)
    assert v.shown == 300
    assert v.hidden == 101
    assert not v.physics
    assert "101 hidden" in v.html
    assert '"physics": false' in v.html.replace("'", '"')


def test_small_view_keeps_physics_and_hides_nothing():
    v = network_view(STAR)
    assert v.shown == 5
    assert v.hidden == 0
    assert v.physics
    assert "geokg-note" not in v.html
