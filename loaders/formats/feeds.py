"""RSS 2.0 / RSS 1.0 / Atom feeds -> one document per entry, via feedparser, offline.

feedparser only ever gets the bytes read from disk (wrapped in a stream, so a string that
looks like a URL is never fetched). Before parsing, a DOCTYPE that declares entities is
refused: feedparser drops nested entity definitions, but its fallback "loose" parser expands a
large entity referenced many times (a quadratic blow-up: 2 MB of input became 2 GB of text and
6 GB of memory in a measurement), and no real news feed needs entity declarations.

Each entry gives title, link (-> url), published/updated (-> YYYY-MM-DD) and text: the
``content`` when present (and not shorter than the summary), else ``summary``, with HTML
reduced to text. The feed's
title is the article source. An entry without text is reported as ``file#entry N: no text``
while the others load; a feed that does not parse into any entry is one LoadError.

>>> docs = list(parse_feed(b'<rss version="2.0"><channel><title>Wire</title><item><title>Talks</title>'
...                        b'<link>https://x.test/1</link><pubDate>Wed, 01 Mar 2023 23:30:00 -0500</pubDate>'
...                        b'<description>&lt;p&gt;Xi met Lukashenko.&lt;/p&gt;</description></item>'
...                        b'</channel></rss>', "wire.xml"))
>>> a = docs[0].article
>>> a.title, a.url, a.published, a.source, docs[0].text
('Talks', 'https://x.test/1', '2023-03-01', 'Wire', 'Xi met Lukashenko.')
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geokg.graph.errors import LoadError
from geokg.graph.model import Article, Document
from geokg.loaders.formats.html import html_to_text
from geokg.loaders.formats.text import MAX_BYTES, decode_bytes, normalise_date, read_capped

__all__ = ["parse_feed", "read_feed_file", "looks_like_feed", "check_no_entities"]

_ROOT_TAG = re.compile(r"<(?!\?|!)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}
_SNIFF_BYTES = 16384


def _markup(data: bytes) -> str:
    """The bytes as text for sniffing: NUL bytes dropped (so UTF-16/32 feeds of ASCII markup
    read too), comments and processing instructions removed."""
    text = data.replace(b"\x00", b"").decode("utf-8", errors="replace").lstrip("\ufeff\ufffe")
    return re.sub(r"<!--.*?-->|<\?.*?\?>", "", text, flags=re.S)


def check_no_entities(data: bytes, where: str) -> None:
    """LoadError when the DOCTYPE declares entities (billion laughs, quadratic blow-up, XXE)."""
    text = _markup(data)
    root = _ROOT_TAG.search(text)
    if re.search(r"<!ENTITY", text[: root.start()] if root else text, re.I):
        raise LoadError(where, "the feed's DOCTYPE declares XML entities, which GeoKG refuses "
                               "(entity expansion can exhaust memory); remove the DOCTYPE block")


def looks_like_feed(path: str | Path) -> bool:
    """True when the file's root element is ``rss``, ``feed`` (Atom) or ``rdf:RDF`` (RSS 1.0)."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return False
    text = re.sub(r"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", "", _markup(head), flags=re.S | re.I)
    root = _ROOT_TAG.search(text)
    return root is not None and root.group(2).lower() in _FEED_ROOTS


def _entry_date(entry: Any) -> str | None:
    """The entry's own calendar date: from the raw string (keeps the publisher's local date),
    else feedparser's UTC struct_time."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            date = normalise_date(raw)
            if date:
                return date
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None


def _as_text(value: str, content_type: str | None) -> str:
    if content_type and "html" not in content_type and "xml" not in content_type:
        return " ".join(value.split())  # text/plain: keep '<' and '&' as written
    return html_to_text(value)


def _entry_text(entry: Any) -> str:
    """Content when present, else summary. feedparser also files a ``media:description`` (a
    photo caption) under ``content`` when it follows the description, so content only wins when
    it is at least as long as the summary, as a real full-text ``content:encoded`` is."""
    contents = [_as_text(c.get("value") or "", c.get("type")) for c in entry.get("content") or []]
    content = max(contents, key=len, default="")
    detail = entry.get("summary_detail") or {}
    summary = _as_text(entry.get("summary") or "", detail.get("type"))
    return content if len(content) >= len(summary) else summary


def _entry_title(entry: Any) -> str:
    detail = entry.get("title_detail") or {}
    return " ".join(_as_text(entry.get("title") or "", detail.get("type")).split())


def parse_feed(data: bytes, where: str = "<feed>") -> Iterator[Document | LoadError]:
    """Each entry of a feed as a Document, or a LoadError for an entry without text.

    Raises LoadError for the whole feed when it declares entities or yields no entries.
    """
    import feedparser

    check_no_entities(data, where)
    try:
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    except RecursionError:
        raise LoadError(where, "feed nested too deeply to parse") from None
    except Exception as exc:  # a third-party parser on untrusted input: one file, not the batch
        raise LoadError(where, f"feed could not be parsed ({type(exc).__name__}: {exc})") from None
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            reason = str(problem).splitlines()[0] if problem and str(problem) else type(problem).__name__
            raise LoadError(where, f"not a valid RSS/Atom feed ({reason})")
        raise LoadError(where, "the feed has no entries")
    feed = parsed.get("feed") or {}
    source = " ".join((feed.get("title") or "").split()) or None
    for n, entry in enumerate(entries, start=1):
        at = f"{where}#entry {n}"
        text = _entry_text(entry)
        if not text.strip():
            yield LoadError(at, "no text (neither content nor summary)")
            continue
        link = (entry.get("link") or "").strip()
        url = link if re.match(r"https?://", link) else None
        author = entry.get("author")
        article = Article(id=Article.make_id(url, text), title=_entry_title(entry), url=url,
                          published=_entry_date(entry), source=source,
                          metadata={"author": author} if isinstance(author, str) and author else {})
        yield Document(article=article, text=text, path=at)


def read_feed_file(path: str | Path, max_bytes: int = MAX_BYTES) -> Iterator[Document | LoadError]:
    """Read one ``.rss``/``.atom``/``.xml`` feed file (size cap shared with text files)."""
    where = str(path)
    data = read_capped(path, max_bytes)
    if not data.strip():
        raise LoadError(where, "empty file (only whitespace)")
    decode_bytes(data, where)  # raises for PDF/image/archive/NUL content; feedparser decodes itself
    yield from parse_feed(data, where)
