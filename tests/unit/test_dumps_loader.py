"""JSON Lines and CSV article dumps, built by the tests from the real BBC articles of
shared/data/text/: every good line/row loads, every bad one is reported with file:line."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from pathlib import Path

import pytest

from geokg.graph.errors import LoadError
from geokg.graph.model import Document
from geokg.loaders.formats.dumps import is_article_dump, read_csv, read_dump, read_jsonl
from geokg.loaders.sources import iter_documents


@pytest.fixture(scope="module")
def bbc(shared_dir) -> list[dict[str, str]]:
    """The 16 real BBC politics articles as {title, body, url} (line 1 is the headline)."""
    rows = []
    for p in sorted((shared_dir / "data" / "text" / "bbc" / "politics").glob("*.txt")):
        title, _, body = p.read_text(encoding="utf-8").partition("\n")
        rows.append({"title": title.strip(), "body": body.strip(), "url": f"https://bbc.test/politics/{p.stem}"})
    assert len(rows) == 16
    return rows


def _split(items: list) -> tuple[list[Document], list[LoadError]]:
    return ([i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, LoadError)])


def _errors(items: list, path: Path) -> list[tuple[str, str]]:
    return [(e.where.replace(str(path), "F"), e.reason) for e in _split(items)[1]]


def test_jsonl_loads_every_good_line_and_reports_bad_ones_by_line(tmp_path, bbc):
    lines = [json.dumps({"Title": r["title"], "Body": r["body"], "Link": r["url"], "pubDate": "2005-02-17"})
             for r in bbc]
    lines.insert(4, '{"Title": "cut off", "Body": "The line ends')                     # line 5
    lines.insert(8, json.dumps({"title": "numbers", "text": 42}))                       # line 9
    lines.insert(11, "")                                                                # line 12: blank, skipped
    lines.insert(13, json.dumps(["a", "list"]))                                        # line 14
    p = tmp_path / "bbc.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, _ = _split(list(read_jsonl(p)))
    assert len(docs) == 16
    assert _errors(list(read_jsonl(p)), p) == [
        ("F:5", "broken JSON (Unterminated string starting at column 30)"),
        ("F:9", "text ('text') must be a string, got int"),
        ("F:14", "expected a JSON object, got list"),
    ]


def test_jsonl_documents_carry_the_article_fields(tmp_path, bbc):
    r = bbc[4]
    p = tmp_path / "one.ndjson"
    p.write_text(json.dumps({"headline": r["title"], "CONTENT": r["body"], "url": r["url"],
                             "published_at": "2005-02-17T10:00:00Z", "publisher": "BBC News",
                             "category": "politics"}) + "\n", encoding="utf-8")
    (doc,) = read_dump(p)
    a = doc.article
    assert a.title == "EU China arms ban 'to be lifted'"
    assert a.url == r["url"]
    assert a.published == "2005-02-17"
    assert a.source == "BBC News"
    assert dict(a.metadata) == {"category": "politics"}
    assert doc.text == r["body"]
    assert a.id == a.make_id(r["url"], "")
    assert doc.path == f"{p}:1"


def _csv_text(rows: list[dict[str, str]], header: list[str], delimiter: str = ",") -> str:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([row.get(h, "") for h in header])
    return out.getvalue()


def test_csv_loads_multiline_rows_and_reports_bad_rows_by_their_first_line(tmp_path, bbc):
    header = ["Title", "Text", "Date", "URL", "Source"]
    good = [{"Title": r["title"], "Text": r["body"], "Date": "17/02/2005", "URL": r["url"], "Source": "BBC"} for r in bbc]
    text = _csv_text(good[:3], header)
    bad_start = text.count("\n") + 1
    text += _csv_text([{"Title": "no body here", "Text": "", "URL": "https://bbc.test/x"}], header).split("\n", 1)[1]
    text += "Too,many,fields,in,this,row,here\n"
    text += _csv_text(good[3:], header).split("\n", 1)[1]
    p = tmp_path / "bbc.csv"
    p.write_text(text, encoding="utf-8")
    items = list(read_csv(p))
    docs, _ = _split(items)
    assert [d.article.title for d in docs] == [r["title"] for r in bbc]
    assert _errors(items, p) == [
        (f"F:{bad_start}", "no text (column 'Text' is missing or empty)"),
        (f"F:{bad_start + 1}", "7 fields but the header has 5"),
    ]


def test_csv_row_line_numbers_point_at_the_row_in_the_file(tmp_path, bbc):
    header = ["title", "body"]
    p = tmp_path / "b.csv"
    p.write_text(_csv_text(bbc[:2], header), encoding="utf-8")
    lines = p.read_text(encoding="utf-8").split("\n")
    docs, _ = _split(list(read_csv(p)))
    first_lines = [int(d.path.rsplit(":", 1)[1]) for d in docs]
    assert [lines[n - 1].startswith(f'"{r["title"]}"') or lines[n - 1].startswith(r["title"])
            for n, r in zip(first_lines, bbc[:2])] == [True, True]


HEADERS = [
    # (header, delimiter, what each row carries)
    (["Headline", "Content", "Published", "Link", "Publisher"], ","),
    (["TITLE", "BODY", "PUBDATE", "URL", "SOURCE"], "\t"),
    (["title", "article", "date", "permalink", "outlet"], ";"),
]


@pytest.mark.parametrize("header,delimiter", HEADERS, ids=["comma", "tab", "semicolon"])
def test_column_names_are_matched_case_insensitively(tmp_path, bbc, header, delimiter):
    row = dict(zip(header, [bbc[0]["title"], bbc[0]["body"], "2005-03-01", bbc[0]["url"], "BBC"]))
    p = tmp_path / "d.csv"
    p.write_text(_csv_text([row], header, delimiter), encoding="utf-8")
    (doc,) = read_csv(p)
    a = doc.article
    assert a.title == bbc[0]["title"]
    assert a.published == "2005-03-01"
    assert a.url == bbc[0]["url"]
    assert a.source == "BBC"
    assert doc.text == bbc[0]["body"]


def test_field_mapping_names_other_columns(tmp_path, bbc):
    p = tmp_path / "custom.jsonl"
    p.write_text(json.dumps({"story": bbc[1]["body"], "hed": bbc[1]["title"], "dt": "2005-01-05",
                             "text": "a teaser, not the story"}) + "\n", encoding="utf-8")
    (doc,) = read_jsonl(p, fields={"text": "story", "title": "hed", "date": "dt"})
    assert doc.text == bbc[1]["body"]
    assert doc.article.title == bbc[1]["title"]
    assert doc.article.published == "2005-01-05"


def test_unknown_field_in_the_mapping_is_rejected_by_name(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"text": "t"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="'author'"):
        list(read_jsonl(p, fields={"author": "by"}))


def test_newsapi_source_object_gives_its_name(tmp_path, bbc):
    p = tmp_path / "newsapi.jsonl"
    p.write_text(json.dumps({"source": {"id": "bbc-news", "name": "BBC News"}, "title": bbc[2]["title"],
                             "content": bbc[2]["body"], "publishedAt": "2005-02-01T09:00:00Z"}) + "\n")
    (doc,) = read_jsonl(p)
    assert doc.article.source == "BBC News"
    assert doc.article.published == "2005-02-01"


WRONG_TYPES = [
    ({"title": ["a"], "text": "t"}, "title ('title') must be a string, got list"),
    ({"text": {"p": 1}}, "text ('text') must be a string, got dict"),
    ({"text": "t", "date": 20050201}, "published ('date') must be a string, got int"),
    ({"text": "t", "url": True}, "url ('url') must be a string, got bool"),
    ({"title": "only a title"}, "no text (column 'text/body/content' is missing or empty)"),
    ({"text": "   "}, "no text (column 'text' is missing or empty)"),
]


@pytest.mark.parametrize("row,reason", WRONG_TYPES)
def test_wrong_types_are_reported_with_the_field_name(tmp_path, row, reason):
    p = tmp_path / "w.jsonl"
    p.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert [(e.where, e.reason) for e in read_jsonl(p)] == [(f"{p}:1", reason)]


def test_line_over_the_cap_is_reported_and_the_next_line_loads(tmp_path, bbc):
    p = tmp_path / "big.jsonl"
    p.write_text(json.dumps({"text": bbc[0]["body"] * 20}) + "\n" + json.dumps({"text": bbc[1]["body"]}) + "\n")
    items = list(read_jsonl(p, max_bytes=10_000))
    assert [type(i).__name__ for i in items] == ["LoadError", "Document"]
    assert items[0].where == f"{p}:1"
    assert "cap" in items[0].reason


def test_lines_in_legacy_encoding_are_decoded(tmp_path):
    p = tmp_path / "latin.jsonl"
    p.write_bytes('{"text": "Zelenskyy met Macron at a café in Paris."}\n'.encode("cp1252"))
    (doc,) = read_jsonl(p)
    assert doc.text == "Zelenskyy met Macron at a café in Paris."


def test_utf16_csv_with_bom_is_decoded(tmp_path, bbc):
    p = tmp_path / "excel.csv"
    p.write_bytes(_csv_text(bbc[:2], ["title", "body"], "\t").encode("utf-16"))
    docs = list(iter_documents([p]))
    assert [d.article.title for d in docs] == [r["title"] for r in bbc[:2]]


def test_jsonl_is_read_as_a_stream(tmp_path, bbc):
    p = tmp_path / "many.jsonl"
    line = json.dumps({"title": bbc[0]["title"], "text": bbc[0]["body"]}) + "\n"
    n = 10_000_000 // len(line) + 1  # > 10 MB of real article text
    with p.open("w", encoding="utf-8") as fh:
        for _ in range(n):
            fh.write(line)
    size = p.stat().st_size
    tracemalloc.start()
    count = sum(1 for _ in read_jsonl(p))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == n
    assert size > 10_000_000
    assert peak < size / 10


EVENT_FILES = [
    "data/acled/ACLED-All-Africa-File_20160101-to-20160528_first2000.csv",
    "data/gdelt/gdelt1_daily_sample_events.csv",
    "data/gdelt/20191024143000.export.CSV",
]


@pytest.mark.parametrize("rel", EVENT_FILES)
def test_event_csv_is_not_an_article_dump(shared_dir, rel):
    assert is_article_dump(shared_dir / rel) is False


@pytest.mark.parametrize("rel", EVENT_FILES)
def test_event_csv_in_ingest_says_to_use_format(shared_dir, rel):
    items = list(iter_documents([shared_dir / rel]))
    assert [("looks like event data" in str(i), "--format gdelt|acled" in str(i)) for i in items] == [(True, True)]


def test_article_csv_is_an_article_dump(tmp_path, bbc):
    p = tmp_path / "a.csv"
    p.write_text(_csv_text(bbc[:1], ["title", "body"]), encoding="utf-8")
    assert is_article_dump(p) is True


BAD_DUMPS = [
    ("empty.csv", b"", "empty file"),
    ("header-only.csv", b"title,summary\n", "no text/body/content column"),
    ("binary.jsonl", b"PK\x03\x04\x14\x00\x00\x00", "binary file"),
]


@pytest.mark.parametrize("name,data,reason", BAD_DUMPS)
def test_unreadable_dump_files_are_one_load_error(tmp_path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    items = list(iter_documents([p]))
    assert [(type(i).__name__, reason in str(i)) for i in items] == [("LoadError", True)]
