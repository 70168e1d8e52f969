"""The ceilings every streaming reader shares: bytes per line, size of an archive, bad rows in a row.

Why a module of its own: Python's line iteration reads until the next newline, so a 200 MB file
without one (or a zip bomb of one repeated byte) becomes one 200 MB (or 1 GB) string; a zip
member's declared size can be a thousand times its compressed size; and a file that is not what
its name says yields one "bad row" per line, millions of report lines. The JSONL/CSV dump, GDELT
and ACLED readers all go through here, so memory stays bounded by these numbers, not by the input.

>>> import io
>>> list(bounded_lines(io.BytesIO(b"ok\\n" + b"x" * 50 + b"\\nfine"), 10))
[b'ok\\n', None, b'fine']
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

from geokg.graph.errors import LoadError

__all__ = ["MAX_LINE_BYTES", "MAX_UNZIPPED_BYTES", "MAX_ZIP_RATIO", "MAX_BAD_RUN",
           "bounded_lines", "check_archive", "stop_after_bad_run"]

#: One GDELT/ACLED row: real rows are under 4 KB; 64 KiB leaves room for long notes and URLs.
MAX_LINE_BYTES = 1 << 16
#: What all members of one archive may unpack to (a GDELT 1.0 yearly file is well under this).
MAX_UNZIPPED_BYTES = 4 << 30
#: Unpacked/packed size above which a member is refused: CSV/TSV packs about 6:1, a bomb 1000:1.
MAX_ZIP_RATIO = 100
#: Bad rows in a row after which a file is given up on: a damaged file has a few, a wrong one only bad.
MAX_BAD_RUN = 100

_CHUNK = 1 << 20
T = TypeVar("T")


def bounded_lines(fh: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """Each physical line (newline kept), or None for a line over ``max_bytes``, which is read
    past in 1 MiB chunks and never held whole. Works on files and on zip members alike."""
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = fh.readline(_CHUNK)
            yield None
            continue
        yield line


def check_archive(zf: zipfile.ZipFile, where: str, max_bytes: int = MAX_UNZIPPED_BYTES,
                  max_ratio: int = MAX_ZIP_RATIO) -> None:
    """LoadError when an archive would unpack to more than ``max_bytes`` or any member packs
    more than ``max_ratio``:1 (a zip bomb). The declared sizes are binding: ``zipfile`` never
    returns more bytes for a member than its header declares, so checking them is enough."""
    total = 0
    for m in zf.infolist():
        total += m.file_size
        if m.file_size > _CHUNK and m.file_size > max_ratio * max(m.compress_size, 1):
            raise LoadError(f"{where}!{m.filename}", f"unpacks to {m.file_size:,} bytes from {m.compress_size:,} "
                                                     f"(over {max_ratio}:1): refused as a possible zip bomb")
    if total > max_bytes:
        raise LoadError(where, f"archive unpacks to {total:,} bytes, over the {max_bytes:,}-byte cap; "
                               "unpack and split it first")


def stop_after_bad_run(items: Iterable[T | LoadError], where: str, what: str,
                       limit: int = MAX_BAD_RUN) -> Iterator[T | LoadError]:
    """The items, but after ``limit`` LoadErrors in a row one last LoadError saying the file was
    given up on (``what`` names the expected format), so a wrong file costs ~``limit`` lines, not millions."""
    run = 0
    for item in items:
        run = run + 1 if isinstance(item, LoadError) else 0
        yield item
        if run >= limit:
            close = getattr(items, "close", None)
            if close is not None:
                close()
            yield LoadError(where, f"stopped after {limit} bad rows in a row; is it really {what}?")
            return
