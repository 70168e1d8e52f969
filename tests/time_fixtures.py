"""A small graph for the time control and a pair's temperature: China and Belarus over three
months (January, February, May 2023), from articles and from one GDELT-like event record, and a
path China-Russia that is two hops through Belarus until a direct meeting in May.

What the tests know about it:

* as of 2023-01-31: China-Belarus-Russia is the shortest path (2 hops); from May on, China-Russia
  is direct; as of 2022-12-31 there is none;
* China and Belarus: January one MEET (Goldstein 1.0 by the CAMEO table) and one THREATEN
  (-6.0), mean -2.5; February a PROVIDE_AID (7.0) and a GDELT record coded 111 carrying its own
  GoldsteinScale -3.0 (the table says -2.0 for 111: the record's own value wins), mean 2.0.
"""

from __future__ import annotations

from geokg.graph.model import Article, Entity, Event, Fragment, stable_id

__all__ = ["CHN", "BLR", "RUS", "FRAGMENTS", "JAN", "FEB", "MAY"]

CHN = Entity("Country", "CHN", "China", (), {"iso2": "CN"})
BLR = Entity("Country", "BLR", "Belarus", (), {"iso2": "BY"})
RUS = Entity("Country", "RUS", "Russia", (), {"iso2": "RU"})
JAN, FEB, MAY = "2023-01-10", "2023-02-10", "2023-05-10"


def _fragment(day: str, url: str, events: list[tuple], origin: str = "article") -> Fragment:
    art = Article(Article.make_id(url, ""), f"report of {day}", url=url, published=day, source="test", origin=origin)
    evs, ents = [], {}
    for type_, actors, targets, sentence, props in events:
        for e in (*actors, *targets):
            ents[e.ref] = e
        evs.append(Event(stable_id(art.id, type_, sentence), type_, tuple(a.ref for a in actors),
                         tuple(t.ref for t in targets), sentence, day, summary=f"{type_}: {sentence[:30]}", props=props))
    return Fragment(art, tuple(ents.values()), (), tuple(evs))


FRAGMENTS = [
    _fragment(JAN, "https://news.example/t-jan", [
        ("MEET", [CHN], [BLR], "Xi met Lukashenko in Beijing.", {}),
        ("MEET", [BLR], [RUS], "Lukashenko met Putin in Minsk.", {}),
        ("THREATEN", [BLR], [CHN], "Belarus threatened to walk out of the talks with China.", {}),
    ]),
    _fragment(FEB, "https://news.example/t-feb", [
        ("PROVIDE_AID", [CHN], [BLR], "China sent grain to Belarus.", {}),
    ]),
    _fragment(FEB, "https://gdelt.example/t-rec", [
        ("DISAPPROVE", [BLR], [CHN], "GDELT record 111", {"goldstein": -3.0, "quad_class": 3, "cameo_code": "111"}),
    ], origin="gdelt"),
    _fragment(MAY, "https://news.example/t-may", [
        ("MEET", [CHN], [RUS], "Xi met Putin in Moscow.", {}),
    ]),
]
