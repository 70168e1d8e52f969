"""Paths -> documents: walk files and folders and pick the reader for each file type.

Readers raise :class:`~graph.errors.LoadError` for an unreadable item; this module turns that
into a value in the stream, so one bad file never stops a batch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

from graph.errors import LoadError
from graph.model import Document

__all__ = ["iter_documents", "READERS"]


def _text(path: Path) -> Iterator[Document]:
    from loaders.text import read_text_file
    yield read_text_file(path)


#: File suffix -> reader yielding documents. Files of other types in a folder are ignored;
#: named explicitly, they are reported.
READERS: dict[str, Callable[[Path], Iterator[Document]]] = {
    ".txt": _text, ".text": _text, ".md": _text, ".markdown": _text,
}


def _files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, bool]]:
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in READERS and not f.name.startswith("."):
                    yield f, False
        else:
            yield p, True


def iter_documents(paths: Iterable[str | Path]) -> Iterator[Document | LoadError]:
    """Every document under ``paths`` (files and folders, recursively), or a LoadError per bad item."""
    for path, explicit in _files(paths):
        if not path.exists():
            yield LoadError(str(path), "no such file or folder")
            continue
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            yield LoadError(str(path), f"unsupported file type {path.suffix or '(none)'!r}; "
                                       f"supported: {', '.join(sorted(READERS))}")
            continue
        try:
            yield from reader(path)
        except LoadError as e:
            yield e
        except (OSError, UnicodeError, ValueError) as e:
            yield LoadError(str(path), str(e).splitlines()[0] if str(e) else type(e).__name__)
