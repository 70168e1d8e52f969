"""The query console reads a refused keyword in a name's place as a name: an analyst's
``RETURN n.set``, ``count(*) AS load``, ``{show: 1}``, ``MATCH (use) RETURN use`` or
``(n:Show)`` runs, on both backends, while a real clause written beside such names (``MATCH
(set) SET set.x = 1``, ``WITH n AS set SET n.a = 1``) is still refused by the text check itself,
before the engines' own walls are asked.
"""

from __future__ import annotations

import pytest
from console_support import attack_folder, snapshot

from geokg.graph.console import REFUSED_CLAUSES, check_console_query
from geokg.graph.errors import QueryError, ReadOnlyViolation
from geokg.graph.stores.writer import write_fragments
from graph_fixtures import seed_fragment

#: Every place where the engines read a name, with ``{w}`` a refused keyword: a property, an
#: alias, a map key, a pattern's variable used later bare and inside a call, a label, a
#: relationship type in a label expression, a variable after WHERE/AND/ORDER BY/a comma.
NAME_PLACES = {
    "property": "MATCH (n) RETURN n.{w} AS x",
    "alias": "MATCH (n) RETURN count(*) AS {w}",
    "map key": "RETURN {{{w}: 1, other: 2}} AS m",
    "node variable": "MATCH ({w}) RETURN {w}",
    "relationship variable": "MATCH ()-[{w}:LEADS]->() RETURN count({w}) AS n",
    "label": "MATCH (n:{w}) RETURN n",
    "type among types": "MATCH ()-[r:LEADS|{w}]->() RETURN r",
    "label test in WHERE": "MATCH (n) WHERE n:{w} AND NOT n:Country RETURN n",
    "variable in WHERE and ORDER BY": "MATCH (n) WITH n AS {w} WHERE {w}.id = 'BLR' AND {w}.x = 1 "
                                      "RETURN {w} ORDER BY {w}.name",
    "variable after a comma and an operator": "UNWIND [1] AS {w} RETURN 1, {w}, {w} + 1, [{w}] AS xs",
}


@pytest.mark.parametrize("place", NAME_PLACES.values(), ids=NAME_PLACES.keys())
def test_every_refused_keyword_passes_the_text_check_where_it_is_a_name(place):
    passed = []
    for word in REFUSED_CLAUSES:
        for spelled in (word.lower(), word.title()):
            check_console_query(place.format(w=spelled))  # raises ReadOnlyViolation if read as a clause
            passed.append(spelled)
    assert len(passed) == 2 * len(REFUSED_CLAUSES)


#: (query, rows): the same answer from both backends, every query naming things like clauses.
NAMED_LIKE_CLAUSES = [
    ("MATCH (use) WHERE use.id = 'BLR' RETURN use.name AS name", [["Belarus"]]),
    ("MATCH (c:Country) RETURN count(*) AS load", [[4]]),
    ("MATCH (c:Country) WITH count(c) AS export RETURN export", [[4]]),
    ("MATCH (c:Country {id: 'BLR'}) WITH c AS show RETURN show.id AS id, show.name AS name", [["BLR", "Belarus"]]),
    ("WITH {set: 1, use: 2, show: 3, load: 4, copy: 5} AS m RETURN m.set + m.use + m.show + m.load + m.copy AS n",
     [[15]]),
    ("MATCH (p:Person)-[set:LEADS]->(load:Country) RETURN count(set) AS n, count(DISTINCT load) AS m", [[2, 2]]),
    ("MATCH (c:Country) RETURN c.id AS use ORDER BY use LIMIT 2", [["BLR"], ["CHN"]]),
    ("MATCH (c:Country) WHERE c.id = 'BLR' AND NOT c.id CONTAINS 'x' WITH c AS delete RETURN delete.name AS n",
     [["Belarus"]]),
]


@pytest.mark.parametrize("query,rows", NAMED_LIKE_CLAUSES)
def test_console_answers_queries_whose_names_look_like_clauses(store, query, rows):
    write_fragments(store, [seed_fragment()])
    assert store.cypher(query).values.tolist() == rows


def test_console_returns_a_node_bound_to_a_variable_named_use(store):
    write_fragments(store, [seed_fragment()])
    df = store.cypher("MATCH (use:Country {id: 'BLR'}) RETURN use")
    assert [(n["id"], n["name"]) for n in df["use"]] == [("BLR", "Belarus")]


#: Labels and types named like clauses: Neo4j answers (no such nodes), LadybugDB's binder says
#: the table does not exist. Either way the engine answers, not the console's read-only gate.
KEYWORD_LABELS = {
    "MATCH (n:Show) RETURN count(n) AS n": [[0]],
    "MATCH ()-[r:LEADS|SET]->() RETURN count(r) AS n": [[2]],
}


@pytest.mark.parametrize("query", KEYWORD_LABELS)
def test_labels_and_types_named_like_clauses_reach_the_engine(store, query):
    write_fragments(store, [seed_fragment()])
    if store.backend == "neo4j":
        assert store.cypher(query).values.tolist() == KEYWORD_LABELS[query]
    else:
        with pytest.raises(QueryError) as answer:
            store.cypher(query)
        assert type(answer.value) is QueryError
        assert "does not exist" in str(answer.value)


#: (why, query, clause): a real clause written right after a keyword-named name. The text check
#: must name ``clause`` at its place; both stores must refuse with nothing changed.
LOOKALIKE_ATTACKS = [
    ("set beside a variable named set", "MATCH (set:Country {id: 'BLR'}) SET set.name = 'Changed'", "SET"),
    ("set after an alias named set", "MATCH (n) WITH n AS set SET n.a = 1", "SET"),
    ("set after an alias named set, still in scope", "MATCH (n) WITH n AS set SET set.name = 'x'", "SET"),
    ("plain set", "MATCH (n) SET n.x = 1", "SET"),
    ("set after a property named set", "MATCH (c:Country) WITH c, c.set AS x SET c.name = 'x'", "SET"),
    ("set after a map key named set", "MATCH (c:Country) WITH c, {set: 1} AS m SET c.name = 'x'", "SET"),
    ("set after a label named Set", "MATCH (c:Country) WHERE NOT c:Set SET c.name = 'x'", "SET"),
    ("set after a label alternation", "MATCH (c:Country|Set) SET c.name = 'x'", "SET"),
    ("delete of a variable named delete", "MATCH (delete:Country) DETACH DELETE delete", "DETACH"),
    ("delete of a relationship named delete", "MATCH ()-[delete:BORDERS]->() DELETE delete", "DELETE"),
    ("merge after a variable named merge", "MATCH (c:Country) WITH c, c AS merge MERGE (:Country {id: 'ZZZ'})", "MERGE"),
    ("load csv after a variable named load",
     "MATCH (load:Country) WITH load LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD"),
    ("copy after an alias named copy", "MATCH (c:Country) WITH count(c) AS copy COPY (RETURN 1) TO '{tmp}/leak.csv'",
     "COPY"),
    ("use after a variable named use", "MATCH (use:Country) WITH use USE system SHOW USERS", "USE"),
    ("foreach over a list named set", "MATCH (c:Country) WITH c, [1] AS set FOREACH (x IN set | SET c.name = 'x')",
     "FOREACH"),
    ("write in a subquery after an alias", "MATCH (c:Country) CALL (c) { WITH c AS set DETACH DELETE set } "
                                           "RETURN 1 AS one", "DETACH"),
]


@pytest.mark.parametrize("query,clause", [a[1:] for a in LOOKALIKE_ATTACKS], ids=[a[0] for a in LOOKALIKE_ATTACKS])
def test_a_clause_beside_keyword_named_names_is_still_refused_by_the_text_check(store, tmp_path, query, clause):
    target = attack_folder(tmp_path)
    query = query.replace("{tmp}", str(target))
    column = query.index(f" {clause} ") + 2
    write_fragments(store, [seed_fragment()])
    before = snapshot(store)
    with pytest.raises(ReadOnlyViolation) as by_text:
        check_console_query(query)
    with pytest.raises(ReadOnlyViolation) as by_store:
        store.cypher(query)
    assert f"{clause} " in str(by_text.value)
    assert f"(line 1, column {column})" in str(by_text.value)
    assert str(by_store.value) == str(by_text.value)
    assert snapshot(store) == before
    assert list(target.iterdir()) == []
