"""Where an article's event happened: place names resolved offline to coordinates and a country,
or to nothing when the name is unknown or shared by several places with no clear winner."""

from __future__ import annotations

import pytest

from geokg.loaders.extraction.extractor import Extractor
from geokg.loaders.extraction.places import locative_mentions, place_entity, resolve
from geokg.loaders.formats.text import parse_article_text


@pytest.mark.parametrize(("name", "article_countries", "expected_country"), [
    ("Beijing", ["CHN", "BLR"], "CHN"),
    ("Kiev", ["UKR"], "UKR"),                 # an English alternate name of Kyiv
    ("Paris", ["USA", "RUS"], "FRA"),         # Paris, Texas is 86 times smaller
    ("Geneva", ["CHE"], "CHE"),
    ("Washington", ["USA", "CHN"], "USA"),
    ("Tripoli", ["LBY"], "LBY"),
    ("Sochi", [], "RUS"),                      # the only Sochi
])
def test_a_place_name_resolves_to_its_country(name, article_countries, expected_country):
    assert resolve(name, article_countries).country == expected_country


@pytest.mark.parametrize(("name", "article_countries"), [
    ("Springfield", ["USA"]),                  # many Springfields of similar size
    ("Geneva", ["USA", "RUS"]),                # the article names the US, which has a Geneva too
    ("Tripoli", ["LBN", "LBY"]),               # both Tripolis' countries are named
    ("Oklahoma", ["USA"]),                     # a US state, not Oklahoma City
    ("Narnia", []),                            # unknown
])
def test_an_unknown_or_ambiguous_place_name_resolves_to_nothing(name, article_countries):
    assert resolve(name, article_countries) is None


def test_a_resolved_place_carries_latitude_and_longitude_of_the_city():
    beijing = place_entity(["Beijing"], ["CHN"])
    assert (round(beijing.props["lat"], 1), round(beijing.props["lon"], 1)) == (39.9, 116.4)


def test_a_country_name_as_place_is_the_country_node():
    assert place_entity(["Ukraine"], ["UKR"]).ref == "country:UKR"


def test_the_first_mention_that_resolves_is_the_place():
    assert place_entity(["Narnia", "Sochi"], []).ref == "location:sochi-rus"


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def test_only_a_name_after_a_locative_preposition_is_a_place(extractor):
    doc = extractor.nlp.make_doc("Beijing said the talks in Moscow went well.")
    for _, proc in extractor.nlp.pipeline[:-1]:
        doc = proc(doc)
    assert locative_mentions(doc) == {"Beijing said the talks in Moscow went well.": ["Moscow"]}


def test_talks_in_a_capital_occur_in_that_city_of_the_real_article(extractor, shared_dir):
    path = shared_dir / "eval" / "dev" / "020.txt"
    fragment = extractor.extract(parse_article_text(path.read_text(encoding="utf-8"), str(path)))
    meets = [ev for ev in fragment.events if ev.type == "MEET" and "met in Moscow" in ev.evidence]
    assert meets[0].location == "location:moscow-rus"


def test_a_capital_used_for_its_government_stays_the_country(extractor):
    text = "Title: t\nDate: 2023-03-01\n\nBeijing condemned the sanctions imposed by the United States.\n"
    fragment = extractor.extract(parse_article_text(text, "<test>"))
    assert [e.ref for e in fragment.entities if e.label == "Location"] == []


BRUSSELS = ("Title: t\nDate: 2023-03-01\n\nRussian Foreign Minister Sergei Lavrov met US Secretary of State "
            "Antony Blinken in Brussels on Tuesday.\n")


def test_a_meeting_in_a_foreign_city_occurs_in_that_city(extractor):
    fragment = extractor.extract(parse_article_text(BRUSSELS, "<test>"))
    assert [ev.location for ev in fragment.events] == ["location:brussels-bel"]


def test_a_place_brings_no_country_the_article_does_not_name(extractor):
    fragment = extractor.extract(parse_article_text(BRUSSELS, "<test>"))
    assert "country:BEL" not in {e.ref for e in fragment.entities}
