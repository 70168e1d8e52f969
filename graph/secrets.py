"""Keeping credentials out of what GeoKG shows: messages, logs, exported files, the page.

The Neo4j password comes from ``NEO4J_PASSWORD``, Streamlit's ``st.secrets`` or the app's
password field, and is only ever handed to the driver. The one other place a user may put
it is the address itself (``bolt://neo4j:secret@host``, which the driver refuses and quotes
back in its error): every address shown to a user goes through :func:`redact_uri` first.
"""

from __future__ import annotations

import re

__all__ = ["redact_uri"]

_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/@]*)@")


def redact_uri(uri: str) -> str:
    """``uri`` with any ``user:password@`` part replaced by ``***@``.

    >>> redact_uri("neo4j+s://neo4j:hunter2@abc.databases.neo4j.io")
    'neo4j+s://***@abc.databases.neo4j.io'
    >>> redact_uri("bolt://localhost:7687")
    'bolt://localhost:7687'
    """
    return _USERINFO.sub(r"\g<scheme>***@", uri)
