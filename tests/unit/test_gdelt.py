"""GDELT Events files -> fragments, on the real samples in shared/data/gdelt (see its README)."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest

from geokg.graph.errors import LoadError
from geokg.graph.model import Article, stable_id
from geokg.loaders.records.gdelt import actor_entity, cameo_codes, read_gdelt
from geokg.loaders.records.sniffing import iter_records, sniff_format

EXPORT = "gdelt/20191024143000.export.CSV"


def split(items):
    items = list(items)
    frags = [i for i in items if not isinstance(i, LoadError)]
    errors = [i for i in items if isinstance(i, LoadError)]
    return frags, errors


@pytest.fixture(scope="session")
def data_dir(shared_dir) -> Path:
    return shared_dir / "data"


@pytest.fixture(scope="module")
def export(data_dir):
    return {f.events[0].props["origin_id"]: f for f in split(read_gdelt(data_dir / EXPORT))[0]}


def test_every_row_of_the_2_0_export_loads(data_dir):
    frags, errors = split(list(read_gdelt(data_dir / EXPORT)))
    assert len(frags) == 2111
    assert errors == []


def test_event_ids_are_unique_per_globaleventid(export):
    assert len({f.events[0].id for f in export.values()}) == 2111


def test_event_id_and_origin_come_from_globaleventid(export):
    ev = export["881990834"].events[0]
    assert ev.id == stable_id("gdelt", "881990834")
    assert ev.props["origin_id"] == "881990834"


def test_sign_formal_agreement_row(export):
    """881990834: THE EU (IGOEUREEC) as Actor2, EventCode 057, in Minsk, 2018-10-24."""
    f = export["881990834"]
    ev = f.events[0]
    assert ev.type == "AGREEMENT"
    assert ev.actors == ()
    assert ev.targets == ("org:eu",)
    assert ev.date == "2018-10-24"
    assert ev.props == {"cameo_code": "057", "origin_id": "881990834", "goldstein": 8.0, "quad_class": 1,
                        "num_mentions": 7, "num_sources": 1, "avg_tone": 0.63492063492064}


def test_action_geo_is_a_location_in_its_country(export):
    f = export["881990834"]
    place = next(e for e in f.entities if e.ref == f.events[0].location)
    assert place.key == "minsk-belarus-general-belarus"
    assert place.props["country"] == "BLR"
    assert place.props["lat"] == 53.9
    assert place.props["lon"] == 27.5667
    assert [(r.type, r.source, r.target) for r in f.relations] == [
        ("LOCATED_IN", "location:minsk-belarus-general-belarus", "country:BLR")]


def test_sourceurl_is_the_article(export):
    a = export["881990834"].article
    url = "https://belsat.eu/en/news/10-years-of-belarus-participating-in-eastern-partnership-what-is-to-come/"
    assert a.id == Article.make_id(url, "")
    assert a.url == url
    assert a.origin == "gdelt"
    assert a.source == "belsat.eu"
    assert a.published == "2019-10-24"


def test_records_citing_one_url_share_one_article(export):
    assert export["881990834"].article.id == export["881991165"].article.id


def test_country_to_country_row(export):
    """881991165: BLR -> RUS, EventCode 030, at Makei, Pskov (FIPS RS = Russia)."""
    f = export["881991165"]
    ev = f.events[0]
    assert ev.type == "INTENT_TO_COOPERATE"
    assert ev.actors == ("country:BLR",)
    assert ev.targets == ("country:RUS",)
    assert ev.location == "location:makei-pskovskaya-oblast-russia"
    assert [r.type for r in ev.rollups()] == ["INTENT_TO_COOPERATE"]


def test_country_nodes_are_those_of_article_extraction(export):
    russia = next(e for e in export["881991165"].entities if e.ref == "country:RUS")
    assert russia.name == "Russia"
    assert dict(russia.props) == {"iso2": "RU", "region": "Europe"}


def test_country_level_geo_is_the_country_itself(export):
    """881991014: ActionGeo_Type 1 'Russia': the event occurs in the Country node, no extra Location."""
    f = export["881991014"]
    assert f.events[0].location == "country:RUS"
    assert [e.label for e in f.entities] == ["Country"]


def test_military_posture_row_drops_a_generic_role_actor(export):
    """881992920: YEM deploys (154); Actor2 is just 'MILITARY' with no country: not linked."""
    ev = export["881992920"].events[0]
    assert ev.type == "MILITARY_POSTURE"
    assert ev.actors == ("country:YEM",)
    assert ev.targets == ()
    assert ev.props["cameo_code"] == "154"
    assert ev.props["quad_class"] == 4
    assert ev.summary == "SANAA — Mobilize or increase armed forces — MILITARY"


def test_most_specific_known_group_wins(export):
    """881991872: Actor1Code IGOUNODEVWBK (KnownGroupCode UNO) is the World Bank, not the UN."""
    assert export["881991872"].events[0].actors == ("org:world-bank",)


@pytest.mark.parametrize("code, expected", [
    ("010", "STATEMENT"), ("043", "MEET"), ("046", "MEET"), ("057", "AGREEMENT"), ("050", "DIPLOMATIC_COOPERATION"),
    ("0874", "YIELD"), ("14", "PROTEST"), ("145", "PROTEST"), ("154", "MILITARY_POSTURE"), ("16", "REDUCE_RELATIONS"),
    ("163", "SANCTION"), ("173", "COERCE"), ("183", "ASSAULT"), ("190", "FIGHT"), ("195", "FIGHT"), ("202", "MASS_VIOLENCE"),
])
def test_cameo_code_to_event_type(code, expected):
    assert cameo_codes()[code][0] == expected


@pytest.mark.parametrize("code, name, country, group, communal, expected", [
    ("RUS", "RUSSIA", "RUS", "", False, "country:RUS"),
    ("USAGOV", "UNITED STATES", "USA", "", False, "country:USA"),
    ("ROMGOV", "ROMANIA", "ROM", "", False, "country:ROU"),          # CAMEO ROM is ISO3 ROU
    ("WSB", "WEST BANK", "WSB", "", False, "country:PSE"),
    ("IGOEUREEC", "THE EU", "EUR", "EEC", False, "org:eu"),           # same key as data/organizations.tsv
    ("IGOUNODEVWBK", "WORLD BANK", "", "UNO", False, "org:world-bank"),
    ("PSEHMS", "HAMAS", "PSE", "HMS", False, "org:hamas"),
    ("NGOAMN", "AMNESTY INTERNATIONAL", "", "AMN", False, "org:amnesty"),
    ("kur", "KURD", "", "", True, "org:kurd"),                         # a named ethnic group
    ("AFR", "AFRICA", "AFR", "", False, None),                         # a CAMEO region is no actor
    ("COP", "POLICE", "", "", False, None),                            # a generic role is no actor
    ("REL", "CLERGY", "", "", False, None),
    ("", "", "", "", False, None),
])
def test_actor_resolution(code, name, country, group, communal, expected):
    ent = actor_entity(code, name, country, group, communal)
    assert (ent.ref if ent else None) == expected


def test_gdelt_1_0_sample_mixes_57_and_58_fields(data_dir):
    frags, errors = split(list(read_gdelt(data_dir / "gdelt/gdelt1_daily_sample_events.csv")))
    with_url = Counter(f.article.url is not None for f in frags)
    assert len(frags) == 710
    assert errors == []
    assert with_url[True] == 509
    assert with_url[False] == 201


def test_historical_rows_without_sourceurl_get_one_article_each(data_dir):
    frags = split(read_gdelt(data_dir / "gdelt/gdelt1_daily_sample_events.csv"))[0]
    backfile = [f for f in frags if f.article.url is None]
    assert len({f.article.id for f in backfile}) == len(backfile) == 201
    assert {f.events[0].date[:4] for f in backfile} == {"1982"}


@pytest.mark.parametrize("name, rows", [("events.csv", 100), ("eventsT.csv", 100), ("events1.csv", 100)])
def test_spark_gdelt_events_files(data_dir, name, rows):
    frags, errors = split(list(read_gdelt(data_dir / "gdelt/spark-gdelt" / name)))
    assert len(frags) == rows
    assert errors == []


def test_a_source_name_instead_of_a_url_is_the_article_source(data_dir):
    frags = split(read_gdelt(data_dir / "gdelt/spark-gdelt/events1.csv"))[0]
    assert "BBC Monitoring" in {f.article.source for f in frags if f.article.url is None}


def test_zipped_export_reads_like_the_plain_one(data_dir, tmp_path):
    zpath = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(data_dir / EXPORT, "20191024143000.export.CSV")
    plain = split(read_gdelt(data_dir / EXPORT))[0]
    zipped, errors = split(list(read_gdelt(zpath)))
    assert errors == []
    assert zipped == plain


@pytest.fixture
def damaged(data_dir, tmp_path) -> Path:
    """The first 10 real rows with three changed: a cut line, a bad date, an unknown event code."""
    lines = (data_dir / EXPORT).read_text(encoding="utf-8").splitlines()[:10]
    f = [line.split("\t") for line in lines]
    lines[2] = "\t".join(f[2][:40])                                  # line 3: 40 fields
    f[5][1] = "20191345"                                             # line 6: month 13
    lines[5] = "\t".join(f[5])
    f[8][26] = "999"                                                 # line 9: no such CAMEO code
    lines[8] = "\t".join(f[8])
    path = tmp_path / "damaged.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_rows_are_reported_with_line_numbers(damaged):
    errors = split(read_gdelt(damaged))[1]
    assert [(e.where, e.reason) for e in errors] == [
        (f"{damaged}:3", "40 tab-separated fields, expected 57 or 58 or 61"),
        (f"{damaged}:6", "bad date '20191345' (month must be in 1..12)"),
    ]


def test_the_rest_loads_around_bad_rows(damaged):
    assert len(split(read_gdelt(damaged))[0]) == 8


def test_row_with_an_unknown_event_code_is_kept_unclassified(damaged):
    """No record dropped: code 999 has no CAMEO root, so the row is an UNCLASSIFIED event."""
    ev = split(read_gdelt(damaged))[0][-2].events[0]
    assert (ev.type, ev.props["cameo_code"], ev.rollups()) == ("UNCLASSIFIED", "999", [])


def test_reading_is_lazy(data_dir):
    """A generator: the first fragment comes before the file is read to the end."""
    stream = read_gdelt(data_dir / EXPORT)
    first = next(stream)
    stream.close()
    assert first.events[0].props["origin_id"] == "881990832"


@pytest.mark.parametrize("path, expected", [
    (EXPORT, "gdelt"), ("gdelt/gdelt1_daily_sample_events.csv", "gdelt"), ("gdelt/spark-gdelt/events1.csv", "gdelt"),
    ("gdelt/spark-gdelt/mentions.csv", None), ("gdelt/spark-gdelt/gkg.csv", None),
    ("acled/acled_2020-05-04_to_2020-05-09_global_first2000.csv", "acled"),
    ("acled/ACLED-All-Africa-File_20160101-to-20160528_first2000.csv", "acled"),
    ("text/bbc/politics/017.txt", None), ("rss/bbc.xml", None),
])
def test_sniff_format_by_content(data_dir, path, expected):
    assert sniff_format(data_dir / path) == expected


def test_sniff_format_looks_into_a_zip(data_dir, tmp_path):
    zpath = tmp_path / "export.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(data_dir / EXPORT, "20191024143000.export.CSV")
    assert sniff_format(zpath) == "gdelt"


def test_iter_records_explains_an_unknown_file(data_dir):
    (err,) = list(iter_records(data_dir / "text/bbc/politics/017.txt"))
    assert "use --format gdelt|acled" in err.reason


def test_iter_records_follows_the_content(data_dir):
    frags, errors = split(iter_records(data_dir / EXPORT))
    assert len(frags) == 2111
    assert errors == []


def test_iter_records_format_can_be_forced(data_dir):
    """--format acled on a GDELT file: one error saying why, no rows."""
    (err,) = iter_records(data_dir / EXPORT, "acled")
    assert err.reason.startswith("not an ACLED export")
