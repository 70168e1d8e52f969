"""A legible network: parallel relations apart, symmetric ones without arrows, short tooltips
without nan/None, and the same picture on every rerun."""

from __future__ import annotations

import json
import re

import networkx as nx

from geokg.graph.analysis.viz import network_html


def pair_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("country:RUS", label="Country", name="Russia", mentions=float("nan"))
    g.add_node("country:UKR", label="Country", name="Ukraine", mentions=None)
    g.add_edge("country:RUS", "country:UKR", key="FIGHT", type="FIGHT", mentions=3, evidence="x " * 400)
    g.add_edge("country:RUS", "country:UKR", key="MEET", type="MEET", mentions=1, first_seen=None)
    g.add_edge("country:UKR", "country:RUS", key="APPEAL", type="APPEAL", mentions=2)
    return g


def edges(html: str) -> list[dict]:
    return json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", html, re.S)[1])


def nodes(html: str) -> list[dict]:
    return json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S)[1])


def test_three_relations_of_one_pair_take_three_different_curves():
    flip = {"curvedCW": "curvedCCW", "curvedCCW": "curvedCW"}  # the same side, seen from the other end
    curves = {(e["smooth"]["type"] if e["from"] < e["to"] else flip[e["smooth"]["type"]], e["smooth"]["roundness"])
              for e in edges(network_html(pair_graph()))}
    assert len(curves) == 3


def test_a_symmetric_relation_has_no_arrow():
    meet = next(e for e in edges(network_html(pair_graph())) if e["label"] == "MEET")
    assert meet["arrows"]["to"]["enabled"] is False


def test_a_directed_relation_keeps_its_arrow():
    fight = next(e for e in edges(network_html(pair_graph())) if e["label"] == "FIGHT")
    assert fight["arrows"]["to"]["enabled"] is True


def test_an_edge_tooltip_is_short():
    fight = next(e for e in edges(network_html(pair_graph())) if e["label"] == "FIGHT")
    assert len(fight["title"]) < 250


def test_missing_values_never_show_as_nan_or_none():
    titles = [x["title"] for x in nodes(network_html(pair_graph())) + edges(network_html(pair_graph()))]
    assert not [t for t in titles if re.search(r"\b(nan|None)\b", t)]


def test_the_same_graph_draws_the_same_html_twice():
    assert network_html(pair_graph()) == network_html(pair_graph())


def test_the_physics_layout_has_a_fixed_seed():
    assert '"randomSeed": 7' in network_html(pair_graph())
