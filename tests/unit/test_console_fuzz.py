"""Whatever text reaches the console, the work before the engine (text check, the embedded store's
translation) ends quickly in a query for the engine or one clean GeoKG error, never another
exception: hypothesis mixes Cypher pieces (patterns, label predicates, comprehensions, shortestPath,
CALL, quotes, comments, brackets) with arbitrary text."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geokg.graph.console import check_console_query
from geokg.graph.errors import GeoKGError
from geokg.graph.stores.translate import translate_console_query

PIECES = ["MATCH", "OPTIONAL MATCH", "WHERE", "RETURN", "WITH", "UNWIND", "CALL", "YIELD", "AS", "NOT", "AND", "OR",
          "(", ")", "[", "]", "{", "}", "-", "->", "<-", "*", "..", "|", ":", ",", ".", "=", "$a", "1", "4",
          "'x'", '"y"', "`n m`", "//c\n", "/*c*/", "n", "r", "p", "x", "Country", "LEADS", "type(r)", "labels(n)",
          "size(", "shortestPath(", "allShortestPaths(", "db.labels()", "db.propertyKeys()", "show_tables()",
          "COUNT {", "EXISTS {", "[n IN", "IN", "on", "group", "\u202e", "\x00", "é"]

queries = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map(" ".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries)
def test_any_console_text_gives_a_query_or_one_clean_error(query):
    t = time.perf_counter()
    try:
        check_console_query(query)
        out = translate_console_query(query)
        assert isinstance(out, str)
    except GeoKGError as e:
        assert "\n" not in str(e)
    assert time.perf_counter() - t < 0.5
