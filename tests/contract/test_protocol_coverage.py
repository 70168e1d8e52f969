"""The contract tests keep up with the Store protocol: a method added to the protocol and never
called in ``test_store_conformance.py`` fails here, and so does a store whose method takes other
parameters than the protocol says."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.neo4j_store import Neo4jStore
from geokg.graph.stores.protocol import Store

CONFORMANCE = Path(__file__).with_name("test_store_conformance.py")


def protocol_methods() -> set[str]:
    """The public methods of the protocol, the context-manager pair included."""
    return {name for name, value in vars(Store).items() if inspect.isfunction(value)
            and (not name.startswith("_") or name in ("__enter__", "__exit__"))}


def called_in(path: Path) -> set[str]:
    """Every method name called on anything in ``path`` (``x.name(...)``), plus the pair a
    ``with`` statement calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.func.attr for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    if any(isinstance(node, ast.With) for node in ast.walk(tree)):
        names |= {"__enter__", "__exit__"}
    return names


def test_every_protocol_method_is_called_by_the_conformance_tests():
    assert sorted(protocol_methods() - called_in(CONFORMANCE)) == []


def test_the_protocol_lists_the_methods_callers_rely_on():
    """Guards the guard: an empty or misread protocol would make the test above pass vacuously."""
    assert {"write_batch", "neighbourhood", "delete_relation", "cypher", "__enter__"} <= protocol_methods()


def _parameters(fn) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("backend", [EmbeddedStore, Neo4jStore], ids=["embedded", "neo4j"])
@pytest.mark.parametrize("name", sorted(protocol_methods()))
def test_each_store_method_takes_the_parameters_the_protocol_names(backend, name):
    assert _parameters(getattr(backend, name)) == _parameters(getattr(Store, name))
