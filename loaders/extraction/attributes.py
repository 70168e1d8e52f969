"""The model's attribute rules (tag -> POS and morphology, lemma exceptions) applied by table lookup.

Why: spaCy's ``attribute_ruler`` runs a :class:`spacy.matcher.Matcher` of ~180 patterns over every
token; on a 700-word article that was about a sixth of the whole pipeline's time. Nearly every
pattern tests one token's TAG, LOWER, DEP or IS_SPACE, so whether it matches depends only on those
four values: :class:`FastAttributes` evaluates the patterns once per distinct combination and
remembers the answer; the few two-token patterns are checked only where their first token matches.
The matches are applied in the ruler's own order (later rules win) with spaCy's own setter, so the
tokens come out exactly as the shipped ruler leaves them (``tests/unit/test_extract_speed.py`` compares
every token of real articles). A ruler using anything else (quantifiers, other attributes) cannot
be compiled (:func:`compile_rules` returns None) and stays in charge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["Rule", "FastAttributes", "compile_rules", "MAX_MEMO"]

#: Token attributes a compiled pattern may test, and how to read them (as the Matcher sees them).
_READ: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_, "IS_SPACE": lambda t: t.is_space,
}
#: Remembered combinations before a table starts afresh (it grows with the vocabulary of the
#: input); the lemma table of loaders/lemmas.py shares the bound.
MAX_MEMO = 200_000

_Test = Callable[[Token], bool]


@dataclass(frozen=True)
class Rule:
    """One pattern of the ruler: a test per token, which token it changes, and the ruler's rule number."""

    number: int
    tests: tuple[_Test, ...]
    index: int
    attrs: dict[Any, Any]
    #: an exact TAG or LOWER the first token must have, so a new token is only tested against
    #: the few rules that can match it
    needs: tuple[str, str] | None = None


def _member(read: Callable[[Token], Any], values: frozenset[Any], inside: bool) -> _Test:
    return lambda t: (read(t) in values) is inside


def _matches(read: Callable[[Token], Any], rx: re.Pattern[str]) -> _Test:
    return lambda t: rx.search(read(t)) is not None


def _value_test(attr: str, want: Any) -> _Test | None:
    read = _READ[attr]
    if not isinstance(want, dict):
        return lambda t: read(t) == want
    tests: list[_Test] = []
    for op, arg in want.items():
        if op == "IN":
            tests.append(_member(read, frozenset(arg), True))
        elif op == "NOT_IN":
            tests.append(_member(read, frozenset(arg), False))
        elif op == "REGEX":
            tests.append(_matches(read, re.compile(arg)))
        else:
            return None
    return lambda t: all(f(t) for f in tests)


def _token_test(spec: dict[str, Any]) -> _Test | None:
    if not spec or any(k not in _READ for k in spec):
        return None
    tests = [_value_test(attr, want) for attr, want in spec.items()]
    if any(f is None for f in tests):
        return None
    checks = tuple(f for f in tests if f is not None)
    return lambda t: all(f(t) for f in checks)


def compile_rules(ruler: Any) -> list[Rule] | None:
    """The ruler's patterns as :class:`Rule` objects, or None when one uses a feature not covered."""
    rules: list[Rule] = []
    for number, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            tests = [_token_test(spec) for spec in pattern]
            if not tests or any(f is None for f in tests):
                return None
            needs = next(((a, pattern[0][a]) for a in ("TAG", "LOWER") if isinstance(pattern[0].get(a), str)), None)
            rules.append(Rule(number, tuple(f for f in tests if f is not None), ruler.indices[number],
                              ruler.attrs[number], needs))
    return rules


class FastAttributes:
    """spaCy component doing what ``attribute_ruler`` does, from the same patterns, by lookup."""

    def __init__(self, rules: list[Rule]):
        self._any = [r for r in rules if r.needs is None]
        self._needing: dict[tuple[str, str], list[Rule]] = {}
        for r in rules:
            if r.needs is not None:
                self._needing.setdefault(r.needs, []).append(r)
        self._memo: dict[tuple[int, int, int, bool], tuple[tuple[Rule, ...], tuple[Rule, ...]]] = {}

    def _lookup(self, tok: Token) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
        """The one-token rules matching ``tok``, and the longer rules that may start at it."""
        key = (tok.tag, tok.lower, tok.dep, tok.is_space)
        hit = self._memo.get(key)
        if hit is None:
            if len(self._memo) >= MAX_MEMO:
                self._memo.clear()
            cands = (self._any + self._needing.get(("TAG", tok.tag_), [])
                     + self._needing.get(("LOWER", tok.lower_), []))
            first = [r for r in cands if r.tests[0](tok)]
            hit = (tuple(r for r in first if len(r.tests) == 1), tuple(r for r in first if len(r.tests) > 1))
            self._memo[key] = hit
        return hit

    def __call__(self, doc: Doc) -> Doc:
        matches: list[tuple[int, int, int, Rule]] = []
        n = len(doc)
        for tok in doc:
            single, starts = self._lookup(tok)
            i = tok.i
            for r in single:
                matches.append((r.number, i, i + 1, r))
            for r in starts:
                end = i + len(r.tests)
                if end <= n and all(test(doc[i + k]) for k, test in enumerate(r.tests[1:], 1)):
                    matches.append((r.number, i, end, r))
        # every match is found on the tokens as the tagger and parser left them, then applied
        # in the ruler's order: by rule number, so later rules overwrite earlier ones
        matches.sort(key=lambda m: m[:3])
        for _number, start, end, r in matches:
            set_token_attrs(doc[start + r.index if r.index >= 0 else end + r.index], r.attrs)
        return doc
