"""A small graph with known places and two periods, for the map, export and what-changed tests:
January 2023 (period A) and February 2023 (period B), with Beijing and Bakhmut as places. Events
of one kind and pair lie more than the event window apart (``geokg.graph.event_clusters``), so each
is a happening of its own."""

from __future__ import annotations

from geokg.graph.model import Article, Entity, Event, Fragment, stable_id

__all__ = ["FRAGMENTS", "A", "B", "BEIJING", "BAKHMUT"]

CHN = Entity("Country", "CHN", "China", (), {"iso2": "CN"})
BLR = Entity("Country", "BLR", "Belarus", (), {"iso2": "BY"})
RUS = Entity("Country", "RUS", "Russia", (), {"iso2": "RU"})
UKR = Entity("Country", "UKR", "Ukraine", (), {"iso2": "UA"})
EU = Entity("Organization", "european-union", "European Union", (), {"kind": "igo"})
BEIJING = Entity("Location", "beijing-chn", "Beijing", (), {"country": "CHN", "lat": 39.9075, "lon": 116.39723})
BAKHMUT = Entity("Location", "bakhmut-ukr", "Bakhmut", (), {"country": "UKR", "lat": 48.59419, "lon": 37.99886})
A = "2023-01-01..2023-01-31"  # period A
B = "2023-02-01..2023-02-28"  # period B


def _fragment(day: str, url: str, events: list[tuple]) -> Fragment:
    art = Article(Article.make_id(url, ""), f"report of {day}", url=url, published=day, source="test")
    evs, ents = [], {}
    for type_, actors, targets, sentence, place, props in events:
        for e in (*actors, *targets, *((place,) if place else ())):
            ents[e.ref] = e
        evs.append(Event(stable_id(art.id, type_, sentence), type_, tuple(a.ref for a in actors),
                         tuple(t.ref for t in targets), sentence, day, summary=f"{type_} {sentence[:20]}",
                         location=place.ref if place else None, props=props))
    return Fragment(art, tuple(ents.values()), (), tuple(evs))


FRAGMENTS = [
    _fragment("2023-01-10", "https://news.example/jan", [
        ("FIGHT", [RUS], [UKR], "Russian forces attacked near Bakhmut.", BAKHMUT, {}),
        ("SANCTION", [EU], [BLR], "The EU imposed sanctions on Belarus.", None, {}),
        ("MEET", [CHN], [BLR], "Xi met Lukashenko for talks in Beijing.", BEIJING, {"num_mentions": 10}),
    ]),
    _fragment("2023-01-20", "https://news.example/jan2", [
        ("FIGHT", [RUS], [UKR], "Fighting went on in the east.", None, {}),
    ]),
    _fragment("2023-02-10", "https://news.example/feb", [
        ("FIGHT", [RUS], [UKR], "Shelling near Bakhmut continued.", BAKHMUT, {}),
        ("MEET", [BLR], [CHN], "Lukashenko and Xi met again.", None, {}),
        ("APPEAL", [CHN], [UKR], "China called for a ceasefire in Ukraine.", None, {}),
    ]),
    _fragment("2023-02-20", "https://news.example/feb2", [
        ("MEET", [CHN], [BLR], "The two leaders met a third time.", None, {}),
    ]),
]
