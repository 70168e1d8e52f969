"""RSS/Atom feeds -> one document per entry, on the real feeds of shared/data/rss/.

Found on the real feeds: nytimes.xml entry 2 (a live-blog link) has an empty description, so it
is reported as "no text" while the other 24 load; feedparser files NYT's ``media:description``
(a photo caption) under ``content``, so content only wins over the summary when it is longer.
"""

from __future__ import annotations

import re
import resource
import time
from pathlib import Path

import pytest

from geokg.graph.errors import LoadError
from geokg.graph.model import Document
from geokg.loaders.formats.feeds import check_no_entities, looks_like_feed, parse_feed, read_feed_file
from geokg.loaders.sources import iter_documents

FEEDS = [
    # (file, entries, documents, source, first entry's title)
    ("bbc.xml", 16, 16, "BBC News - News front page", "Firm in data scandal 'made election boasts'"),
    ("nytimes.xml", 25, 24, "NYT > Top Stories", "Can the Palestinian Authority Really Govern Gaza After the War?"),
    ("guardian.rss", 55, 55, "The Guardian", "Trump State of the Union address promised unity but emphasized discord"),
    ("heise.atom", 15, 15, "heise developer neueste Meldungen", "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei"),
]
NAMES = [f[0] for f in FEEDS]


def _items(shared_dir: Path, name: str) -> list:
    return list(read_feed_file(shared_dir / "data" / "rss" / name))


def _docs(items: list) -> list[Document]:
    return [d for d in items if isinstance(d, Document)]


@pytest.mark.parametrize("name,entries,documents,source,title", FEEDS, ids=NAMES)
def test_every_entry_is_a_document_or_a_reported_error(shared_dir, name, entries, documents, source, title):
    items = _items(shared_dir, name)
    assert len(items) == entries
    assert len(_docs(items)) == documents


@pytest.mark.parametrize("name,entries,documents,source,title", FEEDS, ids=NAMES)
def test_feed_title_is_the_source_and_entry_title_is_the_title(shared_dir, name, entries, documents, source, title):
    first = _docs(_items(shared_dir, name))[0].article
    assert first.source == source
    assert first.title == title


@pytest.mark.parametrize("name", NAMES)
def test_every_entry_has_a_date_a_link_and_text_without_tags(shared_dir, name):
    docs = _docs(_items(shared_dir, name))
    assert [d.article.title for d in docs if not d.article.published] == []
    assert [d.article.title for d in docs if not d.article.url] == []
    assert [d.article.title for d in docs if not d.text.strip()] == []
    assert [d.text for d in docs if "<p" in d.text or "<a " in d.text or "&amp;" in d.text] == []


ENTRY_DATES = [
    # (file, entry index, date as the publisher wrote it)
    ("heise.atom", 0, "2016-02-01"),
    ("nytimes.xml", 0, "2023-11-24"),
    ("guardian.rss", 0, "2018-01-31"),
    ("bbc.xml", 0, "2018-03-25"),
]


@pytest.mark.parametrize("name,index,date", ENTRY_DATES)
def test_entry_dates_are_yyyy_mm_dd(shared_dir, name, index, date):
    assert _docs(_items(shared_dir, name))[index].article.published == date


def test_entry_without_text_is_reported_with_its_number(shared_dir):
    errors = [e for e in _items(shared_dir, "nytimes.xml") if isinstance(e, LoadError)]
    assert [(e.where.rsplit("/", 1)[-1], e.reason) for e in errors] == [
        ("nytimes.xml#entry 2", "no text (neither content nor summary)")]


def test_photo_caption_does_not_replace_the_summary(shared_dir):
    first = _docs(_items(shared_dir, "nytimes.xml"))[0]
    assert first.text.startswith("Considered authoritarian and corrupt, the Palestinian Authority")


def test_guardian_html_description_becomes_paragraphs(shared_dir):
    first = _docs(_items(shared_dir, "guardian.rss"))[0]
    assert first.text.split("\n")[1].startswith("Donald Trump has promised a “new American moment”")


@pytest.mark.parametrize("name", NAMES)
def test_real_feeds_are_sniffed_as_feeds(shared_dir, name):
    assert looks_like_feed(shared_dir / "data" / "rss" / name)


def _billion_laughs(levels: int = 9) -> bytes:
    ents = '<!ENTITY lol0 "lol">\n' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, levels + 1))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{ents}]>\n<rss version="2.0"><channel><title>t</title>'
            f'<item><title>&lol{levels};</title><description>&lol{levels};</description></item>'
            '</channel></rss>').encode()


def _quadratic_blowup() -> bytes:
    # one 100 kB entity referenced 20,000 times: feedparser's loose parser would expand it
    # to 2 GB (measured: 125 s and 5.7 GB of memory), so it must never reach feedparser
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "' + "x" * 100_000 + '">\n]>\n'
            '<rss version="2.0"><channel><title>t</title><item><title>t</title><description>'
            + "&a;" * 20_000 + "</description></item></channel></rss>").encode()


ENTITY_ATTACKS = [
    ("billion laughs", _billion_laughs()),
    ("quadratic blow-up", _quadratic_blowup()),
    ("external entity", b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        b'<rss version="2.0"><channel><item><description>&x;</description></item></channel></rss>'),
    ("declaration hidden after a comment", b'<?xml version="1.0"?><!-- <rss> --><!DOCTYPE rss [<!ENTITY a "b">]>'
                                           b'<rss version="2.0"><channel><item><description>&a;</description>'
                                           b'</item></channel></rss>'),
    ("utf-16", '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY a "b">]><rss/>'.encode("utf-16")),
]


@pytest.mark.parametrize("name,data", ENTITY_ATTACKS, ids=[n for n, _ in ENTITY_ATTACKS])
def test_entity_declarations_are_refused_fast_with_bounded_memory(tmp_path, name, data):
    p = tmp_path / "attack.rss"
    p.write_bytes(data)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    items = list(iter_documents([p]))
    elapsed = time.perf_counter() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert [(type(i).__name__, "declares XML entities" in str(i)) for i in items] == [("LoadError", True)]
    assert elapsed < 2
    assert grown_mb < 100


def test_plain_doctype_without_entities_is_allowed():
    data = (b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>W</title>'
            b'<item><title>T</title><link>https://x.test/1</link><description>Body text.</description></item>'
            b'</channel></rss>')
    check_no_entities(data, "ok.rss")
    assert [d.text for d in parse_feed(data, "ok.rss")] == ["Body text."]


MALFORMED = [
    ("html page named .rss", b"<html><body><p>Not a feed</p></body></html>", "not a valid RSS/Atom feed|no entries"),
    ("truncated feed", b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</ti', "not a valid RSS/Atom feed"),
    ("plain text", b"just some words, no markup at all", "not a valid RSS/Atom feed"),
    ("empty channel", b'<rss version="2.0"><channel><title>t</title></channel></rss>', "the feed has no entries"),
    ("empty file", b"", "empty file"),
    ("binary", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file"),
]


@pytest.mark.parametrize("name,data,reason", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_feed_is_one_load_error_naming_file_and_reason(tmp_path, name, data, reason):
    p = tmp_path / "bad.rss"
    p.write_bytes(data)
    items = list(iter_documents([p]))
    assert [(type(i).__name__, i.where) for i in items] == [("LoadError", str(p))]
    assert re.search(reason, items[0].reason), items[0].reason


def test_truncated_real_feed_still_loads_the_entries_before_the_cut(shared_dir, tmp_path):
    data = (shared_dir / "data" / "rss" / "guardian.rss").read_bytes()
    p = tmp_path / "cut.rss"
    p.write_bytes(data[: len(data) // 2])
    docs = [d for d in read_feed_file(p) if isinstance(d, Document)]
    assert 10 < len(docs) < 55


XML_SNIFF = [
    ('<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel/></rss>', True),
    ('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>', True),
    ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><channel/></rdf:RDF>', True),
    ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>', False),
    ('<?xml version="1.0"?><project><modelVersion>4.0.0</modelVersion></project>', False),
]


@pytest.mark.parametrize("xml,is_feed", XML_SNIFF)
def test_xml_is_a_feed_only_when_its_root_is_rss_atom_or_rdf(tmp_path, xml, is_feed):
    p = tmp_path / "x.xml"
    p.write_text(xml, encoding="utf-8")
    assert looks_like_feed(p) is is_feed


def test_non_feed_xml_in_a_folder_is_reported_not_parsed(tmp_path):
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset></urlset>', encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    assert [("not an RSS or Atom feed" in str(i)) for i in items] == [True]


def test_a_url_string_is_never_fetched():
    with pytest.raises(LoadError, match="not a valid RSS/Atom feed|no entries"):
        list(parse_feed(b"https://example.invalid/feed.xml", "url.rss"))


def test_feeds_are_parsed_without_network(shared_dir, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network access while parsing a feed")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    counts = [len(_items(shared_dir, name)) for name in NAMES]
    assert counts == [f[1] for f in FEEDS]
