"""Paths -> documents: walk files and folders and pick the reader for each file type.

Text/Markdown (``geokg.loaders.formats.text``), HTML pages (``geokg.loaders.formats.html``), RSS/Atom feeds
(``geokg.loaders.formats.feeds``; a ``.xml`` file only when its root is a feed) and JSON Lines/CSV article
dumps (``geokg.loaders.formats.dumps``; a ``.csv`` only when its header has a text column, else it is event
data). Folders are walked recursively; hidden files and folders are skipped.

Readers raise :class:`~geokg.graph.errors.LoadError` for an unreadable file and yield one for a bad
feed entry or dump row; this module turns both into values in the stream, so one bad item
never stops a batch. Every document leaves here cleaned of control characters
(:func:`geokg.loaders.formats.text.clean_document`), whichever reader made it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from geokg.graph.errors import LoadError
from geokg.graph.model import Document
from geokg.loaders.formats.text import clean_document

__all__ = ["iter_documents", "iter_files", "split_records", "READERS", "RECORD_SUFFIXES"]


def _text(path: Path) -> Iterator[Document]:
    from geokg.loaders.formats.text import read_text_file
    yield read_text_file(path)


def _html(path: Path) -> Iterator[Document]:
    from geokg.loaders.formats.html import read_html_file
    yield read_html_file(path)


def _feed(path: Path) -> Iterator[Document | LoadError]:
    from geokg.loaders.formats.feeds import looks_like_feed, read_feed_file
    if path.suffix.lower() == ".xml" and not looks_like_feed(path):
        raise LoadError(str(path), "XML but not an RSS or Atom feed (root element is not rss, feed or rdf:RDF)")
    yield from read_feed_file(path)


def _dump(path: Path) -> Iterator[Document | LoadError]:
    from geokg.loaders.formats.dumps import is_article_dump, read_dump
    from geokg.loaders.limits import stop_after_bad_run
    if path.suffix.lower() == ".csv" and path.stat().st_size and not is_article_dump(path):
        raise LoadError(str(path), "no text/body/content column, so not an article dump; it looks like "
                                   "event data: use geokg ingest --format gdelt|acled")
    yield from stop_after_bad_run(read_dump(path), str(path), "a JSON Lines or CSV article dump")


#: File suffix -> reader yielding documents (or a LoadError per bad entry/row). Files of other
#: types in a folder are ignored; named explicitly, they are reported.
READERS: dict[str, Callable[[Path], Iterator[Document | LoadError]]] = {
    ".txt": _text, ".text": _text, ".md": _text, ".markdown": _text,
    ".html": _html, ".htm": _html,
    ".xml": _feed, ".rss": _feed, ".atom": _feed,
    ".jsonl": _dump, ".ndjson": _dump, ".csv": _dump,
}


#: Suffixes that only event-data files have (zipped GDELT exports, tab-separated dumps).
RECORD_SUFFIXES = (".zip", ".tsv")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and under folders (recursively) those of a known type; hidden ones skipped."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                hidden = any(part.startswith(".") for part in f.relative_to(p).parts)
                known = f.suffix.lower() in READERS or f.suffix.lower() in RECORD_SUFFIXES
                if f.is_file() and known and not hidden:
                    yield f
        else:
            yield p


def split_records(paths: Iterable[str | Path], fmt: str | None = None) -> tuple[list[tuple[Path, str]], list[Path]]:
    """Files of structured event data (GDELT/ACLED, by content or forced by ``fmt``) apart from
    article files: records become fragments directly, articles go through extraction."""
    from geokg.loaders.records.sniffing import sniff_format

    records, articles = [], []
    for path in iter_files(paths):
        kind = fmt or (sniff_format(path) if path.is_file() else None)
        if kind:
            records.append((path, kind))
        else:
            articles.append(path)
    return records, articles


def _cleaned(doc: Document, path: Path) -> Document | LoadError:
    """The document without control characters, or a LoadError when nothing else was in its text."""
    doc = clean_document(doc)
    if not doc.text.strip():
        return LoadError(doc.path or str(path), "no article text (only control characters)")
    return doc


def iter_documents(paths: Iterable[str | Path]) -> Iterator[Document | LoadError]:
    """Every document under ``paths`` (files and folders, recursively), or a LoadError per bad item."""
    for path in iter_files(paths):
        if not path.exists():
            yield LoadError(str(path), "no such file or folder")
            continue
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            yield LoadError(str(path), f"unsupported file type {path.suffix or '(none)'!r}; "
                                       f"supported: {', '.join(sorted(READERS))}")
            continue
        try:
            for item in reader(path):
                yield item if isinstance(item, LoadError) else _cleaned(item, path)
        except LoadError as e:
            yield e
        except (OSError, UnicodeError, ValueError, csv.Error) as e:  # a bad file, not a crash
            yield LoadError(str(path), str(e).splitlines()[0] if str(e) else type(e).__name__)
