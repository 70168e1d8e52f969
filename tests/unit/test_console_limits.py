"""A query cannot freeze the explorer for everyone: the console's work before the engine (the
text check, the embedded store's translation) is linear in the query and bounded by a length
cap, and what the engine's parser cannot take (deep nesting crashes LadybugDB's process, long
operator chains take seconds outside the time limit) is refused in one line. (The CLI and a
second session: tests/e2e/test_console_cli_limits.py, tests/contract/test_console_sessions.py.)
"""

from __future__ import annotations

import gc
import time

import pytest

from geokg.graph.console import MAX_NESTING, MAX_QUERY_CHARS, MAX_QUERY_TOKENS, check_console_query
from geokg.graph.errors import QueryError
from geokg.graph.stores.translate import translate_console_query

#: The attack of issue #19: nested shortestPath calls, 36 KB spent 0.7 s in the translation.
NESTED_SHORTEST = "MATCH p = " + "shortestPath((a)-[" * 2000
#: Another shape the old check walked back over for every word: 30 KB took 7 s.
LONG_LABEL_LIST = "MATCH (a)-[:" + "|".join(["LEADS"] * 5000) + "]->(b) RETURN count(*) AS n"


def _seconds(fn, text: str) -> float:
    """The best of five runs of ``fn(text)`` (refusals included), in seconds, without the
    garbage collector's pauses (noise on a shared machine, not the algorithm's cost)."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            t = time.perf_counter()
            try:
                fn(text)
            except QueryError:
                pass
            best = min(best, time.perf_counter() - t)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize("size", [10_000 * 5, 100_000, 126_000])
def test_query_over_the_length_cap_is_refused_in_one_line_at_once(size):
    query = (NESTED_SHORTEST * 10)[:size]
    t = time.perf_counter()
    with pytest.raises(QueryError) as refused:
        check_console_query(query)
    assert (time.perf_counter() - t < 0.05, f"at most {MAX_QUERY_CHARS:,}" in str(refused.value),
            "\n" in str(refused.value)) == (True, True, False)


@pytest.mark.parametrize("shape", [NESTED_SHORTEST, LONG_LABEL_LIST], ids=["nested shortestPath", "label list"])
def test_text_check_at_the_length_cap_takes_under_a_quarter_second(shape):
    """The old check walked back over every word of ``[:A|A|…]``: 20 KB took about 3 s."""
    assert _seconds(check_console_query, shape[:MAX_QUERY_CHARS]) < 0.25


@pytest.mark.parametrize("shape", [NESTED_SHORTEST, LONG_LABEL_LIST], ids=["nested shortestPath", "label list"])
def test_translation_at_the_length_cap_takes_under_a_quarter_second(shape):
    """The old regex translation spent 0.7 s on 36 KB of nested shortestPath, in one call that
    held the interpreter."""
    assert _seconds(translate_console_query, shape[:MAX_QUERY_CHARS]) < 0.25


@pytest.mark.parametrize("shape", [NESTED_SHORTEST * 10, LONG_LABEL_LIST * 10], ids=["nested shortestPath", "label list"])
def test_translation_time_grows_linearly_with_the_query(shape):
    """Eight times the text (20 KB to 160 KB), well under 64 times the time (quadratic); the two
    sizes are timed in turns so that load on a shared machine weighs on both alike."""
    small = large = float("inf")
    for _ in range(3):
        small = min(small, _seconds(translate_console_query, shape[:20_000]))
        large = min(large, _seconds(translate_console_query, shape[:160_000]))
    assert large / max(small, 1e-6) < 32


def test_text_check_of_the_longest_allowed_query_takes_under_a_tenth_of_a_second():
    query = ("MATCH (c:Country) WHERE c.name <> '" + "x" * MAX_QUERY_CHARS)[:MAX_QUERY_CHARS - 20] + "' RETURN c"
    assert _seconds(check_console_query, query) < 0.1


def test_deep_nesting_is_refused_naming_where():
    with pytest.raises(QueryError, match=f"more than {MAX_NESTING} deep.*line 1, column"):
        check_console_query("RETURN " + "(" * 3000 + "1" + ")" * 3000)


def test_long_operator_chain_is_refused_before_the_engine_parses_it():
    with pytest.raises(QueryError, match=f"at most {MAX_QUERY_TOKENS:,}"):
        check_console_query("RETURN " + "+".join(["1"] * 4000))


