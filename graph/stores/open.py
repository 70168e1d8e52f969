"""Where the graph lives (:class:`Settings`, read from the environment) and :func:`open_store`.

The one place that knows both backends: a store module imports neither this one nor the other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from geokg import data
from geokg.graph.errors import GeoKGError, StoreError
from geokg.graph.event_clusters import EVENT_WINDOW_DAYS, window_from_env
from geokg.graph.secrets import redact_uri
from geokg.graph.stores.protocol import Store

__all__ = ["Settings", "open_store", "default_db_path", "describe"]


def default_db_path() -> str:
    """The embedded store's file when ``GEOKG_DB`` is unset.

    In a checkout (an editable install, ``make run``) it is ``data/geokg.lbdb`` beside the data
    files, as it always was; an installed wheel has no writable ``data/``, so there it lives in the
    user's data directory (``~/.local/share/geokg`` on Linux).
    """
    here = Path(str(data.files()))
    if (here.parent / "pyproject.toml").is_file() and (here / "countries.tsv").is_file():
        return str(here / "geokg.lbdb")
    return str(Path(platformdirs.user_data_dir("geokg", appauthor=False)) / "geokg.lbdb")


@dataclass(frozen=True)
class Settings:
    """Where the graph lives. Read from the environment by :meth:`from_env`; the password is
    kept out of ``repr`` so it never reaches a log or a traceback."""

    backend: str = "embedded"
    db_path: str = field(default_factory=default_db_path)
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str | None = None
    #: Days either side of an event's date within which reports of one happening become one
    #: :Event (``GEOKG_EVENT_WINDOW_DAYS``; None = ``off``: an event per report).
    event_window_days: int | None = EVENT_WINDOW_DAYS

    def __repr__(self) -> str:
        return (f"Settings(backend={self.backend!r}, db_path={self.db_path!r}, "
                f"neo4j_uri={self.neo4j_uri!r}, neo4j_user={self.neo4j_user!r}, password=***)")

    @classmethod
    def from_env(cls, backend: str | None = None, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        uri = env.get("NEO4J_URI") or None
        chosen = backend or env.get("GEOKG_BACKEND") or ("neo4j" if uri else "embedded")
        if chosen not in ("embedded", "neo4j"):
            raise GeoKGError(f"unknown backend {chosen!r}: use --backend embedded or --backend neo4j")
        try:
            window = window_from_env(env)
        except ValueError as e:
            raise GeoKGError(str(e)) from None
        return cls(backend=chosen, db_path=env.get("GEOKG_DB") or default_db_path(), neo4j_uri=uri,
                   neo4j_user=env.get("NEO4J_USERNAME") or "neo4j",
                   neo4j_password=env.get("NEO4J_PASSWORD"), neo4j_database=env.get("NEO4J_DATABASE") or None,
                   event_window_days=window)


def describe(settings: Settings) -> str:
    """Which store ``settings`` open, for a user to read: ``embedded /abs/path/geokg.lbdb`` or
    ``neo4j bolt://host:port`` (plus ``database NAME`` when one is chosen). Never the password: the
    address goes through :func:`redact_uri`, in case a user put credentials inside it."""
    if settings.backend == "neo4j":
        where = redact_uri(settings.neo4j_uri or "(NEO4J_URI unset)")
        return f"neo4j {where}" + (f" database {settings.neo4j_database}" if settings.neo4j_database else "")
    return f"embedded {Path(settings.db_path).resolve()}"


def open_store(settings: Settings | None = None, read_only: bool = False) -> Store:
    """Open the store the settings name. Raises StoreUnavailable/StoreBusy with a one-line reason."""
    s = settings or Settings.from_env()
    if s.backend == "neo4j":
        if not s.neo4j_uri:
            raise StoreError("the neo4j backend needs NEO4J_URI (e.g. bolt://localhost:7687)")
        from geokg.graph.stores.neo4j_store import Neo4jStore
        store: Store = Neo4jStore(s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.neo4j_database)
    else:
        from geokg.graph.stores.embedded import EmbeddedStore
        if not read_only:
            Path(s.db_path).parent.mkdir(parents=True, exist_ok=True)  # the user's data directory on first use
        store = EmbeddedStore(s.db_path, read_only=read_only)
    store.event_window = s.event_window_days
    return store
