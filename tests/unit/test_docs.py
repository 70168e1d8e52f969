"""The README is part of the product: these fail when a command, setting or type goes undocumented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geokg.graph.model import ACTOR_TYPES, NODE_LABELS
from geokg.graph.stores.open import Settings
from geokg.ui.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(c.name or c.callback.__name__ for c in app.registered_commands))
def test_every_cli_command_is_in_the_readme(command):
    assert f"geokg {command}" in README


@pytest.mark.parametrize("var", ["GEOKG_BACKEND", "GEOKG_DB", "NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD",
                                 "NEO4J_DATABASE", "GEOKG_RETRY_SECONDS"])
def test_every_setting_is_in_the_readme(var):
    assert f"`{var}`" in README


@pytest.mark.parametrize("name", ACTOR_TYPES + NODE_LABELS)
def test_every_label_and_relation_type_is_in_the_readme(name):
    assert re.search(rf"`{name}`", README)


def test_readme_states_the_two_commands():
    assert ("make run" in README, "make test" in README) == (True, True)


def test_settings_never_show_the_password():
    s = Settings.from_env("neo4j", env={"NEO4J_URI": "bolt://x:7687", "NEO4J_PASSWORD": "hunter2-secret"})
    assert ("hunter2-secret" in repr(s), "hunter2-secret" in str(s), s.neo4j_password) == \
        (False, False, "hunter2-secret")
