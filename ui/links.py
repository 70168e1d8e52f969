"""Shareable views: a page's state in the URL (``st.query_params``), so a link reopens it.

A page reads its parameters once per session (:func:`arriving`), into the session state of its
widgets, before drawing them; after drawing, it publishes what they hold (:func:`publish`) and
shows the link (:func:`share`). Values are plain strings: lists comma-separated, dates ISO.
Nothing here trusts a parameter: every page validates what it reads (a reference is looked up,
a type checked against the vocabulary, a number clamped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

import streamlit as st

__all__ = ["arriving", "param", "param_list", "param_int", "param_float", "param_date", "publish", "share"]


def arriving(page: str) -> bool:
    """True on the first run of ``page`` in this session: the moment to read the URL."""
    flag = f"_url_read_{page}"
    if st.session_state.get(flag):
        return False
    st.session_state[flag] = True
    return True


def param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def param_list(name: str, allowed: Iterable[str] | None = None) -> list[str]:
    items = [x.strip() for x in (param(name) or "").split(",") if x.strip()]
    if allowed is not None:
        ok = set(allowed)
        items = [x for x in items if x in ok]
    return list(dict.fromkeys(items))


def param_int(name: str, lo: int, hi: int) -> int | None:
    try:
        return max(lo, min(hi, int(param(name) or "")))
    except ValueError:
        return None


def param_float(name: str, lo: float, hi: float) -> float | None:
    try:
        value = float(param(name) or "")
    except ValueError:
        return None
    return max(lo, min(hi, value)) if value == value else None  # NaN is no value


def param_date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(param(name) or "")
    except ValueError:
        return None


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def publish(values: Mapping[str, Any]) -> str:
    """Put ``values`` (empty ones left out) in the URL; returns the query string."""
    clean = {k: _text(v) for k, v in values.items() if v not in (None, "", [], ())}
    if dict(st.query_params) != clean:
        st.query_params.from_dict(clean)
    return urlencode(clean)


def share(query: str, container: Any = None) -> None:
    """The link to this view, with a copy button (``st.code``)."""
    c = container or st
    base = (st.context.url or "").split("?")[0]
    c.caption("Link to this view")
    c.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)
