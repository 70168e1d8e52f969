"""What the console tests share: a whole-graph fingerprint to prove a refused query changed
nothing, and the folder that file-writing attacks aim at."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["snapshot", "attack_folder"]


def snapshot(store) -> tuple:
    """Everything in the graph, order-free: the counts and every node and edge with its data."""
    g = store.to_networkx()
    nodes = sorted(json.dumps([n, d], sort_keys=True, default=str) for n, d in g.nodes(data=True))
    edges = sorted(json.dumps([u, v, k, d], sort_keys=True, default=str) for u, v, k, d in g.edges(keys=True, data=True))
    return store.stats(), nodes, edges


def attack_folder(tmp_path: Path) -> Path:
    """An empty folder that file-writing attacks aim at (the embedded store lives beside it)."""
    target = tmp_path / "attack"
    target.mkdir()
    return target
