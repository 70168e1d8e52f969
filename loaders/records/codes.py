"""Country codes and shared entity builders for the structured-record loaders (GDELT, ACLED).

GDELT and ACLED name countries three ways: CAMEO actor codes (mostly ISO3), FIPS 10-4 geo codes
(``UK``, ``RS``) and plain names ("Democratic Republic of Congo"). Everything ends as the
``Country`` entity keyed by ISO3 that article extraction builds (same name, iso2 and region from
``data/countries.tsv``), so a GDELT record and an article meet on one node. Tables are read once
per process; entity builders are cached with a bounded size, so a long stream stays in constant
memory while the hot ones (a few hundred countries and places) are built only once.

>>> fips_to_iso3()["UK"], cameo_to_iso3("ROM"), cameo_to_iso3("EUR")
('GBR', 'ROU', None)
>>> country_entity("RUS").name
'Russia'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType

from geokg.graph.model import Entity, Relation, slug
from geokg.loaders.gazetteer import read_table

__all__ = ["read_table", "fips_to_iso3", "cameo_to_iso3", "country_by_name",
           "country_entity", "location_entity", "organization_entity", "located_in"]



@functools.cache
def _fips_rows() -> tuple[dict[str, str], ...]:
    return tuple(read_table("fips_iso3.tsv"))


@functools.cache
def fips_to_iso3() -> Mapping[str, str]:
    """FIPS 10-4 (GDELT ``*Geo_CountryCode``) -> ISO3, from ``data/fips_iso3.tsv``."""
    return MappingProxyType({r["fips"]: r["iso3"] for r in _fips_rows()})


@functools.cache
def _iso3_info() -> Mapping[str, tuple[str, str]]:
    """ISO3 -> (name, iso2) for every country GeoNames knows, the fallback of countries.tsv."""
    return MappingProxyType({r["iso3"]: (r["name"], r["iso2"]) for r in _fips_rows()})


@functools.cache
def _cameo_exceptions() -> Mapping[str, str]:
    return MappingProxyType({r["code"]: r["iso3"] for r in read_table("cameo_countries.tsv")})


def cameo_to_iso3(code: str) -> str | None:
    """A CAMEO actor country code -> ISO3, or None for a region (``EUR``) or an unknown code."""
    if not code:
        return None
    exceptions = _cameo_exceptions()
    if code in exceptions:
        return exceptions[code] or None
    return code if code in _iso3_info() else None


def _norm_name(name: str) -> str:
    return re.sub(r"^the-", "", slug(name))


@functools.cache
def _names() -> Mapping[str, str]:
    from geokg.loaders.gazetteer import countries

    out: dict[str, str] = {}
    for iso3, (name, _) in _iso3_info().items():
        out[_norm_name(name)] = iso3
    for c in countries().values():  # the gazetteer's names and aliases win over GeoNames'
        for form in (c.name, *c.aliases):
            out[_norm_name(form)] = c.iso3
    return MappingProxyType(out)


def country_by_name(name: str) -> str | None:
    """A country name as ACLED writes it -> ISO3 ("Democratic Republic of Congo" -> COD), or None."""
    key = _norm_name(name)
    return _names().get(key) or _names().get(key.replace("-of-", "-of-the-"))


@functools.lru_cache(maxsize=512)
def country_entity(iso3: str) -> Entity | None:
    """The Country node article extraction builds for ``iso3`` (name, iso2, region), or None."""
    from geokg.loaders.gazetteer import countries

    c = countries().get(iso3)
    if c is not None:
        return Entity("Country", iso3, c.name, props={"iso2": c.iso2, "region": c.region or None})
    info = _iso3_info().get(iso3)
    if info is None:
        return None
    return Entity("Country", iso3, info[0], props={"iso2": info[1]})


@functools.lru_cache(maxsize=65536)
def location_entity(name: str, country: str | None, lat: float | None, lon: float | None) -> Entity:
    """A place keyed by the slug of its full name ("Minsk, Belarus (general), Belarus")."""
    return Entity("Location", slug(name) or "unnamed-place", name,
                  props={"country": country, "lat": lat, "lon": lon})


@functools.lru_cache(maxsize=65536)
def organization_entity(key: str, name: str, country: str | None = None) -> Entity:
    """An organisation; a key listed in ``data/organizations.tsv`` takes that table's name and country.

    The ``kind`` is not set, as in article extraction: ``Fragment.to_json`` would let it overwrite
    the node label ``kind`` (see the extraction report on graph/model.py).
    """
    from geokg.loaders.gazetteer import organizations

    known = organizations().get(key)
    if known is not None:
        return Entity("Organization", key, known.name, props={"country": known.country or country})
    return Entity("Organization", key, name, props={"country": country})


@functools.lru_cache(maxsize=65536)
def located_in(location_ref: str, country_ref: str) -> Relation:
    """The stative LOCATED_IN relation of a place (no date: it is not an event)."""
    return Relation("LOCATED_IN", location_ref, country_ref)
