"""`geokg ingest` of a folder of nasty files, as a user runs it: every bad item is one line naming
its file (and row) and the reason, the good files in the same folder load, nothing prints a
traceback, and memory stays bounded with a 200 MB file and a zip bomb in the batch.

The corpus is made here, in tmp_path, from the repo's samples and the shared GDELT/ACLED files;
nothing nasty is checked in.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from geokg.graph.errors import LoadError
from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.writer import write_fragments
from geokg.loaders.limits import check_archive
from geokg.loaders.records.sniffing import iter_records
from geokg.loaders.sources import iter_documents

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "03-finland-joins-nato.txt"
MB = 1 << 20
BIG = ("huge.txt", "huge.jsonl", "bomb.export.CSV.zip", "deep.html")
TALKS = ("Chinese President Xi Jinping met Belarusian President Alexander Lukashenko in Beijing on "
         "Wednesday. The two leaders signed an agreement on trade. ")
RTL_TITLE = "محادثات بكين 🤝 שיחות Beijing talks 🇨🇳"
LONG_NAME = ("Brigade of an Extraordinarily Long Name " * 300)[:10_000].strip()


@dataclass(frozen=True)
class Corpus:
    folder: Path
    bad: dict[str, str]            # "file" or "file:line" -> a words of the expected reason
    titles: frozenset[str]         # titles of the articles that must load
    gdelt_good: int                # GDELT rows that must load


def _gdelt_rows(shared_dir: Path) -> list[str]:
    return (shared_dir / "data/gdelt/20191024143000.export.CSV").read_text(encoding="utf-8").splitlines()


def _acled(shared_dir: Path) -> tuple[list[str], list[list[str]]]:
    path = shared_dir / "data/acled/acled_2020-05-04_to_2020-05-09_global_first2000.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [next(reader) for _ in range(3)]


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def build_corpus(folder: Path, shared_dir: Path) -> Corpus:
    """The nasty folder: good files beside every kind of bad one."""
    folder.mkdir()
    w = folder.joinpath
    sample = SAMPLE.read_text(encoding="utf-8")
    rng = random.Random(7)
    # good ones, some of them odd
    w("good.txt").write_text(sample, encoding="utf-8")
    w("rtl-emoji.txt").write_text(f"Title: {RTL_TITLE}\nDate: 2023-03-01\n\n{TALKS}«مرحبا» שלום 🚀", encoding="utf-8")
    w("utf16.txt").write_bytes(f"Title: UTF-16 talks\n\n{TALKS}In UTF-16.".encode("utf-16"))
    w("damaged-utf8.txt").write_bytes(f"Title: Zürich talks\n\n{TALKS}".encode() + b"\xff\xfe\x81 stray bytes.")
    w("nul-late.txt").write_bytes(f"Title: NUL inside\n\n{TALKS * 12}".encode() + b"\x00hidden\x00 " + TALKS.encode())
    # bad ones
    w("empty.txt").write_bytes(b"")
    w("blank.txt").write_bytes(b" \n\t\r\n   \n")
    w("paper.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    w("photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(500)))
    w("noise.txt").write_bytes(bytes(rng.randrange(1, 256) for _ in range(4000)))
    w("nul-early.txt").write_bytes(b"Title: x\n\nabc\x00def " * 20)
    w("utf16-broken.txt").write_bytes(b"\xff\xfe" + "Russia".encode("utf-16-le") + b"\x00\xd8")
    with w("huge.txt").open("wb") as fh:                       # 200 MB: refused before it is read
        for _ in range(200):
            fh.write((TALKS * (MB // len(TALKS) + 1))[:MB].encode())
    with w("huge.jsonl").open("wb") as fh:                     # one 200 MB line between two good ones
        fh.write(json.dumps({"title": "Before the giant line", "text": TALKS + "Before."}).encode() + b"\n")
        fh.write(b'{"title": "giant", "text": "')
        for _ in range(200):
            fh.write(b"x" * MB)
        fh.write(b'"}\n' + json.dumps({"title": "After the giant line", "text": TALKS + "After."}).encode() + b"\n")
    w("deep.html").write_text("<html><body>" + "<div>" * 100_000 + TALKS * 5 + "</div>" * 100_000 + "</body></html>")
    w("laughs.rss").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "lol">\n'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
        + ']>\n<rss version="2.0"><channel><title>&j;</title><item><title>t</title>'
          '<description>&j;</description></item></channel></rss>\n')
    w("types.jsonl").write_text("\n".join([
        json.dumps({"title": "Typed right", "text": TALKS + "Typed.", "source": "S" * 10_000}),
        json.dumps({"title": "number text", "text": 5}),
        json.dumps({"title": ["a", "list"], "text": TALKS}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "null text", "text": None}),
    ]) + "\n")
    w("columns.csv").write_text(_csv([
        ["title", "text", "date"],
        ["Columns right", TALKS + "In a CSV.", "2023-03-01"],
        ["too many", TALKS, "2023-03-01", "extra", "more"],
        ["too few", TALKS],
    ]))
    gdelt = _gdelt_rows(shared_dir)
    w("events.export.CSV").write_text("\n".join([gdelt[0], "\t".join(gdelt[1].split("\t")[:20]), gdelt[2],
                                                 gdelt[3].rsplit("\t", 5)[0], gdelt[4]]) + "\n")
    with zipfile.ZipFile(w("bomb.export.CSV.zip"), "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("bomb.export.CSV", "w", force_zip64=True) as member:
        member.write((gdelt[5] + "\n").encode())                # looks like GDELT at first sight
        for _ in range(1024):                                   # then 1 GiB of one byte: ~1 MB zipped
            member.write(b"A" * MB)
    header, rows = _acled(shared_dir)
    long_row = list(rows[1])
    long_row[header.index("actor1")] = LONG_NAME
    w("acled.csv").write_text(_csv([header, rows[0], long_row, rows[2][:10]]))
    bad = {
        "empty.txt": "empty file", "blank.txt": "only whitespace", "paper.txt": "binary file",
        "photo.txt": "binary file", "noise.txt": "binary file", "nul-early.txt": "binary file (NUL bytes)",
        "utf16-broken.txt": "invalid UTF-16", "huge.txt": "over the 5,242,880-byte cap",
        "huge.jsonl:2": "line over the 5,242,880-byte cap", "deep.html": "depth limit",
        "laughs.rss": "declares XML entities",
        "types.jsonl:2": "text ('text') must be a string, got int",
        "types.jsonl:3": "title ('title') must be a string, got list",
        "types.jsonl:4": "expected a JSON object, got list", "types.jsonl:5": "no text",
        "columns.csv:3": "5 fields but the header has 3", "columns.csv:4": "2 fields but the header has 3",
        "events.export.CSV:2": "20 tab-separated fields", "events.export.CSV:4": "56 tab-separated fields",
        "bomb.export.CSV.zip!bomb.export.CSV": "zip bomb",
        "acled.csv:4": "10 fields, expected",
    }
    titles = frozenset({"Finland becomes NATO's 31st member", RTL_TITLE, "UTF-16 talks",
                        "Zürich talks", "NUL inside", "Before the giant line", "After the giant line",
                        "Typed right", "Columns right"})
    return Corpus(folder, bad, titles, gdelt_good=3)


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float


def ingest(folder: Path, db: Path, tmp_path: Path) -> Run:
    """Run the real ``geokg ingest`` and measure the peak RSS of that one process (os.wait4)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GEOKG_"))}
    env["GEOKG_DB"] = str(db)
    out, err = tmp_path / f"{db.stem}.out", tmp_path / f"{db.stem}.err"
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen([sys.executable, "-m", "geokg.ui.cli", "ingest", str(folder)], stdout=o, stderr=e,
                                stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(proc.returncode, out.read_text(), err.read_text(), usage.ru_maxrss / 1024)


@pytest.fixture(scope="module")
def nasty(shared_dir, tmp_path_factory) -> tuple[Corpus, Run, Path]:
    tmp = tmp_path_factory.mktemp("nasty")
    corpus = build_corpus(tmp / "inbox", shared_dir)
    db = tmp / "nasty.lbdb"
    run = ingest(corpus.folder, db, tmp)
    for big in ("huge.txt", "huge.jsonl"):  # 400 MB: not kept longer than needed
        (corpus.folder / big).unlink()
    return corpus, run, db


def reported(run: Run, folder: Path) -> dict[str, str]:
    """``file[:line]`` -> the reason, from each "skipped" line on stderr."""
    out = {}
    for line in run.stderr.splitlines():
        if line.startswith(f"geokg: skipped {folder}/"):
            where, _, reason = line.removeprefix(f"geokg: skipped {folder}/").partition(": ")
            out[where] = reason
    return out


def test_ingest_of_the_nasty_folder_ends_well_without_a_traceback(nasty):
    corpus, run, _ = nasty
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr + run.stdout, run.stderr[-2000:]


def test_every_nasty_item_is_reported_once_with_its_file_line_and_reason(nasty):
    corpus, run, _ = nasty
    got = reported(run, corpus.folder)
    assert sorted(got) == sorted(corpus.bad), run.stderr
    wrong = {where: got[where] for where, reason in corpus.bad.items() if reason not in got[where]}
    assert wrong == {}


def test_each_report_is_a_single_line(nasty):
    corpus, run, _ = nasty
    skipped = [ln for ln in run.stderr.splitlines() if "skipped" in ln]
    assert len(skipped) == len(corpus.bad)


def test_the_good_articles_beside_the_nasty_ones_are_stored(nasty):
    corpus, _, db = nasty
    with EmbeddedStore(db, read_only=True) as s:
        titles = set(s.cypher("MATCH (a:Article) WHERE a.origin = 'article' RETURN a.title AS t")["t"])
    assert titles == corpus.titles


def test_the_good_event_rows_beside_the_bad_ones_are_stored(nasty):
    corpus, _, db = nasty
    with EmbeddedStore(db, read_only=True) as s:
        origins = s.cypher("MATCH (e:Event) UNWIND e.report_origins AS o WITH o WHERE o <> 'article' "
                           "RETURN o, count(*) AS n")  # every row is a report of an event
    assert dict(zip(origins["o"], origins["n"])) == {"gdelt": corpus.gdelt_good, "acled": 2}


def test_rtl_and_emoji_title_is_stored_verbatim_and_its_text_extracted(nasty):
    _, _, db = nasty
    with EmbeddedStore(db, read_only=True) as s:
        people = s.cypher("MATCH (a:Article)-[:MENTIONS]->(p:Person) WHERE a.title = $t RETURN p.id AS id",
                          {"t": RTL_TITLE})
    assert "xi-jinping" in set(people["id"])


def test_a_ten_thousand_character_name_is_stored_whole_under_a_short_key(nasty):
    _, _, db = nasty
    with EmbeddedStore(db, read_only=True) as s:
        orgs = s.cypher("MATCH (o:Organization) WHERE size(o.name) > 5000 RETURN o.id AS id, o.name AS name")
    assert [(len(i) <= 120, n) for i, n in zip(orgs["id"], orgs["name"])] == [(True, LONG_NAME)]


def test_nul_bytes_inside_an_article_are_stripped_before_storing(nasty):
    _, _, db = nasty
    with EmbeddedStore(db, read_only=True) as s:
        texts = s.cypher("MATCH (a:Article)-[:REPORTS]->(e:Event) WHERE a.title = 'NUL inside' "
                         "RETURN e.evidence AS ev")["ev"].tolist()
    assert len(texts) > 0
    assert [t for t in texts if "\x00" in t] == []


def test_damaged_utf8_keeps_its_good_characters(nasty):
    _, _, db = nasty
    with EmbeddedStore(db, read_only=True) as s:
        found = s.cypher("MATCH (a:Article) WHERE a.title = 'Zürich talks' RETURN count(a) AS n")["n"][0]
    assert found == 1


def test_memory_stays_bounded_with_a_200_mb_file_and_a_1_gib_zip_bomb(nasty, tmp_path):
    """Peak RSS of the nasty ingest against the same command on the same folder without its four
    big items (200 MB text, a 200 MB JSONL line, a zip member unpacking to 1 GiB, 100,000 nested
    ``<div>``): reading any of them whole would add hundreds of MB."""
    corpus, run, _ = nasty
    calm = tmp_path / "calm"
    calm.mkdir()
    for f in corpus.folder.iterdir():
        if f.name not in BIG:
            shutil.copyfile(f, calm / f.name)
    baseline = ingest(calm, tmp_path / "calm.lbdb", tmp_path)
    print(f"peak RSS: nasty folder {run.peak_rss_mb:.0f} MB, without the big items {baseline.peak_rss_mb:.0f} MB")
    assert run.peak_rss_mb - baseline.peak_rss_mb < 100


def test_long_rtl_and_nul_names_round_trip_through_both_stores(store_factory, shared_dir, tmp_path):
    """The same ACLED records read and written into each store: a 10,000-character name once failed
    Neo4j's key index (and with it the whole write transaction); a NUL byte is dropped on reading."""
    header, rows = _acled(shared_dir)
    names = [LONG_NAME, "حركة الشباب 🚀 תנועה", "Brigade\x00 of the North"]
    records = []
    for i, name in enumerate(names):
        row = list(rows[0])
        row[header.index("actor1")], row[header.index("event_id_cnty")] = name, f"NASTY{i}"
        records.append(row)
    path = tmp_path / "names.csv"
    path.write_text(_csv([header, *records]), encoding="utf-8")
    frags = list(iter_records(path))
    store = store_factory()
    write_fragments(store, frags)
    got = store.cypher("MATCH (o:Organization)-[:ACTOR_IN]->(e:Event) WHERE e.id IN $ids "
                       "RETURN o.name AS name", {"ids": [f.events[0].id for f in frags]})
    assert sorted(got["name"]) == sorted([LONG_NAME, names[1], "Brigade of the North"])


def test_a_folder_of_only_bad_files_exits_non_zero_with_one_line_each(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "paper.txt").write_bytes(b"%PDF-1.7\n")
    run = ingest(folder, tmp_path / "bad.lbdb", tmp_path)
    assert run.returncode == 1
    assert sorted(reported(run, folder)) == ["empty.txt", "paper.txt"]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("suffix, fmt", [(".CSV", "gdelt"), (".csv", "acled"), (".jsonl", None)])
def test_a_file_of_nothing_but_bad_rows_is_given_up_on_after_100(tmp_path, suffix, fmt):
    path = tmp_path / f"wrong{suffix}"
    header = "event_id_cnty,event_date,event_type,actor1,country\n" if fmt == "acled" else ""
    path.write_text(header + "".join(f"row {i} is not what the name says\n" for i in range(5000)))
    items = list(iter_records(path, fmt)) if fmt else list(iter_documents([path]))
    assert len(items) == 101
    assert "stopped after 100 bad rows in a row" in str(items[-1])


def test_an_archive_unpacking_over_the_cap_is_refused_before_reading(shared_dir, tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(shared_dir / "data/gdelt/20191024143000.export.CSV", "20191024143000.export.CSV")
    with zipfile.ZipFile(path) as zf, pytest.raises(LoadError, match="over the 100,000-byte cap"):
        check_archive(zf, str(path), max_bytes=100_000)
