"""`geokg query` refuses what the console cannot take in one line and stays alive: 3,000 nested
brackets crashed LadybugDB's parser (segmentation fault), a 126 KB query took 14.5 s before it
was refused."""

from __future__ import annotations

import time

from cli_support import assert_one_line_error, geokg

from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import seed_fragment

NESTED_SHORTEST = "MATCH p = " + "shortestPath((a)-[" * 2000


def test_deeply_nested_query_leaves_the_cli_alive_with_one_line(tmp_path):
    """3,000 nested parentheses crashed LadybugDB's parser with a segmentation fault."""
    db = tmp_path / "graph.lbdb"
    s = EmbeddedStore(db)
    write_fragments(s, [seed_fragment()])
    s.close()
    res = geokg("query", "RETURN " + "(" * 3000 + "1" + ")" * 3000 + " AS n", db=db)
    assert_one_line_error(res, "nests brackets")


def test_cli_refuses_a_126_kb_query_in_one_line_quickly(tmp_path):
    db = tmp_path / "graph.lbdb"
    EmbeddedStore(db).close()
    t = time.perf_counter()
    res = geokg("query", (NESTED_SHORTEST * 4)[:126_000], db=db)
    assert (time.perf_counter() - t < 30, "characters long" in res.stderr) == (True, True)
    assert_one_line_error(res)
