"""GeoKG's data files (gazetteers, trigger lexicons, CAMEO and record code tables, sample briefs).

The one place that reads them: everything goes through :func:`open_text` / :func:`path`, which use
:mod:`importlib.resources`, so the tables are found the same way in a checkout, in an editable
install and in an installed wheel (where ``data/`` is the package ``geokg.data``).

>>> open_text("countries.tsv").readline().startswith("#")
True
"""

from __future__ import annotations

import io
from contextlib import AbstractContextManager
from importlib import resources
from importlib.abc import Traversable
from typing import TextIO

__all__ = ["files", "open_text", "path", "samples"]


def files() -> Traversable:
    """The root of the data files."""
    return resources.files(__name__)


def open_text(name: str) -> TextIO:
    """Open ``data/NAME`` for reading as UTF-8 text (newline='' so csv sees the rows as written)."""
    # as bytes, then text: Traversable.open passes newline= on, but its declared signature omits it
    return io.TextIOWrapper(files().joinpath(name).open("rb"), encoding="utf-8", newline="")


def path(name: str) -> AbstractContextManager:
    """A context manager giving a real file-system path to ``data/NAME`` (for readers that need one)."""
    return resources.as_file(files().joinpath(name))


def samples() -> Traversable:
    """The folder of sample briefs ``make run`` loads."""
    return files().joinpath("samples")
