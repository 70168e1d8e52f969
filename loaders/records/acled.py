"""ACLED CSV exports -> one :class:`~geokg.graph.model.Fragment` per record, streamed.

Two layouts are read, told apart by nothing but their header (names are matched case-blind):
the current API export (``event_id_cnty, event_date, event_type, sub_event_type, actor1, actor2,
country, iso3, admin1..3, location, latitude, longitude, fatalities, source, notes``, dates such as
``9-May-20`` or ``2020-05-09``) and the older upper-case v6 files (``EVENT_DATE`` dd/mm/yyyy, no
sub-event type, types such as ``Riots/Protests``, trailing empty columns).

Per record: the (event type, sub-event type) pair becomes our event type through
``data/acled_event_types.tsv`` (UNCLASSIFIED when no CAMEO-aligned type fits or the pair is not
listed: every record is stored, none dropped for its type; both ACLED types stay on the event as
``acled_type`` and ``sub_type``); a state's forces ("Military Forces of Russia (2000-)") become the
``Country`` node article extraction uses, other actors an ``Organization`` (``data/acled_state_actors.tsv``);
the place is a ``Location`` with coordinates, LOCATED_IN the event's country; fatalities, notes and
the sub-type stay on the event. ACLED has no URL, so each record's source gets an ``Article`` of its
own keyed like the event, ``stable_id("acled", event_id_cnty)``: loading twice writes nothing new.

Streaming: the CSV is read record by record (notes may span lines); bad records come out as
:class:`~geokg.graph.errors.LoadError` values (``file:line: reason``) and the rest goes on.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import IO

from geokg.graph.errors import LoadError
from geokg.graph.model import UNCLASSIFIED, Article, Entity, Event, Fragment, Relation, slug, stable_id
from geokg.loaders.limits import MAX_LINE_BYTES, bounded_lines
from geokg.loaders.records.codes import (
    country_by_name,
    country_entity,
    located_in,
    location_entity,
    organization_entity,
    read_table,
)

__all__ = ["event_types", "event_type", "actor_entity", "parse_date", "parse_record", "read_acled", "REQUIRED"]

#: Columns a file must have (lower-case); the others are optional.
REQUIRED = ("event_id_cnty", "event_date", "event_type", "actor1", "country")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%b-%y", "%d-%b-%Y", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%d-%B-%Y")
_PRECISION = {"1": "day", "2": "week", "3": "month"}
_YEARS = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)")
_PAREN = re.compile(r"\(([^()]*)\)\s*$")


@functools.cache
def event_types() -> Mapping[tuple[str, str], str]:
    """(event type, sub-event type), lower-case -> GeoKG event type (or UNCLASSIFIED)."""
    return MappingProxyType({(r["event_type"].lower(), r["sub_event_type"].lower()): r["type"]
                             for r in read_table("acled_event_types.tsv")})


def event_type(acled_type: str, sub_type: str = "") -> str | None:
    """Our event type for an ACLED pair (UNCLASSIFIED where no CAMEO-aligned type fits), None
    when the pair is not in the table.

    >>> event_type("Riots", "Mob violence"), event_type("Riots/Protests")
    ('ASSAULT', 'PROTEST')
    """
    table = event_types()
    key = (acled_type.strip().lower(), sub_type.strip().lower())
    return table.get(key) or table.get((key[0], "*"))


@functools.cache
def _state_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    rows = list(read_table("acled_state_actors.tsv"))
    return (tuple(r["text"].lower() + " " for r in rows if r["kind"] == "prefix"),
            tuple(r["text"].lower() for r in rows if r["kind"] == "faction"))


@functools.cache
def _org_keys() -> Mapping[str, str]:
    """Slug of every name and alias in ``data/organizations.tsv`` -> its key ("Taliban" -> taliban)."""
    from geokg.loaders.gazetteer import organizations

    return MappingProxyType({slug(form): o.key for o in organizations().values() for form in (o.name, *o.aliases)})


@functools.lru_cache(maxsize=65536)
def actor_entity(name: str) -> Entity | None:
    """The node for an ACLED actor name, or None for an empty one.

    >>> actor_entity("Military Forces of Russia (2000-)").ref, actor_entity("Police Forces of Nigeria").ref
    ('country:RUS', 'country:NGA')
    >>> actor_entity("Protesters (Israel)").ref
    'org:protesters-israel'
    """
    name = " ".join(name.split())
    if not name:
        return None
    prefixes, factions = _state_words()
    bare = _YEARS.sub("", name).strip()          # "Military Forces of Yemen Supreme Political Council"
    lower = name.lower()
    for prefix in prefixes:
        if lower.startswith(prefix):
            rest = name[len(prefix):]
            head, paren, tail = rest.partition("(")
            country = head.strip() if paren else rest.strip()
            unit = tail.partition(")")[2].strip().lower() if paren else ""
            iso3 = country_by_name(country)
            if iso3 and not any(unit.startswith(f) for f in factions):
                return country_entity(iso3)
            return organization_entity(slug(bare), bare, iso3)
    known = _org_keys().get(slug(bare))
    if known:
        return organization_entity(known, bare)
    in_paren = _PAREN.search(bare)
    return organization_entity(slug(bare), bare, country_by_name(in_paren.group(1)) if in_paren else None)


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> str:
    """An ACLED date in any of its spellings -> YYYY-MM-DD; ValueError naming the text otherwise.

    >>> parse_date("9-May-20"), parse_date("29/12/2015"), parse_date("2020-05-09")
    ('2020-05-09', '2015-12-29', '2020-05-09')
    """
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"bad date {text!r} (expected e.g. 2020-05-09, 9-May-20 or 29/12/2015)")


def _number(row: Mapping[str, str], column: str, kind: type) -> float | int | None:
    text = (row.get(column) or "").strip()
    if not text:
        return None
    try:
        return kind(float(text)) if kind is int else kind(text)
    except ValueError:
        raise ValueError(f"bad number {text!r} in {column}") from None


def parse_record(row: Mapping[str, str]) -> Fragment:
    """One ACLED record (lower-case column names) -> its fragment. Pure.

    Raises ValueError naming the problem: no id, a bad date or number.
    """
    def col(name: str) -> str:
        return " ".join((row.get(name) or "").split())

    rid = col("event_id_cnty") or (f"data_id:{col('data_id')}" if col("data_id") else "")
    if not rid:  # a few API rows lack event_id_cnty; their data_id is unique as well
        raise ValueError("no event_id_cnty and no data_id")
    day = parse_date(col("event_date"))
    acled_type, sub = col("event_type"), col("sub_event_type")
    etype = event_type(acled_type, sub) or UNCLASSIFIED  # a pair not in the table is kept, not dropped
    entities: dict[str, Entity] = {}
    a1, a2 = actor_entity(col("actor1")), actor_entity(col("actor2"))
    for e in (a1, a2):
        if e is not None:
            entities[e.ref] = e
    iso3 = country_by_name(col("country")) or (col("iso3") if country_entity(col("iso3")) else None)
    country = country_entity(iso3) if iso3 else None
    relations: tuple[Relation, ...] = ()
    place = None
    place_name = ", ".join(p for p in (col("location"), col("admin1"), col("country")) if p)
    if col("location"):
        place = location_entity(place_name, iso3, _number(row, "latitude", float), _number(row, "longitude", float))
        entities[place.ref] = place
        if country is not None:
            entities[country.ref] = country
            relations = (located_in(place.ref, country.ref),)
    elif country is not None:
        place = entities[country.ref] = country
    notes = col("notes")
    props = {"origin_id": rid, "acled_type": acled_type or None, "sub_type": sub or acled_type, "notes": notes or None,
             "fatalities": _number(row, "fatalities", int)}
    summary = " — ".join(p for p in (col("actor1"), sub or acled_type, col("actor2")) if p)
    event = Event(stable_id("acled", rid), etype, (a1.ref,) if a1 else (), (a2.ref,) if a2 else (),
                  evidence=notes, date=day, date_precision=_PRECISION.get(col("time_precision"), "day"),
                  summary=summary, location=place.ref if place else None, props=props)
    article = Article(stable_id("acled", rid), source=col("source") or "ACLED", published=day, origin="acled")
    return Fragment(article, tuple(entities.values()), relations, (event,))


def _decoded(raw: IO[bytes], where: str, problems: list[LoadError]) -> Iterator[str]:
    """Lines as text: UTF-8, else Windows-1252 (ACLED's older files), one line at a time, NUL
    bytes dropped. A line over :data:`~geokg.loaders.limits.MAX_LINE_BYTES` is never held whole: it is
    noted in ``problems`` and read as an empty line, so the CSV reader's line numbers stay right."""
    for n, line in enumerate(bounded_lines(raw, MAX_LINE_BYTES), start=1):
        if line is None:
            problems.append(LoadError(f"{where}:{n}", f"line over the {MAX_LINE_BYTES:,}-byte cap"))
            yield "\n"
            continue
        line = line.replace(b"\x00", b"")
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield line.decode("cp1252", errors="replace")


def read_acled(path: str | Path) -> Iterator[Fragment | LoadError]:
    """Every record of an ACLED CSV export as a fragment, or a LoadError ``file:line: reason``;
    a record the CSV reader cannot split (a runaway quote, a field over its size limit) is one
    such error and the records after it load."""
    path = Path(path)
    problems: list[LoadError] = []
    try:
        with path.open("rb") as raw:
            lines = _decoded(raw, str(path), problems)
            first = next(lines, "").lstrip("\ufeff")
            try:
                header = [h.strip().lower() for h in next(csv.reader([first]), [])]
            except csv.Error as e:  # e.g. a bare CR inside the header line
                yield LoadError(f"{path}:1", f"bad CSV header ({e})")
                return
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                yield LoadError(f"{path}:1", f"not an ACLED export: no column {', '.join(missing)}")
                return
            reader = csv.reader(lines)
            end = 1
            while True:
                try:
                    fields = next(reader)
                    bad = None
                except StopIteration:
                    break
                except csv.Error as e:
                    fields, bad = [], f"bad CSV ({e})"
                start, end = end + 1, reader.line_num + 1
                yield from problems
                problems.clear()
                where = f"{path}:{start}"
                if bad:
                    yield LoadError(where, bad)
                    continue
                if not any(f.strip() for f in fields):
                    continue
                if len(fields) != len(header):
                    yield LoadError(where, f"{len(fields)} fields, expected {len(header)} as in the header")
                    continue
                try:
                    yield parse_record(dict(zip(header, fields)))
                except ValueError as e:
                    yield LoadError(where, str(e))
            yield from problems
    except OSError as e:
        yield LoadError(str(path), str(e).splitlines()[0] if str(e) else type(e).__name__)
