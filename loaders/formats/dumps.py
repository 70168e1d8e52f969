"""JSON Lines and CSV dumps of articles -> one document per line/row, streamed.

Columns (CSV) and keys (JSONL) are matched case-insensitively against :data:`DEFAULT_FIELDS`;
pass ``fields={"text": "story", "published": "dt"}`` to name other ones (keys: ``title``,
``text``, ``published`` (or ``date``), ``url``, ``source``). Columns that are none of these
and hold short scalar values are kept in ``Article.metadata``. A NewsAPI-style
``"source": {"name": ...}`` object gives its name.

A bad line or row (broken JSON, invalid encoding, no text, a value of the wrong type, a line
over the size cap) is a LoadError ``file:line: reason`` in the stream and the rest loads.
Files are read line by line, never whole, so memory does not grow with the file; one line
(or CSV record) is capped at :data:`~geokg.loaders.formats.text.MAX_BYTES`.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
>>> _ = p.write_text('{"Title": "Talks", "body": "Xi met Lukashenko.", "pubDate": "1 March 2023"}\\n{oops\\n')
>>> [str(x) if isinstance(x, Exception) else (x.article.title, x.article.published, x.text)
...  for x in read_dump(p)]  # doctest: +ELLIPSIS
[('Talks', '2023-03-01', 'Xi met Lukashenko.'), '...a.jsonl:2: broken JSON (...)']
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Generator, Iterable, Iterator, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from geokg.graph.errors import LoadError
from geokg.graph.model import Article, Document
from geokg.loaders.formats.text import MAX_BYTES, decode_bytes, normalise_date
from geokg.loaders.limits import bounded_lines

__all__ = ["DEFAULT_FIELDS", "read_dump", "read_jsonl", "read_csv", "is_article_dump"]

#: Article field -> column/key names that fill it (lower case, first present wins).
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article", "articlebody", "article_body", "maintext"),
    "published": ("date", "published", "pubdate", "published_at", "publish_date", "publishedat",
                  "datetime", "timestamp"),
    "url": ("url", "link", "permalink"),
    "source": ("source", "publisher", "outlet", "site", "sitename", "source_name"),
}
_ALIASES = {"date": "published"}
_MAX_META = 200  # longer extra values are not kept in metadata
_CSV_DELIMITERS = (",", "\t", ";", "|")


class _RowError(Exception):
    """A reason for one line/row; the reader adds the file and line."""


def _columns(header: Iterable[str], fields: Mapping[str, str] | None) -> dict[str, str]:
    """Article field -> the actual key/column in this file (only those present)."""
    present = {h.strip().lower(): h for h in header if isinstance(h, str)}
    chosen: dict[str, str] = {}
    for name, candidates in DEFAULT_FIELDS.items():
        for c in candidates:
            if c in present:
                chosen[name] = present[c]
                break
    for name, column in (fields or {}).items():
        name = _ALIASES.get(name.lower(), name.lower())
        if name not in DEFAULT_FIELDS:
            raise ValueError(f"fields: unknown article field {name!r}; expected one of "
                             f"{', '.join(DEFAULT_FIELDS)} (or date)")
        if column.strip().lower() in present:
            chosen[name] = present[column.strip().lower()]
        else:
            chosen.pop(name, None)  # the user named a column this file lacks: do not guess
    return chosen


def _string(row: Mapping[str, Any], column: str | None, name: str) -> str | None:
    if column is None:
        return None
    value = row.get(column)
    if value is None:
        return None
    if name == "source" and isinstance(value, dict) and isinstance(value.get("name"), str):
        value = value["name"]
    if not isinstance(value, str):
        raise _RowError(f"{name} ({column!r}) must be a string, got {type(value).__name__}")
    return value.strip() or None


def _document(row: Mapping[str, Any], cols: Mapping[str, str], where: str) -> Document:
    text = _string(row, cols.get("text"), "text")
    if not text:
        wanted = cols.get("text") or "/".join(DEFAULT_FIELDS["text"][:3])
        raise _RowError(f"no text (column {wanted!r} is missing or empty)")
    url = _string(row, cols.get("url"), "url")
    date_raw = _string(row, cols.get("published"), "published")
    used = set(cols.values())
    meta = {str(k): str(v) for k, v in row.items()
            if k not in used and isinstance(k, str) and k
            and isinstance(v, (str, int, float, bool)) and str(v).strip() and len(str(v)) <= _MAX_META}
    article = Article(id=Article.make_id(url, text), title=_string(row, cols.get("title"), "title") or "",
                      url=url, published=normalise_date(date_raw) if date_raw else None,
                      source=_string(row, cols.get("source"), "source"), metadata=meta)
    return Document(article=article, text=text, path=where)


def _raw_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per physical line; bytes is None for a line over the cap, which is
    skipped in chunks so it never sits in memory whole."""
    with path.open("rb") as fh:
        yield from enumerate(bounded_lines(fh, max_bytes), start=1)


def _lines(path: Path, max_bytes: int) -> Generator[tuple[int, str | LoadError], None, None]:
    """(line number, decoded line or LoadError): encoding per line as for text files
    (UTF-8, else cp1252); UTF-16 files (with BOM) are decoded as a stream."""
    where = str(path)
    with path.open("rb") as fh:
        head = fh.read(1024)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        with path.open("r", encoding="utf-16", newline="") as tf:
            for n, line in enumerate(iter(lambda: tf.readline(max_bytes + 1), ""), start=1):
                yield n, (line if len(line) <= max_bytes else LoadError(f"{where}:{n}", "line over the size cap"))
        return
    decode_bytes(head, where)  # LoadError for a binary file (PDF, image, archive, NUL bytes)
    for n, raw in _raw_lines(path, max_bytes):
        if raw is None:
            yield n, LoadError(f"{where}:{n}", f"line over the {max_bytes:,}-byte cap")
            continue
        try:
            text = decode_bytes(raw, f"{where}:{n}")
        except LoadError as e:
            yield n, e
            continue
        yield n, text.lstrip("\ufeff") if n == 1 else text


def read_jsonl(path: str | Path, fields: Mapping[str, str] | None = None,
               max_bytes: int = MAX_BYTES) -> Iterator[Document | LoadError]:
    """One document per JSON object line; blank lines are skipped."""
    path = Path(path)
    for n, line in _lines(path, max_bytes):
        where = f"{path}:{n}"
        if isinstance(line, LoadError):
            yield line
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as e:
            yield LoadError(where, f"broken JSON ({e.msg.removesuffix(' at')} at column {e.colno})")
            continue
        except RecursionError:
            yield LoadError(where, "broken JSON (nested too deeply)")
            continue
        if not isinstance(row, dict):
            yield LoadError(where, f"expected a JSON object, got {type(row).__name__}")
            continue
        try:
            yield _document(row, _columns(row, fields), where)
        except _RowError as e:
            yield LoadError(where, str(e))


def _split(line: str, delimiter: str) -> list[str]:
    """One CSV line's fields; [] when the csv module cannot split it (a bare CR inside an
    unquoted field raises csv.Error, which is no reason to stop a batch)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _delimiter(header: str) -> str:
    """The delimiter that splits the header line into the most columns (comma on a tie)."""
    return max(_CSV_DELIMITERS, key=lambda d: len(_split(header, d)))


def read_csv(path: str | Path, fields: Mapping[str, str] | None = None,
             max_bytes: int = MAX_BYTES) -> Iterator[Document | LoadError]:
    """One document per CSV row under a header line (comma, tab, semicolon or pipe separated).

    Sets ``csv.field_size_limit`` to at least ``max_bytes`` (process-wide), so a long article
    in one cell reads.
    """
    path = Path(path)
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    errors: list[LoadError] = []  # lines that could not be read, reported before the next row
    first_line: list[int] = []  # the current record's first physical line (kept at one entry)

    def text_lines() -> Iterator[str]:
        for n, line in _lines(path, max_bytes):
            if isinstance(line, LoadError):
                errors.append(line)
                continue
            if not first_line:
                first_line.append(n)
            yield line

    lines = text_lines()
    first = next(lines, None)
    yield from errors
    errors.clear()
    if first is None:
        raise LoadError(str(path), "empty file (no header line)")
    delimiter = _delimiter(first)
    header = _split(first, delimiter)
    cols = _columns(header, fields)
    if "text" not in cols:
        raise LoadError(str(path), f"no text column in the header (expected one of "
                                   f"{', '.join(DEFAULT_FIELDS['text'][:3])}, or pass fields={{'text': ...}})")
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        first_line.clear()
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            yield from errors
            errors.clear()
            yield LoadError(f"{path}:{first_line[0] if first_line else '?'}", f"bad CSV ({e})")
            continue
        yield from errors
        errors.clear()
        where = f"{path}:{first_line[0]}"
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):  # a shifted row would put another column's value in "text"
            yield LoadError(where, f"{len(values)} fields but the header has {len(header)}")
            continue
        row = dict(zip(header, values))
        try:
            yield _document(row, cols, where)
        except _RowError as e:
            yield LoadError(where, str(e))
    yield from errors


def is_article_dump(path: str | Path, fields: Mapping[str, str] | None = None) -> bool:
    """True when the first line of a CSV file is a header with a text/body/content column."""
    try:
        with closing(_lines(Path(path), 1 << 16)) as lines:
            first = next(lines, (0, ""))[1]
    except (OSError, LoadError):
        return False
    if isinstance(first, LoadError):
        return False
    first = first.rstrip("\r\n")
    header = _split(first, _delimiter(first))
    try:
        return "text" in _columns(header, fields)
    except ValueError:
        return False


def read_dump(path: str | Path, fields: Mapping[str, str] | None = None,
              max_bytes: int = MAX_BYTES) -> Iterator[Document | LoadError]:
    """``.jsonl``/``.ndjson`` -> :func:`read_jsonl`, anything else -> :func:`read_csv`."""
    path = Path(path)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return read_jsonl(path, fields, max_bytes)
    return read_csv(path, fields, max_bytes)
