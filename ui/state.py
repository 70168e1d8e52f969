"""The app's connection and settings: one cached store, the settings sidebar, a short-lived
writer for ingest/curation, and the small helpers every page shares.

The embedded store is opened *read-only* for browsing (the engine refuses writes); a page that
writes opens a read-write handle for the write only, closes it, and drops the cached reader so
it reopens and sees the new data. With Neo4j the one cached driver does both (reads run in READ
transactions, the console asks the server whether a query writes).

The Neo4j password is never put into a widget's value, a log line, a cache key or an error
message: the sidebar field starts empty (an environment/secrets password is used when it stays
empty) and the cache is keyed by a hash of it.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from geokg.graph.errors import GeoKGError, StoreBusy, StoreUnavailable
from geokg.graph.model import ORIGINS
from geokg.graph.secrets import redact_uri
from geokg.graph.stores.deadline import ReadGaveUp, time_limit
from geokg.graph.stores.open import Settings, open_store
from geokg.graph.stores.protocol import Store

__all__ = ["current_settings", "settings_sidebar", "get_store", "store", "writer", "reset_store",
           "entity_picker", "md", "safe_url", "banner"]

_WRITE_LOCK = threading.Lock()
_SECRET_KEYS = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE", "GEOKG_BACKEND", "GEOKG_DB")


def _env() -> dict[str, str]:
    """The environment, with Streamlit secrets (``.streamlit/secrets.toml``) filling gaps."""
    env = dict(os.environ)
    try:
        secrets = dict(st.secrets)
    except Exception:  # no secrets file: that is the usual case
        secrets = {}
    for k in _SECRET_KEYS:
        if k in secrets and not env.get(k):
            env[k] = str(secrets[k])
    return env


def current_settings() -> Settings:
    """Settings from the environment/secrets, overridden by what the sidebar holds."""
    base = Settings.from_env(env=_env())
    ss = st.session_state
    backend = ss.get("cfg_backend") or base.backend
    password = ss.get("cfg_neo4j_password") or base.neo4j_password
    typed_uri = ss.get("cfg_neo4j_uri")
    # the field shows the configured address redacted; left as shown, it means that address
    keep = not typed_uri or typed_uri == redact_uri(base.neo4j_uri or "")
    return Settings(backend=backend, db_path=ss.get("cfg_db_path") or base.db_path,
                    neo4j_uri=base.neo4j_uri if keep else typed_uri,
                    neo4j_user=ss.get("cfg_neo4j_user") or base.neo4j_user,
                    neo4j_password=password, neo4j_database=ss.get("cfg_neo4j_database") or base.neo4j_database)


def _cache_key(s: Settings) -> str:
    pw = hashlib.sha256((s.neo4j_password or "").encode()).hexdigest()[:16]
    return "|".join(map(str, (s.backend, s.db_path, s.neo4j_uri, s.neo4j_user, s.neo4j_database, pw)))


@st.cache_resource(show_spinner=False, max_entries=4)
def _open_cached(key: str, _settings: Settings) -> Store:
    """One store per settings (the key holds a hash of the password, never the password)."""
    return open_store(_settings, read_only=True)


def get_store() -> Store:
    """The cached store for the current settings; raises GeoKGError with a one-line reason."""
    s = current_settings()
    return _open_cached(_cache_key(s), s)


def reset_store() -> None:
    """Close and forget the cached store(s) and cached results, so the next read reopens and
    sees new data (a read-only LadybugDB handle sees the file as of its opening)."""
    s = current_settings()
    try:
        old = _open_cached(_cache_key(s), s) if s.backend == "embedded" else None
    except GeoKGError:
        old = None
    _open_cached.clear()
    st.cache_data.clear()
    if old is not None:
        try:
            old.close()
        except Exception:
            pass


def banner(error: BaseException) -> None:
    """The one-line error banner: the message names the cause and the fix, never a traceback."""
    if isinstance(error, StoreUnavailable):
        st.error(f"**The graph store is not available.** {md(str(error))} This page reconnects when you "
                 "reload it or press **Reconnect** once the store is back.", icon=":material/error:")
    elif isinstance(error, GeoKGError):
        st.error(f"**The graph store is not available.** {md(str(error))}", icon=":material/error:")
    else:
        st.error(f"Something went wrong ({type(error).__name__}). The details are in the server log.", icon=":material/error:")


def store() -> Store:
    """The store, or a banner and a stop (no traceback) when it cannot be opened or no longer
    answers. A store that fails is dropped from the cache, so a dead Neo4j driver is never kept:
    the next run (a reload, any click) connects again."""
    s = None
    try:
        s = get_store()
        s.ping()
        return s
    except GeoKGError as e:
        _open_cached.clear()
        if s is not None:  # opened once, gone now: close its connections instead of leaking them
            try:
                s.close()
            except Exception:
                pass
        banner(e)
        s = current_settings()
        if s.backend == "embedded":
            st.info("Ingest articles first: `geokg ingest data/samples`, or use the **Ingest** page.")
        st.stop()
        raise  # unreachable: st.stop() ends the run


@contextmanager
def writer() -> Iterator[Store]:
    """A store that may write. Embedded: a short-lived read-write handle, closed afterwards
    (a concurrent ``geokg ingest`` makes this raise StoreBusy with a clean message). Neo4j:
    the cached driver. Either way the cached reader is reset afterwards."""
    s = current_settings()
    if s.backend == "neo4j":
        yield get_store()
        reset_store()
        return
    from geokg.graph.stores.embedded import EmbeddedStore

    # LadybugDB's file lock stops other processes, not a second handle in this one: sessions
    # of this app take turns here.
    if not _WRITE_LOCK.acquire(timeout=30):
        raise StoreBusy("another session of this app is writing; try again in a moment")
    try:
        try:
            w = EmbeddedStore(s.db_path, read_only=False)
        except StoreBusy as e:
            raise StoreBusy(f"{e}. Try again when the other ingest has finished.") from None
        try:
            yield w
        finally:
            w.close()
            reset_store()
    finally:
        _WRITE_LOCK.release()


def settings_sidebar() -> None:
    """Backend settings in the sidebar. The password field is never pre-filled."""
    base = Settings.from_env(env=_env())
    with st.sidebar:
        st.markdown("**Backend**")
        st.radio("Store", ["embedded", "neo4j"], index=0 if base.backend == "embedded" else 1,
                 key="cfg_backend", horizontal=True, label_visibility="collapsed")
        if st.session_state.get("cfg_backend") == "neo4j":
            st.text_input("Neo4j URI", value=redact_uri(base.neo4j_uri or ""), key="cfg_neo4j_uri",
                          placeholder="bolt://localhost:7687 or neo4j+s://…")
            st.text_input("User", value=base.neo4j_user, key="cfg_neo4j_user")
            st.text_input("Password", type="password", key="cfg_neo4j_password",
                          placeholder="(from NEO4J_PASSWORD)" if base.neo4j_password else "")
            st.text_input("Database", value=base.neo4j_database or "", key="cfg_neo4j_database",
                          placeholder="server default")
        else:
            st.text_input("Database file", value=base.db_path, key="cfg_db_path")
        if st.button("Reconnect", key="cfg_reconnect", width="stretch"):
            reset_store()


def md(text: Any) -> str:
    """Text made inert for ``st.markdown``: markdown and HTML specials backslash-escaped, so an
    article's ``![x](http://…)``, links or tags show as typed (no image load, no link, no tag)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])", r"\\\1", str(text)).replace("\n", " ")


def safe_url(url: Any) -> str | None:
    """Only http(s) URLs become links (no ``javascript:``/``data:``)."""
    return url if isinstance(url, str) and re.match(r"https?://[^\s<>\"']+$", url) else None


#: Seconds the search box may take before it says it gave up (a substring scan of every name).
SEARCH_LIMIT_S = 5.0


@st.cache_data(show_spinner=False, ttl=60)
def _search(key: str, q: str, labels: tuple[str, ...], limit: int) -> pd.DataFrame:
    with time_limit(SEARCH_LIMIT_S):
        return get_store().search(q, labels=labels, limit=limit)


def entity_picker(prefix: str, label: str = "Entity", labels: tuple[str, ...] = ("Country", "Person", "Organization", "Location"),
                  default: str | None = None, container: Any = None, index: int = 0) -> str | None:
    """A search box and a select box of matching entities; returns the chosen reference."""
    c = container or st
    q = c.text_input(f"Find {label.lower()}", key=f"{prefix}_q", placeholder="name or alias, e.g. Belarus")
    try:
        found = _search(_cache_key(current_settings()), q.strip(), labels, 50)
    except ReadGaveUp as e:  # not cached: the next run tries again
        c.warning(f"The search {md(e)}; type more of the name.", icon=":material/timer_off:")
        return None
    if found.empty:
        c.caption("No entity matches.")
        return None
    options = {r.ref: f"{r.name} ({r.label}, {r.mentions} mentions)" for r in found.itertuples()}
    refs = list(options)
    index = refs.index(default) if default in options else min(index, len(refs) - 1)
    return c.selectbox(label, refs, index=index, format_func=options.__getitem__, key=f"{prefix}_entity")


def date_window(prefix: str, container: Any = None) -> tuple[str | None, str | None]:
    """Two optional dates (ISO strings) for a window."""
    c = container or st
    a, b = c.columns(2)
    d0 = a.date_input("Since", value=None, key=f"{prefix}_from", format="YYYY-MM-DD")
    d1 = b.date_input("Until", value=None, key=f"{prefix}_to", format="YYYY-MM-DD")
    return (d0.isoformat() if d0 else None, d1.isoformat() if d1 else None)


def origin_picker(prefix: str, container: Any = None) -> str | None:
    """Where the facts come from: articles, GDELT or ACLED (None = all)."""
    c = container or st
    choice = c.selectbox("Origin", ["all sources", *ORIGINS], key=f"{prefix}_origin")
    return None if choice == "all sources" else choice
