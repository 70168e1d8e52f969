"""Where an uploaded file is stored: under its own base name, inside the upload folder.

A browser sends whatever name the user's machine (or a crafted request) gives the file:
``../../etc/x.txt``, ``/etc/passwd``, ``..\\win.ini``, names with NUL bytes, ``..``. None of
that may choose where the bytes land. The name is only a hint for the loader (its suffix says
text, HTML, feed or dump), so it is cut to its last path part, reduced to a safe ASCII
alphabet, stripped of leading dots, capped in length and made unique within the batch.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["upload_path", "MAX_NAME"]

#: The longest stored name, suffix included.
MAX_NAME = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def upload_path(folder: Path, name: str, taken: set[str]) -> Path:
    """The path inside ``folder`` to store an upload called ``name``; records the chosen name
    in ``taken`` so a second upload of the same name gets ``name-2.ext`` instead of
    overwriting the first. Pure apart from ``taken``: nothing is created."""
    base = _UNSAFE.sub("_", re.split(r"[\\/]", name)[-1]).lstrip(".")
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem or len(suffix) > 16:
        stem, suffix = base, ""
    suffix = f".{suffix}" if suffix else ""
    room = MAX_NAME - len(suffix) - 4  # room for "-999"
    stem = stem[:room] or "upload"
    chosen, n = f"{stem}{suffix}", 1
    while chosen in taken:
        n += 1
        chosen = f"{stem}-{n}{suffix}"
    taken.add(chosen)
    path = folder / chosen
    if path.parent != folder or chosen in (".", ".."):  # cannot happen with the alphabet above; fail closed
        raise ValueError(f"unsafe upload name {name!r}")
    return path
