"""MEMBER_OF from the common ways news states that a country (or a person) belongs to a body.

The phrasings read here, each a row of ``tests/unit/test_entity_rules.py``:

* a member noun next to the body, then the members: "NATO members Poland and Lithuania",
  "EU member state Hungary", "OPEC heavyweight Saudi Arabia", "fellow NATO ally Turkey";
* the members first, in apposition: "Hungary, an EU member state", "Poland and Lithuania, both NATO
  members", "Finland, a member of NATO";
* a clause: "Finland is / has been / became a member of the alliance", "Sweden joined NATO",
  "the EU, which counts Greece and Cyprus as members", "its members include Brazil and India",
  "the group comprises China, India and Russia";
* a list after "members of X": "the five permanent members of the UN Security Council (Britain,
  China, France, Russia and the US)".

A body named by a common noun ("the alliance", "the 27-nation bloc", "the group") is the body of
that kind named last before it in the article. Wishes and denials state no membership: "wants to
join", "is not a member", "bid for membership" are skipped, and so is "former member".
Why a module of its own: these are statements of structure, read off the mentions and the parse
around a member noun, not events with a trigger and a doer.
"""

from __future__ import annotations

import functools

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.strings import hash_string  # type: ignore[attr-defined]  # spaCy's strings.pyi omits it
from spacy.tokens import Doc, Span, Token

from geokg.loaders import gazetteer as gz
from geokg.loaders.extraction.entities import EntityIndex, Mention
from geokg.loaders.extraction.events import Finding

__all__ = ["find_memberships"]

_MEMBER_NOUNS = gz.word_set("member_nouns")
_STATE_NOUNS = gz.word_set("member_state_nouns")
_BODY_NOUNS = gz.word_set("membership_bodies")
_INCLUDE_VERBS = gz.word_set("membership_verbs")
_WISH = gz.word_set("membership_wishes")
_LIST_GLUE = frozenset({",", "and", "the", "as", "well", "&", "both", "all"})
#: Bodies whose members are states (not persons): a person is never their member here.
_STATE_BODIES = frozenset({"igo", "alliance"})
_CONFIDENCE = 0.8


def _org_at(index: EntityIndex, i: int) -> Mention | None:
    m = index.by_token.get(i)
    return m if m is not None and m.kind == "org" else None


def _body_of(index: EntityIndex, tok: Token) -> Mention | None:
    """The body a token names: an organisation mention, or "the alliance" / "the 27-nation bloc" /
    "the group" standing for the body of that kind named last before it."""
    m = _org_at(index, tok.i)
    if m is not None:
        return m
    if tok.lower_ not in _BODY_NOUNS:
        return None
    kinds = {"alliance": {"alliance"}}.get(tok.lower_, {"igo", "alliance"})
    before = [x for x in index.mentions if x.kind == "org" and x.end <= tok.i
              and index.orgs[x.key].kind in kinds]
    return before[-1] if before else None


def _members_list(index: EntityIndex, start: int, end: int) -> list[str]:
    """Country (or person) refs of a list starting at token ``start``: "Poland and Lithuania",
    "Britain, China, France, Russia and the US"; stops at the first other word."""
    doc = index.doc
    out: list[str] = []
    i = start
    while i < end:
        m = index.by_token.get(i)
        if m is not None and m.kind in ("country", "person") and m.start == i:
            out.append(index.ref_of(m))
            i = m.end
            continue
        if doc[i].lower_ in _LIST_GLUE:
            i += 1
            continue
        break
    return out


def _with_conj(index: EntityIndex, tok: Token) -> list[str]:
    """Refs of ``tok`` and the tokens coordinated with it ("Poland and Lithuania")."""
    out = []
    for t in [tok, *tok.conjuncts]:
        m = index.by_token.get(t.i)
        if m is not None and m.kind in ("country", "person"):
            ref = index.ref_of(m)
            if ref not in out:
                out.append(ref)
    return out


def _wished_or_denied(tok: Token) -> bool:
    """"wants to join", "bid to become a member", "is not a member", "could join", "former member":
    no membership. Read up the chain that governs the membership word (copula, "to become",
    "of"), not past an apposition: "Poland, a NATO member, did not send troops" is still a member."""
    chain = [tok]
    t = tok
    while t.dep_ in ("attr", "oprd", "xcomp", "compound", "pobj", "prep", "dobj", "acomp") and t.head is not t \
            and len(chain) < 5:
        t = t.head
        chain.append(t)
    for t in chain:
        if t.lemma_.lower() in _WISH or any(c.dep_ == "neg" for c in t.children):
            return True
        if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "could", "may", "might", "should", "to")
               and t is not tok for c in t.children) and t.pos_ in ("VERB", "AUX"):
            return True
    return any(c.lower_ in ("former", "ex", "prospective", "aspiring", "candidate", "potential", "future")
               for c in tok.children)


def _member_of_body(index: EntityIndex, noun: Token) -> Mention | None:
    """The body of a member noun: "NATO member(s)", "member of NATO", "member state of the EU"."""
    for c in noun.children:
        if c.dep_ in ("compound", "nmod", "amod", "poss"):
            m = _body_of(index, c) if c.dep_ != "poss" or c.i in index.by_token else None
            if m is not None:
                return m
            if c.dep_ == "poss" and c.lower_ in ("its", "their"):  # "its members include ..."
                before = [x for x in index.mentions if x.kind == "org" and x.end <= c.i
                          and index.orgs[x.key].kind in _STATE_BODIES]
                if before:
                    return before[-1]
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "in"):
            for p in c.children:
                if p.dep_ == "pobj":
                    m = _body_of(index, p)
                    if m is not None:
                        return m
    head = noun.head  # "member" as compound of "state": "an EU member state"
    if noun.dep_ == "compound" and head.lower_ in _STATE_NOUNS:
        return _member_of_body(index, head)
    if noun.dep_ == "pobj" and noun.head.lower_ == "as":  # "counts Greece and Cyprus as members"
        verb = noun.head.head
        for c in verb.children:
            if c.dep_ == "nsubj":
                m = _body_of(index, c) or _relative_body(index, c, verb)
                if m is not None:
                    return m
    return None


def _relative_body(index: EntityIndex, subj: Token, verb: Token) -> Mention | None:
    """"the EU, which counts ...": the relative pronoun stands for the clause's noun."""
    if subj.lower_ in ("which", "that") and verb.dep_ == "relcl":
        return _body_of(index, verb.head)
    return None


def _members_of_noun(index: EntityIndex, noun: Token) -> list[str]:
    """Who the member noun says is a member."""
    top = noun.head if noun.dep_ == "compound" and noun.head.lower_ in _STATE_NOUNS else noun
    if top.dep_ == "pobj" and top.head.lower_ == "of" and top.head.head.lower_ == "one":
        top = top.head.head  # "Estonia is one of the 27 EU member states"
    if top.dep_ == "conj" and any(c.lower_ == "other" for c in noun.children):
        return _with_conj(index, top.head)  # "Denmark and other NATO members"
    owner = [r for c in noun.children if c.dep_ == "poss" for r in _with_conj(index, c)]
    if owner:  # "Turkey's NATO allies": Turkey is one of them
        return owner
    if top.dep_ == "appos":  # "Hungary, an EU member state" / "Poland and Lithuania, both NATO members"
        members = _with_conj(index, top.head)
        return members if _count_fits(top, members) else []
    appos = [c for c in top.children if c.dep_ == "appos"]
    if appos:  # "NATO members, Poland and Lithuania"
        return [r for a in appos for r in _with_conj(index, a)]
    if top.dep_ in ("attr", "oprd"):  # "Finland is / became a member of NATO"
        verb = top.head
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj and verb.dep_ == "conj":
            subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
        return [r for s in subj for r in _with_conj(index, s)]
    if top.dep_ == "pobj" and top.head.lower_ == "as":  # "counts Greece and Cyprus as members"
        verb = top.head.head
        return [r for c in verb.children if c.dep_ == "dobj" for r in _with_conj(index, c)]
    if top.dep_ == "nsubj" and top.head.lemma_.lower() in _INCLUDE_VERBS:  # "its members include X"
        return [r for c in top.head.children if c.dep_ == "dobj" for r in _with_conj(index, c)]
    if _number(top) == 2 and top.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return _last_pair(index, top)  # "The two NATO allies have been locked in a standoff"
    return []


_NUMBERS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10}


def _number(noun: Token) -> int | None:
    """How many members the noun counts ("the five permanent members", "both NATO members")."""
    for c in noun.children:
        if c.dep_ in ("nummod", "det", "predet", "quantmod") and c.lower_ in _NUMBERS:
            return _NUMBERS[c.lower_]
        if c.dep_ == "nummod" and c.like_num and c.text.isdigit():
            return int(c.text)
    return None


def _count_fits(noun: Token, members: list[str]) -> bool:
    """A counted noun must count its members: in "Iran, the five permanent members of the Security
    Council (...) and Germany" the five are not Iran and Germany."""
    n = _number(noun)
    return n is None or n == len(members)


def _last_pair(index: EntityIndex, noun: Token) -> list[str]:
    """The two countries "the two NATO allies" stands for: the only two this sentence names, else
    the only two the sentence before names."""
    sent = noun.sent
    doc = index.doc
    for span in (sent, doc[sent.start - 1].sent if sent.start > 0 else None):
        if span is None:
            continue
        refs = list(dict.fromkeys(index.ref_of(m) for m in index.mentions
                                  if m.kind == "country" and span.start <= m.start < span.end))
        if len(refs) == 2:
            return refs
        if refs:
            return []
    return []


def _adjacent(index: EntityIndex, org: Mention) -> tuple[list[str], int]:
    """"NATO members Poland and Lithuania", "EU member state Hungary": the body, member noun(s),
    then the members, side by side (the parser often hangs these words oddly). Returns the members
    and the token where the member nouns begin (or -1)."""
    doc = index.doc
    sent_end = doc[org.start].sent.end
    i = org.end
    if i < len(doc) and doc[i].lower_ in ("'s", "’s"):
        i += 1
    j = i
    while j < sent_end and j - i < 3 and (doc[j].lower_ in _MEMBER_NOUNS or doc[j].lower_ in _STATE_NOUNS):
        j += 1
    if j == i:
        return [], -1
    states_only = not any(doc[k].lower_ in _MEMBER_NOUNS for k in range(i, j))
    if states_only and index.orgs[org.key].kind not in _STATE_BODIES:
        return [], -1  # "EU countries Italy and Spain", not "Hamas states"
    if j < sent_end and doc[j].text in (",", "-", "—", "–", ":"):
        j += 1
    if j + 1 < sent_end and doc[j].lower_ == "such" and doc[j + 1].lower_ == "as":
        j += 2  # "EU members such as France and Germany"
    elif j < sent_end and doc[j].lower_ in ("including", "like", "notably"):
        j += 1
    return _members_list(index, j, sent_end), i


def _listed_after(index: EntityIndex, org: Mention) -> list[str]:
    """"members of the UN Security Council (Britain, China, ...)" / "..., X, Y and Z": a list of
    members right after the body named by "members of"."""
    doc = index.doc
    if org.start < 2 or doc[org.start - 1].lower_ not in ("of", "the"):
        return []
    k = org.start - 1 if doc[org.start - 1].lower_ == "of" else org.start - 2
    if k < 1 or doc[k].lower_ != "of" or doc[k - 1].lower_ not in _MEMBER_NOUNS:
        return []
    if _wished_or_denied(doc[k - 1]):
        return []
    end = org.end
    if end >= len(doc) or doc[end].text not in ("(", ",", ":", "—", "–"):
        return []
    close = next((t.i for t in doc[end + 1:doc[end].sent.end] if t.text == ")"), doc[end].sent.end)
    members = _members_list(index, end + 1, close)
    return members if len(members) >= 2 or doc[end].text == "(" else []


def _joined(index: EntityIndex, tok: Token) -> tuple[list[str], Mention | None]:
    """"Sweden joined NATO", "Finland has joined the alliance"; not "wants to join"."""
    if tok.lemma_.lower() != "join" or tok.pos_ != "VERB" or tok.tag_ not in ("VBD", "VBN", "VBZ", "VBP"):
        return [], None
    if _wished_or_denied(tok):
        return [], None
    body = next((m for c in tok.children if c.dep_ == "dobj" for m in [_body_of(index, c)] if m), None)
    if body is None:
        return [], None
    subj = [c for c in tok.children if c.dep_ == "nsubj"]
    if not subj and tok.dep_ == "conj":
        subj = [c for c in tok.head.children if c.dep_ == "nsubj"]
    if tok.dep_ == "relcl" and any(c.lower_ in ("which", "that", "who") for c in subj):
        subj = [tok.head]  # "Poland, which joined the EU in 2004"
    return [r for s in subj for r in _with_conj(index, s) if r.startswith("country:")], body


def _comprises(index: EntityIndex, tok: Token) -> tuple[list[str], Mention | None]:
    """"The group comprises China, India ...", "the EU includes France": a body's own verb."""
    if tok.lemma_.lower() not in _INCLUDE_VERBS or tok.pos_ not in ("VERB", "AUX"):
        return [], None
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ in _MEMBER_NOUNS:
        return [], None
    body = _body_of(index, subj) or _relative_body(index, subj, tok)
    if body is None or index.orgs[body.key].kind not in _STATE_BODIES:
        return [], None
    members = [r for c in tok.children if c.dep_ == "dobj" for r in _with_conj(index, c)]
    return [r for r in members if r.startswith("country:")], body


def _finding(index: EntityIndex, members: list[str], body: Mention, sent: Span) -> Finding | None:
    org = index.ref_of(body)
    kind = index.orgs[body.key].kind
    members = [r for r in members if r != org and (r.startswith("country:") or kind not in _STATE_BODIES)]
    if not members:
        return None
    return Finding("MEMBER_OF", tuple(dict.fromkeys(members)), (org,), sent.text.strip(), None, "day",
                   _CONFIDENCE)


def find_memberships(index: EntityIndex) -> list[Finding]:
    """Every MEMBER_OF the article states (members -> body), with the sentence as evidence."""
    doc = index.doc
    out: list[Finding] = []

    def add(members: list[str], body: Mention | None, sent: Span) -> None:
        f = _finding(index, members, body, sent) if body is not None and members else None
        if f is not None:
            out.append(f)

    for m in index.mentions:
        if m.kind != "org":
            continue
        members, noun_at = _adjacent(index, m)
        if members and not _wished_or_denied(doc[noun_at]):
            add(members, m, doc[m.start].sent)
        listed = _listed_after(index, m)
        if listed:
            add(listed, m, doc[m.start].sent)
    for at in _candidate_tokens(doc):
        tok = doc[at]
        if tok.i in index.by_token:
            continue
        if tok.lower_ == "membership" and not _wished_or_denied(tok):
            # "Sweden's membership of NATO", "Finland's NATO membership"; not "Ukraine's NATO membership bid"
            body = _member_of_body(index, tok)
            owners = [r for c in tok.children if c.dep_ == "poss" for r in _with_conj(index, c)]
            if body is not None and owners:
                add(owners, body, tok.sent)
        elif tok.lower_ in _MEMBER_NOUNS and tok.pos_ == "NOUN" and not _wished_or_denied(tok):
            body = _member_of_body(index, tok)
            if body is not None:
                add(_members_of_noun(index, tok), body, tok.sent)
        elif tok.pos_ in ("VERB", "AUX"):
            for members, body in (_joined(index, tok), _comprises(index, tok)):
                if body is not None and members:
                    add(members, body, tok.sent)
    return out


@functools.cache
def _candidate_hashes() -> np.ndarray:
    words = set(_MEMBER_NOUNS) | set(_INCLUDE_VERBS) | {"join", "membership"}
    return np.array([hash_string(w) for w in words], dtype=np.uint64)


def _candidate_tokens(doc: Doc) -> list[int]:
    """Tokens whose lower-case form or lemma is a member noun, "join" or a membership verb: a
    lookup over the whole document instead of a Python loop over every token."""
    if not len(doc):
        return []
    arr = doc.to_array([LOWER, LEMMA])
    hit = np.isin(arr, _candidate_hashes()).any(axis=1)
    return np.flatnonzero(hit).tolist()
