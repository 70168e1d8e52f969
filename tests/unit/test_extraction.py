"""Extraction: entities, leaders, events and structural relations from real and one-sentence texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from geokg.graph.model import Fragment
from geokg.loaders.extraction.extractor import Extractor
from geokg.loaders.formats.text import parse_article_text, read_text_file


def _extract(extractor: Extractor, text: str, date: str = "2023-03-01") -> Fragment:
    return extractor.extract(parse_article_text(f"Title: t\nDate: {date}\n\n{text}"))


def _facts(frag: Fragment) -> set[tuple[str, str, str]]:
    """(source, type, target) with entity ids shortened to their keys (ISO3, org key, person slug)."""
    out = set()
    for r in frag.all_relations():
        out.add((r.source.split(":", 1)[1], r.type, r.target.split(":", 1)[1]))
    return out


def _has(facts: set[tuple[str, str, str]], src: str, typ: str, dst: str, undirected: bool = False) -> bool:
    return (src, typ, dst) in facts or (undirected and (dst, typ, src) in facts)


@pytest.fixture(scope="module")
def seed(extractor: Extractor, shared_dir: Path) -> Fragment:
    return extractor.extract(read_text_file(shared_dir / "eval" / "dev" / "000.txt"))


@pytest.fixture(scope="module")
def seed_text(shared_dir: Path) -> str:
    """The seed article's body with its whitespace runs made single spaces."""
    return " ".join(read_text_file(shared_dir / "eval" / "dev" / "000.txt").text.split())


# The seed example's minimum (issue 3): (source, type, target, undirected)
SEED_FACTS = [
    ("xi-jinping", "LEADS", "CHN", False),
    ("alexander-lukashenko", "LEADS", "BLR", False),
    ("vladimir-putin", "LEADS", "RUS", False),
    ("volodymyr-zelenskyy", "LEADS", "UKR", False),
    ("CHN", "MEET", "BLR", True),
    ("CHN", "APPEAL", "UKR", False),
    ("BLR", "APPEAL", "UKR", False),
    ("CHN", "AGREEMENT", "BLR", True),
    ("RUS", "MILITARY_POSTURE", "BLR", False),
    ("BLR", "BORDERS", "UKR", True),
    ("BLR", "BORDERS", "RUS", True),
    ("BLR", "DEPENDS_ON", "RUS", False),
    ("eu", "SANCTION", "BLR", False),
    ("RUS", "FIGHT", "UKR", False),
    ("CHN", "DISAPPROVE", "USA", False),
    ("CHN", "DISAPPROVE", "nato", False),
]


@pytest.mark.parametrize("src,typ,dst,undirected", SEED_FACTS)
def test_seed_article_yields_the_issue_minimum(seed: Fragment, src, typ, dst, undirected):
    assert _has(_facts(seed), src, typ, dst, undirected), sorted(_facts(seed))


def test_seed_article_names_countries_people_and_organisations(seed: Fragment):
    by_label: dict[str, set[str]] = {}
    for e in seed.entities:
        by_label.setdefault(e.label, set()).add(e.key)
    assert by_label["Country"] == {"CHN", "BLR", "UKR", "RUS", "USA"}
    assert by_label["Person"] == {"xi-jinping", "alexander-lukashenko", "vladimir-putin", "volodymyr-zelenskyy"}
    assert by_label["Organization"] == {"belta", "nato", "eu"}


def test_seed_people_carry_country_and_role_from_the_text(seed: Fragment):
    people = {e.key: e for e in seed.entities if e.label == "Person"}
    assert people["xi-jinping"].props["country"] == "CHN"
    assert people["xi-jinping"].props["role"] == "President"
    assert people["alexander-lukashenko"].props["country"] == "BLR"


def test_every_relation_has_evidence_a_date_and_a_confidence(seed: Fragment):
    assert seed.all_relations()
    for r in seed.all_relations():
        assert r.evidence, r
        assert r.date, r
        assert 0 < r.confidence <= 1, r


def test_every_event_quotes_its_evidence_from_the_article_and_has_a_date(seed: Fragment, seed_text: str):
    """The evidence a user reads is the article's own sentence (compared with the text as read from
    the file, not with the extraction's output)."""
    assert seed.events
    for ev in seed.events:
        assert " ".join(ev.evidence.split()) in seed_text, ev
        assert ev.date, ev


def test_every_relation_quotes_its_evidence_from_the_article(seed: Fragment, seed_text: str):
    for r in seed.all_relations():
        assert " ".join(r.evidence.split()) in seed_text, r


def test_fragment_json_round_trips_entity_refs(seed: Fragment):
    data = seed.to_json()
    ids = {e["id"] for e in data["entities"]}
    assert [r for r in data["relations"] if r["source"] not in ids] == []
    assert [r for r in data["relations"] if r["target"] not in ids] == []
    assert data["article"]["published"] == "2023-03-01"


# One sentence each: (sentence, expected (actor, type, target)) — actors/targets are entity keys.
SENTENCES = [
    ("Russia invaded Ukraine in February 2022.", ("RUS", "FIGHT", "UKR")),
    ("Russia's invasion of Ukraine has killed thousands.", ("RUS", "FIGHT", "UKR")),
    ("The European Union imposed sanctions on Iran.", ("eu", "SANCTION", "IRN")),
    ("Iran faces sanctions from the United Nations.", ("un", "SANCTION", "IRN")),
    ("The United States and Britain condemned North Korea's missile launch.", ("GBR", "DISAPPROVE", "PRK")),
    ("Germany accused Russia of poisoning the opposition leader.", ("DEU", "DISAPPROVE", "RUS")),
    ("China urged Japan to show restraint.", ("CHN", "APPEAL", "JPN")),
    ("France and Germany called for a ceasefire in Syria.", ("DEU", "APPEAL", "SYR")),
    ("Japanese Prime Minister Fumio Kishida met South Korean President Yoon Suk Yeol in Tokyo.",
     ("JPN", "MEET", "KOR")),
    ("India signed a trade agreement with Australia.", ("IND", "AGREEMENT", "AUS")),
    ("Turkey deployed troops to Syria.", ("TUR", "MILITARY_POSTURE", "SYR")),
    ("The United States will provide Ukraine with air defence systems.", ("USA", "PROVIDE_AID", "UKR")),
    ("Poland shares a border with Belarus.", ("POL", "BORDERS", "BLR")),
    ("Armenia is heavily dependent on Russia for gas.", ("ARM", "DEPENDS_ON", "RUS")),
    ("Egypt rejected Ethiopia's proposal.", ("EGY", "REJECT", "ETH")),
    ("Israel threatened Iran with military action.", ("ISR", "THREATEN", "IRN")),
    ("Pakistan expelled India's ambassador.", ("PAK", "REDUCE_RELATIONS", "IND")),
    ("Canada, a member of NATO, sent weapons to Ukraine.", ("CAN", "MEMBER_OF", "nato")),
    ("Kenyan President William Ruto visited Ethiopia.", ("KEN", "MEET", "ETH")),
    ("Beijing criticised Washington over its chip export controls.", ("CHN", "DISAPPROVE", "USA")),
    ("Saudi Arabia and Iran agreed to restore diplomatic ties.", ("SAU", "DIPLOMATIC_COOPERATION", "IRN")),
    ("Serbia and Kosovo agreed to a deal brokered by the European Union.", ("SRB", "AGREEMENT", "XKX")),
    ("India and Pakistan exchanged fire along the Line of Control.", ("IND", "FIGHT", "PAK")),
    ("Iran's foreign ministry summoned the British ambassador over the remarks.", ("IRN", "DISAPPROVE", "GBR")),
    ("Washington has imposed new tariffs on Chinese electric vehicles.", ("USA", "SANCTION", "CHN")),
    ("Moscow expelled two Estonian diplomats in retaliation.", ("RUS", "REDUCE_RELATIONS", "EST")),
    ("NATO Secretary General Jens Stoltenberg urged allies to send more air defence systems to Kyiv.",
     ("nato", "APPEAL", "UKR")),
    # a list "A, B (B') and C, the ..." that the parser reads as an apposition: every member acts
    ("Following the coup, Chad, the African Union (AU) and ECCAS, the regional bloc, condemned Gabon.",
     ("african-union", "DISAPPROVE", "GAB")),
    ("Following the coup, Chad, the African Union (AU) and ECCAS, the regional bloc, condemned Gabon.",
     ("eccas", "DISAPPROVE", "GAB")),
    # the subject hung on an opening phrase as an apposition: "Following the coup, A, B and C condemned X"
    ("Following the coup, Nigeria, the African Union (AU) and ECOWAS, the regional bloc, condemned Gabon.",
     ("NGA", "DISAPPROVE", "GAB")),
    ("Following the coup, Nigeria, the African Union (AU) and ECOWAS, the regional bloc, condemned Gabon.",
     ("ecowas", "DISAPPROVE", "GAB")),
    # the jailer of a nominal COERCE is its modifier, the one held the subject of serve/spend/die
    ("Former Hamas leader Ismail Haniyeh spent 10 years in Israeli prisons.", ("ISR", "COERCE", "ismail-haniyeh")),
    # the owner of what is seized is the target; "its" inside a relative clause is the clause's noun
    ("Uniper, which quit Russia after Moscow seized its assets, filed a claim.", ("RUS", "COERCE", "uniper")),
    # organisation, noun, country side by side: "NATO member Turkey", "OPEC heavyweight Nigeria"
    ("EU heavyweight Germany opposed the plan.", ("DEU", "MEMBER_OF", "eu")),
    ("Venezuela holds more oil than OPEC behemoth Saudi Arabia.", ("SAU", "MEMBER_OF", "opec")),
]


# Facts a careless rule would invent: (sentence, fact that must not be extracted)
NOT_STATED = [
    ("China held military drills around Taiwan after the island's president visited the United States.",
     ("CHN", "MEET", "USA")),
    ("Serbia and Kosovo agreed to a deal brokered by the European Union.", ("SRB", "AGREEMENT", "eu")),
    ("In a clear reference to the US and its allies, China said countries must stop.", ("CHN", "ALLIED_WITH", "USA")),
    ("Whether American oil companies will agree to back into Venezuela remains unclear.",
     ("USA", "DIPLOMATIC_COOPERATION", "VEN")),
    ("Following its intervention, Chad, the African Union (AU) and ECCAS, the regional bloc, backed a UN mission, "
     "called MINUSCA.", ("TCD", "APPEAL", "minusca")),
    # the target of an event named inside the clause is not the target of the verb that names it
    ("China has also condemned sanctions enacted against Russia.", ("CHN", "DISAPPROVE", "RUS")),
    ("India criticised the sanctions imposed on Iran by Washington.", ("IND", "DISAPPROVE", "IRN")),
]


@pytest.mark.parametrize("sentence,fact", NOT_STATED)
def test_unstated_fact_is_not_extracted(extractor: Extractor, sentence, fact):
    facts = _facts(_extract(extractor, sentence))
    src, typ, dst = fact
    assert not _has(facts, src, typ, dst, undirected=True), sorted(facts)

UNDIRECTED = {"MEET", "AGREEMENT", "BORDERS", "ALLIED_WITH", "MATERIAL_COOPERATION"}


@pytest.mark.parametrize("sentence,expected", SENTENCES)
def test_sentence_yields_actor_type_target(extractor: Extractor, sentence, expected):
    src, typ, dst = expected
    facts = _facts(_extract(extractor, sentence))
    assert _has(facts, src, typ, dst, typ in UNDIRECTED), sorted(facts)


# Negation and denial: (sentence, a fact that must NOT be extracted, a fact that must be, or None)
NEGATIONS = [
    ("China denied it would supply weapons to Russia.", ("CHN", "PROVIDE_AID", "RUS"), None),
    ("Russia did not invade Finland.", ("RUS", "FIGHT", "FIN"), None),
    ("Finland will not support Turkey's bid.", ("FIN", "DIPLOMATIC_COOPERATION", "TUR"),
     ("FIN", "REJECT", "TUR")),
    ("The UK will not accept Iran's proposal.", ("GBR", "DIPLOMATIC_COOPERATION", "IRN"), ("GBR", "REJECT", "IRN")),
    ("Japan has refused to sanction Russia.", ("JPN", "SANCTION", "RUS"), None),
]


@pytest.mark.parametrize("sentence,absent,present", NEGATIONS)
def test_negation_drops_or_changes_the_event(extractor: Extractor, sentence, absent, present):
    facts = _facts(_extract(extractor, sentence))
    assert absent not in facts, sorted(facts)
    if present:
        assert present in facts, sorted(facts)


def test_speculation_lowers_confidence(extractor: Extractor):
    sure = _extract(extractor, "Brazil sent aid to Bolivia.")
    maybe = _extract(extractor, "Brazil said it would consider sending aid to Bolivia.")
    conf = {r.type: r.confidence for r in sure.all_relations()}
    conf_maybe = {r.type: r.confidence for r in maybe.all_relations()}
    assert conf_maybe["PROVIDE_AID"] < conf["PROVIDE_AID"]


def test_surname_and_description_resolve_to_the_named_person(extractor: Extractor):
    frag = _extract(extractor, "Belarusian President Alexander Lukashenko arrived in Beijing. "
                               "Lukashenko said the visit was important. Mr Lukashenko smiled.")
    people = [e for e in frag.entities if e.label == "Person"]
    assert [p.key for p in people] == ["alexander-lukashenko"]


def test_same_person_gets_the_same_id_across_articles(extractor: Extractor, shared_dir: Path):
    dev = shared_dir / "eval" / "dev"
    keys = []
    for name in ("000.txt", "002.txt"):
        frag = extractor.extract(read_text_file(dev / name))
        keys.append({e.key for e in frag.entities if e.label == "Person"})
    assert "alexander-lukashenko" in keys[0] & keys[1]


LEADER_CASES = [
    ("Chinese President Xi Jinping spoke.", "xi-jinping", "CHN", True),
    ("Britain sanctioned Belarusian leader Alexander Lukashenko and figures in his regime, including "
     "Igor Sergeenko, the head of the presidential administration.", "igor-sergeenko", "BLR", False),
    ("Former Venezuelan leader Hugo Chávez nationalised the oil industry.", "hugo-chavez", "VEN", False),
    ("German ambassador Geza Andreas von Geyr was summoned.", "geza-andreas-von-geyr", "DEU", False),
    ("U.S. Defense Secretary Mark Esper visited Hanoi.", "mark-esper", "USA", True),
]


@pytest.mark.parametrize("sentence,key,country,leads", LEADER_CASES)
def test_title_next_to_a_name_gives_country_and_leads_only_for_sitting_leaders(
        extractor: Extractor, sentence, key, country, leads):
    frag = _extract(extractor, sentence, date="2019-11-20")
    person = next(e for e in frag.entities if e.key == key)
    assert person.props["country"] == country
    assert ((key, "LEADS", country) in _facts(frag)) is leads


@pytest.mark.parametrize("sentence,date", [
    ("Russia attacked Ukraine on Monday.", "2023-02-27"),
    ("Russia attacked Ukraine last week.", "2023-02-22"),
    ("Russia attacked Ukraine in 2014.", "2014-01-01"),
    ("Russia attacked Ukraine.", "2023-03-01"),
])
def test_relative_dates_resolve_against_the_article_date(extractor: Extractor, sentence, date):
    frag = _extract(extractor, sentence, date="2023-03-01")
    assert [ev.date for ev in frag.events] == [date]


def test_extract_many_matches_extract_and_keeps_order(extractor: Extractor, shared_dir: Path):
    paths = sorted((shared_dir / "eval" / "dev").glob("[0-9]*.txt"))[:3]
    docs = [read_text_file(p) for p in paths]
    batch = list(extractor.extract_many(docs, batch_size=2))
    assert [f.article.id for f in batch] == [d.article.id for d in docs]
    assert batch[1].to_json() == extractor.extract(docs[1]).to_json()


def test_text_over_the_parser_limit_is_a_load_error(extractor: Extractor):
    from geokg.graph.errors import LoadError

    doc = parse_article_text("Title: t\n\n" + "word " * (extractor.nlp.max_length // 5 + 10))
    with pytest.raises(LoadError, match="over spaCy's limit"):
        extractor.extract(doc)


def test_bbc_articles_extract_without_errors(extractor: Extractor, shared_dir: Path):
    paths = sorted((shared_dir / "data" / "text" / "bbc" / "politics").glob("*.txt"))
    frags = list(extractor.extract_many(read_text_file(p) for p in paths))
    assert len(frags) == len(paths)
    assert sum(len(f.entities) for f in frags) > len(frags)


# ---- round 2: organisation names and relation recall (sentences written for these tests) ----

def _org_names(frag: Fragment) -> set[str]:
    return {e.name for e in frag.entities if e.label == "Organization"}


def test_short_party_name_after_the_full_one_is_the_same_organisation(extractor: Extractor):
    frag = _extract(extractor, "The Chinese Communist Party held a plenum in Beijing on Monday. Analysts said the "
                               "Communist Party wants tighter control of private firms.")
    names = _org_names(frag)
    assert "Chinese Communist Party" in names
    assert "Communist Party" not in names


def test_committee_name_is_kept_whole_past_its_head_noun(extractor: Extractor):
    frag = _extract(extractor, "Lawmakers on the House Special Committee on the Economic Rivalry Between the "
                               "United States and Russia held a hearing. The House voted later.")
    names = _org_names(frag)
    assert "House Special Committee on the Economic Rivalry Between the United States and Russia" in names
    assert not names & {"House Special Committee", "House"}  # the bare "House" is that committee too


def test_a_name_after_an_organisation_descriptor_is_an_organisation(extractor: Extractor):
    frag = _extract(extractor, "Last year the watchdog Civic Lantern published a report on prisons in Iran.")
    assert "Civic Lantern" in _org_names(frag)
    assert not any(e.label == "Person" for e in frag.entities)


def test_body_led_by_a_named_chair_is_led_by_that_person(extractor: Extractor):
    frag = _extract(extractor, "Lawmakers on the Senate Committee on Foreign Relations, led by chairman Bob "
                               "Menendez, approved the plan on Thursday.")
    assert ("bob-menendez", "LEADS", "senate-committee-on-foreign-relations") in _facts(frag)


def test_the_bureau_stands_for_the_agency_named_before(extractor: Extractor):
    frag = _extract(extractor, "The FBI opened an inquiry on Monday. Russia sent a note demanding answers about "
                               "the bureau's role.")
    assert ("RUS", "DEMAND", "fbi") in _facts(frag)


def test_the_bureau_is_nobody_when_two_bureaus_were_named(extractor: Extractor):
    frag = _extract(extractor, "The FBI and the Federal Bureau of Prisons shared data. Russia sent a note "
                               "demanding answers about the bureau's role.")
    assert not any(t == "DEMAND" for _s, t, _d in _facts(frag))


def test_closed_borders_parsed_as_an_adjective_still_sanction_the_neighbour(extractor: Extractor):
    frag = _extract(extractor, "Nigeria condemned the coup, closed neighbouring borders with Niger and froze "
                               "its assets.")
    assert ("NGA", "SANCTION", "NER") in _facts(frag)


def test_troops_sent_without_destination_go_to_the_country_named_earlier(extractor: Extractor):
    frag = _extract(extractor, "Rebels seized the north of the Central African Republic in 2013, prompting "
                               "France to send in troops.", date="2014-01-10")
    assert ("FRA", "MILITARY_POSTURE", "CAF") in _facts(frag)


def test_troops_sent_by_a_lone_country_in_a_sentence_get_no_invented_destination(extractor: Extractor):
    frag = _extract(extractor, "France will send more troops, the minister said.")
    assert not any(t == "MILITARY_POSTURE" for _s, t, _d in _facts(frag))


def test_troops_hosted_in_a_relative_clause_get_no_destination_from_a_list_before(extractor: Extractor):
    frag = _extract(extractor, "Lawmakers praised the alliance with Japan, a bulwark against China and Russia, "
                               "which hosts thousands of American troops.")
    assert ("USA", "MILITARY_POSTURE", "RUS") not in _facts(frag)


def test_capturing_a_named_person_is_coercion_by_the_captor(extractor: Extractor):
    frag = _extract(extractor, "Special forces from Colombia captured rebel commander Ivan Marquez near the "
                               "border on Sunday.")
    assert ("COL", "COERCE", "ivan-marquez") in _facts(frag)


def test_a_person_in_command_of_a_country_leads_it(extractor: Extractor):
    frag = _extract(extractor, "Colonel Assimi Goita is now in command of Mali after the coup.")
    assert ("assimi-goita", "LEADS", "MLI") in _facts(frag)


def test_a_person_once_in_charge_of_a_country_does_not_lead_it_now(extractor: Extractor):
    frag = _extract(extractor, "Kenya held elections. William Ruto was in charge of Kenya in 2013.")
    assert ("william-ruto", "LEADS", "KEN") not in _facts(frag)


def test_people_charged_after_announced_arrests_are_coerced_by_the_announcer(extractor: Extractor):
    frag = _extract(extractor, "On Monday the FBI announced the arrests of three men. Wang Lei, Zhou Min and "
                               "Li Qiang were charged with spying.")
    facts = _facts(frag)
    assert {("fbi", "COERCE", p) for p in ("wang-lei", "zhou-min", "li-qiang")} <= facts


def test_an_agentless_charge_far_from_any_arrest_has_no_invented_actor(extractor: Extractor):
    frag = _extract(extractor, "The FBI announced arrests in March. The weather stayed cold. Markets rose. "
                               "Wang Lei was charged with spying.")
    assert not any(t == "COERCE" and d == "wang-lei" for _s, t, d in _facts(frag))


@pytest.mark.parametrize("sentence, fact", [
    ("Nigeria condemned the coup in Niger on Sunday and threatened tough sanctions.", ("NGA", "THREATEN", "NER")),
    ("The African Union condemned the coup in Gabon and promised sanctions against the officers.",
     ("african-union", "THREATEN", "GAB")),
])
def test_coordinated_verbs_share_the_target_named_once(extractor: Extractor, sentence, fact):
    assert fact in _facts(_extract(extractor, sentence))


def test_a_coordinated_denial_of_a_clause_does_not_take_the_first_verbs_target(extractor: Extractor):
    frag = _extract(extractor, "Turkey called for talks with Greece and denied it would send warships.")
    assert ("TUR", "REJECT", "GRC") not in _facts(frag)


@pytest.mark.parametrize("sentence, fact", [
    ("Iran was hit with new sanctions by the European Union on Monday.", ("eu", "SANCTION", "IRN")),
    ("NATO leaders met in Vilnius on Tuesday. The alliance pledged more military aid to Ukraine.",
     ("nato", "INTENT_TO_COOPERATE", "UKR")),
    ("China's foreign ministry condemned the visit by the US speaker to Taiwan.", ("CHN", "DISAPPROVE", "USA")),
    ("Israeli strikes on Gaza killed dozens.", ("ISR", "FIGHT", "PSE")),
    ("Japan and South Korea agreed on a plan to share intelligence.", ("JPN", "AGREEMENT", "KOR")),
], ids=["hit-with-sanctions-by", "the-alliance-is-nato", "condemned-visit-by", "strikes-on", "agreed-on"])
def test_more_ways_news_states_an_event(extractor: Extractor, sentence, fact):
    facts = _facts(_extract(extractor, sentence))
    assert _has(facts, *fact, undirected=fact[1] == "AGREEMENT"), facts


def test_agreeing_to_do_something_is_no_agreement_between_states(extractor: Extractor):
    frag = _extract(extractor, "Oil companies may agree to return to Venezuela if the US agrees to pay.")
    assert not any(t == "AGREEMENT" for _s, t, _d in _facts(frag))


def test_the_alliance_is_nobody_when_two_alliances_were_named(extractor: Extractor):
    frag = _extract(extractor, "NATO and the CSTO held drills on Tuesday. The alliance pledged more military "
                               "aid to Ukraine.")
    assert not any(t == "INTENT_TO_COOPERATE" for _s, t, _d in _facts(frag))


def test_the_partners_on_whom_a_state_relies_are_the_two_named_before(extractor: Extractor):
    frag = _extract(extractor, "Indian Prime Minister Narendra Modi met South African President Cyril Ramaphosa "
                               "in Delhi on Monday. The talks joined two of the partners on whom Moscow relies "
                               "for trade.")
    facts = _facts(frag)
    assert {("RUS", "DEPENDS_ON", "IND"), ("RUS", "DEPENDS_ON", "ZAF")} <= facts
