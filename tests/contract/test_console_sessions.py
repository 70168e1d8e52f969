"""While one session submits hostile console queries (the attacks of issue #19 and the worst
shapes that pass the caps), another session of the same server keeps answering, on both stores."""

from __future__ import annotations

import threading
import time

from geokg.graph.console import MAX_QUERY_CHARS
from geokg.graph.errors import QueryError
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import seed_fragment

NESTED_SHORTEST = "MATCH p = " + "shortestPath((a)-[" * 2000

#: What one session submits while another keeps asking: the issue's attacks and the worst
#: shapes that pass the caps.
HOSTILE = [
    NESTED_SHORTEST[:36_000],
    (NESTED_SHORTEST * 4)[:126_000],
    NESTED_SHORTEST[:MAX_QUERY_CHARS],
    "MATCH (a)-[:" + "|".join(["LEADS"] * 990) + "]->(b) RETURN count(*) AS n",
    "RETURN " + "(" * 3000 + "1" + ")" * 3000,
]


def test_second_session_keeps_answering_while_the_first_submits_hostile_queries(store):
    """One store serves every browser session of a Streamlit server; one session's hostile
    queries must not hold it (the old translation held the interpreter in one regex call)."""
    write_fragments(store, [seed_fragment()])
    probe = "MATCH (c:Country) RETURN count(c) AS n"
    store.cypher(probe)
    waits: list[float] = []
    done = threading.Event()

    def attacker():
        try:
            for q in HOSTILE:
                try:
                    store.cypher(q, timeout=5)
                except QueryError:
                    pass
        finally:
            done.set()

    thread = threading.Thread(target=attacker)
    thread.start()
    while not done.is_set():
        t = time.perf_counter()
        store.cypher(probe)
        waits.append(time.perf_counter() - t)
    thread.join()
    assert max(waits) < 1.0, f"slowest answer {max(waits):.2f} s over {len(waits)} queries"
