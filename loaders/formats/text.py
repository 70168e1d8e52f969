"""Plain-text and Markdown articles: header block or front matter, body, encoding, size cap.

An article file may start with

* a header block of ``Key: value`` lines ended by a blank line (``Title``, ``Date``, ``Source``
  and ``URL`` are understood; any other key, e.g. ``Origin:``, is kept in ``Article.metadata``);
* YAML-style front matter between two ``---`` lines (same keys, flat ``key: value`` only);
* or nothing: then a short first line followed by a blank line (the BBC layout) is the title.

>>> doc = parse_article_text("Title: Talks\\nDate: 1 March 2023\\n\\nXi met Lukashenko.")
>>> doc.article.title, doc.article.published, doc.text
('Talks', '2023-03-01', 'Xi met Lukashenko.')
"""

from __future__ import annotations

import codecs
import re
import warnings
from dataclasses import replace
from pathlib import Path

from geokg.graph.errors import LoadError
from geokg.graph.model import Article, Document

__all__ = ["parse_article_text", "read_text_file", "read_capped", "decode_bytes", "normalise_date", "clean_text",
           "clean_document", "MAX_BYTES", "MAX_CONTROL_SHARE"]

#: Default size cap per file (5 MB).
MAX_BYTES = 5 * 1024 * 1024

_KEY_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9 _-]{0,30}):(?:[ \t]+(.*?))?[ \t]*$")
_KNOWN = {"title": "title", "headline": "title", "date": "published", "published": "published",
          "pubdate": "published", "source": "source", "outlet": "source", "publisher": "source",
          "url": "url", "link": "url"}
#: Above this share of control characters (or undecodable bytes) decoded "text" is binary.
MAX_CONTROL_SHARE = 0.01
# C0 controls but tab/newline/CR, DEL, lone surrogates, and the two non-characters: none is ever
# meaningful in an article, XML (GraphML export, the page) cannot carry them, and a lone
# surrogate (JSON's "\ud800") cannot even be encoded as UTF-8 for a store.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\ufffd]")
_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF")


def normalise_date(value: str) -> str | None:
    """Any human date (``1 March 2023``, ``2023-03-01T10:00Z``) -> ``YYYY-MM-DD``; None if unparseable."""
    from dateutil import parser as dateparser

    value = value.strip()
    if not value or len(value) > 100:  # no date is longer; fuzzy parsing of megabytes takes seconds
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return "-".join(m.groups())
    try:
        with warnings.catch_warnings():  # an unknown time zone name: only the day is kept anyway
            warnings.simplefilter("ignore")
            return dateparser.parse(value, fuzzy=True).date().isoformat()
    except (ValueError, OverflowError, TypeError):
        return None


def clean_text(text: str) -> str:
    r"""``text`` without NUL and other control characters (tab, newline and CR kept; vertical tab
    and form feed become newlines) and without lone surrogates.

    >>> clean_text("Min\x00sk\x0cBelarus \ud800ok")
    'Minsk\nBelarus ok'
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", text.replace("\x0b", "\n").replace("\x0c", "\n"))


def clean_document(doc: Document) -> Document:
    """The document with :func:`clean_text` applied to its text and every metadata string (the
    id stays: it names the input as read). Every reader's output passes here (``geokg.loaders.sources``)."""
    a = doc.article
    fields = (a.title, a.url or "", a.source or "", *a.metadata.keys(), *a.metadata.values(), doc.text)
    if not any(_CONTROL.search(f) for f in fields):
        return doc
    article = replace(a, title=clean_text(a.title), url=clean_text(a.url) if a.url else a.url,
                      source=clean_text(a.source) if a.source else a.source,
                      metadata={clean_text(k): clean_text(v) for k, v in a.metadata.items()})
    return replace(doc, article=article, text=clean_text(doc.text))


def _split_header(raw: str) -> tuple[dict[str, str], str] | None:
    """The ``Key: value`` block and the rest, or None when the text does not start with one."""
    lines = raw.split("\n")
    fields: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            # a block counts as a header only if it names at least one known key, so a first
            # paragraph such as "WASHINGTON: The president said ..." stays in the body
            if not any(k.lower() in _KNOWN for k in fields):
                return None
            return fields, "\n".join(lines[i + 1:])
        m = _KEY_LINE.match(line)
        if not m or len(line) > 500:
            return None
        fields[m.group(1).strip()] = (m.group(2) or "").strip()
    return None  # a header with no body after it is not a header


def _split_front_matter(raw: str) -> tuple[dict[str, str], str] | None:
    if not raw.startswith("---"):
        return None
    m = re.match(r"^---[ \t]*\n(.*?)\n---[ \t]*(?:\n|$)", raw, re.S)
    if not m:
        return None
    fields = {}
    for line in m.group(1).split("\n"):
        km = re.match(r"^([A-Za-z][\w -]*):\s*(.*)$", line)
        if km:
            fields[km.group(1).strip()] = km.group(2).strip().strip("'\"")
    return fields, raw[m.end():]


def _bbc_title(text: str) -> tuple[str, str]:
    """A short first line followed by a blank line, in a multi-paragraph file, is the headline."""
    m = re.match(r"^[ \t]*([^\n]{1,150})\n[ \t]*\n(.*)$", text, re.S)
    if not m:
        return "", text
    first, body = m.group(1).strip(), m.group(2)
    looks_like_headline = (len(first.split()) <= 20 and not re.search(r"[.!?][\"'”’]?$", first)
                           and body.strip())
    return (first, body) if looks_like_headline else ("", text)


def parse_article_text(raw: str, where: str = "<text>") -> Document:
    """Split an article file's text into metadata and body; raises LoadError when there is no body."""
    raw = clean_text(raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    stripped = raw.lstrip("\n")
    parsed = _split_front_matter(stripped) or _split_header(stripped)
    fields, body = parsed if parsed else ({}, stripped)
    meta: dict[str, str] = {}
    known: dict[str, str] = {}
    for key, value in fields.items():
        target = _KNOWN.get(key.lower())
        if target:
            known[target] = value
        else:
            meta[key] = value
    title = known.get("title", "")
    if not parsed:
        title, body = _bbc_title(body)
    body = body.strip()
    if not body:
        raise LoadError(where, "no article text (empty body); add the text after the header's blank line")
    published = normalise_date(known["published"]) if known.get("published") else None
    url = known.get("url") or None
    article = Article(id=Article.make_id(url, body), title=title, url=url, published=published,
                      source=known.get("source") or None, metadata=meta)
    return Document(article=article, text=body, path=None if where == "<text>" else where)


def _refuse_binary(text: str, where: str, encoding: str) -> str:
    """``text``, or LoadError when over :data:`MAX_CONTROL_SHARE` (and 8) of its first 64K characters are
    control characters or undecodable: random or binary bytes decode "successfully" as cp1252."""
    head = text[:65536]
    if len(_NOT_TEXT.findall(head)) > max(8, MAX_CONTROL_SHARE * len(head)):
        raise LoadError(where, f"binary file (control characters; not {encoding} text), not a text article")
    return text


def decode_bytes(data: bytes, where: str) -> str:
    """UTF-8 (with or without BOM; damaged UTF-8 with U+FFFD for its bad bytes), UTF-16 with BOM,
    else cp1252; LoadError for binary content (a known magic number, NUL bytes in the first KiB,
    or too many control characters)."""
    if any(data.startswith(m) for m in _MAGIC):
        raise LoadError(where, "binary file (PDF/image/archive), not a text article")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return _refuse_binary(data.decode("utf-16"), where, "UTF-16")
        except UnicodeDecodeError as exc:
            raise LoadError(where, f"invalid UTF-16 text ({exc.reason})") from None
    if b"\x00" in data[:1024]:
        raise LoadError(where, "binary file (NUL bytes), not a text article")
    try:
        return _refuse_binary(data.decode("utf-8-sig"), where, "UTF-8")
    except UnicodeDecodeError:
        pass
    # Invalid UTF-8: a damaged UTF-8 file (its other non-ASCII characters decode as UTF-8: keep
    # them, the bad bytes become U+FFFD) or a legacy Windows-1252 one (nothing decodes as UTF-8).
    damaged = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if any(ord(c) > 127 and c != "\ufffd" for c in damaged):
        return _refuse_binary(damaged, where, "UTF-8")
    return _refuse_binary(data.decode("cp1252", errors="replace"), where, "UTF-8 or Windows-1252")


def read_capped(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a file, or LoadError (naming the file) when it is unreadable or over the cap.

    Never reads more than ``max_bytes + 1``: the size on disk is checked first, but a file that
    grows meanwhile, or one whose size the system does not report (a pipe, /proc), is capped too.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if size <= max_bytes:
            with p.open("rb") as fh:
                data = fh.read(max_bytes + 1)
            if len(data) <= max_bytes:
                return data
            size = len(data)
        shown = f"{size:,} bytes" if size > max_bytes + 1 else "still growing"
        raise LoadError(str(p), f"file is {shown}, over the {max_bytes:,}-byte cap; split it or raise the cap")
    except OSError as exc:
        raise LoadError(str(p), f"cannot read file ({exc.strerror or exc})") from None


def read_text_file(path: str | Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read one ``.txt``/``.md`` article; raises LoadError (naming the file) for unreadable input."""
    where = str(path)
    text = decode_bytes(read_capped(path, max_bytes), where)
    if not text.strip():
        raise LoadError(where, "empty file (only whitespace)")
    return parse_article_text(text, where)
