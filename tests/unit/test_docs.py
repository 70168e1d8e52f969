"""The README is part of the product: these fail when a command, setting or type goes undocumented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geokg.graph.model import ACTOR_TYPES, NODE_LABELS
from geokg.graph.stores.open import Settings
from geokg.ui.cli import app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(c.name or c.callback.__name__ for c in app.registered_commands))
def test_every_cli_command_is_in_the_readme(command):
    assert f"geokg {command}" in README


def _settings_the_code_reads() -> list[str]:
    """Every GEOKG_*/NEO4J_* name quoted in the product's code (graph/, loaders/, ui/, app.py): the
    environment settings it reads, found in the code rather than listed here by hand."""
    paths = [p for d in ("graph", "loaders", "ui") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
    return sorted({m for p in paths for m in re.findall(r"[\"'']((?:GEOKG|NEO4J)_[A-Z0-9_]+)[\"'']",
                                                         p.read_text(encoding="utf-8"))})


def test_the_settings_are_found_in_the_code():
    """The search itself works: the store settings the README's table starts with are among them."""
    assert {"GEOKG_BACKEND", "NEO4J_URI", "NEO4J_PASSWORD"} <= set(_settings_the_code_reads())


@pytest.mark.parametrize("var", _settings_the_code_reads())
def test_every_setting_is_in_the_readme(var):
    assert f"`{var}`" in README


@pytest.mark.parametrize("name", ACTOR_TYPES + NODE_LABELS)
def test_every_label_and_relation_type_is_in_the_readme(name):
    assert re.search(rf"`{name}`", README)


@pytest.mark.parametrize("command", ["make run", "make test"])
def test_readme_states_the_two_commands(command):
    assert command in README


def test_settings_never_show_the_password():
    s = Settings.from_env("neo4j", env={"NEO4J_URI": "bolt://x:7687", "NEO4J_PASSWORD": "hunter2-secret"})
    assert "hunter2-secret" not in repr(s)
    assert "hunter2-secret" not in str(s)
    assert s.neo4j_password == "hunter2-secret"


def test_the_readme_stays_a_manual_of_at_most_300_lines():
    """History and per-round numbers belong in BENCHMARKS.md; the README keeps the current ones."""
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 300
