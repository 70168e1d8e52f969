"""Duplicate scoring as a pure function: which pairs of names are proposed as one entity, and why."""

from __future__ import annotations

import pytest

from geokg.graph.analysis.duplicates import EntityRow, find_candidates


def row(name: str, label: str = "Person", country: str | None = None, key: str | None = None) -> EntityRow:
    prefix = {"Person": "person", "Organization": "org", "Country": "country"}[label]
    return EntityRow(f"{prefix}:{key or name.lower().replace(' ', '-').replace('.', '')}", label, name, (), country)


def proposed(a: EntityRow, b: EntityRow, **kw) -> list[str]:
    found = find_candidates([a, b], **kw)
    return list(found[0].reasons) if found else []


@pytest.mark.parametrize("a, b, reason", [
    (row("Sergei Lavrov"), row("Sergey Lavrov"), "spelling variant"),
    (row("Volodymyr Zelensky"), row("Volodymyr Zelenskyy"), "spelling variant"),
    (row("S. Lavrov"), row("Sergei Lavrov"), "initials"),
    (row("Foreign Minister Sergei Lavrov", key="fm-lavrov"), row("Sergei Lavrov"), "same name"),
    (row("Gen. Mark Milley", key="gen-milley"), row("Mark Milley"), "same name"),
    (row("NATO", "Organization"), row("North Atlantic Treaty Organization", "Organization"), "acronym"),
    (row("Al-Shabaab", "Organization"), row("Al Shabab", "Organization", key="al-shabab-2"), "spelling variant"),
])
def test_variants_of_one_name_are_proposed_with_their_reason(a, b, reason):
    assert proposed(a, b)[:1] == [reason]


def test_a_removed_title_is_named_as_a_reason():
    assert "title removed" in proposed(row("President Emmanuel Macron", key="pm"), row("Emmanuel Macron"))


@pytest.mark.parametrize("a, b", [
    (row("John Smith", country="USA"), row("Jane Smith", country="USA")),
    (row("United States", "Country", key="USA"), row("United Kingdom", "Country", key="GBR")),
    (row("Sergei Lavrov", country="RUS"), row("Sergey Lavrov", country="USA")),
    (row("Sergei Lavrov"), row("NATO", "Organization")),
])
def test_different_entities_are_not_proposed(a, b):
    assert proposed(a, b) == []


def test_a_shared_country_raises_the_score():
    a, b = row("Sergei Lavrov", country="RUS"), row("Sergey Lavrov", country="RUS")
    assert find_candidates([a, b])[0].score > find_candidates([row("Sergei Lavrov"), row("Sergey Lavrov")])[0].score


def test_shared_neighbours_are_counted_in_the_reason():
    a, b = row("S. Lavrov"), row("Sergei Lavrov")
    nb = {a.ref: frozenset({"country:CHN", "country:BLR"}), b.ref: frozenset({"country:CHN", "country:BLR", "org:nato"})}
    assert "2 shared neighbours" in proposed(a, b, neighbours=nb)


def test_a_rejected_pair_is_never_proposed():
    a, b = row("Sergei Lavrov"), row("Sergey Lavrov")
    assert proposed(a, b, rejected=[frozenset((a.ref, b.ref))]) == []


def test_candidates_come_best_first():
    rows = [row("Sergei Lavrov"), row("Sergey Lavrov"), row("S. Lavrov")]
    scores = [c.score for c in find_candidates(rows)]
    assert scores == sorted(scores, reverse=True)
