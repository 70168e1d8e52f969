"""Small graphs with known answers for the store tests: the facts of the seed article
(CNN, 2023-03-01, Xi-Lukashenko talks) and a follow-up, as fragments."""

from __future__ import annotations

from geokg.graph.model import Article, Entity, Event, Fragment, Relation, stable_id

CHN = Entity("Country", "CHN", "China", ("Beijing",), {"iso2": "CN"})
BLR = Entity("Country", "BLR", "Belarus", (), {"iso2": "BY"})
RUS = Entity("Country", "RUS", "Russia", ("Moscow",), {"iso2": "RU"})
UKR = Entity("Country", "UKR", "Ukraine", (), {"iso2": "UA"})
XI = Entity("Person", "xi-jinping", "Xi Jinping", ("Xi",), {"country": "CHN", "role": "President"})
LUKA = Entity("Person", "alexander-lukashenko", "Alexander Lukashenko", ("Lukashenko",),
              {"country": "BLR", "role": "President"})
EU = Entity("Organization", "european-union", "European Union", ("EU",), {"kind": "igo"})


def _event(article: Article, type_: str, actors, targets, sentence: str) -> Event:
    ids = stable_id(article.id, type_, actors, targets, sentence)
    return Event(ids, type_, tuple(a.ref for a in actors), tuple(t.ref for t in targets), sentence,
                 article.published)


def seed_fragment() -> Fragment:
    a = Article(Article.make_id(None, "seed"), "China, Belarus presidents call for establishing peace in Ukraine",
                published="2023-03-01", source="CNN")
    return Fragment(a, (CHN, BLR, RUS, UKR, XI, LUKA, EU), (
        Relation("LEADS", XI.ref, CHN.ref, "Chinese President Xi Jinping", "2023-03-01", 0.95, "President"),
        Relation("LEADS", LUKA.ref, BLR.ref, "his Belarusian counterpart Alexander Lukashenko", "2023-03-01", 0.9, "President"),
        Relation("BORDERS", BLR.ref, UKR.ref, "Belarus shares a border with both Ukraine and Russia", "2023-03-01"),
        Relation("BORDERS", BLR.ref, RUS.ref, "Belarus shares a border with both Ukraine and Russia", "2023-03-01"),
        Relation("DEPENDS_ON", BLR.ref, RUS.ref, "is financially and politically dependent on the Putin government", "2023-03-01"),
    ), (
        _event(a, "MEET", [CHN], [BLR], "talks in Beijing"),
        _event(a, "MILITARY_POSTURE", [RUS], [BLR], "Russia has a contingent of troops and weapons in Belarus"),
        _event(a, "SANCTION", [EU], [BLR], "his country faces sanctions from the European Union"),
        _event(a, "FIGHT", [RUS], [UKR], "Moscow's invasion"),
        _event(a, "APPEAL", [CHN, BLR], [UKR], "called for a ceasefire and negotiations"),
    ))


def followup_fragment() -> Fragment:
    """A second article a month later: Lukashenko and the EU again, nothing new about Xi."""
    a = Article(Article.make_id("https://example.org/followup", ""), "EU widens Belarus sanctions",
                url="https://example.org/followup", published="2023-04-02", source="Example")
    return Fragment(a, (BLR, LUKA, EU), (
        Relation("LEADS", LUKA.ref, BLR.ref, "Belarusian President Alexander Lukashenko", "2023-04-02", 0.95, "President"),
    ), (
        _event(a, "SANCTION", [EU], [BLR], "The European Union imposed new sanctions on Belarus"),
    ))
