"""Ready research queries: data, not code. Each runs unchanged on Neo4j and on the embedded
store (whose console translates ``type(r)`` and ``shortestPath``), read-only, with parameters.

Add one by appending a :class:`GalleryQuery`; ``tests/contract/test_console_queries.py`` runs
every entry on a fixture graph on both stores and compares the rows, so a query that one backend
cannot parse, or answers differently, fails a test, not an analyst.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["GalleryQuery", "GALLERY", "by_name"]


@dataclass(frozen=True)
class GalleryQuery:
    name: str
    description: str
    cypher: str
    params: dict[str, Any] = field(default_factory=dict)


GALLERY: tuple[GalleryQuery, ...] = (
    GalleryQuery(
        "Who has troops where",
        "Military posture (CAMEO 15): which country's forces are in or aimed at which, most reported first.",
        "MATCH (a:Country)-[r:MILITARY_POSTURE]->(b:Country)\n"
        "RETURN a.name AS actor, b.name AS host, r.mentions AS mentions,\n"
        "       r.first_seen AS first_seen, r.last_seen AS last_seen, r.evidence AS evidence\n"
        "ORDER BY mentions DESC, actor"),
    GalleryQuery(
        "The sanctions network",
        "Who sanctions whom (CAMEO 163), with the graph: countries and organisations alike.",
        "MATCH (a)-[r:SANCTION]->(b)\n"
        "RETURN a, r, b, a.name AS sanctioner, b.name AS sanctioned, r.first_seen AS since, r.mentions AS mentions\n"
        "ORDER BY mentions DESC, sanctioner"),
    GalleryQuery(
        "Leaders and their countries",
        "Every LEADS relationship from a person to a country, with the role the article gave.",
        "MATCH (p:Person)-[r:LEADS]->(c:Country)\n"
        "RETURN p.name AS leader, r.role AS role, c.name AS country, r.last_seen AS last_seen\n"
        "ORDER BY country, leader"),
    GalleryQuery(
        "Every event between two countries in a window",
        "Reified events with country $a as actor and $b as target between $date_from and $date_to (ISO dates).",
        "MATCH (a:Country {id: $a})-[:ACTOR_IN]->(e:Event)-[:TARGETS]->(b:Country {id: $b})\n"
        "WHERE e.date >= $date_from AND e.date <= $date_to\n"
        "RETURN e.date AS date, e.type AS type, e.evidence AS evidence, e.article AS article\n"
        "ORDER BY date",
        {"a": "RUS", "b": "UKR", "date_from": "2000-01-01", "date_to": "2030-12-31"}),
    GalleryQuery(
        "Conflict events, newest first",
        "Events of the material-conflict types (CAMEO 15-20) with their actors and targets.",
        "MATCH (x)-[:ACTOR_IN]->(e:Event)-[:TARGETS]->(y)\n"
        "WHERE e.type IN ['MILITARY_POSTURE', 'REDUCE_RELATIONS', 'SANCTION', 'COERCE', 'ASSAULT', 'FIGHT', 'MASS_VIOLENCE']\n"
        "RETURN e.date AS date, e.type AS type, x.name AS actor, y.name AS target, e.evidence AS evidence\n"
        "ORDER BY date DESC LIMIT 200"),
    GalleryQuery(
        "Alliances and memberships",
        "Which countries belong to or are allied with which organisations and countries.",
        "MATCH (a)-[r:MEMBER_OF|ALLIED_WITH]->(b)\n"
        "RETURN a, r, b, a.name AS member, type(r) AS relation, b.name AS of\n"
        "ORDER BY of, member"),
    GalleryQuery(
        "Who met whom",
        "Meetings (CAMEO 04) between any actors, most reported first.",
        "MATCH (a)-[r:MEET]->(b)\n"
        "RETURN a, r, b, a.name AS side_a, b.name AS side_b, r.mentions AS mentions, r.evidence AS evidence\n"
        "ORDER BY mentions DESC"),
    GalleryQuery(
        "How is one entity connected to another",
        "The shortest chain of actor relationships between two countries (ids, up to 4 hops).",
        "MATCH p = shortestPath((a:Country {id: $a})-[*..4]-(b:Country {id: $b}))\n"
        "RETURN p",
        {"a": "CHN", "b": "UKR"}),
    GalleryQuery(
        "Most mentioned entities",
        "Countries, people and organisations by the number of articles that mention them.",
        "MATCH (art:Article)-[:MENTIONS]->(n)\n"
        "RETURN n.name AS entity, n.id AS id, count(art) AS articles\n"
        "ORDER BY articles DESC, entity LIMIT 50"),
    GalleryQuery(
        "Sources ingested",
        "Articles in the graph by source, with how many events each reported.",
        "MATCH (a:Article) OPTIONAL MATCH (a)-[:REPORTS]->(e:Event)\n"
        "RETURN a.source AS source, a.published AS published, a.title AS title, count(e) AS events\n"
        "ORDER BY published DESC"),
)


def by_name(name: str) -> GalleryQuery:
    for q in GALLERY:
        if q.name == name:
            return q
    raise KeyError(f"no gallery query named {name!r}; known: {', '.join(q.name for q in GALLERY)}")
