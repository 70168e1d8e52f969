"""ACLED CSV exports -> fragments, on the real samples in shared/data/acled (see its README)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from geokg.graph.errors import LoadError
from geokg.graph.model import stable_id
from geokg.loaders.records.acled import actor_entity, event_type, parse_date, read_acled

MODERN = "acled/acled_2020-05-04_to_2020-05-09_global_first2000.csv"
V6 = "acled/ACLED-All-Africa-File_20160101-to-20160528_first2000.csv"


def split(items):
    items = list(items)
    return ([i for i in items if not isinstance(i, LoadError)], [i for i in items if isinstance(i, LoadError)])


@pytest.fixture(scope="session")
def data_dir(shared_dir) -> Path:
    return shared_dir / "data"


@pytest.fixture(scope="module")
def modern(data_dir):
    return split(read_acled(data_dir / MODERN))


@pytest.fixture(scope="module")
def v6(data_dir):
    return split(read_acled(data_dir / V6))


def by_id(frags):
    return {f.events[0].props["origin_id"]: f for f in frags}


def test_modern_export_loads_every_record(modern):
    frags, errors = modern
    assert len(frags) == 2000
    assert errors == []


def test_strategic_other_records_are_unclassified_events_with_their_acled_types(modern):
    kept = [f.events[0] for f in modern[0] if f.events[0].type == "UNCLASSIFIED"]
    assert Counter((e.props["acled_type"], e.props["sub_type"]) for e in kept) == {
        ("Strategic developments", "Other"): 23}


def test_v6_export_loads_every_record(v6):
    frags, errors = v6
    assert len(frags) == 2000
    assert errors == []


def test_modern_protest_record(modern):
    """ISR1786: medical interns protest in Haifa, 9-May-20."""
    f = by_id(modern[0])["ISR1786"]
    ev = f.events[0]
    assert ev.id == stable_id("acled", "ISR1786")
    assert ev.type == "PROTEST"
    assert ev.actors == ("org:protesters-israel",)
    assert ev.targets == ()
    assert ev.date == "2020-05-09"
    assert ev.location == "location:haifa-haifa-israel"
    assert ev.props["fatalities"] == 0
    assert ev.props["sub_type"] == "Peaceful protest"
    assert ev.props["notes"][:25] == "On 9 May 2020, medical in"


def test_place_has_coordinates_and_lies_in_the_country(modern):
    f = by_id(modern[0])["ISR1786"]
    place = next(e for e in f.entities if e.label == "Location")
    assert dict(place.props) == {"country": "ISR", "lat": 32.8184, "lon": 34.9885}
    assert [(r.type, r.target) for r in f.relations] == [("LOCATED_IN", "country:ISR")]


def test_record_source_is_its_article(modern):
    a = by_id(modern[0])["YEM52360"].article
    assert a.id == stable_id("acled", "YEM52360")
    assert a.source == "Mareb Press; Yemen Data Project"
    assert a.origin == "acled"
    assert a.url is None
    assert a.published == "2020-05-09"


def test_battle_between_a_faction_and_the_state(modern):
    """YEM52360: Houthi forces (a faction: an Organization) clash with Yemen's forces (the Country)."""
    ev = by_id(modern[0])["YEM52360"].events[0]
    assert ev.type == "FIGHT"
    assert ev.actors == ("org:military-forces-of-yemen-supreme-political-council",)
    assert ev.targets == ("country:YEM",)
    assert ev.props["fatalities"] == 7


def test_russian_forces_are_the_country(modern):
    ev = by_id(modern[0])["SYR78201"].events[0]
    assert ev.type == "MILITARY_POSTURE"
    assert ev.actors == ("country:RUS",)
    assert ev.location == "location:quamishli-al-hasakeh-syria"


def test_record_without_event_id_cnty_falls_back_to_data_id(modern):
    ev = by_id(modern[0])["data_id:7080698"].events[0]
    assert ev.type == "ASSAULT"
    assert ev.actors == ("country:COD",)
    assert ev.targets == ("org:civilians-democratic-republic-of-congo",)


def test_v6_record(v6):
    """1RTA: the first Algerian record, dd/mm/yyyy date, the old type Riots/Protests, actor1 only."""
    f = by_id(v6[0])["1RTA"]
    ev = f.events[0]
    assert ev.type == "PROTEST"
    assert ev.actors == ("org:protesters-algeria",)
    assert ev.targets == ()
    assert ev.date == "2015-12-29"
    assert ev.location == "location:batna-batna-algeria"
    assert ev.props["sub_type"] == "Riots/Protests"
    assert f.article.source == "El Watan"


@pytest.mark.parametrize("acled_type, sub_type, expected", [
    ("Battles", "Armed clash", "FIGHT"),
    ("Battles", "Government regains territory", "FIGHT"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "FIGHT"),
    ("Explosions/Remote violence", "Air/drone strike", "FIGHT"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "ASSAULT"),
    ("Explosions/Remote violence", "Suicide bomb", "ASSAULT"),
    ("Explosions/Remote violence", "Chemical weapon", "MASS_VIOLENCE"),
    ("Violence against civilians", "Attack", "ASSAULT"),
    ("Violence against civilians", "Abduction/forced disappearance", "ASSAULT"),
    ("Protests", "Peaceful protest", "PROTEST"),
    ("Protests", "Excessive force against protesters", "PROTEST"),
    ("Riots", "Violent demonstration", "PROTEST"),
    ("Riots", "Mob violence", "ASSAULT"),
    ("Strategic developments", "Agreement", "AGREEMENT"),
    ("Strategic developments", "Arrests", "COERCE"),
    ("Strategic developments", "Looting/property destruction", "COERCE"),
    ("Strategic developments", "Headquarters or base established", "MILITARY_POSTURE"),
    ("Strategic developments", "Other", "UNCLASSIFIED"),
    ("Strategic developments", "A sub-type ACLED adds one day", "UNCLASSIFIED"),
    ("Battles", "A sub-type ACLED adds one day", "FIGHT"),
    ("battles", "armed clash", "FIGHT"),
    ("Battle-No change of territory", "", "FIGHT"),
    ("Riots/Protests", "", "PROTEST"),
    ("Remote violence", "", "ASSAULT"),
    ("Strategic development", "", "MILITARY_POSTURE"),
    ("Non-violent transfer of territory", "", "MILITARY_POSTURE"),
    ("Picnic", "", None),
])
def test_event_type_mapping(acled_type, sub_type, expected):
    assert event_type(acled_type, sub_type) == expected


@pytest.mark.parametrize("name, expected", [
    ("Military Forces of Russia (2000-)", "country:RUS"),
    ("Police Forces of Nigeria", "country:NGA"),
    ("Police Forces of Nigeria (2015-)", "country:NGA"),
    ("Government of Turkey (2016-)", "country:TUR"),
    ("Military Forces of the United States (2017-)", "country:USA"),
    ("Police Forces of the Democratic Republic of Congo (2019-)", "country:COD"),
    ("Military Forces of Cameroon (1982-) Gendarmerie", "country:CMR"),
    ("Military Forces of Yemen (2016-) Supreme Political Council", "org:military-forces-of-yemen-supreme-political-council"),
    ("Military Forces of Libya (2014-) Haftar Faction", "org:military-forces-of-libya-haftar-faction"),
    ("Military Forces of Artsakh (2007-)", "org:military-forces-of-artsakh"),
    ("Protesters (Israel)", "org:protesters-israel"),
    ("Taliban", "org:taliban"),
    ("", None),
])
def test_actor_resolution(name, expected):
    ent = actor_entity(name)
    assert (ent.ref if ent else None) == expected


def test_an_organisation_keeps_the_country_in_its_name():
    assert actor_entity("Civilians (Democratic Republic of Congo)").props["country"] == "COD"


@pytest.mark.parametrize("text, expected", [
    ("9-May-20", "2020-05-09"), ("2020-05-09", "2020-05-09"), ("29/12/2015", "2015-12-29"),
    ("09 May 2020", "2020-05-09"), ("9-May-2020", "2020-05-09"),
])
def test_date_spellings(text, expected):
    assert parse_date(text) == expected


@pytest.fixture
def damaged(data_dir, tmp_path) -> Path:
    """The header and first 8 real records of the modern export, three of them broken."""
    lines = (data_dir / MODERN).read_text(encoding="utf-8").splitlines()[:9]
    lines[2] = lines[2].replace(",9-May-20,", ",31-Feb-20,", 1)                    # line 3: no such day
    lines[4] = lines[4].replace(",Protests,", ",Picnics,", 1)                      # line 5: unknown type
    lines[6] = lines[6].rsplit(",", 3)[0]                                          # line 7: cut short
    path = tmp_path / "damaged.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_bad_records_are_reported_with_line_numbers(damaged):
    frags, errors = split(read_acled(damaged))
    assert [(e.where.rsplit(":", 1)[1], e.reason) for e in errors] == ([
        ("3", "bad date '31-Feb-20' (expected e.g. 2020-05-09, 9-May-20 or 29/12/2015)"),
        ("7", "28 fields, expected 31 as in the header"),
    ])
    assert len(frags) == 6


def test_record_of_an_unknown_acled_type_is_kept_unclassified(damaged):
    (ev,) = [f.events[0] for f in split(read_acled(damaged))[0] if f.events[0].props["acled_type"] == "Picnics"]
    assert (ev.type, ev.props["sub_type"]) == ("UNCLASSIFIED", "Peaceful protest")


def test_windows_1252_lines_are_read(data_dir, tmp_path):
    """Older ACLED files were cp1252; a record with a curly apostrophe still loads."""
    lines = (data_dir / V6).read_text(encoding="utf-8").splitlines()
    record = next(line for line in lines[1:] if "\u2019" in line)
    path = tmp_path / "cp1252.csv"
    path.write_bytes((lines[0] + "\r\n" + record + "\r\n").encode("cp1252"))
    (frag,) = read_acled(path)
    assert "\u2019" in frag.events[0].props["notes"]


def test_a_file_without_the_acled_columns_is_one_error(data_dir):
    (err,) = read_acled(data_dir / "gdelt/spark-gdelt/mentions.csv")
    assert err.reason.startswith("not an ACLED export: no column event_id_cnty")
