"""Plain-text article loader: header block, front matter, BBC layout, encodings, bad files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from geokg.graph.errors import LoadError
from geokg.loaders.formats.text import parse_article_text, read_text_file

HEADER_CASES = [
    # (raw text, expected title, published, source, url, metadata, body starts with)
    ("Title: Talks in Beijing\nDate: 2023-03-01\nSource: CNN\nURL: \n\nXi met Lukashenko.",
     "Talks in Beijing", "2023-03-01", "CNN", None, {}, "Xi met"),
    ("Title: T\nDate: 1 March 2023\nOrigin: seed file\n\nBody.",
     "T", "2023-03-01", None, None, {"Origin": "seed file"}, "Body."),
    ("Title: T\nDate: Wed, 01 Mar 2023 10:00:00 GMT\nURL: https://x.test/a\n\nBody.",
     "T", "2023-03-01", None, "https://x.test/a", {}, "Body."),
    ("---\ntitle: 'Front matter'\ndate: 2020-09-29\nsource: Daily Mail\n---\n\nBody text.",
     "Front matter", "2020-09-29", "Daily Mail", None, {}, "Body text."),
    ("Tsunami debt deal to be announced\n\nChancellor Gordon Brown has said he hopes.",
     "Tsunami debt deal to be announced", None, None, None, {}, "Chancellor"),
    # a first paragraph that ends like a sentence is body, not a headline
    ("He said the talks went well.\n\nThen he left.", "", None, None, None, {}, "He said"),
    # "WASHINGTON: ..." is a dateline paragraph, not a header block
    ("WASHINGTON: The president spoke.\n\nMore text.", "", None, None, None, {}, "WASHINGTON:"),
    ("\ufeffTitle: BOM\r\nDate: 2024-08-08\r\n\r\nWindows lines.", "BOM", "2024-08-08", None, None, {}, "Windows"),
]


@pytest.mark.parametrize("raw,title,published,source,url,meta,body_start", HEADER_CASES)
def test_header_block_is_metadata_not_text(raw, title, published, source, url, meta, body_start):
    doc = parse_article_text(raw)
    a = doc.article
    assert a.title == title
    assert a.published == published
    assert a.source == source
    assert a.url == url
    assert dict(a.metadata) == meta
    assert doc.text.startswith(body_start)


def test_article_id_is_hash_of_url_else_text():
    with_url = parse_article_text("Title: A\nURL: https://x.test/a\n\nOne.")
    same_url = parse_article_text("Title: B\nURL: https://x.test/a\n\nTwo.")
    no_url = parse_article_text("Title: A\n\nSame   text.")
    assert with_url.article.id == same_url.article.id
    assert no_url.article.id == parse_article_text("Title: Z\n\nSame text.").article.id


@pytest.mark.parametrize("raw", ["Title: only a header\nDate: 2023-01-01\n\n   \n", ""])
def test_header_without_body_is_a_load_error(raw):
    with pytest.raises(LoadError, match="no article text"):
        parse_article_text(raw, "x.txt")


ENCODING_CASES = [
    ("utf-8", "Title: Kyiv\n\nZelenskyy’s café.".encode()),
    ("utf-8-sig", codecs.BOM_UTF8 + "Title: Kyiv\n\nZelenskyy’s café.".encode()),
    ("utf-16", "Title: Kyiv\n\nZelenskyy’s café.".encode("utf-16")),
    ("cp1252", "Title: Kyiv\n\nZelenskyy’s café.".encode("cp1252")),
]


@pytest.mark.parametrize("name,data", ENCODING_CASES)
def test_encodings_are_detected(tmp_path: Path, name, data):
    p = tmp_path / f"{name}.txt"
    p.write_bytes(data)
    doc = read_text_file(p)
    assert doc.article.title == "Kyiv"
    assert doc.text == "Zelenskyy’s café."


BAD_FILES = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\n ", "empty file"),
    ("nul.txt", b"abc\x00\x01\x02def" * 10, "binary file"),
    ("doc.txt", b"%PDF-1.7\n%...", "binary file"),
    ("img.txt", b"\x89PNG\r\n\x1a\n....", "binary file"),
]


@pytest.mark.parametrize("name,data,reason", BAD_FILES)
def test_bad_files_raise_load_error_naming_the_file(tmp_path: Path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(LoadError, match=reason) as err:
        read_text_file(p)
    assert err.value.where == str(p)


def test_file_over_the_size_cap_is_refused(tmp_path: Path):
    p = tmp_path / "big.txt"
    p.write_text("Title: Big\n\n" + "word " * 300, encoding="utf-8")
    with pytest.raises(LoadError, match="over the 1,000-byte cap"):
        read_text_file(p, max_bytes=1000)


def test_missing_file_is_a_load_error(tmp_path: Path):
    with pytest.raises(LoadError, match="cannot read file"):
        read_text_file(tmp_path / "nope.txt")


def test_every_dev_article_has_title_date_source_and_keeps_origin_as_metadata(shared_dir: Path):
    for path in sorted((shared_dir / "eval" / "dev").glob("[0-9]*.txt")):
        doc = read_text_file(path)
        assert doc.article.title, path
        assert doc.article.published, path
        assert doc.article.source, path
        assert "Origin" in doc.article.metadata, path
        assert not doc.text.startswith(("Title:", "Origin:")), path


def test_bbc_files_take_their_first_line_as_title(shared_dir: Path):
    paths = sorted((shared_dir / "data" / "text" / "bbc" / "politics").glob("*.txt"))
    assert paths
    for path in paths:
        doc = read_text_file(path)
        first_line = path.read_text(encoding="utf-8", errors="replace").strip().split("\n")[0].strip()
        assert doc.article.title == first_line, path
        assert len(doc.text.split()) > 50, path
