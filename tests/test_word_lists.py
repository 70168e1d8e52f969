"""The rules' word lists live in ``data/words.tsv``: every list there is read by a rule, every list
a rule reads is there, and a missing one stops the import by name instead of switching a rule off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geokg.loaders import gazetteer as gz

ROOT = Path(__file__).resolve().parents[1]


def _lists_the_code_reads() -> set[str]:
    return {name for path in (ROOT / "loaders").rglob("*.py")
            for name in re.findall(r'word_set\("([a-z_]+)"\)', path.read_text(encoding="utf-8"))}


def test_every_list_in_the_data_file_is_read_by_a_rule_and_every_list_read_is_there():
    in_file = {r["list"] for r in gz.read_table("words.tsv")}
    assert in_file == _lists_the_code_reads()


def test_no_list_holds_an_empty_or_repeated_word():
    pairs = [(r["list"], r["word"]) for r in gz.read_table("words.tsv")]
    assert pairs and all(word for _, word in pairs) and len(pairs) == len(set(pairs))


def test_a_list_the_file_lacks_is_an_error_naming_it():
    with pytest.raises(KeyError, match="no_such_list"):
        gz.word_set("no_such_list")


def test_the_rules_read_the_words_of_the_file():
    """One list per module, as a user extending the file would check it: the word is in the set."""
    from geokg.loaders.extraction import entities, events, roles

    assert "watchdog" in entities._ORG_DESCRIPTORS
    assert "bureau" in events.BODY_NOUNS
    assert "Prime Minister" in roles.HEAD_ROLES
