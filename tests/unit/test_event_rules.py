"""Event rules, one table row per mechanism, on sentences written for these tests (not dev text);
and the shape of the rule data: CAMEO trigger coverage, event-type traits, the argument-rule table."""

from __future__ import annotations

import re

import pytest

from geokg.graph.model import EVENT_TYPES
from geokg.loaders import gazetteer as gz
from geokg.loaders.extraction.events import ARG_RULES
from geokg.loaders.extraction.extractor import Extractor
from geokg.loaders.formats.text import parse_article_text


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _facts(extractor: Extractor, text: str) -> set[tuple[str, str, str]]:
    frag = extractor.extract(parse_article_text(f"Title: t\nDate: 2024-05-01\n\n{text}"))
    return {(r.source.split(":", 1)[1], r.type, r.target.split(":", 1)[1]) for r in frag.all_relations()}


# (mechanism, sentence, a fact it must state)
STATED = [
    ("quoted 'we' is the speaker", '"We call on Israel to stop the strikes," the Egyptian foreign minister said.',
     ("EGY", "APPEAL", "ISR")),
    ("quote with the speaker after the verb", '"We strongly condemn the attack on Somalia," said the Kenyan president.',
     ("KEN", "DISAPPROVE", "SOM")),
    ("quote after a colon", 'Germany\'s chancellor said: "We will never accept Russia\'s annexation."',
     ("DEU", "REJECT", "RUS")),
    ("reported 'he' is an official named by office", "Spain's prime minister said he condemned Morocco's decision.",
     ("ESP", "DISAPPROVE", "MAR")),
    ("the organs of listed states", "The ministers of France, Italy and Spain condemned Libya.",
     ("ITA", "DISAPPROVE", "LBY")),
    ("judged sanctions' doer from a participle's agent", "Moscow denounced the sanctions imposed by Canada.",
     ("RUS", "DISAPPROVE", "CAN")),
    ("rejected accusations' doer", "Beijing denied the accusations made by Washington.", ("CHN", "REJECT", "USA")),
    ("vetoed step's doer", "Russia vetoed the resolution drafted by France.", ("RUS", "REJECT", "FRA")),
    ("welcomed step's doer", "Japan welcomed the decision by South Korea.", ("JPN", "DIPLOMATIC_COOPERATION", "KOR")),
    ("lash out", "Turkey lashed out at Sweden over the protests.", ("TUR", "DISAPPROVE", "SWE")),
    ("regret", "Brazil regretted Argentina's decision to leave the bloc.", ("BRA", "DISAPPROVE", "ARG")),
    ("express concern", "France expressed concern about Algeria's decision.", ("FRA", "DISAPPROVE", "DZA")),
    ("express support", "Japan expressed support for the Philippines.", ("JPN", "DIPLOMATIC_COOPERATION", "PHL")),
    ("participle of a noun", "Hezbollah, backed by Iran, fired rockets.", ("IRN", "DIPLOMATIC_COOPERATION", "hezbollah")),
    ("hyphen doer", "Hezbollah, an Iranian-backed militia, fired rockets at Israel.",
     ("IRN", "DIPLOMATIC_COOPERATION", "hezbollah")),
    ("a relative clause on an apposition is about the named entity",
     "Hezbollah, a Lebanese militia that backs Bashar al-Assad, fired rockets.",
     ("hezbollah", "DIPLOMATIC_COOPERATION", "SYR")),
    ("relative clause is not under the main verb's denial", "Hamas, which is supported by Iran, rejected the plan.",
     ("IRN", "DIPLOMATIC_COOPERATION", "hamas")),
    ("each other", "Japan and South Korea accused each other of provocations.", ("KOR", "DISAPPROVE", "JPN")),
    ("an official's attack is criticism", "The Brazilian president attacked the IMF in his speech.",
     ("BRA", "DISAPPROVE", "imf")),
    ("a list in parentheses", "Iran and the European powers (Britain, France and Germany) signed the deal.",
     ("FRA", "AGREEMENT", "IRN")),
    ("forces attributed to their state", "An Israeli tank crew fired on Egyptian border guards.",
     ("ISR", "FIGHT", "EGY")),
    ("clash", "Sudanese soldiers clashed with Ethiopian troops.", ("SDN", "FIGHT", "ETH")),
    ("vow to retaliate", "Israel vowed to retaliate against Iran.", ("ISR", "THREATEN", "IRN")),
    ("a terrorist designation is a denunciation", "Hamas is recognised as a terrorist organisation by the "
     "European Union and Canada.", ("CAN", "DISAPPROVE", "hamas")),
    ("labelling as terrorists", "Japan labelled Hamas a terrorist group.", ("JPN", "DISAPPROVE", "hamas")),
    ("a named spokesperson speaks for the body", "Maria Lopez, a spokeswoman for the European Commission, urged "
     "Hungary to respect the rules.", ("european-commission", "APPEAL", "HUN")),
    ("'the government' in reported speech is the speaker's state",
     "Ireland's justice minister said the government would reject Britain's plan.", ("IRL", "REJECT", "GBR")),
    ("rejected calls' doer", "The Irish prime minister rejected calls from Britain to change the law.",
     ("IRL", "REJECT", "GBR")),
    ("working together is mutual", "South Africa and Namibia have pledged to work together on hydrogen.",
     ("ZAF", "INTENT_TO_COOPERATE", "NAM")),
    ("saying someone did wrong accuses them", "South Africa argued that Israel was breaching its obligations.",
     ("ZAF", "DISAPPROVE", "ISR")),
    ("disputing someone's findings", "Nepal disputed the findings of the United Arab Emirates investigators.",
     ("NPL", "REJECT", "ARE")),
    ("isolated by a list", "Turkey's government has been isolated by Greece, Egypt and Cyprus.",
     ("EGY", "REDUCE_RELATIONS", "TUR")),
    ("a refusal's target inside its clause", "Egypt refused to sell tanks to Libya.", ("EGY", "REJECT", "LBY")),
    ("a negated acceptance of another's attempt", "Japan will not accept attempts by China to change the status quo.",
     ("JPN", "REJECT", "CHN")),
    ("rejection by a phrasal verb", "Brazil turned down an offer from Portugal.", ("BRA", "REJECT", "PRT")),
    ("ruling something out", "Angola ruled out talks with Zambia.", ("AGO", "REJECT", "ZMB")),
    ("forces dispatched", "Turkey dispatched reinforcements to Libya.", ("TUR", "MILITARY_POSTURE", "LBY")),
    ("a military base abroad", "Britain keeps a naval base in Bahrain.", ("GBR", "MILITARY_POSTURE", "BHR")),
]

# (mechanism, sentence, a fact it must not state)
NOT_STATED = [
    ("an act asked for has not happened", "Poland urged Nigeria to pardon the prisoners from Ghana.",
     ("NGA", "YIELD", "GHA")),
    ("troops asked to leave have not left", "Greece called on Turkey to withdraw its troops from Cyprus.",
     ("TUR", "YIELD", "CYP")),
    ("denying wrongdoing accuses no one", "Kenya said Somalia had not violated the deal.",
     ("KEN", "DISAPPROVE", "SOM")),
    ("a statement is recognised, not emitted", "Canada commented on Peru's election.", ("CAN", "STATEMENT", "PER")),
    ("a state's attack by force stays violence", "Russian forces attacked Ukrainian positions.",
     ("RUS", "DISAPPROVE", "UKR")),
    ("'backed down' is no support", "Serbia backed down from its threat against Kosovo.",
     ("SRB", "DIPLOMATIC_COOPERATION", "XKX")),
]


@pytest.mark.parametrize("mechanism,sentence,fact", STATED, ids=[m for m, _, _ in STATED])
def test_mechanism_states_the_fact(extractor: Extractor, mechanism: str, sentence: str, fact):
    facts = _facts(extractor, sentence)
    undirected = fact[1] in ("MEET", "AGREEMENT", "MATERIAL_COOPERATION")
    assert fact in facts or (undirected and (fact[2], fact[1], fact[0]) in facts), sorted(facts)


@pytest.mark.parametrize("mechanism,sentence,fact", NOT_STATED, ids=[m for m, _, _ in NOT_STATED])
def test_mechanism_does_not_invent_the_fact(extractor: Extractor, mechanism: str, sentence: str, fact):
    assert fact not in _facts(extractor, sentence)


def _codebook() -> dict[str, str]:
    return {r["code"]: r["type"] for r in gz.read_table("cameo_event_codes.tsv") if len(r["code"]) <= 3}


def _coverage() -> dict[str, set[str]]:
    """CAMEO code -> the parts of speech it has trigger rows for (a blank code is the type's own root)."""
    out: dict[str, set[str]] = {}
    for r in gz.read_table("triggers.tsv"):
        if r["type"] not in EVENT_TYPES:
            continue
        code = r.get("code") or EVENT_TYPES[r["type"]][:2]
        poses = {"verb", "noun"} if r["pos"] == "any" else {r["pos"]}
        out.setdefault(code, set()).update(poses)
    return out


@pytest.mark.parametrize("code", sorted(_codebook()))
def test_every_cameo_category_has_a_verb_and_a_noun_trigger(code: str):
    assert _coverage().get(code, set()) >= {"verb", "noun"}


@pytest.mark.parametrize("etype", sorted(EVENT_TYPES))
def test_every_event_type_has_a_verb_and_a_noun_trigger(etype: str):
    poses = {p for r in gz.read_table("triggers.tsv") if r["type"] == etype
             for p in ({"verb", "noun"} if r["pos"] == "any" else {r["pos"]})}
    assert poses >= {"verb", "noun"}


def test_a_coded_trigger_row_has_its_codes_type():
    book = _codebook()
    wrong = [(r["phrase"], r["code"], r["type"]) for r in gz.read_table("triggers.tsv")
             if r.get("code") and book.get(r["code"]) != r["type"]]
    assert wrong == []


def test_event_types_table_lists_every_event_type_once():
    rows = [r["type"] for r in gz.read_table("event_types.tsv")]
    assert sorted(rows) == sorted(EVENT_TYPES)


def test_event_type_traits_name_only_known_types():
    unknown = {t for types in gz.event_traits().values() for t in types} - set(EVENT_TYPES)
    assert unknown == set()


@pytest.mark.parametrize("rule", ARG_RULES, ids=[r.name for r in ARG_RULES])
def test_argument_rule_documents_an_example_sentence(rule):
    assert re.search(r'"[A-Z][^"]+"', rule.run.__doc__ or "")


@pytest.mark.parametrize("rule", ARG_RULES, ids=[r.name for r in ARG_RULES])
def test_argument_rule_penalty_is_small_and_has_a_reason(rule):
    assert 0.0 <= rule.penalty <= 0.3 and rule.reason


@pytest.mark.parametrize("etype", sorted(EVENT_TYPES))
def test_calibrated_confidence_never_falls_as_the_raw_score_rises(etype: str):
    from geokg.loaders.extraction.confidence import calibrate

    values = [calibrate(etype, raw / 100) for raw in range(5, 100, 5)]
    assert values == sorted(values)


def test_calibration_keeps_a_fitted_default_filter_between_zero_and_one():
    from geokg.loaders.extraction.confidence import calibration

    assert 0.0 < calibration().min_confidence < 1.0
