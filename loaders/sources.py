"""Paths -> documents: walk files and folders and pick the reader for each file type.

Text/Markdown (``geokg.loaders.formats.text``), HTML pages (``geokg.loaders.formats.html``), RSS/Atom feeds
(``geokg.loaders.formats.feeds``; a ``.xml`` file only when its root is a feed) and JSON Lines/CSV article
dumps (``geokg.loaders.formats.dumps``; a ``.csv`` only when its header has a text column, else it is event
data). Folders are walked recursively; hidden files and folders are skipped, and so are a data
set's housekeeping files (README, LICENSE, CHANGELOG, COPYING, …: :func:`housekeeping_reason`),
which are prose about the folder, not news; named explicitly, such a file is read like any other.
:func:`intake` says which files a walk took as what, in one line.

Readers raise :class:`~geokg.graph.errors.LoadError` for an unreadable file and yield one for a bad
feed entry or dump row; this module turns both into values in the stream, so one bad item
never stops a batch. Every document leaves here cleaned of control characters
(:func:`geokg.loaders.formats.text.clean_document`), whichever reader made it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geokg.graph.errors import LoadError
from geokg.graph.model import Document
from geokg.loaders.formats.text import clean_document

__all__ = ["iter_documents", "iter_files", "split_records", "housekeeping_reason", "intake", "Intake", "READERS",
           "RECORD_SUFFIXES"]


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


#: File names a data set ships beside its articles (``README.TXT`` of the BBC corpus,
#: ``LICENSE.md``, ``CHANGELOG``, ``COPYING``): the name up to its first ``.`` is one of these
#: words, or README/LICENSE with a language tag (``README-es``). A slug that only starts with one
#: (``licence-fee-row.html``) is an article.
_HOUSEKEEPING = re.compile(r"(readme|read_me|licen[cs]e|copying|changelog|changes|authors|contributors|notice"
                           r"|citation)|(readme|licen[cs]e)[-_][a-z]{2}([-_][a-z]{2})?", re.I)
HOUSEKEEPING_REASON = "not an article: readme/licence file"


def housekeeping_reason(path: Path) -> str | None:
    """Why a file found while walking a folder is not taken as an article, or None."""
    return HOUSEKEEPING_REASON if _HOUSEKEEPING.fullmatch(path.name.split(".", 1)[0]) else None


def _walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """Every visible file under ``folder`` with the reason it is left out (None: taken)."""
    for f in sorted(folder.rglob("*")):
        if not f.is_file() or any(part.startswith(".") for part in f.relative_to(folder).parts):
            continue
        suffix = f.suffix.lower()
        if suffix not in READERS and suffix not in RECORD_SUFFIXES:
            yield f, f"not a known file type ({suffix or 'no suffix'})"
        else:
            yield f, housekeeping_reason(f)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and under folders (recursively) those of a known type that are not
    hidden or housekeeping files."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from (f for f, reason in _walk(p) if reason is None)
        else:
            yield p


_KIND = {".txt": "text", ".text": "text", ".md": "text", ".markdown": "text", ".html": "html", ".htm": "html",
         ".xml": "feed", ".rss": "feed", ".atom": "feed", ".jsonl": "dump", ".ndjson": "dump", ".csv": "dump"}
_RECORDS_SHOWN = {"gdelt": "GDELT", "acled": "ACLED"}


@dataclass
class Intake:
    """Which files a walk takes as what: article files by reader, event-data files by format,
    and the files of the folders left out with the reason."""

    articles: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    def line(self, shown: int = 5) -> str:
        """``taken: 12 article files (text 8, html 4), 1 GDELT file; skipped: README.TXT (not an
        article: readme/licence file)``; at most ``shown`` skipped files named."""
        n = sum(self.articles.values())
        taken = [f"{n} article file{'s' * (n != 1)} ({', '.join(f'{k} {v}' for k, v in sorted(self.articles.items()))})"
                 ] if n else []
        taken += [f"{v} {_RECORDS_SHOWN.get(k, k)} file{'s' * (v != 1)}" for k, v in sorted(self.records.items())]
        out = "taken: " + (", ".join(taken) or "nothing")
        if self.skipped:
            named = [f"{p.name} ({why})" for p, why in self.skipped[:shown]]
            more = len(self.skipped) - shown
            out += "; skipped: " + ", ".join(named) + (f" and {more} more" if more > 0 else "")
        return out


def intake(paths: Iterable[str | Path], fmt: str | None = None) -> Intake:
    """What an ingest of ``paths`` will take (see :class:`Intake`), without reading any article."""
    given = [Path(p) for p in paths]
    out = Intake()
    records, articles = split_records(given, fmt)
    for _, kind in records:
        out.records[kind] += 1
    for path in articles:
        out.articles[_KIND.get(path.suffix.lower(), path.suffix.lower() or "no suffix")] += 1
    for p in given:
        if p.is_dir():
            out.skipped += [(f, why) for f, why in _walk(p) if why is not None]
    return out


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
