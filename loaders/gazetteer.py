"""Read-only gazetteers and lexicons from ``data/``: countries, organisations, leaders, titles, triggers.

Every table is a tab-separated file with ``#`` comment lines and one header row, documented in
``data/README-extraction.md``. Each is parsed once per process (``functools.lru_cache``) and
never modified; callers get tuples and read-only mappings.

>>> countries()["CHN"].demonyms
('Chinese',)
>>> organizations()["nato"].name
'NATO'
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from geokg import data

__all__ = [
    "Country", "Organization", "Leader", "Title", "Trigger",
    "countries", "organizations", "leaders", "titles", "triggers", "negations", "not_countries",
    "surface_forms", "demonym_plurals", "read_table", "word_set",
]



@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    name: str
    region: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    metonyms: tuple[str, ...]


@dataclass(frozen=True)
class Organization:
    key: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str | None
    #: True when the body acts for its state (the Palestinian Authority -> PSE).
    attribute: bool


@dataclass(frozen=True)
class Leader:
    name: str
    aliases: tuple[str, ...]
    #: ISO3 of the country, or ``org:KEY`` for the head of an organisation.
    office_of: str
    role: str
    start: str
    end: str | None

    def holds_office_on(self, date: str | None) -> bool:
        """True when ``date`` (YYYY-MM-DD) is within the term; without a date, when the term is open."""
        if not date:
            return self.end is None
        return self.start <= date and (self.end is None or date < self.end)


@dataclass(frozen=True)
class Title:
    title: str
    role: str
    #: "yes" (head of state/government, minister, head of an organisation), "no" or "counterpart".
    leads: str


@dataclass(frozen=True)
class Trigger:
    lemmas: tuple[str, ...]
    pos: str
    type: str


def _rows(name: str) -> Iterator[dict[str, str]]:
    with data.open_text(name) as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield {k: (v or "").strip() for k, v in row.items() if k is not None}


def read_table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``data/NAME`` (a table in this module's format) as column -> value dicts."""
    return tuple(_rows(name))


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


@functools.cache
def countries() -> Mapping[str, Country]:
    """ISO3 -> :class:`Country` from ``data/countries.tsv``."""
    out = {}
    for r in _rows("countries.tsv"):
        out[r["iso3"]] = Country(r["iso3"], r["iso2"], r["name"], r.get("region", ""),
                                 _split(r.get("aliases", "")), _split(r.get("demonyms", "")),
                                 _split(r.get("metonyms", "")))
    return MappingProxyType(out)


@functools.cache
def organizations() -> Mapping[str, Organization]:
    """Key -> :class:`Organization` from ``data/organizations.tsv``."""
    out = {}
    for r in _rows("organizations.tsv"):
        out[r["key"]] = Organization(r["key"], r["name"], _split(r.get("aliases", "")),
                                     r.get("kind") or "other", r.get("country") or None,
                                     r.get("attribute", "").lower() == "yes")
    return MappingProxyType(out)


@functools.cache
def leaders() -> tuple[Leader, ...]:
    """Every row of ``data/leaders.tsv`` (a person may hold several offices)."""
    return tuple(Leader(r["name"], _split(r.get("aliases", "")), r["country"], r["role"],
                        r.get("from", ""), r.get("to") or None)
                 for r in _rows("leaders.tsv"))


@functools.cache
def titles() -> Mapping[str, Title]:
    """Lower-case title -> :class:`Title` from ``data/roles.tsv``."""
    return MappingProxyType({r["title"].lower(): Title(r["title"].lower(), r["role"], r["leads"].lower())
                             for r in _rows("roles.tsv")})


@functools.cache
def triggers() -> tuple[Trigger, ...]:
    """Trigger rows of ``data/triggers.tsv``, multi-lemma rows first."""
    rows = [Trigger(tuple(r["phrase"].lower().split()), r["pos"].lower(), r["type"].upper())
            for r in _rows("triggers.tsv")]
    return tuple(sorted(rows, key=lambda t: -len(t.lemmas)))


@functools.cache
def event_traits() -> Mapping[str, frozenset[str]]:
    """Trait -> the event types that have it, from ``data/event_types.tsv``."""
    traits: dict[str, set[str]] = {}
    for r in _rows("event_types.tsv"):
        for t in _split(r.get("traits", "")):
            traits.setdefault(t, set()).add(r["type"].upper())
    return MappingProxyType({k: frozenset(v) for k, v in traits.items()})


def event_trait(name: str) -> frozenset[str]:
    """The event types with trait ``name`` (none when no type has it)."""
    return event_traits().get(name, frozenset())


@functools.cache
def negations() -> Mapping[str, str]:
    """Lemma -> the event type its negation means (``accept`` -> ``REJECT``)."""
    return MappingProxyType({r["lemma"].lower(): r["type"].upper() for r in _rows("negations.tsv")})


@functools.cache
def _word_lists() -> Mapping[str, frozenset[str]]:
    lists: dict[str, set[str]] = {}
    for r in _rows("words.tsv"):
        lists.setdefault(r["list"], set()).add(r["word"])
    return MappingProxyType({k: frozenset(v) for k, v in lists.items()})


def word_set(name: str) -> frozenset[str]:
    """The words of list ``name`` in ``data/words.tsv`` (head nouns, descriptors, verbs the
    extraction rules look for). A list the code names but the file lacks fails at import, not
    silently as an empty set that would switch a rule off."""
    try:
        return _word_lists()[name]
    except KeyError:
        raise KeyError(f"data/words.tsv has no list {name!r}") from None


@functools.cache
def not_countries() -> tuple[str, ...]:
    """Phrases that contain a country word but are no mention of it (``South China Sea``)."""
    return tuple(r["phrase"] for r in _rows("not_countries.tsv"))


def demonym_plurals(demonym: str) -> tuple[str, ...]:
    """``Russian`` -> (``Russians``,); adjectives in -ese/-ish/-ch/-s/-i take none or -s as English does."""
    if re.search(r"(ese|ish|ch|ss|s|sh)$", demonym):
        return ()
    if demonym.endswith("man"):
        return (demonym[:-3] + "men",)
    return (demonym + "s",)


def _case_sensitive(form: str) -> bool:
    """Short acronyms (``US``, ``AU``, ``PA``) only match as written, so ``us`` and ``Pa`` do not."""
    letters = re.sub(r"[^A-Za-z]", "", form)
    return len(letters) <= 5 and letters.isupper()


@functools.cache
def surface_forms() -> tuple[tuple[str, str, bool], ...]:
    """Every phrase the entity matcher looks for: (label, surface form, case-sensitive).

    Labels: ``C|ISO3|name``, ``C|ISO3|demonym``, ``C|ISO3|metonym``, ``O|key``, ``P|index`` (row
    of :func:`leaders`), ``X`` (a phrase that is not a country, see :func:`not_countries`).
    """
    out: list[tuple[str, str, bool]] = []
    for c in countries().values():
        for form in (c.name,) + c.aliases:
            out.append((f"C|{c.iso3}|name", form, _case_sensitive(form)))
        for form in c.demonyms:
            for f in (form,) + demonym_plurals(form):
                out.append((f"C|{c.iso3}|demonym", f, False))
        for form in c.metonyms:
            out.append((f"C|{c.iso3}|metonym", form, False))
    for o in organizations().values():
        for form in (o.name,) + o.aliases:
            out.append((f"O|{o.key}", form, _case_sensitive(form)))
    for i, ld in enumerate(leaders()):
        for form in (ld.name,) + ld.aliases:
            out.append((f"P|{i}", form, False))
    for phrase in not_countries():
        out.append(("X", phrase, False))
    return tuple(out)
