"""Paths in, fragments out: the one read -> extract loop every caller shares.

``geokg ingest``, ``geokg extract``, ``geokg eval``, the Ingest page and the benchmarks read
the same way: one walk over files and folders (:func:`find_sources`: event data told apart from
articles by content), event records turned into fragments directly
(:func:`geokg.loaders.records.sniffing.iter_records`), articles read and cleaned once by their
reader (:func:`geokg.loaders.sources.iter_documents`), checked once and extracted
(:meth:`geokg.loaders.extraction.extractor.Extractor.extract_many`). An item that cannot be read
or extracted becomes a :class:`~geokg.graph.errors.LoadError` handed to ``on_problem`` and the
batch goes on; what was read is counted in :class:`ReadCounts`.

Everything streams: fragments come out while later files are still unread, so a caller that
writes as it reads (:func:`geokg.graph.stores.writer.write_fragments`) holds a batch or two in
memory, not the corpus. The English model is loaded only when there are articles to extract.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from geokg.graph.errors import LoadError
from geokg.graph.model import Document, Fragment

if TYPE_CHECKING:
    from geokg.loaders.extraction.extractor import Extractor

__all__ = ["Sources", "ReadCounts", "find_sources", "read_fragments"]


@dataclass(frozen=True)
class Sources:
    """What one walk found: event-data files (with their format), article files, and documents
    a caller already holds (an article pasted into the Ingest page, read after the files)."""

    records: tuple[tuple[Path, str], ...] = ()
    articles: tuple[Path, ...] = ()
    documents: tuple[Document, ...] = ()

    def only_records(self) -> Sources:
        return Sources(records=self.records)

    def only_articles(self) -> Sources:
        return replace(self, records=())

    def __bool__(self) -> bool:
        return bool(self.records or self.articles or self.documents)


@dataclass
class ReadCounts:
    """What a read took in: articles extracted, event records turned into fragments, and the
    items skipped, each with the one line saying which and why."""

    articles: int = 0
    records: int = 0
    problems: list[LoadError] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.problems)


def find_sources(paths: Iterable[str | Path], fmt: str | None = None,
                 documents: Iterable[Document] = ()) -> Sources:
    """The one walk: files named and under folders (recursively), event data (GDELT/ACLED, by
    content, or every file when ``fmt`` forces one) apart from articles."""
    from geokg.loaders.sources import split_records

    records, articles = split_records(paths, fmt)
    return Sources(tuple(records), tuple(articles), tuple(documents))


def read_fragments(sources: Sources, extractor: Extractor | Callable[[], Extractor] | None = None,
                   counts: ReadCounts | None = None, on_problem: Callable[[LoadError], None] | None = None,
                   n_process: int = 1, batch_size: int = 16) -> Iterator[Fragment]:
    """Every fragment of ``sources``, read lazily: the event records first, then the articles
    extracted in order (``batch_size`` texts per ``nlp.pipe`` batch, over ``n_process``
    processes). ``extractor``: an :class:`Extractor`, or a function making one (called only
    when there are articles; default: a new one). Bad items go to ``on_problem`` and into
    ``counts.problems``; nothing bad is raised."""
    counts = counts if counts is not None else ReadCounts()

    def report(problem: LoadError) -> None:
        counts.problems.append(problem)
        if on_problem is not None:
            on_problem(problem)

    if sources.records:
        from geokg.loaders.records.sniffing import iter_records

        for path, kind in sources.records:
            for item in iter_records(path, kind):
                if isinstance(item, LoadError):
                    report(item)
                else:
                    counts.records += 1
                    yield item
    if sources.articles or sources.documents:
        ex = _extractor(extractor)
        for fragment in ex.extract_many(_documents(sources, report), batch_size=batch_size,
                                        n_process=n_process, on_problem=report):
            counts.articles += 1
            yield fragment


def _documents(sources: Sources, report: Callable[[LoadError], None]) -> Iterator[Document]:
    from geokg.loaders.sources import iter_documents

    for item in iter_documents(sources.articles):
        if isinstance(item, LoadError):
            report(item)
        else:
            yield item
    yield from sources.documents


def _extractor(given: Extractor | Callable[[], Extractor] | None) -> Extractor:
    from geokg.loaders.extraction.extractor import Extractor

    if isinstance(given, Extractor):
        return given
    return given() if given is not None else Extractor()
