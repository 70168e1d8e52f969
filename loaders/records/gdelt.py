"""GDELT Events files -> one :class:`~geokg.graph.model.Fragment` per row, streamed.

Reads GDELT 2.0 exports (61 tab-separated fields, also the published ``.export.CSV.zip``) and
GDELT 1.0 files (58 fields daily, 57 fields historical). The files have no header, so each row's
layout is told by its field count (``data/gdelt_columns.tsv``); one file may mix layouts.

Per row: the actors become the nodes article extraction uses (``Country`` by ISO3 from the CAMEO
country code, ``Organization`` for a CAMEO known group, or for a named ethnic or religious group
such as "KURD"), the CAMEO event code becomes our event type through ``data/cameo_event_codes.tsv``,
ActionGeo becomes the place (``Location`` LOCATED_IN its country, or the ``Country`` itself for a
country-level geo), SOURCEURL the ``Article``. The event id is ``stable_id("gdelt", GLOBALEVENTID)``,
so loading a file twice writes nothing new.

Actors coded only by a generic CAMEO role with no country or group ("POLICE", "PRESIDENT",
"CLERGY": about a quarter of the actor slots of a 2.0 export) and CAMEO regions ("AFRICA") are not
linked: one global "police" node would tie unrelated events worldwide together. Their names stay
in the event summary.

Streaming: one line in memory at a time; the caches below are bounded. Bad rows come out as
:class:`~geokg.graph.errors.LoadError` values (``file:line: reason``) and the rest goes on.
"""

from __future__ import annotations

import contextlib
import functools
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import IO
from urllib.parse import urlsplit

from geokg.graph.errors import LoadError
from geokg.graph.model import UNCLASSIFIED, Article, Entity, Event, Fragment, Relation, slug, stable_id
from geokg.loaders.limits import MAX_LINE_BYTES, bounded_lines, check_archive
from geokg.loaders.records.codes import (
    cameo_to_iso3,
    country_entity,
    fips_to_iso3,
    located_in,
    location_entity,
    organization_entity,
    read_table,
)

__all__ = ["Layout", "layouts", "cameo_codes", "known_groups", "read_gdelt", "parse_fields", "open_lines"]


@dataclass(frozen=True)
class Layout:
    """One GDELT Events layout: its name and the position of each column (read-only by convention:
    a plain dict because it is looked up about 30 times per row)."""

    name: str
    fields: int
    index: Mapping[str, int]


@functools.cache
def layouts() -> Mapping[int, Layout]:
    """Field count -> layout, from ``data/gdelt_columns.tsv``."""
    cols: dict[tuple[str, int], dict[str, int]] = {}
    for r in read_table("gdelt_columns.tsv"):
        cols.setdefault((r["layout"], int(r["fields"])), {})[r["name"]] = int(r["position"])
    return MappingProxyType({n: Layout(name, n, ix) for (name, n), ix in cols.items()})


@functools.cache
def cameo_codes() -> Mapping[str, tuple[str, str]]:
    """CAMEO event code -> (GeoKG event type, description), from ``data/cameo_event_codes.tsv``."""
    return MappingProxyType({r["code"]: (r["type"], r["description"]) for r in read_table("cameo_event_codes.tsv")})


@functools.lru_cache(maxsize=1024)
def event_kind(code: str) -> tuple[str, str]:
    """(event type, description) of a GDELT EventCode: its row of ``data/cameo_event_codes.tsv``,
    else that of its longest listed prefix (``1729`` -> ``172``, the closest CAMEO-aligned type),
    else UNCLASSIFIED: the row is still stored, with the code kept as ``cameo_code``.

    >>> event_kind("0431"), event_kind("1729")[0], event_kind("---")
    (('MEET', 'Host a visit'), 'COERCE', ('UNCLASSIFIED', 'unclassified CAMEO code ---'))
    """
    table = cameo_codes()
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return UNCLASSIFIED, f"unclassified CAMEO code {code or '(empty)'}"


@functools.cache
def known_groups() -> Mapping[str, dict[str, str]]:
    """CAMEO known-group code -> row of ``data/gdelt_known_groups.tsv`` (key, name, iso3)."""
    return MappingProxyType({r["code"]: r for r in read_table("gdelt_known_groups.tsv")})


def _group_in(code: str, group: str) -> str | None:
    """The most specific known group in an actor code: its last 3-letter part that is a group
    (``IGOUNODEVWBK`` -> ``WBK`` World Bank, where the KnownGroupCode column says ``UNO``)."""
    groups = known_groups()
    for i in range(len(code) - 3, -1, -3):
        if code[i:i + 3] in groups:
            return code[i:i + 3]
    return group if group in groups else None


@functools.lru_cache(maxsize=16384)
def actor_entity(code: str, name: str, country: str, group: str, communal: bool) -> Entity | None:
    """The node for one GDELT actor: known group, else country, else a named communal actor, else None.

    ``communal`` says the row gives the actor an ethnic or religious code ("KURD", "CHRISTIAN"):
    such a named group becomes an Organization. A CAMEO region (``EUR``, ``AFR``) is no country and
    no organisation, so it is not linked either.
    """
    if not code:
        return None
    g = _group_in(code, group)
    if g is not None:
        row = known_groups()[g]
        if row["iso3"]:
            return country_entity(row["iso3"])
        return organization_entity(row["key"], row["name"], cameo_to_iso3(country))
    iso3 = cameo_to_iso3(country)
    if iso3 is not None:
        return country_entity(iso3)
    if country or not communal or not slug(name):
        return None
    return organization_entity(slug(name), name.title())


@functools.lru_cache(maxsize=8192)
def _iso_date(yyyymmdd: str) -> str:
    """``20191024`` -> ``2019-10-24``; ValueError for anything that is not a real day."""
    if len(yyyymmdd) != 8 or not yyyymmdd.isdigit():
        raise ValueError(f"bad date {yyyymmdd!r} (expected YYYYMMDD)")
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])).isoformat()
    except ValueError as e:
        raise ValueError(f"bad date {yyyymmdd!r} ({e})") from None


def _number(text: str, column: str, kind: type) -> float | int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"bad number {text!r} in {column}") from None


def _article(url: str, published: str | None, gid: str) -> Article:
    """The source article: one per URL; a record without a URL (GDELT 1.0 backfile, or a
    source name such as "BBC Monitoring") gets an article of its own, keyed by its event id."""
    if url.startswith(("http://", "https://")):
        return _url_article(url, published)
    return Article(stable_id("gdelt-record", gid), published=published, source=url or "GDELT", origin="gdelt")


@functools.lru_cache(maxsize=4096)
def _url_article(url: str, published: str | None) -> Article:
    """Cached: the rows citing one URL come together in an export (about 5 per URL)."""
    host = urlsplit(url).hostname or None
    host = host[4:] if host and host.startswith("www.") else host
    return Article(Article.make_id(url, ""), url=url, published=published, source=host, origin="gdelt")


@functools.lru_cache(maxsize=65536)
def _place(name: str, fips: str, geo_type: str, lat: str, lon: str) -> tuple[Entity | None, Entity | None]:
    """(place node, its country node) of one geo block; a country-level geo is the Country itself."""
    iso3 = fips_to_iso3().get(fips)
    country = country_entity(iso3) if iso3 else None
    if not name or (geo_type == "1" and country is not None):
        return country, country
    place = location_entity(name, iso3, _number(lat, "ActionGeo_Lat", float), _number(lon, "ActionGeo_Long", float))
    return place, country


def _actor(f: list[str], ix: Mapping[str, int], n: int) -> tuple[Entity | None, str]:
    a = f"Actor{n}"
    name = f[ix[a + "Name"]].strip()
    communal = bool(f[ix[a + "EthnicCode"]] or f[ix[a + "Religion1Code"]])
    ent = actor_entity(f[ix[a + "Code"]].strip(), name, f[ix[a + "CountryCode"]].strip(),
                       f[ix[a + "KnownGroupCode"]].strip(), communal)
    return ent, name


_NUMBERS = (("goldstein", "GoldsteinScale", float), ("quad_class", "QuadClass", int),
            ("num_mentions", "NumMentions", int), ("num_sources", "NumSources", int),
            ("avg_tone", "AvgTone", float))


def parse_fields(f: list[str], lay: Layout) -> Fragment:
    """One GDELT row (already split, of layout ``lay``) -> its fragment. Pure.

    Raises ValueError naming the problem: a bad GLOBALEVENTID, date or number (an unknown event code is UNCLASSIFIED, not an error).
    """
    ix = lay.index
    gid = f[ix["GLOBALEVENTID"]].strip()
    if not gid.isdigit():
        raise ValueError(f"GLOBALEVENTID {gid!r} is not a number")
    day = _iso_date(f[ix["SQLDATE"]].strip())
    code = f[ix["EventCode"]].strip()
    etype, description = event_kind(code)
    props: dict[str, object] = {"cameo_code": code, "origin_id": gid}
    for prop, column, kind in _NUMBERS:
        props[prop] = _number(f[ix[column]], column, kind)
    entities: dict[str, Entity] = {}
    (a1, n1), (a2, n2) = _actor(f, ix, 1), _actor(f, ix, 2)
    r1 = r2 = None
    if a1 is not None:
        r1 = a1.ref
        entities[r1] = a1
    if a2 is not None:
        r2 = a2.ref
        entities[r2] = a2
    relations: tuple[Relation, ...] = ()
    place, country = _place(f[ix["ActionGeo_FullName"]].strip(), f[ix["ActionGeo_CountryCode"]].strip(),
                            f[ix["ActionGeo_Type"]].strip(), f[ix["ActionGeo_Lat"]], f[ix["ActionGeo_Long"]])
    place_ref = None
    if place is not None:
        place_ref = place.ref
        entities[place_ref] = place
        if country is not None and country is not place:
            entities[country.ref] = country
            relations = (located_in(place_ref, country.ref),)
    try:
        published = _iso_date(f[ix["DATEADDED"]].strip()[:8])
    except ValueError:
        published = day
    url = f[ix["SOURCEURL"]].strip() if "SOURCEURL" in ix else ""
    summary = " — ".join(p for p in (n1, description, n2) if p)
    event = Event(stable_id("gdelt", gid), etype, (r1,) if r1 else (), (r2,) if r2 else (),
                  date=day, summary=summary, location=place_ref, props=props)
    return Fragment(_article(url, published, gid), tuple(entities.values()), relations, (event,))


@contextlib.contextmanager
def open_lines(path: Path) -> Iterator[Iterator[tuple[str, str | None]]]:
    """(where-prefix, line) pairs of a plain or zipped file, decoded as UTF-8 (bad bytes replaced:
    one odd byte in a place name must not stop a 100,000-row file; NUL bytes dropped). The line is
    None when it is over :data:`~geokg.loaders.limits.MAX_LINE_BYTES` (never held whole), and an archive
    that would unpack to a zip bomb is a LoadError before anything is read."""
    def text(raw: IO[bytes]) -> Iterator[str | None]:
        for line in bounded_lines(raw, MAX_LINE_BYTES):
            yield None if line is None else line.replace(b"\x00", b"").decode("utf-8", errors="replace")

    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            check_archive(zf, str(path))
            members = [m for m in zf.infolist() if not m.is_dir()]

            def lines() -> Iterator[tuple[str, str | None]]:
                for m in members:
                    prefix = str(path) if len(members) == 1 else f"{path}!{m.filename}"
                    with zf.open(m) as raw:
                        for line in text(raw):
                            yield prefix, line
            yield lines()
    else:
        with path.open("rb") as raw:
            yield ((str(path), line) for line in text(raw))


def read_gdelt(path: str | Path) -> Iterator[Fragment | LoadError]:
    """Every row of a GDELT Events file as a fragment, or a LoadError ``file:line: reason``."""
    path = Path(path)
    by_count = layouts()
    expected = " or ".join(str(n) for n in sorted(by_count))
    try:
        with open_lines(path) as lines:
            lineno, last = 0, None
            for prefix, line in lines:
                lineno = 1 if prefix != last else lineno + 1
                last = prefix
                if line is None:
                    yield LoadError(f"{prefix}:{lineno}", f"line over the {MAX_LINE_BYTES:,}-byte cap")
                    continue
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                fields = line.split("\t")
                lay = by_count.get(len(fields))
                if lay is None:
                    yield LoadError(f"{prefix}:{lineno}", f"{len(fields)} tab-separated fields, expected {expected}")
                    continue
                try:
                    yield parse_fields(fields, lay)
                except ValueError as e:
                    yield LoadError(f"{prefix}:{lineno}", str(e))
    except LoadError as e:
        yield e
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, RuntimeError, NotImplementedError) as e:
        # a damaged archive: truncated (EOFError), corrupt deflate data (zlib.error), bad CRC
        # (BadZipFile), an encrypted member (RuntimeError), an unknown compression method
        yield LoadError(str(path), str(e).splitlines()[0] if str(e) else type(e).__name__)
