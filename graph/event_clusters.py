"""Which reports are one happening: the clustering key, the window and the choice, all pure.

Why: an :Event per sentence per article made three outlets' reports of one troop deployment three
events, so every count an analyst read was a count of reports, GDELT's best-known flaw (366
kidnapping records for what was mostly one kidnapping). Here a *report* (an article's event
sentence, a GDELT row, an ACLED record) joins an :Event already holding reports of the same
happening, and the store counts both: ``e.reports`` sources beside the one event.

Two reports are one happening when they have

- the same **key** (:func:`event_key`): the CAMEO root of the type (AGREEMENT is root 05 as
  DIPLOMATIC_COOPERATION, SANCTION root 16 as REDUCE_RELATIONS: outlets code one happening at
  different depths), the same set of actors and the same set of targets (one set of both for an
  undirected type: "A met B" and "B met A" are one meeting; so an AGREEMENT, undirected, never
  shares a key with a DIPLOMATIC_COOPERATION, directed, of its root 05);
- dates within the **window** (:data:`EVENT_WINDOW_DAYS` either side) of the event's date, which
  is its first report's and never moves: a window that followed the latest report would chain the
  daily "Russia attacks Ukraine" into one event lasting years;
- no **differing known place** (:func:`places_conflict`): two reports naming different cities are
  two happenings; a report naming none fits wherever the rest of it fits.

A report without a date, an actor or a target, an UNCLASSIFIED one, and everything when the
window is None (clustering off) stays an event of its own, as before: there is too little to tell
two such happenings apart. An ACLED record is already one coded event (ACLED's coders merge
reports themselves), so an event holds at most one record of such an origin
(:data:`ONE_EVENT_PER_RECORD`); it may still gather the articles and GDELT rows reporting it.

The order of arrival decides ties (an event's date is its first report's); re-ingesting changes
nothing because a report already held by an event is recognised by its id (:func:`assign`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from geokg.graph.model import EVENT_TYPES, UNCLASSIFIED, UNDIRECTED_TYPES, Event, Fragment, parse_ref, stable_id

__all__ = ["EVENT_WINDOW_DAYS", "WINDOW_ENV", "NEAR_KM", "ONE_EVENT_PER_RECORD", "Place", "Report", "Cluster",
           "Assignment", "event_key", "reports_of", "places_conflict", "days_apart", "window_from_env", "choose", "assign"]

#: Days either side of an event's date within which a report of the same key joins it. Three:
#: an outlet's report of an event one to two days later is common (the morning-after story, the
#: weekly round-up is not), and a standing situation re-reported weekly becomes one event a week.
EVENT_WINDOW_DAYS = 3
#: The setting naming the window in days, or ``off`` for an event per report.
WINDOW_ENV = "GEOKG_EVENT_WINDOW_DAYS"
#: Two places with coordinates this close are one place: GDELT keys "Kyiv, Kyiv, Ukraine" by its
#: own full name, an article's place by its GeoNames name (``kyiv-ukr``), so keys alone would
#: split every GDELT row from the article about the same happening.
NEAR_KM = 50.0
#: Origins whose every record is one event already: two of them never share an event.
ONE_EVENT_PER_RECORD = frozenset({"acled"})


@dataclass(frozen=True)
class Place:
    """Where a report or event happened, as far as known: a Location or Country reference, the
    country (ISO3) it lies in (the Country's own key for a country) and its coordinates."""

    ref: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Report:
    """One report of a happening: what a store needs of a fragment's event to place it."""

    id: str                 # the report's own id (the fragment event's id)
    key: str | None         # :func:`event_key`; None: an event of its own
    date: str | None        # the date the report gives the happening
    place: Place | None
    article: str            # the reporting source (Article id)
    origin: str             # article, gdelt, acled
    reported: str | None    # when it was reported: the source's date, else ``date``
    evidence: str
    confidence: float


@dataclass(frozen=True)
class Cluster:
    """An :Event as one happening: its first report's key, date and place (the place filled in
    by a later report when the first named none), and every report it holds, in order of arrival
    (parallel tuples, as the store keeps them)."""

    id: str
    key: str | None
    date: str | None
    place: Place | None
    report_ids: tuple[str, ...]
    report_articles: tuple[str, ...]
    report_origins: tuple[str, ...]
    report_dates: tuple[str | None, ...]
    report_evidence: tuple[str, ...]
    first_reported: str | None
    last_reported: str | None
    confidence: float
    stored: bool = False  # read from the store (False: created by this assignment)
    place_added: bool = False  # the place came from a later report (a link to write)

    @property
    def reports(self) -> int:
        """Distinct reporting sources: two GDELT rows citing one URL, or an article and the GDELT
        row citing it, are one source."""
        return len(set(self.report_articles))

    @classmethod
    def of(cls, r: Report) -> Cluster:
        """A new event holding only ``r``; its id is the report's, so an event of one report is
        keyed as it always was."""
        return cls(r.id, r.key, r.date, r.place, (r.id,), (r.article,), (r.origin,), (r.date,), (r.evidence,),
                   r.reported, r.reported, r.confidence)

    def with_report(self, r: Report) -> Cluster:
        """This event holding ``r`` too (a new value: nothing is changed in place)."""
        dates = [d for d in (self.first_reported, self.last_reported, r.reported) if d]
        return replace(self, place=self.place or r.place,
                       place_added=self.place_added or (self.place is None and r.place is not None),
                       report_ids=self.report_ids + (r.id,), report_articles=self.report_articles + (r.article,),
                       report_origins=self.report_origins + (r.origin,), report_dates=self.report_dates + (r.date,),
                       report_evidence=self.report_evidence + (r.evidence,),
                       first_reported=min(dates, default=None), last_reported=max(dates, default=None),
                       confidence=max(self.confidence, r.confidence))


def event_key(ev: Event) -> str | None:
    """The key shared by every report of one happening, or None for a report that stays an
    event of its own (no date, no actor or no target, UNCLASSIFIED): see the module docstring.

    A hash, so the key is one short index entry however many actors an event has.

    >>> from geokg.graph.model import Event
    >>> a = Event("1", "MEET", ("country:CHN",), ("country:BLR",), date="2023-03-01")
    >>> b = Event("2", "MEET", ("country:BLR",), ("country:CHN",), date="2023-03-02")
    >>> event_key(a) == event_key(b), event_key(Event("3", "MEET", ("country:CHN",), ()))
    (True, None)
    """
    if ev.type == UNCLASSIFIED or not ev.actors or not ev.targets or ev.date is None:
        return None
    root = EVENT_TYPES[ev.type][:2]
    if ev.type in UNDIRECTED_TYPES:
        return stable_id("event-key", root, ",".join(sorted(set(ev.actors) | set(ev.targets))), "~")
    return stable_id("event-key", root, ",".join(sorted(set(ev.actors))), ",".join(sorted(set(ev.targets))))


def _place(frag: Fragment, ev: Event) -> Place | None:
    if not ev.location:
        return None
    lab, key = parse_ref(ev.location)
    if lab == "Country":
        return Place(ev.location, key)
    props = next((e.props for e in frag.entities if e.ref == ev.location), {})
    return Place(ev.location, props.get("country"), props.get("lat"), props.get("lon"))


def reports_of(fragments: Iterable[Fragment], window: int | None = EVENT_WINDOW_DAYS) -> list[Report]:
    """Every event of ``fragments`` as a report, in order; keyless when ``window`` is None
    (clustering off: nothing is looked up or joined)."""
    return [Report(ev.id, event_key(ev) if window is not None else None, ev.date, _place(f, ev), f.article.id,
                   f.article.origin, f.article.published or ev.date, ev.evidence, ev.confidence)
            for f in fragments for ev in f.events]


def _km(a: Place, b: Place) -> float:
    """Great-circle distance (haversine; places need no better)."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def places_conflict(a: Place | None, b: Place | None) -> bool:
    """Whether two known places are different places (so their reports are two happenings).

    Not a conflict: an unknown place; the same reference; a country and a place inside it (one
    report says "in Belarus", another "in Minsk"); two places within :data:`NEAR_KM` when both
    have coordinates.

    >>> minsk = Place("location:minsk-blr", "BLR", 53.9, 27.57)
    >>> places_conflict(minsk, Place("country:BLR", "BLR")), places_conflict(minsk, Place("country:RUS", "RUS"))
    (False, True)
    """
    if a is None or b is None or a.ref == b.ref:
        return False
    la, lb = parse_ref(a.ref)[0], parse_ref(b.ref)[0]
    if la == "Country" and lb == "Country":
        return True
    if la == "Country" or lb == "Country":
        return a.country is None or a.country != b.country
    if None not in (a.lat, a.lon, b.lat, b.lon):
        return _km(a, b) > NEAR_KM
    return True


def days_apart(a: str, b: str) -> int:
    """Whole days between two ISO dates."""
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def window_from_env(env: Mapping[str, str]) -> int | None:
    """The window the environment sets (:data:`WINDOW_ENV`): days >= 0, ``off`` for an event
    per report, :data:`EVENT_WINDOW_DAYS` when unset. Raises ValueError naming the setting."""
    raw = (env.get(WINDOW_ENV) or "").strip().lower()
    if not raw:
        return EVENT_WINDOW_DAYS
    if raw == "off":
        return None
    if not raw.isdigit():
        raise ValueError(f"{WINDOW_ENV} must be a number of days (0 or more) or 'off', got {raw!r}")
    return int(raw)


def _fits(c: Cluster, r: Report, window: int) -> bool:
    if c.key != r.key or c.date is None or r.date is None or days_apart(c.date, r.date) > window:
        return False
    if r.origin in ONE_EVENT_PER_RECORD and r.origin in c.report_origins:
        return False
    return not places_conflict(c.place, r.place)


def choose(r: Report, events: Sequence[Cluster], window: int | None) -> Cluster | None:
    """The event ``r`` joins among ``events``, or None for a new one: of those it fits, the one
    whose date is nearest, then the earliest, then the smallest id (so the choice does not
    depend on the order the store returned them in)."""
    if r.key is None or window is None:
        return None
    fits = [c for c in events if _fits(c, r, window)]
    if not fits:
        return None
    day = r.date or ""
    return min(fits, key=lambda c: (days_apart(c.date or day, day), c.date or "", c.id))


@dataclass(frozen=True)
class Assignment:
    """Where a batch's reports went."""

    event_of: dict[str, str]        # report id -> event id
    events: dict[str, Cluster]      # every event the batch created or added to, as it ends
    held: frozenset[str]            # reports some stored event held already: nothing to write

    @property
    def new(self) -> list[Cluster]:
        return [c for c in self.events.values() if not c.stored]

    @property
    def grown(self) -> list[Cluster]:
        return [c for c in self.events.values() if c.stored]


def assign(reports: Sequence[Report], stored: Sequence[Cluster], window: int | None) -> Assignment:
    """Place each report, in order, into a stored event, an event an earlier report of the batch
    created, or a new event of its own. A report a stored event already holds (re-ingest) goes
    nowhere new: it is ``held``."""
    holder = {rid: c.id for c in stored for rid in c.report_ids}
    by_key: dict[str | None, list[Cluster]] = {}
    for c in stored:
        by_key.setdefault(c.key, []).append(c)
    current: dict[str, Cluster] = {}
    event_of: dict[str, str] = {}
    held: set[str] = set()
    for r in reports:
        if r.id in holder:
            event_of[r.id] = holder[r.id]
            held.add(r.id)
            continue
        if r.id in event_of:  # the same report twice in one batch
            continue
        pool = by_key.setdefault(r.key, [])
        joined = choose(r, pool, window)
        if joined is None:
            nc = Cluster.of(r)
            pool.append(nc)
        else:
            nc = joined.with_report(r)
            pool[pool.index(joined)] = nc
        current[nc.id] = nc
        event_of[r.id] = nc.id
    return Assignment(event_of, current, frozenset(held))
