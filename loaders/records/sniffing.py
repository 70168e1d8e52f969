"""Structured event files (GDELT, ACLED): tell the format by content and stream the records.

The CLI's ``geokg ingest`` calls these two functions; file names say little (GDELT exports end
in ``.CSV`` like ACLED's), so the format is read from the first line: GDELT is header-less and
tab-separated with 57, 58 or 61 fields, a numeric GLOBALEVENTID and a YYYYMMDD date; an ACLED
export has a comma-separated header naming ``event_id_cnty``.

>>> sniff_format("notes.txt") is None
True
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from geokg.graph.errors import LoadError
from geokg.graph.model import Fragment
from geokg.loaders.limits import stop_after_bad_run

__all__ = ["FORMATS", "sniff_format", "iter_records"]

FORMATS = ("gdelt", "acled")
_SNIFF_BYTES = 1 << 16
_GDELT_FIELDS = (57, 58, 61)


def _first_line(path: Path) -> str:
    """The first line (at most 64 KiB) of a file, or of the first member of a zip archive."""
    with path.open("rb") as fh:
        if zipfile.is_zipfile(fh):
            with zipfile.ZipFile(fh) as zf:
                members = [m for m in zf.infolist() if not m.is_dir()]
                if not members:
                    return ""
                with zf.open(members[0]) as raw:
                    head = raw.read(_SNIFF_BYTES)
        else:
            fh.seek(0)
            head = fh.read(_SNIFF_BYTES)
    text = io.TextIOWrapper(io.BytesIO(head), encoding="utf-8", errors="replace", newline="").readline()
    return text.lstrip("\ufeff").rstrip("\r\n")


def sniff_format(path: str | Path) -> str | None:
    """``"gdelt"``, ``"acled"`` or None, from the file's first line (zip archives are looked into)."""
    try:
        line = _first_line(Path(path))
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return None  # unreadable or a damaged/encrypted archive: not recognised; the reader reports why
    fields = line.split("\t")
    if len(fields) in _GDELT_FIELDS and fields[0].strip().isdigit() and re.fullmatch(r"\d{8}", fields[1].strip()):
        return "gdelt"
    if "event_id_cnty" in {h.strip().strip('"').lower() for h in line.split(",")}:
        return "acled"
    return None


def iter_records(path: str | Path, fmt: str | None = None) -> Iterator[Fragment | LoadError]:
    """Every record of a GDELT or ACLED file as a fragment, or a LoadError per bad row.

    ``fmt`` forces the format (``--format``); without it the content decides, and a file that
    is neither yields one LoadError saying how to force it. After
    :data:`~geokg.loaders.limits.MAX_BAD_RUN` bad rows in a row the file is given up on.
    """
    path = Path(path)
    if not path.is_file():
        yield LoadError(str(path), "no such file")
        return
    chosen = fmt or sniff_format(path)
    if chosen == "gdelt":
        from geokg.loaders.records.gdelt import read_gdelt
        yield from stop_after_bad_run(read_gdelt(path), str(path), "a GDELT Events file")
    elif chosen == "acled":
        from geokg.loaders.records.acled import read_acled
        yield from stop_after_bad_run(read_acled(path), str(path), "an ACLED export")
    elif fmt:
        yield LoadError(str(path), f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    else:
        yield LoadError(str(path), "neither a GDELT Events file (tab-separated, 57/58/61 fields) nor an "
                                   "ACLED export (CSV header with event_id_cnty); use --format gdelt|acled")
