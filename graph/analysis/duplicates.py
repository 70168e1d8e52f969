"""Entities that are probably one: proposals for an analyst to merge or reject, never merged here.

Extraction keys a person or an organisation by the slug of the name it saw, so one actor
written two ways becomes two nodes: ``Sergei Lavrov`` / ``Sergey Lavrov`` (transliteration),
``S. Lavrov`` (an initial), ``Foreign Minister Sergei Lavrov`` (a title), ``NATO`` / ``North
Atlantic Treaty Organization`` (an acronym). :func:`find_candidates` proposes such pairs, each
with its score and the reasons for it, from the rows a store read returns (``entity_rows``,
``neighbours``, ``rejected``): a pure function, no I/O.

Comparing every pair is quadratic (5 * 10^9 pairs at 100,000 persons), so pairs are *blocked*
first (:func:`blocking_keys`): only entities sharing a key are compared - the consonant
skeleton of the whole name, of a person's surname with the first initial, an organisation's
acronym. A key shared by
more than ``max_block`` entities (a common surname and initial) is compared within its
nearest ``max_block`` neighbours in name order only, so the cost stays near-linear
(``benchmarks/candidates.py``). String similarity is rapidfuzz's (``token_sort_ratio``).

>>> rows = [EntityRow("person:sergei-lavrov", "Person", "Sergei Lavrov", country="RUS"),
...         EntityRow("person:sergey-lavrov", "Person", "Sergey Lavrov", country="RUS")]
>>> c = find_candidates(rows)[0]
>>> c.a, c.b, c.score >= 0.9, c.reasons[0]
('person:sergei-lavrov', 'person:sergey-lavrov', True, 'spelling variant')
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rapidfuzz import fuzz

__all__ = ["EntityRow", "Candidate", "find_candidates", "store_candidates", "DEFAULT_LABELS", "blocking_keys",
           "normalise", "skeleton", "titles"]


@dataclass(frozen=True)
class EntityRow:
    """One stored entity as duplicate scoring sees it."""

    ref: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    mentions: int = 0


@dataclass(frozen=True)
class Candidate:
    """Two entities that are probably one: ``a`` < ``b`` (refs), a score in 0..1 and why."""

    a: str
    b: str
    label: str
    a_name: str
    b_name: str
    score: float
    reasons: tuple[str, ...] = field(default=())

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@cache
def titles() -> frozenset[str]:
    """Words and phrases that name an office or an honorific, not a person: the titles of
    ``data/roles.tsv`` (what extraction recognises next to names) and ``data/honorifics.tsv``."""
    from geokg import data

    found: set[str] = set()
    for name in ("roles.tsv", "honorifics.tsv"):
        with data.open_text(name) as f:
            for row in csv.reader((line for line in f if line.strip() and not line.startswith("#")), delimiter="\t"):
                if row and row[0] not in ("title", "word"):
                    found.add(" ".join(_tokens(row[0])))
    return frozenset(found)


def _tokens(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", ascii_text)


@lru_cache(maxsize=1 << 18)
def normalise(name: str) -> tuple[str, ...]:
    """A name's tokens, ASCII and lower-case, with leading titles and honorifics removed
    (``Foreign Minister Sergei Lavrov`` -> ``('sergei', 'lavrov')``); the title-free form
    is kept even when nothing else is left."""
    toks = _tokens(name)
    known = titles()
    changed = True
    while changed and len(toks) > 1:
        changed = False
        for n in (3, 2, 1):
            if len(toks) > n and " ".join(toks[:n]) in known:
                toks, changed = toks[n:], True
                break
    return tuple(toks)


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_MINOR = frozenset({"of", "the", "and", "for", "de", "du", "la", "le", "el", "al", "in", "on"})


@lru_cache(maxsize=1 << 18)
def skeleton(word: str) -> str:
    """A spelling-insensitive key: the first letter, then the consonants without y/w/h, doubles
    collapsed (``zelensky``, ``zelenskyy``, ``zelenskiy`` -> ``zlnsk``; ``sergei``/``sergey`` -> ``srg``)."""
    if not word:
        return ""
    rest = re.sub(r"[aeiouyhw]", "", word[1:].replace("ck", "k").replace("ph", "f"))
    return word[0] + re.sub(r"(.)\1+", r"\1", rest)


def _surname(toks: Sequence[str]) -> str:
    toks = [t for t in toks if t not in _SUFFIXES] or list(toks)
    return toks[-1] if toks else ""


def _acronym(toks: Sequence[str]) -> str:
    words = [t for t in toks if t not in _MINOR]
    return "".join(t[0] for t in words) if len(words) >= 2 else ""


def blocking_keys(row: EntityRow) -> set[tuple[str, str]]:
    """The keys that put ``row`` in a block: only entities sharing a key are ever compared."""
    keys: set[tuple[str, str]] = set()
    for name in (row.name, *row.aliases):
        toks = normalise(name)
        if not toks:
            continue
        keys.add(("whole", skeleton("".join(toks))))
        if row.label == "Person" and len(toks) >= 2:
            last = _surname(toks)
            if len(last) >= 3:  # with the first initial: "S. Lavrov", "Sergey Lavrov" - not every Lavrov
                keys.add(("surname", f"{skeleton(last)} {toks[0][0]}"))
        else:
            acr = _acronym(toks)
            if acr:
                keys.add(("acronym", acr))
            if len(toks) == 1 and 2 <= len(toks[0]) <= 6:
                keys.add(("acronym", toks[0]))
    return keys


def _blocked_pairs(rows: Sequence[EntityRow], max_block: int) -> set[tuple[int, int]]:
    """Index pairs (i < j) of rows of one label sharing a blocking key. A block larger than
    ``max_block`` compares each member with the ``max_block`` next ones in name order only."""
    blocks: dict[tuple[str, str, str], list[int]] = {}
    for i, row in enumerate(rows):
        for key in blocking_keys(row):
            blocks.setdefault((row.label, *key), []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) > max_block:
            members = sorted(members, key=lambda i: normalise(rows[i].name))
        for x, i in enumerate(members):
            for j in members[x + 1: x + 1 + max_block]:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def _initials_match(a: Sequence[str], b: Sequence[str]) -> bool:
    """Same surname, and every given name of the shorter form an initial (or the same name) of
    the other's, in order: ``s lavrov`` ~ ``sergei lavrov``, ``s v lavrov`` ~ ``sergei v lavrov``."""
    if len(a) < 2 or len(b) < 2 or skeleton(a[-1]) != skeleton(b[-1]):
        return False
    def covers(short: Sequence[str], long_: Sequence[str]) -> bool:
        return len(short) <= len(long_) and any(len(t) == 1 for t in short) and \
            all(s[0] == t[0] and (len(s) == 1 or skeleton(s) == skeleton(t)) for s, t in zip(short, long_))

    return covers(a[:-1], b[:-1]) or covers(b[:-1], a[:-1])


def _name_score(a: Sequence[str], b: Sequence[str], label: str) -> tuple[float, str]:
    """How alike two normalised names are, and the kind of likeness."""
    if a == b:
        return 1.0, "same name"
    joined_a, joined_b = "".join(a), "".join(b)
    # one skeleton and few letters apart: "sergei"/"sergey", not "john"/"jane" (also "jn")
    if skeleton(joined_a) == skeleton(joined_b) and fuzz.ratio(joined_a, joined_b) >= 85:
        return 0.92, "spelling variant"
    if label == "Person" and _initials_match(a, b):
        return 0.88, "initials"
    if label != "Person" and (_acronym(a) == "".join(b) or _acronym(b) == "".join(a)):
        return 0.9, "acronym"
    sim = fuzz.token_sort_ratio(" ".join(a), " ".join(b)) / 100
    if label == "Person" and len(a) >= 2 and len(b) >= 2 and skeleton(a[-1]) == skeleton(b[-1]) \
            and skeleton(a[0]) == skeleton(b[0]) and fuzz.ratio(a[0], b[0]) >= 75:
        return max(sim, 0.9), "spelling variant"
    if label == "Person" and len(a) >= 2 and len(b) >= 2 and skeleton(a[-1]) == skeleton(b[-1]) \
            and min(len(a[0]), len(b[0])) > 1 and fuzz.ratio(a[0], b[0]) < 75:
        return min(sim, 0.6), "same surname, other given name"  # Jane Smith is not John Smith
    return sim, "similar name"


def _score(x: EntityRow, y: EntityRow, neighbours: Mapping[str, frozenset[str]]) -> tuple[float, list[str]]:
    best, kind, titled = 0.0, "", False
    for na in (x.name, *x.aliases):
        for nb in (y.name, *y.aliases):
            ta, tb = normalise(na), normalise(nb)
            if not ta or not tb:
                continue
            s, k = _name_score(ta, tb, x.label)
            if s > best:
                best, kind = s, k
                titled = tuple(_tokens(na)) != ta or tuple(_tokens(nb)) != tb
    reasons = [kind]
    if titled and kind in ("same name", "spelling variant", "initials"):
        reasons.append("title removed")
    score = best
    if x.label != "Country" and x.country and y.country:
        if x.country == y.country:
            score += 0.05
            reasons.append(f"same country ({x.country})")
        else:
            score -= 0.3
            reasons.append(f"different countries ({x.country}, {y.country})")
    shared = len(neighbours.get(x.ref, frozenset()) & neighbours.get(y.ref, frozenset()) - {x.ref, y.ref})
    if shared:
        score += min(0.15, 0.05 * shared)
        reasons.append(f"{shared} shared neighbour{'s' * (shared != 1)}")
    return max(0.0, min(1.0, score)), reasons


def find_candidates(rows: Iterable[EntityRow], neighbours: Mapping[str, frozenset[str]] | None = None,
                    rejected: Iterable[frozenset[str]] = (), min_score: float = 0.8,
                    max_block: int = 50) -> list[Candidate]:
    """Pairs of entities of the same label that are probably one, best first (score, then the
    more mentioned pair). ``neighbours``: ref -> refs of its actor neighbours (shared ones raise
    a score); ``rejected``: pairs an analyst said are different, never proposed again."""
    by_label: dict[str, list[EntityRow]] = {}
    for row in rows:
        by_label.setdefault(row.label, []).append(row)
    neighbours = neighbours or {}
    no = {frozenset(p) for p in rejected}
    out = []
    for group in by_label.values():
        for i, j in _blocked_pairs(group, max_block):
            x, y = sorted((group[i], group[j]), key=lambda r: r.ref)
            if frozenset((x.ref, y.ref)) in no:
                continue
            score, reasons = _score(x, y, neighbours)
            if score >= min_score:
                out.append((Candidate(x.ref, y.ref, x.label, x.name, y.name, round(score, 3), tuple(reasons)),
                            x.mentions + y.mentions))
    out.sort(key=lambda c: (-c[0].score, -c[1], c[0].a, c[0].b))
    return [c for c, _ in out]



#: The labels proposed by default: extraction keys people and organisations by the name it
#: saw; countries (ISO codes) and locations (gazetteer) are keyed by lookup.
DEFAULT_LABELS = ("Person", "Organization")


def store_candidates(store, labels: Sequence[str] = DEFAULT_LABELS, min_score: float = 0.8,
                     max_block: int = 50) -> list[Candidate]:
    """:func:`find_candidates` over what ``store`` holds: one label scan per label, then the
    neighbours of only the entities some pair near the threshold involves (one indexed hop
    each), and the rejected pairs."""
    rows = [EntityRow(r["ref"], r["label"], r["name"] or r["id"], tuple(r["aliases"]), r.get("country"),
                      int(r.get("mentions") or 0)) for lab in labels for r in store.entity_rows(lab)]
    rejected = store.not_same()
    near = find_candidates(rows, rejected=rejected, min_score=max(0.0, min_score - 0.15), max_block=max_block)
    involved = {r for c in near for r in (c.a, c.b)}
    neighbours = {k: frozenset(v) for k, v in store.neighbour_refs(sorted(involved)).items()} if involved else {}
    return find_candidates([r for r in rows if r.ref in involved], neighbours, rejected, min_score, max_block)
