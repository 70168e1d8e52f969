"""Every Cypher statement GeoKG runs, parametrised, for both backends.

Values always travel as parameters. Labels and relationship types cannot be parameters in
Cypher, so they are formatted into the text, but only after :func:`label` / :func:`rel_types`
checked them against the vocabulary of ``geokg.graph.model`` - never from article text.

Neo4j and LadybugDB speak nearly the same Cypher; the few differences live in :class:`Dialect`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from geokg.graph.model import (
    ACTOR_TYPES,
    ENDPOINTS,
    ENTITY_LABELS,
    EVENT_PROPS,
    LINK_TYPES,
    MERGE_RECORD,
    NODE_LABELS,
    NOT_SAME,
)

__all__ = ["Dialect", "NEO4J", "LADYBUG", "ROW_TYPES", "ACTOR_REL_PROPS", "label", "rel_types", "ladybug_schema",
           "neo4j_constraints"]


def label(name: str) -> str:
    """A node label, checked against the vocabulary."""
    if name not in NODE_LABELS:
        raise ValueError(f"unknown node label {name!r}")
    return name


def rel_types(names: Iterable[str]) -> str:
    """``A|B|C`` for a relationship pattern, every type checked against the vocabulary."""
    names = list(names)
    bad = [n for n in names if n not in ACTOR_TYPES and n not in LINK_TYPES]
    if bad or not names:
        raise ValueError(f"unknown relationship types {bad or names!r}")
    return "|".join(names)


@dataclass(frozen=True)
class Dialect:
    """The spots where Neo4j's and LadybugDB's Cypher differ."""

    name: str
    type_fn: str          # type(r) / label(r)
    label_fn: str         # labels(n)[0] / label(n)
    casts: dict[str, str]  # column type -> cast template (LadybugDB cannot infer a column of nulls)
    hub_lists: bool = False  # keeps per-hub lists of top relationships (see "hub lists" below)
    #: Where a write statement's ``row`` comes from. Neo4j unwinds the ``$rows`` list; LadybugDB
    #: reads ``$rows`` as an Arrow table of one struct column ``row`` (``geokg.graph.stores.bulk``): converting
    #: a list of dicts value by value cost it more than the write itself.
    rows: str = "UNWIND $rows AS row"
    #: Whether a read of many small rows returns them packed (:func:`returning`): the Neo4j
    #: driver costs ~20 us of client time per record, more than the values in a small one.
    packs: bool = False
    #: ``current`` plus the items of ``new`` it lacks (``current`` may be null): LadybugDB has
    #: ``list_distinct``, Neo4j a list comprehension.
    union_fn: str = "coalesce({current}, []) + [x IN {new} WHERE NOT x IN coalesce({current}, [])]"
    #: A list without repeats, for a node created with a list given whole (:func:`create_entities`).
    distinct_fn: str = "{}"
    #: A MATCH of all shortest paths ``p`` between the node patterns ``{a}`` and ``{b}`` (whose
    #: variables are ``a`` and ``b``) over ``{types}``, at most ``{hops}`` long.
    shortest_fn: str = "MATCH {a} MATCH {b} MATCH p = allShortestPaths((a)-[:{types}*..{hops}]-(b)){where}"
    #: A condition ``{cond}`` on every relationship ``r`` of the path ``p`` (the ``{where}`` of
    #: :attr:`shortest_fn`), applied during the search, so the shortest paths *within* it are found.
    shortest_where_fn: str = " WHERE all(r IN relationships(p) WHERE {cond})"
    #: The relationships of a path ``p``.
    path_rels_fn: str = "relationships({})"
    #: Whether a hop answers with element ids and mentions only, the properties of the
    #: relationships it keeps read afterwards by element id (:func:`hop`); otherwise the
    #: properties come with the hop, after the sorted cut.
    light_hops: bool = False

    def cast(self, expr: str, column_type: str) -> str:
        return self.casts.get(column_type, "{}").format(expr)

    def rel_type(self, var: str) -> str:
        return self.type_fn.format(var)

    def node_label(self, var: str) -> str:
        return self.label_fn.format(var)

    def union(self, current: str, new: str) -> str:
        """``current`` plus the items of ``new`` it lacks (``current`` may be null)."""
        return self.union_fn.format(current=current, new=new)

    def distinct(self, expr: str) -> str:
        """``expr`` (a list) without repeated items, as :meth:`union` leaves it."""
        return self.distinct_fn.format(expr)

    def shortest(self, a: str, types: str, max_hops: int, b: str, cond: str = "") -> str:
        """A MATCH of all shortest paths ``p`` between the node patterns ``a`` and ``b``
        (whose variables are ``a`` and ``b``), at most ``max_hops`` long; with ``cond`` (a
        condition on a relationship ``r``), only paths whose every relationship meets it."""
        where = self.shortest_where_fn.format(cond=cond) if cond else ""
        return self.shortest_fn.format(a=a, b=b, types=types, hops=int(max_hops), where=where)

    def path_rels(self, path: str) -> str:
        return self.path_rels_fn.format(path)


NEO4J = Dialect("neo4j", "type({})", "labels({})[0]", {"DOUBLE": "toFloat({})", "INT64": "toInteger({})"},
                hub_lists=True, packs=True, light_hops=True)
LADYBUG = Dialect("ladybug", "label({})", "label({})",
                  {t: f"CAST({{}} AS {t})" for t in ("DOUBLE", "INT64", "BOOLEAN", "STRING", "STRING[]")},
                  rows="LOAD FROM $rows",
                  union_fn="list_distinct(coalesce({current}, []) + {new})",
                  distinct_fn="list_distinct({})",
                  shortest_fn="MATCH p = {a}-[:{types}* ALL SHORTEST 1..{hops}{where}]-{b}",
                  shortest_where_fn=" (r, _n | WHERE {cond})",
                  path_rels_fn="rels({})")

# --- schema ---------------------------------------------------------------------------------

_ENTITY_COLUMNS = {
    "Country": "iso2 STRING, region STRING",
    "Person": "country STRING, role STRING",
    "Organization": "kind STRING, country STRING",
    "Location": "country STRING, lat DOUBLE, lon DOUBLE",
}
_ENTITY_COLUMN_TYPES = {"lat": "DOUBLE", "lon": "DOUBLE"}
_EVENT_COLUMN_TYPES = {"goldstein": "DOUBLE", "quad_class": "INT64", "num_mentions": "INT64",
                       "num_sources": "INT64", "avg_tone": "DOUBLE", "fatalities": "INT64",
                       "negated": "BOOLEAN"}
#: What an :Event keeps as one happening (``geokg.graph.event_clusters``): its clustering key,
#: how many distinct sources report it and when, and each report's id, source, origin, date
#: and evidence sentence (parallel lists, in order of arrival; a missing date is "": Neo4j
#: cannot store a null inside a list).
CLUSTER_COLUMNS: dict[str, str] = {
    "cluster_key": "STRING", "reports": "INT64", "first_reported": "STRING", "last_reported": "STRING",
    "report_ids": "STRING[]", "report_articles": "STRING[]", "report_origins": "STRING[]",
    "report_dates": "STRING[]", "report_evidence": "STRING[]"}
#: Properties of every actor-to-actor relationship (structural and event roll-ups).
ACTOR_REL_COLUMNS = ("mentions INT64, first_seen STRING, last_seen STRING, articles STRING[], "
                     "events STRING[], evidence STRING, confidence DOUBLE, role STRING, "
                     "origins STRING[], reviewed BOOLEAN")
ACTOR_REL_PROPS = tuple(c.split()[0] for c in ACTOR_REL_COLUMNS.split(", "))
#: The type of every column of the write rows (``geokg.graph.stores.rows``) that is not a STRING: what the
#: embedded store gives its Arrow tables, so a column that is null in one batch keeps its type.
ROW_TYPES: dict[str, str] = {
    **_ENTITY_COLUMN_TYPES, **_EVENT_COLUMN_TYPES, **CLUSTER_COLUMNS, "new_mentions": "INT64", "n": "INT64", "aliases": "STRING[]",
    **{c.split()[0]: c.split()[1] for c in ACTOR_REL_COLUMNS.split(", ") if c.split()[1] != "STRING"},
}
_LINK_ENDPOINTS = {
    "ACTOR_IN": (("Country", "Person", "Organization"), ("Event",)),
    "TARGETS": (("Event",), ("Country", "Person", "Organization")),
    "OCCURRED_IN": (("Event",), ("Location", "Country")),
    "REPORTS": (("Article",), ("Event",)),
    "MENTIONS": (("Article",), ENTITY_LABELS),
}


def ladybug_schema() -> list[str]:
    """DDL for the embedded store: LadybugDB needs declared node and relationship tables."""
    ddl = [f"CREATE NODE TABLE IF NOT EXISTS {lab}(id STRING PRIMARY KEY, name STRING, "
           f"aliases STRING[], mentions INT64, merged_ids STRING[], {cols})" for lab, cols in _ENTITY_COLUMNS.items()]
    event_cols = ", ".join(f"{p} {_EVENT_COLUMN_TYPES.get(p, 'STRING')}" for p in sorted(EVENT_PROPS))
    ddl.append("CREATE NODE TABLE IF NOT EXISTS Event(id STRING PRIMARY KEY, type STRING, "
               "cameo STRING, date STRING, date_precision STRING, summary STRING, evidence STRING, "
               f"confidence DOUBLE, origin STRING, article STRING, {event_cols}, "
               + ", ".join(f"{p} {t}" for p, t in CLUSTER_COLUMNS.items()) + ")")
    # a store made before a property joined EVENT_PROPS gets its column (acled_type: issue #19),
    # and one made before events across articles its cluster columns (issue #18)
    ddl += [f"ALTER TABLE Event ADD IF NOT EXISTS {p} {_EVENT_COLUMN_TYPES.get(p, 'STRING')}" for p in sorted(EVENT_PROPS)]
    ddl += [f"ALTER TABLE Event ADD IF NOT EXISTS {p} {t}" for p, t in CLUSTER_COLUMNS.items()]
    ddl.append("CREATE NODE TABLE IF NOT EXISTS Article(id STRING PRIMARY KEY, title STRING, "
               "url STRING, published STRING, source STRING, origin STRING, ingested_at STRING, "
               "metadata STRING)")
    for rel, (srcs, dsts) in {**ENDPOINTS, **_LINK_ENDPOINTS}.items():
        pairs = ", ".join(f"FROM {s} TO {d}" for s in srcs for d in dsts)
        props = f", {ACTOR_REL_COLUMNS}" if rel in ACTOR_TYPES else ""
        ddl.append(f"CREATE REL TABLE IF NOT EXISTS {rel}({pairs}{props})")
    return ddl + curation_schema()


def curation_schema() -> list[str]:
    """The embedded store's tables of curation records (``geokg.graph.model.NOT_SAME``,
    ``MERGE_RECORD``): new tables, so a database written before them gains them on its next
    read-write open."""
    pairs = ", ".join(f"FROM {lab} TO {lab}" for lab in ENTITY_LABELS)
    return [f"CREATE REL TABLE IF NOT EXISTS {NOT_SAME}({pairs}, at STRING)",
            f"CREATE NODE TABLE IF NOT EXISTS {MERGE_RECORD}(id STRING PRIMARY KEY, label STRING, keep STRING, "
            "dropped STRING, at STRING, snapshot STRING)"]


def neo4j_constraints() -> list[str]:
    """One uniqueness constraint per label key (also the index every MERGE and lookup uses)."""
    stmts = [f"CREATE CONSTRAINT geokg_{lab.lower()}_id IF NOT EXISTS FOR (n:{lab}) REQUIRE n.id IS UNIQUE"
             for lab in NODE_LABELS]
    stmts.append("CREATE INDEX geokg_event_date IF NOT EXISTS FOR (e:Event) ON (e.date)")
    stmts.append("CREATE INDEX geokg_event_cluster IF NOT EXISTS FOR (e:Event) ON (e.cluster_key)")
    stmts += [f"CREATE INDEX geokg_{lab.lower()}_hub_stale IF NOT EXISTS FOR (n:{lab}) ON (n.{HUB_STALE})"
              for lab in ENTITY_LABELS]
    return stmts


# --- writes (``d.rows``: one statement per label or relationship type per batch) -------------

def existing(lab: str) -> str:
    """Which of ``$ids`` already exist: those fragments (GDELT/ACLED events) are skipped.
    One primary-key lookup per id (LadybugDB scans the table for ``n.id IN $ids``)."""
    return f"UNWIND $ids AS i MATCH (n:{label(lab)} {{id: i}}) RETURN n.id AS id"


def existing_articles() -> str:
    """Which of ``$ids`` are stored articles, and from which origin."""
    return "UNWIND $ids AS i MATCH (n:Article {id: i}) RETURN n.id AS id, n.origin AS origin"


def stored_keys(lab: str, d: Dialect) -> str:
    """Which of the rows' ``id`` are stored nodes of one label (one key lookup each)."""
    return f"{d.rows} MATCH (n:{label(lab)} {{id: row.id}}) RETURN n.id AS id"


_ARTICLE_PROPS = ("title", "url", "published", "source", "origin", "ingested_at", "metadata")


def merge_articles(d: Dialect, existing: bool = False) -> str:
    """Articles of the rows, their properties set from the row. ``existing``: the rows are
    known to be stored (an article read before from another origin): MATCH, not MERGE."""
    sets = ", ".join(f"a.{p} = row.{p}" for p in _ARTICLE_PROPS)
    return f"{d.rows} {'MATCH' if existing else 'MERGE'} (a:Article {{id: row.id}}) SET {sets}"


def create_articles(d: Dialect) -> str:
    """Articles known to be new, created whole (LadybugDB's MERGE costs ~8x its CREATE)."""
    props = "".join(f", {p}: row.{p}" for p in _ARTICLE_PROPS)
    return f"{d.rows} CREATE (a:Article {{id: row.id{props}}})"


def merge_entities(lab: str, props: Sequence[str], d: Dialect, existing: bool = False) -> str:
    """Merge entities of one label; names stay as first seen, aliases accumulate, other
    properties take the newest non-null value, ``mentions`` grows by the new articles.
    ``existing``: the rows are known to be stored, so MATCH instead of MERGE."""
    sets = "".join(f", n.{p} = coalesce({d.cast(f'row.{p}', _ENTITY_COLUMN_TYPES.get(p, 'STRING'))}, n.{p})"
                   for p in props)
    aliases = d.cast("row.aliases", "STRING[]")
    return (f"{d.rows} {'MATCH' if existing else 'MERGE'} (n:{label(lab)} {{id: row.id}}) "
            f"SET n.name = coalesce(n.name, row.name), n.aliases = {d.union('n.aliases', aliases)}, "
            f"n.mentions = coalesce(n.mentions, 0) + row.new_mentions{sets}")


def create_entities(lab: str, props: Sequence[str], d: Dialect) -> str:
    """Entities known to be new, created with what :func:`merge_entities` would set on them."""
    values = "".join(f", {p}: {d.cast(f'row.{p}', _ENTITY_COLUMN_TYPES.get(p, 'STRING'))}" for p in props)
    aliases = d.cast("row.aliases", "STRING[]")
    aliases = d.distinct(aliases)  # as d.union leaves them
    return (f"{d.rows} CREATE (n:{label(lab)} {{id: row.id, name: row.name, aliases: {aliases}, "
            f"mentions: row.new_mentions{values}}})")


def create_events(props: Sequence[str], d: Dialect) -> str:
    """Create new events with all their properties in the CREATE itself (a separate SET of
    each property cost LadybugDB ~30% more)."""
    types = {**_EVENT_COLUMN_TYPES, **CLUSTER_COLUMNS, "confidence": "DOUBLE"}
    cols = ("type", "cameo", "date", "date_precision", "summary", "evidence", "confidence", "origin",
            "article", *props, *CLUSTER_COLUMNS)
    values = "".join(f", {c}: {d.cast(f'row.{c}', types.get(c, 'STRING'))}" for c in cols)
    # CREATE, not MERGE: the store skips fragments whose events exist, so every row is new
    # (a concurrent duplicate fails on the key constraint instead of being merged silently).
    return f"{d.rows} CREATE (e:Event {{id: row.id{values}}})"


def grow_events(d: Dialect) -> str:
    """Stored events that new reports joined: their report lists, counts and dates set whole
    (computed from what was read, ``geokg.graph.event_clusters.assign``), their confidence the
    highest of their reports'."""
    sets = ", ".join(f"e.{p} = {d.cast(f'row.{p}', t)}" for p, t in CLUSTER_COLUMNS.items() if p != "cluster_key")
    return f"{d.rows} MATCH (e:Event {{id: row.id}}) SET {sets}, e.confidence = {d.cast('row.confidence', 'DOUBLE')}"


def event_candidates() -> str:
    """The stored events a batch's reports may join: those of the ``$keys`` dated within
    ``$lo``..``$hi`` (the batch's dates widened by the window), with their place. An index
    lookup by key on Neo4j; a scan of the Event table on LadybugDB, which has no such index."""
    return ("MATCH (e:Event) WHERE e.cluster_key IN $keys AND e.date >= $lo AND e.date <= $hi "
            "OPTIONAL MATCH (e)-[:OCCURRED_IN]->(l:Location) OPTIONAL MATCH (e)-[:OCCURRED_IN]->(c:Country) "
            "RETURN e.id AS id, e.cluster_key AS key, e.date AS date, e.confidence AS confidence, "
            "e.first_reported AS first_reported, e.last_reported AS last_reported, e.report_ids AS report_ids, "
            "e.report_articles AS report_articles, e.report_origins AS report_origins, "
            "e.report_dates AS report_dates, e.report_evidence AS report_evidence, "
            "l.id AS loc, l.country AS loc_country, l.lat AS lat, l.lon AS lon, c.id AS country")


def _ends(src: str, dst: str, rows: str) -> str:
    """The two endpoints of a row's relationship, by key, the rows read by ``rows`` (usually
    the dialect's :attr:`Dialect.rows`).

    Two MATCH clauses, not one comma pattern: LadybugDB runs the comma form ~1000x slower."""
    return f"{rows} MATCH (a:{label(src)} {{id: row.s}}) MATCH (b:{label(dst)} {{id: row.t}}) "


def merge_link(rel: str, src: str, dst: str, d: Dialect) -> str:
    """A property-less link that may already exist (MENTIONS of an article already stored)."""
    return f"{_ends(src, dst, d.rows)}MERGE (a)-[:{rel_types([rel])}]->(b)"


def create_link(rel: str, src: str, dst: str, d: Dialect) -> str:
    """A property-less link of a node created in the same transaction (a new event's ACTOR_IN,
    TARGETS, OCCURRED_IN, REPORTS; a new article's MENTIONS): nothing to merge with, so a
    CREATE spares the engine the search."""
    return f"{_ends(src, dst, d.rows)}CREATE (a)-[:{rel_types([rel])}]->(b)"


#: How many article and event ids a relationship keeps (newest first); ``mentions`` counts them all.
PROVENANCE_CAP = 50


def create_actor_rel(rel: str, src: str, dst: str, d: Dialect) -> str:
    """Structural or roll-up relationships created with every property given by the row
    (computed by the caller, see ``geokg.graph.stores.bulk.rollup``): no merge, no expression."""
    props = ", ".join(f"{p}: row.{p}" for p in ACTOR_REL_PROPS)
    return f"{_ends(src, dst, d.rows)}CREATE (a)-[r:{rel_types([rel])} {{{props}}}]->(b)"


def take_actor_rels(rel: str, src: str, dst: str, d: Dialect) -> str:
    """Remove the rows' relationships of one type and return their properties, for a caller
    that writes them again whole in the same transaction (``geokg.graph.stores.bulk``).

    One type per statement: LadybugDB plans a pattern over several types ~6 ms per type. The
    rows are keys only (``s``, ``t``: strings, never null), so they go as an ``UNWIND``ed list
    on both backends: their parameter type never changes and LadybugDB reuses the statement's
    plan from batch to batch, where a ``LOAD FROM`` table is planned anew each time (4-6 ms
    for this statement, ~40 of them per batch)."""
    values = "".join(f", r.{p} AS {p}" for p in ACTOR_REL_PROPS)
    return (f"{_ends(src, dst, 'UNWIND $rows AS row')}MATCH (a)-[r:{rel_types([rel])}]->(b) "
            f"WITH row, r{values} DELETE r RETURN row.s AS s, row.t AS t, {', '.join(ACTOR_REL_PROPS)}")


def merge_actor_rel(rel: str, src: str, dst: str, d: Dialect) -> str:
    """Merge a structural or roll-up relationship.

    ``mentions`` grows by ``row.n``, the number of new sources (articles, or GDELT/ACLED records)
    stating it: the store writes each source once (stored ones are skipped), so re-ingesting
    cannot change it. The ``articles``/``events`` id lists keep the newest ``PROVENANCE_CAP``,
    so an update costs the same on a hub pair with 100,000 sources as on a new one. A new
    relationship takes the row as it is (``ON CREATE``); only an existing one pays for the
    comparisons and list unions (``ON MATCH``).
    """
    def newest(current: str, new: str) -> str:
        return f"{d.union(d.cast(new, 'STRING[]'), current)}[0..{PROVENANCE_CAP}]"

    def cast(col: str, typ: str = "STRING") -> str:
        return d.cast(f"row.{col}", typ)

    return (f"{_ends(src, dst, d.rows)}MERGE (a)-[r:{rel_types([rel])}]->(b) "
            f"ON CREATE SET r.mentions = {cast('n', 'INT64')}, "
            f"r.articles = {cast('articles', 'STRING[]')}[0..{PROVENANCE_CAP}], "
            f"r.events = {cast('events', 'STRING[]')}[0..{PROVENANCE_CAP}], r.origins = {cast('origins', 'STRING[]')}, "
            f"r.first_seen = {cast('first_seen')}, r.last_seen = {cast('last_seen')}, "
            f"r.evidence = {cast('evidence')}, r.confidence = {cast('confidence', 'DOUBLE')}, "
            f"r.role = {cast('role')}, r.reviewed = false "
            f"ON MATCH SET r.mentions = coalesce(r.mentions, 0) + {cast('n', 'INT64')}, "
            f"r.articles = {newest('r.articles', 'row.articles')}, "
            f"r.events = {newest('r.events', 'row.events')}, "
            f"r.origins = {d.union('r.origins', cast('origins', 'STRING[]'))}, "
            "r.first_seen = CASE WHEN r.first_seen IS NULL OR row.first_seen < r.first_seen "
            f"THEN {cast('first_seen')} ELSE r.first_seen END, "
            "r.last_seen = CASE WHEN r.last_seen IS NULL OR row.last_seen > r.last_seen "
            f"THEN {cast('last_seen')} ELSE r.last_seen END, "
            f"r.evidence = coalesce(r.evidence, {cast('evidence')}), "
            "r.confidence = CASE WHEN r.confidence IS NULL OR row.confidence > r.confidence "
            f"THEN {cast('confidence', 'DOUBLE')} ELSE r.confidence END, "
            f"r.role = coalesce({cast('role')}, r.role), r.reviewed = coalesce(r.reviewed, false)")


# --- reads ----------------------------------------------------------------------------------

def count_label(lab: str) -> str:
    return f"MATCH (n:{label(lab)}) RETURN count(n) AS n"


def count_rel(rel: str) -> str:
    return f"MATCH ()-[r:{rel_types([rel])}]->() RETURN count(r) AS n"


def search_entities(lab: str) -> str:
    """Case-insensitive substring search on name and aliases, most mentioned first."""
    # ``WITH $q AS q``: LadybugDB cannot use a parameter inside any(... WHERE ...).
    return (f"WITH $q AS q MATCH (n:{label(lab)}) WHERE toLower(n.name) CONTAINS q OR toLower(n.id) = q "
            "OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS q) "
            "RETURN n.id AS id, n.name AS name, n.mentions AS mentions "
            "ORDER BY n.mentions DESC, n.name LIMIT $limit")


def top_entities(lab: str) -> str:
    """The most mentioned entities (an empty search; LadybugDB's ``CONTAINS ''`` is false)."""
    return (f"MATCH (n:{label(lab)}) RETURN n.id AS id, n.name AS name, n.mentions AS mentions "
            "ORDER BY n.mentions DESC, n.name LIMIT $limit")


def get_entity(lab: str) -> str:
    return f"MATCH (n:{label(lab)} {{id: $id}}) RETURN n"


def _rel_filters(var: str, date_from: bool, date_to: bool, origin: bool = False, confidence: bool = False) -> str:
    """Conditions on a relationship's first/last_seen window, origins and confidence, only for the
    filters given (a null parameter in ``$p IS NULL OR ...`` confuses LadybugDB's type inference).
    A relationship without a confidence is never hidden by ``$min_confidence``: a GDELT or ACLED
    record, or a structural fact loaded from a table, states it (their confidence is 1.0 or none)."""
    out = ""
    if confidence:
        out += f" AND ({var}.confidence IS NULL OR {var}.confidence >= $min_confidence)"
    if date_from:
        out += f" AND ({var}.last_seen IS NULL OR {var}.last_seen >= $date_from)"
    if date_to:
        out += f" AND ({var}.first_seen IS NULL OR {var}.first_seen <= $date_to)"
    if origin:
        out += f" AND $origin IN {var}.origins"
    return out


#: The relationship properties a hop brings back: what the network's tooltips and the edge table
#: show. Not the ``events`` id list (up to PROVENANCE_CAP ids per edge, shown nowhere).
HOP_REL_PROPS = ("mentions", "first_seen", "last_seen", "evidence", "confidence", "role", "origins", "reviewed",
                 "articles")


def hop(lab: str, types: Sequence[str], direction: str, d: Dialect,
        date_from: bool = False, date_to: bool = False, origin: bool = False, confidence: bool = False) -> str:
    """One bounded hop from a set of nodes of one label: never an unbounded variable-length
    pattern, so a hub with 100k relationships costs one sorted, limited scan.

    Far nodes come back as label and id; their properties are fetched for the nodes a hop keeps
    by :func:`nodes_by_id`. On LadybugDB the top ``$limit`` relationships are chosen first
    (``WITH ... LIMIT``) and only then are their properties read: returning whole nodes and
    relationships from the sorted scan cost it 5-10x more on a hub. Neo4j returns each
    relationship's element id and mentions only (:func:`_light_rows`): a hop keeps ``$limit``
    of up to eight such answers, and its client spent more time decoding properties of rows it
    then dropped than the server spent sorting."""
    arrow = ("-[r:{t}]->", "<-[r:{t}]-")[direction == "in"].format(t=rel_types(types))
    match = (f"MATCH (a:{label(lab)}){arrow}(b) WHERE a.id IN $ids AND r.mentions >= $min_mentions"
             f"{_rel_filters('r', date_from, date_to, origin, confidence)} ")
    if not d.light_hops:
        head = f"RETURN a.id AS a_id, {d.node_label('b')} AS b_label, b.id AS b_id, {d.rel_type('r')} AS type"
        props = ", ".join(f"r.{p} AS {p}" for p in HOP_REL_PROPS)
        return f"{match}WITH a, b, r ORDER BY r.mentions DESC LIMIT $limit {head}, {props}"
    return f"{match}WITH a, r, b ORDER BY r.mentions DESC LIMIT $limit {_light_rows(d)}"


def _light_rows(d: Dialect) -> str:
    """A Neo4j hop's answer: the ends' keys, the type, the mentions that rank it, and the
    relationship's element id for :func:`rels_by_element_id`."""
    return returning(d, {"a_id": "a.id", "b_label": d.node_label("b"), "b_id": "b.id", "type": d.rel_type("r"),
                         "mentions": "r.mentions", "rid": "elementId(r)"})


def returning(d: Dialect, items: dict[str, str]) -> str:
    """``RETURN`` of ``items`` (column -> expression), as one record holding the list of rows
    where the dialect :attr:`~Dialect.packs` them; :func:`unpack` reads either form."""
    if d.packs:
        return f"RETURN collect({{{', '.join(f'{k}: {v}' for k, v in items.items())}}}) AS rows"
    return "RETURN " + ", ".join(f"{v} AS {k}" for k, v in items.items())


def unpack(d: Dialect, answer: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a query that ends with :func:`returning`."""
    return answer[0]["rows"] if d.packs and answer else answer


def _far_node(var: str) -> str:
    """A reached node's properties without its hub lists (hundreds of ids nobody reads)."""
    hidden = ", ".join(f"{p}: null" for pair in HUB_LISTS.values() for p in pair)
    return f"{var} {{.*, {hidden}}}"


def _hop_rel(var: str) -> str:
    """A hopped relationship's :data:`HOP_REL_PROPS` (shipping whole relationships, event id
    lists included, cost more than the hop itself on a 300-row answer)."""
    return f"{var} {{{', '.join('.' + p for p in HOP_REL_PROPS)}}}"


def nodes_by_id(lab: str, d: Dialect) -> str:
    """Nodes of one label by key, one primary-key lookup each (LadybugDB scans the whole table
    for ``n.id IN $ids``: 200 ms for 300 persons of 30,000, against 15 ms this way)."""
    node = _far_node("n") if d.hub_lists else "n"  # only hub lists need hiding
    return f"UNWIND $ids AS i MATCH (n:{label(lab)} {{id: i}}) {returning(d, {'n': node})}"


def rels_by_element_id(d: Dialect) -> str:
    """Neo4j: the :data:`HOP_REL_PROPS` of the relationships a hop kept, an element-id seek each."""
    return f"UNWIND $rids AS x MATCH ()-[r]->() WHERE elementId(r) = x {returning(d, {'rid': 'x', 'r': _hop_rel('r')})}"


# --- hub lists (Neo4j) -----------------------------------------------------------------------
#
# A hop sorts every relationship of the nodes it starts from: a few milliseconds for most nodes,
# 100 ms and more for a country with 40,000 relationships in one direction, and a second hop
# from 300 nodes meets several such hubs. So a node with many actor relationships keeps, as
# properties, the element ids of its most-mentioned ones and their mentions, per direction and
# in order; a hop merges those lists and seeks only the relationships it returns. Writes mark
# the hubs they touch stale (HUB_STALE) in the same transaction, and a stale hub is hopped the
# sorted way until ``refresh_hubs`` rebuilds its lists (at the end of ``write_fragments`` and of an
# ingest): a list never serves an old answer, and a fresh list's mentions are the stored ones.
# The leading underscore keeps these properties out of everything the store returns.

HUB_OUT, HUB_IN, HUB_STALE = "_hub_out", "_hub_in", "_hub_stale"
#: Per direction: the relationships' element ids, and their mentions (same order, descending).
HUB_LISTS = {"out": (HUB_OUT, HUB_OUT + "_n"), "in": (HUB_IN, HUB_IN + "_n")}


def hop_listed(lab: str, direction: str, d: Dialect) -> str:
    """:func:`hop` over all actor types without date, origin or confidence filters, for a frontier where
    fresh hubs answer from their lists and only the other nodes' relationships are sorted.
    The hubs' entries are merged by their stored mentions and only the top ``$limit`` are
    looked up (an element-id seek each). Exact while ``$limit`` is at most the lists' length."""
    arrow = ("-[r:{t}]->" if direction == "out" else "<-[r:{t}]-").format(t=rel_types(ACTOR_TYPES))
    ids, counts = HUB_LISTS[direction]
    far, near = ("endNode(r)", "startNode(r)") if direction == "out" else ("startNode(r)", "endNode(r)")
    return (
        "CALL () { "
        f"MATCH (a:{label(lab)}){arrow}(b) WHERE a.id IN $ids AND (a.{ids} IS NULL OR a.{HUB_STALE}) "
        "AND r.mentions >= $min_mentions WITH a, r, b ORDER BY r.mentions DESC LIMIT $limit RETURN a, r, b "
        "UNION ALL "
        f"MATCH (a:{label(lab)}) WHERE a.id IN $ids AND a.{ids} IS NOT NULL AND a.{HUB_STALE} IS NULL "
        f"UNWIND range(0, size(a.{ids}) - 1) AS i WITH a, a.{ids}[i] AS listed, a.{counts}[i] AS n "
        "WHERE n >= $min_mentions WITH a, listed ORDER BY n DESC LIMIT $limit "
        f"MATCH ()-[r]->() WHERE elementId(r) = listed WITH a, r, {far} AS b WHERE {near} = a "
        "RETURN a, r, b } "
        f"WITH a, r, b ORDER BY r.mentions DESC LIMIT $limit {_light_rows(d)}")


def hub_mark(lab: str) -> str:
    """Marks stale, among the nodes of one label a write touched (``$ids``), the hubs and the
    nodes that just reached ``$degree`` actor relationships. Always a SET, even on a node already
    stale: it takes the node's lock, so a refresh running meanwhile (which locks first, see
    :func:`hub_lock`) cannot clear the mark for relationships it did not see."""
    return (f"UNWIND $ids AS k MATCH (a:{label(lab)} {{id: k}}) "
            f"WITH a WHERE a.{HUB_OUT} IS NOT NULL OR COUNT {{ (a)-[:{rel_types(ACTOR_TYPES)}]-() }} >= $degree "
            f"SET a.{HUB_STALE} = true")


def hub_rescan(lab: str) -> str:
    """Marks stale every node of one label with ``$degree`` actor relationships or more, and
    drops the lists of the others: for a graph written by other means (a bulk load, an older
    GeoKG) or a new threshold."""
    lists = ", ".join(f"a.{p}" for pair in HUB_LISTS.values() for p in pair)
    return (f"MATCH (a:{label(lab)}) WITH a, COUNT {{ (a)-[:{rel_types(ACTOR_TYPES)}]-() }} >= $degree AS hub "
            f"FOREACH (_ IN CASE WHEN hub THEN [1] ELSE [] END | SET a.{HUB_STALE} = true) "
            f"FOREACH (_ IN CASE WHEN hub OR a.{HUB_OUT} IS NULL THEN [] ELSE [1] END | REMOVE {lists}, a.{HUB_STALE})")


def hub_stale(lab: str) -> str:
    return f"MATCH (a:{label(lab)}) WHERE a.{HUB_STALE} = true RETURN a.id AS id"


def hub_lock(lab: str) -> str:
    """The first statement of a refresh: lock the hub before reading its relationships."""
    return f"MATCH (a:{label(lab)} {{id: $id}}) SET a.{HUB_STALE} = true"


def hub_refresh(lab: str) -> str:
    """A hub's ``$top`` most-mentioned actor relationships per direction, stored on it."""
    t = rel_types(ACTOR_TYPES)
    # a relationship without mentions is never hopped (and would sort first: nulls are largest)
    top = ("WHERE r.mentions IS NOT NULL WITH r ORDER BY r.mentions DESC LIMIT $top "
           "RETURN collect(elementId(r)) AS ids, collect(r.mentions) AS counts")
    (out_ids, out_n), (in_ids, in_n) = HUB_LISTS["out"], HUB_LISTS["in"]
    return (f"MATCH (a:{label(lab)} {{id: $id}}) "
            f"CALL (a) {{ MATCH (a)-[r:{t}]->() {top} }} WITH a, ids AS outs, counts AS outs_n "
            f"CALL (a) {{ MATCH (a)<-[r:{t}]-() {top} }} "
            f"SET a.{out_ids} = outs, a.{out_n} = outs_n, a.{in_ids} = ids, a.{in_n} = counts "
            f"REMOVE a.{HUB_STALE}")


def shortest_paths(src: str, dst: str, types: Sequence[str], max_hops: int, d: Dialect,
                   date_from: bool = False, date_to: bool = False) -> str:
    """All shortest paths from ``$a`` to ``$b``; with a window, only through relationships seen
    in it (:func:`_rel_filters`: last seen since ``$date_from``, first seen by ``$date_to``,
    undated ones pass), so a longer path within the window is found when a shorter one is not in it."""
    a = f"(a:{label(src)} {{id: $a}})"
    b = f"(b:{label(dst)} {{id: $b}})"
    cond = _rel_filters("r", date_from, date_to).removeprefix(" AND ")
    return (f"{d.shortest(a, rel_types(types), max_hops, b, cond)} RETURN nodes(p) AS nodes, "
            f"{d.path_rels('p')} AS rels LIMIT $limit")


def events_table(filters: Sequence[str], actor_label: str | None = None) -> str:
    """Events with their actors and targets, newest first; ``filters`` names the parameters given
    (types, date_from, date_to, origin, actor; ``actor`` is a key of label ``actor_label``).

    The newest ``$limit`` events are chosen before their actors and targets are collected, and an
    actor's events are found from the actor (one indexed hop): collecting for every event first
    cost a scan of all events and their links on each call."""
    cond = {"types": "e.type IN $types", "date_from": "e.date >= $date_from",
            "date_to": "e.date <= $date_to", "origin": "e.origin = $origin"}
    where = " AND ".join(cond[f] for f in filters if f in cond)
    start = (f"MATCH (x:{label(actor_label)} {{id: $actor}})-[:ACTOR_IN]->(e:Event) "
             if "actor" in filters and actor_label else "MATCH (e:Event) ")
    return (f"{start}{'WHERE ' + where if where else ''} "
            "WITH DISTINCT e ORDER BY e.date DESC, e.id LIMIT $limit "
            "OPTIONAL MATCH (a)-[:ACTOR_IN]->(e) OPTIONAL MATCH (e)-[:TARGETS]->(t) "
            "WITH e, collect(DISTINCT a.name) AS actors, collect(DISTINCT t.name) AS targets "
            "RETURN e.id AS id, e.date AS date, e.type AS type, e.cameo AS cameo, actors, targets, "
            "e.evidence AS evidence, e.confidence AS confidence, e.origin AS origin, e.article AS article, "
            "coalesce(e.reports, 1) AS reports ORDER BY e.date DESC, e.id")


def relations_table(types: Sequence[str], d: Dialect, date_from: bool = False, date_to: bool = False,
                    origin: bool = False, anchor: tuple[str, str] | None = None, confidence: bool = False) -> str:
    """Actor relationships, most mentioned first. With ``anchor`` = (label, "out" | "in") only
    those of the node ``$entity`` of that label in that direction: one indexed hop instead of a
    scan of every relationship in the graph."""
    src, dst = "a", "b"
    if anchor:
        lab, direction = anchor
        arrow = ("-[r:{t}]->", "<-[r:{t}]-")[direction == "in"].format(t=rel_types(types))
        match = f"MATCH (a:{label(lab)} {{id: $entity}}){arrow}(b)"
        if direction == "in":
            src, dst = "b", "a"
    else:
        match = f"MATCH (a)-[r:{rel_types(types)}]->(b)"
    return (f"{match} WHERE r.mentions >= $min_mentions{_rel_filters('r', date_from, date_to, origin, confidence)} "
            f"RETURN {d.node_label(src)} AS source_label, {src}.id AS source_id, {src}.name AS source, "
            f"{d.rel_type('r')} AS type, {d.node_label(dst)} AS target_label, {dst}.id AS target_id, "
            f"{dst}.name AS target, r.mentions AS mentions, r.first_seen AS first_seen, "
            "r.last_seen AS last_seen, r.evidence AS evidence, r.confidence AS confidence, "
            "r.reviewed AS reviewed, r.articles AS articles "
            "ORDER BY mentions DESC, source, target LIMIT $limit")


def all_nodes(lab: str) -> str:
    return f"MATCH (n:{label(lab)}) RETURN n"


def all_rels(rel: str, d: Dialect) -> str:
    return (f"MATCH (a)-[r:{rel_types([rel])}]->(b) RETURN {d.node_label('a')} AS a_label, a.id AS a_id, "
            f"{d.node_label('b')} AS b_label, b.id AS b_id, r AS r")


# --- curation -------------------------------------------------------------------------------

def add_alias(lab: str, d: Dialect) -> str:
    return f"MATCH (n:{label(lab)} {{id: $id}}) SET n.aliases = {d.union('n.aliases', '$aliases')}"


def delete_rel(src: str, rel: str, dst: str) -> str:
    return (f"MATCH (a:{label(src)} {{id: $s}})-[r:{rel_types([rel])}]->(b:{label(dst)} {{id: $t}}) "
            "DELETE r RETURN count(*) AS n")


def review_rel(src: str, rel: str, dst: str) -> str:
    return (f"MATCH (a:{label(src)} {{id: $s}})-[r:{rel_types([rel])}]->(b:{label(dst)} {{id: $t}}) "
            "SET r.reviewed = true RETURN count(*) AS n")


def rels_of(lab: str, rel: str, direction: str, d: Dialect) -> str:
    """All relationships of one type at a node, with the far end, for moving them in a merge."""
    arrow = ("-[r:{t}]->", "<-[r:{t}]-")[direction == "in"].format(t=rel_types([rel]))
    return (f"MATCH (a:{label(lab)} {{id: $id}}){arrow}(b) "
            f"RETURN {d.node_label('b')} AS b_label, b.id AS b_id, r AS r")


def delete_node(lab: str) -> str:
    return f"MATCH (n:{label(lab)} {{id: $id}}) DETACH DELETE n"


# --- explorer reads and merge redirects ---------------------------------------------------------

def latest_articles() -> str:
    """The newest articles ingested, with how many entities and events each brought."""
    return ("MATCH (a:Article) OPTIONAL MATCH (a)-[:REPORTS]->(e:Event) "
            "WITH a, count(e) AS events "
            "RETURN a.id AS id, a.title AS title, a.url AS url, a.published AS published, "
            "a.source AS source, a.origin AS origin, a.ingested_at AS ingested_at, events "
            "ORDER BY a.ingested_at DESC, a.published DESC, a.id LIMIT $limit")


def articles_mentioning(lab: str, date_from: bool = False, date_to: bool = False) -> str:
    """Articles that mention one entity, newest first; with a window, those published in it."""
    where = " AND ".join(c.replace("a.date", "a.published") for c in _window("a", date_from, date_to))
    return (f"MATCH (a:Article)-[:MENTIONS]->(n:{label(lab)} {{id: $id}}) {'WHERE ' + where + ' ' if where else ''}"
            "RETURN a.id AS id, a.title AS title, a.url AS url, a.published AS published, a.source AS source "
            "ORDER BY a.published DESC, a.id LIMIT $limit")


def entity_events(lab: str, role: str, date_from: bool = False, date_to: bool = False) -> str:
    """Events one entity takes part in as ``actor`` or ``target``, with all actors and targets;
    with a window, those dated in it (undated ones are in no window, as in :func:`events_table`)."""
    pattern = ("(n:{lab} {{id: $id}})-[:ACTOR_IN]->(e:Event)" if role == "actor"
               else "(e:Event)-[:TARGETS]->(n:{lab} {{id: $id}})").format(lab=label(lab))
    where = " AND ".join(_window("e", date_from, date_to))
    return (f"MATCH {pattern} {'WHERE ' + where + ' ' if where else ''}WITH DISTINCT e "
            "OPTIONAL MATCH (x)-[:ACTOR_IN]->(e) OPTIONAL MATCH (e)-[:TARGETS]->(t) "
            "WITH e, collect(DISTINCT x.name) AS actors, collect(DISTINCT t.name) AS targets "
            "RETURN e.id AS id, e.date AS date, e.type AS type, e.cameo AS cameo, actors, targets, "
            "e.evidence AS evidence, e.confidence AS confidence, e.article AS article, e.origin AS origin, "
            "coalesce(e.reports, 1) AS reports ORDER BY e.date DESC, e.id LIMIT $limit")


def degree_top(lab: str, types: Sequence[str]) -> str:
    """The entities of one label with the most actor relationships (either direction)."""
    return (f"MATCH (n:{label(lab)})-[r:{rel_types(types)}]-() "
            "RETURN n.id AS id, n.name AS name, count(r) AS degree, sum(r.mentions) AS weight "
            "ORDER BY degree DESC, weight DESC, name LIMIT $limit")


def redirects(lab: str) -> str:
    """Nodes of one label that absorbed other ids in a merge (a label scan, once per write_fragments)."""
    return (f"MATCH (n:{label(lab)}) WHERE n.merged_ids IS NOT NULL AND size(n.merged_ids) > 0 "
            "RETURN n.id AS id, n.merged_ids AS merged_ids")


def add_merged_ids(lab: str, d: Dialect) -> str:
    return (f"MATCH (n:{label(lab)} {{id: $id}}) "
            f"SET n.merged_ids = {d.union('n.merged_ids', d.cast('$ids', 'STRING[]'))}")


# --- duplicate candidates, rejections and undoable merges ----------------------------------------

def entity_rows(lab: str, d: Dialect) -> str:
    """Every entity of one label with what duplicate scoring reads (a label scan; 100,000
    persons come back in one packed record on Neo4j)."""
    country = "n.country" if lab in ("Person", "Organization", "Location") else "n.id"
    return (f"MATCH (n:{label(lab)}) " + returning(d, {"id": "n.id", "name": "n.name", "aliases": "n.aliases",
                                                       "country": country, "mentions": "n.mentions"}))


def neighbour_ids(lab: str, d: Dialect) -> str:
    """The actor neighbours of the nodes ``$ids`` of one label (one indexed hop each), at most
    ``$limit`` rows in all: the shared-neighbour evidence of the candidate pairs only."""
    return (f"UNWIND $ids AS i MATCH (n:{label(lab)} {{id: i}})-[:{rel_types(ACTOR_TYPES)}]-(b) "
            f"WITH DISTINCT i, {d.node_label('b')} AS b_label, b.id AS b_id LIMIT $limit "
            + returning(d, {"id": "i", "b_label": "b_label", "b_id": "b_id"}))


def not_same_pairs(lab: str) -> str:
    """The pairs of one label an analyst said are different."""
    return f"MATCH (a:{label(lab)})-[:{NOT_SAME}]->(b:{label(lab)}) RETURN a.id AS a, b.id AS b"


def add_not_same(lab: str) -> str:
    return (f"MATCH (a:{label(lab)} {{id: $a}}) MATCH (b:{label(lab)} {{id: $b}}) "
            f"MERGE (a)-[r:{NOT_SAME}]->(b) SET r.at = $at")


def delete_not_same(lab: str) -> str:
    return f"MATCH (a:{label(lab)} {{id: $a}})-[r:{NOT_SAME}]->(b:{label(lab)} {{id: $b}}) DELETE r"


def create_merge_record() -> str:
    return (f"CREATE (m:{MERGE_RECORD} {{id: $id, label: $label, keep: $keep, dropped: $dropped, at: $at, "
            "snapshot: $snapshot})")


def merge_records() -> str:
    """The merges that can be undone, newest first (without their snapshots)."""
    return (f"MATCH (m:{MERGE_RECORD}) RETURN m.id AS id, m.label AS label, m.keep AS keep, m.dropped AS dropped, "
            "m.at AS at ORDER BY m.at DESC, m.id LIMIT $limit")


def merge_record() -> str:
    return f"MATCH (m:{MERGE_RECORD} {{id: $id}}) RETURN m.label AS label, m.keep AS keep, m.snapshot AS snapshot"


def delete_merge_record() -> str:
    return f"MATCH (m:{MERGE_RECORD} {{id: $id}}) DELETE m"


def set_actor_rel(rel: str, src: str, dst: str, d: Dialect) -> str:
    """Put the rows' relationships back to properties recorded earlier (an undone merge)."""
    sets = ", ".join(f"r.{p} = {d.cast(f'row.{p}', ROW_TYPES.get(p, 'STRING'))}" for p in ACTOR_REL_PROPS)
    return f"{_ends(src, dst, d.rows)}MATCH (a)-[r:{rel_types([rel])}]->(b) SET {sets}"


def delete_actor_rels(rel: str, src: str, dst: str) -> str:
    """Remove the rows' relationships of one type (keys only, as an ``UNWIND``ed list)."""
    return f"{_ends(src, dst, 'UNWIND $rows AS row')}MATCH (a)-[r:{rel_types([rel])}]->(b) DELETE r"


def set_names(lab: str, d: Dialect) -> str:
    """An entity's aliases and absorbed ids set back (an undone merge)."""
    return (f"MATCH (n:{label(lab)} {{id: $id}}) SET n.aliases = {d.cast('$aliases', 'STRING[]')}, "
            f"n.merged_ids = {d.cast('$merged_ids', 'STRING[]')}")


def relation_events(d: Dialect) -> str:
    """The events ``$ids`` (a roll-up relationship's) with the article that reported each."""
    return ("UNWIND $ids AS i MATCH (e:Event {id: i}) OPTIONAL MATCH (a:Article)-[:REPORTS]->(e) "
            + returning(d, {"event": "e.id", "evidence": "e.evidence", "date": "e.date", "article": "a.id",
                            "title": "a.title", "source": "a.source", "published": "a.published", "url": "a.url"}))


def relation_articles(d: Dialect) -> str:
    """The articles ``$ids`` (a structural relationship's sources)."""
    return ("UNWIND $ids AS i MATCH (a:Article {id: i}) "
            + returning(d, {"article": "a.id", "title": "a.title", "source": "a.source", "published": "a.published",
                            "url": "a.url"}))


def actor_rel(src: str, rel: str, dst: str) -> str:
    """One actor relationship by its ends and type, with its provenance lists."""
    return (f"MATCH (a:{label(src)} {{id: $s}})-[r:{rel_types([rel])}]->(b:{label(dst)} {{id: $t}}) "
            "RETURN r.evidence AS evidence, r.first_seen AS first_seen, r.last_seen AS last_seen, "
            "r.articles AS articles, r.events AS events")


# --- place and time: the map, the GeoJSON export and "what changed" -------------------------

def _window(var: str, date_from: bool, date_to: bool) -> list[str]:
    """Conditions on a node's ``date`` for the window bounds given (an undated event is outside
    every window that has a bound)."""
    return ([f"{var}.date >= $date_from"] if date_from else []) + ([f"{var}.date <= $date_to"] if date_to else [])


def _placed(date_from: bool, date_to: bool) -> str:
    where = " AND ".join(["l.lat IS NOT NULL", "l.lon IS NOT NULL", *_window("e", date_from, date_to)])
    return f"MATCH (e:Event)-[:OCCURRED_IN]->(l:Location) WHERE {where} "


def placed_events(date_from: bool = False, date_to: bool = False) -> str:
    """Events that occurred at a Location with coordinates, most reported first (``reports``: the
    most reports known of it, GDELT's NumMentions or the distinct sources in the store reporting
    it, 1 for an event stored before either), at most ``$limit``, with the URL of one reporting article."""
    return (_placed(date_from, date_to)
            + "WITH e, l, CASE WHEN coalesce(e.num_mentions, 0) > coalesce(e.reports, 1) THEN e.num_mentions "
            "ELSE coalesce(e.reports, 1) END AS reports ORDER BY reports DESC, e.date DESC, e.id LIMIT $limit "
            "OPTIONAL MATCH (ar:Article)-[:REPORTS]->(e) "
            "WITH e, l, reports, min(ar.url) AS url "
            "RETURN e.id AS id, e.type AS type, e.cameo AS cameo, e.date AS date, e.summary AS summary, "
            "e.evidence AS evidence, e.goldstein AS goldstein, e.quad_class AS quad_class, reports, "
            "e.origin AS origin, e.article AS article, url, l.id AS place_id, l.name AS place, "
            "l.country AS country, l.lat AS lat, l.lon AS lon "
            "ORDER BY reports DESC, date DESC, id")


def count_placed_events(date_from: bool = False, date_to: bool = False) -> str:
    """How many events :func:`placed_events` would give without its limit."""
    return _placed(date_from, date_to) + "RETURN count(e) AS n"


def country_activity(role: str, date_from: bool = False, date_to: bool = False) -> str:
    """Per country and CAMEO code, the events it takes part in as ``actor`` or ``target`` in the
    window, the reports of them (``reports``: sources, summed over the events), and the sum and
    count of their Goldstein scores (GDELT only)."""
    pattern = "(c:Country)-[:ACTOR_IN]->(e:Event)" if role == "actor" else "(e:Event)-[:TARGETS]->(c:Country)"
    where = " AND ".join(_window("e", date_from, date_to))
    return (f"MATCH {pattern} {'WHERE ' + where if where else ''} "
            "RETURN c.id AS id, c.name AS name, e.cameo AS cameo, count(e) AS events, "
            "sum(coalesce(e.reports, 1)) AS reports, sum(e.goldstein) AS goldstein_sum, count(e.goldstein) AS goldstein_n")


def rollup_mentions(d: Dialect, date_from: bool = False, date_to: bool = False) -> str:
    """Per (actor, event type, target): the events in the window (``mentions``: happenings, each
    once however many sources report it), their reports (``reports``: sources, summed) and the
    latest of their ids (an example to show as evidence). The period view of the event roll-ups,
    whose own ``mentions`` count every period at once."""
    where = " AND ".join(_window("e", date_from, date_to))
    return (f"MATCH (a)-[:ACTOR_IN]->(e:Event)-[:TARGETS]->(t) {'WHERE ' + where if where else ''} "
            f"RETURN {d.node_label('a')} AS source_label, a.id AS source_id, a.name AS source, e.type AS type, "
            f"{d.node_label('t')} AS target_label, t.id AS target_id, t.name AS target, "
            "count(e) AS mentions, sum(coalesce(e.reports, 1)) AS reports, max(e.id) AS example")


def pair_events(src: str, dst: str, date_from: bool = False, date_to: bool = False) -> str:
    """The events an actor ``$a`` (label ``src``) did to ``$b`` (label ``dst``) in the window,
    newest ``$limit`` first, with their CAMEO codes, Goldstein score and quad class (GDELT's,
    where the record had them) and the URL and title of one reporting article: a pair's
    temperature reads it once per direction. One indexed hop from ``$a``."""
    where = " AND ".join(_window("e", date_from, date_to))
    return (f"MATCH (x:{label(src)} {{id: $a}})-[:ACTOR_IN]->(e:Event)-[:TARGETS]->(y:{label(dst)} {{id: $b}}) "
            f"{'WHERE ' + where + ' ' if where else ''}"
            "WITH DISTINCT e ORDER BY e.date DESC, e.id LIMIT $limit "
            "OPTIONAL MATCH (ar:Article)-[:REPORTS]->(e) "
            "WITH e, min(ar.url) AS url, min(ar.title) AS title "
            "RETURN e.id AS id, e.date AS date, e.type AS type, e.cameo AS cameo, e.cameo_code AS cameo_code, "
            "e.goldstein AS goldstein, e.quad_class AS quad_class, e.origin AS origin, e.summary AS summary, "
            "e.evidence AS evidence, url, title ORDER BY date DESC, id")


def events_by_id() -> str:
    """Events ``$ids`` with their evidence and the URL and title of one reporting article."""
    return ("MATCH (e:Event) WHERE e.id IN $ids OPTIONAL MATCH (ar:Article)-[:REPORTS]->(e) "
            "RETURN e.id AS id, e.date AS date, e.type AS type, e.summary AS summary, e.evidence AS evidence, "
            "min(ar.url) AS url, min(ar.title) AS title")
