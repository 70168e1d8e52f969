"""The graph contract as Python types: what loaders produce and stores consume.

A :class:`Fragment` is the only thing that crosses from ``loaders/`` to ``graph/``: one source
article (or one structured record) with the entities, structural relations and events it
states. Everything is a frozen dataclass, validated where it is built, so an unknown label or
a relation pointing at an entity the fragment does not carry fails at once, not three calls
later inside a store. The vocabulary below mirrors ``SCHEMA.md``; labels and relationship
types are only ever taken from these tables, never from article text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ENTITY_LABELS", "NODE_LABELS", "STRUCTURAL_TYPES", "EVENT_TYPES", "UNCLASSIFIED", "LINK_TYPES",
    "ACTOR_TYPES", "UNDIRECTED_TYPES", "CAMEO_ROOT", "QUAD_CLASS", "PREFIX", "NOT_SAME", "MERGE_RECORD",
    "Entity", "Relation", "Event", "Article", "Document", "Fragment",
    "slug", "stable_id", "ref", "parse_ref", "dedupe_relations", "MAX_SLUG",
]

ENTITY_LABELS = ("Country", "Person", "Organization", "Location")
NODE_LABELS = ENTITY_LABELS + ("Event", "Article")
PREFIX = {"Country": "country", "Person": "person", "Organization": "org",
          "Location": "location", "Event": "event", "Article": "article"}
_LABEL_OF_PREFIX = {v: k for k, v in PREFIX.items()}

STRUCTURAL_TYPES = ("LEADS", "MEMBER_OF", "BORDERS", "ALLIED_WITH", "DEPENDS_ON", "LOCATED_IN")

#: Event type -> CAMEO root code (SCHEMA.md). AGREEMENT and SANCTION are sub-types.
EVENT_TYPES: dict[str, str] = {
    "STATEMENT": "01", "APPEAL": "02", "INTENT_TO_COOPERATE": "03", "MEET": "04",
    "DIPLOMATIC_COOPERATION": "05", "AGREEMENT": "057", "MATERIAL_COOPERATION": "06",
    "PROVIDE_AID": "07", "YIELD": "08", "INVESTIGATE": "09", "DEMAND": "10",
    "DISAPPROVE": "11", "REJECT": "12", "THREATEN": "13", "PROTEST": "14",
    "MILITARY_POSTURE": "15", "REDUCE_RELATIONS": "16", "SANCTION": "163", "COERCE": "17",
    "ASSAULT": "18", "FIGHT": "19", "MASS_VIOLENCE": "20",
}
#: The type of an event record (GDELT, ACLED) that no CAMEO-aligned type fits: ACLED's
#: "Strategic developments/Other" (prisoner releases, returning migrants, a new government), a
#: GDELT code with no CAMEO root. Stored as an :Event like any other, so no record is dropped,
#: with its source's own type on the event (``acled_type``/``sub_type``, ``cameo_code``); it has
#: no CAMEO code and no actor-to-actor roll-up (data/README-records.md).
UNCLASSIFIED = "UNCLASSIFIED"
#: CAMEO root (two digits) -> the event type that stands for the whole root.
CAMEO_ROOT: dict[str, str] = {code: t for t, code in EVENT_TYPES.items() if len(code) == 2}

#: CAMEO quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
#: 4 material conflict. Used to colour edges cooperation vs conflict.
QUAD_CLASS: dict[str, int] = {
    "01": 1, "02": 1, "03": 1, "04": 1, "05": 1, "06": 2, "07": 2, "08": 2,
    "09": 3, "10": 3, "11": 3, "12": 3, "13": 3, "14": 3,
    "15": 4, "16": 4, "17": 4, "18": 4, "19": 4, "20": 4,
}

#: Relationships that link events and articles to what they are about.
LINK_TYPES = ("ACTOR_IN", "TARGETS", "OCCURRED_IN", "REPORTS", "MENTIONS")
#: The direct actor-to-actor relationships an analyst explores: stative ones plus event roll-ups.
ACTOR_TYPES = STRUCTURAL_TYPES + tuple(EVENT_TYPES)
UNDIRECTED_TYPES = frozenset({"MEET", "AGREEMENT", "BORDERS", "ALLIED_WITH", "MATERIAL_COOPERATION"})

#: Curation records, not facts of any article, so neither an actor type nor a link type (stats,
#: exports and hops leave them out). ``NOT_SAME``: an analyst said two entities of one label are
#: different, stored once from the smaller id to the larger, so the pair is never proposed as a
#: duplicate again. ``MERGE_RECORD``: a node per merge holding what it moved, so it can be undone.
NOT_SAME = "NOT_SAME"
MERGE_RECORD = "MergeRecord"

#: Which labels each relationship type may connect (source labels, target labels).
_ACTORS = ("Country", "Person", "Organization")
ENDPOINTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "LEADS": (("Person",), ("Country", "Organization")),
    "MEMBER_OF": (("Country", "Person", "Organization"), ("Organization",)),
    "BORDERS": (("Country",), ("Country",)),
    "ALLIED_WITH": (("Country", "Organization"), ("Country", "Organization")),
    "DEPENDS_ON": (("Country", "Person", "Organization"), ("Country", "Person", "Organization")),
    "LOCATED_IN": (("Location",), ("Country",)),
    **{t: (_ACTORS, _ACTORS) for t in EVENT_TYPES},
}

#: Properties each entity label may carry besides id/name/aliases (unknown ones are rejected).
ENTITY_PROPS: dict[str, frozenset[str]] = {
    "Country": frozenset({"iso2", "region"}),
    "Person": frozenset({"country", "role"}),
    "Organization": frozenset({"kind", "country"}),
    "Location": frozenset({"country", "lat", "lon"}),
}
EVENT_PROPS = frozenset({"cameo_code", "goldstein", "quad_class", "num_mentions", "num_sources",
                         "avg_tone", "fatalities", "notes", "acled_type", "sub_type", "negated", "origin_id"})
ORIGINS = ("article", "gdelt", "acled")


#: Longest key a slug gives; longer ones end in a hash of the whole slug instead.
MAX_SLUG = 120


def slug(text: str) -> str:
    """ASCII, lower-case, hyphenated: the stable key of a name (``Xi Jinping`` -> ``xi-jinping``).

    At most :data:`MAX_SLUG` characters: a key is an index entry, and Neo4j refuses index entries
    over ~8 KB, which failed the whole write transaction for one 10,000-character "name".

    A name with letters but none in Latin script ("حركة الشباب") gets ``u-`` and a hash of it:
    it used to slug to "", which refused the record or merged every such place into one node.

    >>> len(slug("Long " * 2000)) <= MAX_SLUG, slug("Long " * 2000)[:14]
    (True, 'long-long-long')
    >>> slug("حركة الشباب")[:2], slug("?!")
    ('u-', '')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not key and any(c.isalnum() for c in text):
        return "u-" + stable_id(unicodedata.normalize("NFC", " ".join(text.split())))
    if len(key) > MAX_SLUG:
        key = key[:MAX_SLUG - 17].rstrip("-") + "-" + stable_id(key)
    return key


def stable_id(*parts: object) -> str:
    """A short hash of the parts: the same input gives the same id on every machine and run."""
    h = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:16]


def ref(label: str, key: str) -> str:
    """The fragment-wide id of a node, as in ``geokg extract --json``: ``country:CHN``."""
    return f"{PREFIX[label]}:{key}"


def parse_ref(node_ref: str) -> tuple[str, str]:
    """``country:CHN`` -> (``Country``, ``CHN``); raises ValueError naming the bad reference."""
    prefix, sep, key = node_ref.partition(":")
    if not sep or prefix not in _LABEL_OF_PREFIX or not key:
        raise ValueError(f"not a node reference: {node_ref!r} (expected e.g. 'country:CHN')")
    return _LABEL_OF_PREFIX[prefix], key


def _check_date(value: str | None, what: str) -> None:
    if value is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"{what}: date must be YYYY-MM-DD, got {value!r}")


@dataclass(frozen=True)
class Entity:
    """A country, person, organisation or location, keyed as SCHEMA.md says."""

    label: str
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    props: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.label not in ENTITY_LABELS:
            raise ValueError(f"unknown entity label {self.label!r}; expected one of {ENTITY_LABELS}")
        if not self.key or not self.name:
            raise ValueError(f"{self.label} needs a key and a name (got {self.key!r}, {self.name!r})")
        unknown = set(self.props) - ENTITY_PROPS[self.label]
        if unknown:
            raise ValueError(f"{self.label} {self.key}: unknown properties {sorted(unknown)}")

    @property
    def ref(self) -> str:
        return ref(self.label, self.key)


@dataclass(frozen=True)
class Relation:
    """A direct relationship between two entities, with the sentence that states it."""

    type: str
    source: str
    target: str
    evidence: str = ""
    date: str | None = None
    confidence: float = 1.0
    role: str | None = None

    def __post_init__(self) -> None:
        if self.type not in ACTOR_TYPES:
            raise ValueError(f"unknown relation type {self.type!r}")
        src, dst = parse_ref(self.source)[0], parse_ref(self.target)[0]
        allowed_src, allowed_dst = ENDPOINTS[self.type]
        if src not in allowed_src or dst not in allowed_dst:
            raise ValueError(f"{self.type} cannot link {src} to {dst}")
        if self.source == self.target:
            raise ValueError(f"{self.type}: source and target are the same node {self.source}")
        _check_date(self.date, f"{self.type} {self.source}->{self.target}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be within 0..1, got {self.confidence}")

    @property
    def cameo(self) -> str | None:
        return EVENT_TYPES.get(self.type)


@dataclass(frozen=True)
class Event:
    """One reified event: who did what to whom, when, where, with its evidence."""

    id: str
    type: str
    actors: tuple[str, ...]
    targets: tuple[str, ...] = ()
    evidence: str = ""
    date: str | None = None
    date_precision: str = "day"
    confidence: float = 1.0
    summary: str = ""
    location: str | None = None
    props: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES and self.type != UNCLASSIFIED:
            raise ValueError(f"unknown event type {self.type!r}")
        for node_ref in self.actors + self.targets:
            if parse_ref(node_ref)[0] not in _ACTORS:
                raise ValueError(f"event {self.id}: {node_ref} cannot be an actor or target")
        if self.location is not None and parse_ref(self.location)[0] not in ("Location", "Country"):
            raise ValueError(f"event {self.id}: location {self.location} is not a Location or Country")
        unknown = set(self.props) - EVENT_PROPS
        if unknown:
            raise ValueError(f"event {self.id}: unknown properties {sorted(unknown)}")
        _check_date(self.date, f"event {self.id}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be within 0..1, got {self.confidence}")

    @property
    def cameo(self) -> str:
        return EVENT_TYPES.get(self.type, "")

    def rollups(self) -> list[Relation]:
        """The direct actor->target relationships this event stands for (one per pair); none
        for an UNCLASSIFIED one, which says nothing about how its actors relate."""
        if self.type == UNCLASSIFIED:
            return []
        out = []
        for a in self.actors:
            for t in self.targets:
                if a == t:
                    continue
                s, d = (min(a, t), max(a, t)) if self.type in UNDIRECTED_TYPES else (a, t)
                out.append(Relation(self.type, s, d, self.evidence, self.date, self.confidence))
        return out


@dataclass(frozen=True)
class Article:
    """The source of a fragment: a news article, or one GDELT/ACLED record's source."""

    id: str
    title: str = ""
    url: str | None = None
    published: str | None = None
    source: str | None = None
    origin: str = "article"
    metadata: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("an article needs an id")
        if self.origin not in ORIGINS:
            raise ValueError(f"unknown origin {self.origin!r}; expected one of {ORIGINS}")
        _check_date(self.published, f"article {self.id}")

    @staticmethod
    def make_id(url: str | None, text: str) -> str:
        """Stable id: hash of the URL when there is one, else of the whitespace-normalised text."""
        if url:
            return stable_id("url", url.strip())
        return stable_id("text", " ".join(text.split()))


@dataclass(frozen=True)
class Document:
    """What a source loader yields: an article's metadata and its body text, before extraction."""

    article: Article
    text: str
    path: str | None = None


@dataclass(frozen=True)
class Fragment:
    """Everything one article states, ready to be written in one transaction."""

    article: Article
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()

    def __post_init__(self) -> None:
        known = {e.ref for e in self.entities}
        if len(known) != len(self.entities):
            raise ValueError(f"article {self.article.id}: duplicate entities in fragment")
        for r in self.relations:
            for node_ref in (r.source, r.target):
                if node_ref not in known:
                    raise ValueError(f"article {self.article.id}: {r.type} refers to unknown {node_ref}")
        for ev in self.events:
            for node_ref in ev.actors + ev.targets + ((ev.location,) if ev.location else ()):
                if node_ref not in known:
                    raise ValueError(f"article {self.article.id}: event {ev.id} refers to unknown {node_ref}")

    @property
    def key(self) -> tuple[str, str]:
        """What makes a fragment "already stored": its article, or for a structured record
        (GDELT, ACLED) its event, because many records share one source article."""
        if self.article.origin == "article" or not self.events:
            return ("Article", self.article.id)
        return ("Event", self.events[0].id)

    def all_relations(self) -> list[Relation]:
        """Structural relations plus one roll-up per event actor/target pair."""
        return list(self.relations) + [r for ev in self.events for r in ev.rollups()]

    def to_json(self) -> dict[str, Any]:
        """The ``geokg extract --json`` object of SCHEMA.md."""
        a = self.article
        ents = []
        for e in self.entities:
            # "kind" is the node label here, so an organisation's own kind travels as "org_kind"
            props = {("org_kind" if k == "kind" else k): v for k, v in e.props.items() if v is not None}
            item: dict[str, Any] = {"id": e.ref, "kind": e.label, "name": e.name, **props}
            if e.label == "Country":
                item["iso3"] = e.key
            if e.aliases:
                item["aliases"] = list(e.aliases)
            ents.append(item)
        rels = [{"source": r.source, "type": r.type, "target": r.target, "cameo": r.cameo,
                 "evidence": r.evidence, "date": r.date, "confidence": round(r.confidence, 3),
                 **({"role": r.role} if r.role else {})}
                for r in dedupe_relations(self.all_relations())]
        events = [{"id": ev.id, "type": ev.type, "cameo": ev.cameo, "actors": list(ev.actors),
                   "targets": list(ev.targets), "location": ev.location, "date": ev.date,
                   "date_precision": ev.date_precision, "summary": ev.summary,
                   "evidence": ev.evidence, "confidence": round(ev.confidence, 3),
                   **{k: v for k, v in ev.props.items() if v is not None}}
                  for ev in self.events]
        return {"article": {"id": a.id, "title": a.title, "published": a.published,
                            "source": a.source, "url": a.url, **({"metadata": dict(a.metadata)} if a.metadata else {})},
                "entities": ents, "relations": rels, "events": events}


def dedupe_relations(relations: Iterable[Relation]) -> list[Relation]:
    """One relation per (type, source, target), either order for an undirected type: the one
    of highest confidence (the first of equals), in the order each was first seen."""
    best: dict[tuple[str, str, str], Relation] = {}
    for r in relations:
        s, t = sorted((r.source, r.target)) if r.type in UNDIRECTED_TYPES else (r.source, r.target)
        k = (r.type, s, t)
        if k not in best or r.confidence > best[k].confidence:
            best[k] = r
    return list(best.values())
