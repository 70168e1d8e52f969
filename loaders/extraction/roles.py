"""A person's office from the words around the name, and the LEADS relations that follow.

Three places state an office: a title before the name ("U.S. Defense Secretary Mark Esper",
"his Belarusian counterpart Alexander Lukashenko", "the president, Ibrahim Boubacar Keita"), an
apposition after it ("Igor Sergeenko, the head of the presidential administration", "Lukashenko,
Belarus' sole president since 1994") and a clause ("Sinwar was named the new leader of Hamas's
political bureau", "Sinwar has led Hamas since 2017"). Titles come from ``data/roles.tsv``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from geokg.loaders import gazetteer as gz

if TYPE_CHECKING:
    from geokg.loaders.extraction.entities import EntityIndex, Mention, PersonInfo

__all__ = ["assign_roles", "title_at", "NON_OFFICIAL"]

#: Titles that say who someone is but do not make them act for a state.
NON_OFFICIAL = gz.word_set("non_official")
#: Offices that make their holder the leader of a country even when the text leaves the country implicit.
HEAD_ROLES = gz.word_set("head_roles")
#: Offices held for a state whose holder, when the text names no country, acts for the article's
#: main country ("said foreign ministry spokesman X"): country only, never LEADS.
STATE_ROLES = gz.word_set("state_roles")
#: Offices that head an organisation or a body inside a state (a programme, a company, a ministry's
#: department): "X, director of business development", "the head of the presidential administration".
#: Their holder leads the organisation the title names, never the article's main country by default.
_ORG_HEAD_ROLES = frozenset({"Director", "Chairman", "Chairwoman", "Chairperson", "Chair", "Head", "Chief",
                             "Secretary-General", "Director-General", "Leader", "Commissioner", "High Representative",
                             "CEO", "Chief Executive"})
#: Of those, the ones that never default to the article's main country when the text names none:
#: a bare "leader" heads a country as often as a group ("the leader, Kim Jong Un, said").
_BODY_HEAD_ROLES = _ORG_HEAD_ROLES - {"Leader"}
_FORMER = re.compile(r"\b(former|ex-|ex|late|then|previous|ousted|deposed|predecessor|onetime|one-time)\b")
_STOP_POS = frozenset({"VERB", "AUX", "SCONJ", "CCONJ"})
_LEAD_VERBS = gz.word_set("lead_verbs")
_NAMING_VERBS = gz.word_set("naming_verbs")


@functools.cache
def _title_regex() -> re.Pattern[str]:
    alts = sorted(gz.titles(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in alts) + r")(?![\w-])")


@dataclass(frozen=True)
class _Found:
    """A title as found in text: the table's row, and whether a deputy's prefix stands before it."""

    title: str
    role: str
    leads: str
    deputy: bool = False


def title_at(text: str) -> list[tuple[int, int, _Found]]:
    """Every title in a lower-cased stretch of text: (start, end, title). A title right after
    "deputy", "vice", "assistant", "junior" or "state" ("deputy foreign minister") is a deputy's:
    the role keeps its name, LEADS does not follow."""
    table = gz.titles()
    low = text.lower()
    out = []
    for m in _title_regex().finditer(low):
        t = table[m.group(1)]
        deputy = bool(_DEPUTY.search(low[:m.start()]))
        out.append((m.start(), m.end(), _Found(t.title, t.role, t.leads, deputy)))
    return out


_DEPUTY = re.compile(r"\b(deputy|vice|assistant|junior|under|acting deputy|shadow)[\s-]+$")


def _window_before(index: EntityIndex, m: Mention) -> Span:
    doc = index.doc
    sent_start = doc[m.start].sent.start
    i = m.start - 1
    # "the president, Ibrahim Boubacar Keita": a title just before a comma
    if i >= sent_start and doc[i].text == "," and i - 1 >= sent_start and title_at(doc[i - 1].text):
        i -= 1
    elif i - 1 >= sent_start and doc[i].text == "," and m.end < len(doc) and doc[m.end].text == "," and (
            index.by_token.get(i - 1) is None or index.by_token[i - 1].kind != "person"):
        # "Israel's ambassador to the UN, Danny Danon, said": a title phrase set off before the name
        j, limit = i - 1, i - 1
        while j >= sent_start and limit - j < 8 and doc[j].pos_ not in _STOP_POS and doc[j].text not in {",", ";", ":"}:
            j -= 1
        if title_at(doc[j + 1:i].text) and (j < sent_start or doc[j].text in {",", ";", ":"} or j + 1 == sent_start):
            return doc[j + 1:m.start]
    lo = i + 1
    while i >= sent_start and m.start - i <= 9:
        t = doc[i]
        other = index.by_token.get(t.i)
        if other is not None and other.kind == "person":
            break
        if t.pos_ in _STOP_POS or t.text in {";", ":", "(", ")", "\"", "“", "”"}:
            break
        # one comma may separate two titles: "Israel's chief military spokesperson, Rear Admiral X"
        if t.text == "," and (i == m.start - 1 or not title_at(doc[i - 1].text if i > sent_start else "")
                              or not title_at(doc[i + 1:m.start].text)):
            break
        lo = i
        i -= 1
    return doc[lo:m.start]


def _window_after(index: EntityIndex, m: Mention) -> Span | None:
    doc = index.doc
    if m.end >= len(doc) or doc[m.end].text != ",":
        return None
    sent_end = doc[m.start].sent.end
    j = m.end + 1
    # skip an age: "Sinwar, 61, has led ..."
    if j < sent_end and doc[j].like_num and j + 1 < sent_end and doc[j + 1].text == ",":
        return None
    hi = j
    while hi < sent_end and hi - j < 14:
        t = doc[hi]
        if t.text in {",", ".", ";", "(", ")", "—", "–", "\"", "“", "”"} or t.lower_ in {"who", "which", "that", "whose"} \
                or t.pos_ == "CCONJ":
            break
        if t.pos_ in ("VERB", "AUX") and t.tag_ != "VBN":
            break
        other = index.by_token.get(t.i)
        if other is not None and other.kind == "person":
            break
        hi += 1
    return doc[j:hi] if hi > j else None


def _span_of(span: Span, char_offset: int, length: int) -> Span:
    """The tokens of ``span`` within ``length`` characters after ``char_offset`` (span-relative)."""
    base = span[0].idx
    toks = [t for t in span if char_offset <= t.idx - base < char_offset + length]
    return span.doc[toks[0].i:toks[-1].i + 1] if toks else span.doc[span.end:span.end]


def _entities_in(index: EntityIndex, span: Span, skip_destinations: bool = False) -> tuple[list[str], list[str]]:
    """Countries and organisations named in ``span``; with ``skip_destinations``, not a country
    the title is sent to or about ("envoy to Somalia", "special envoy for Iran", "ambassador in
    Berlin"): that is not the holder's country."""
    countries, orgs = [], []
    for t in span:
        mm = index.by_token.get(t.i)
        if mm is None and t.lower_ in _COUNTRY_NOUNS and t.i + 1 < len(index.doc) \
                and index.doc[t.i + 1].lower_ in ("'s", "’s") and t.i > 0 and index.doc[t.i - 1].lower_ == "the":
            iso3 = _the_country(index, t.i)  # "the country's new leader, X"
            if iso3:
                countries.append(iso3)
            continue
        if mm is None or t.i != mm.start:
            continue
        if mm.kind == "country":
            doc = index.doc
            if skip_destinations and t.i > 1 and doc[t.i - 1].lower_ in ("to", "for", "in", "at", "toward") \
                    and title_at(doc[t.i - 2].text):
                continue
            countries.append(mm.key)
        elif mm.kind == "org":
            orgs.append(mm.key)
    return countries, orgs


def _apply(info: PersonInfo, title: _Found, countries: list[str], orgs: list[str], former: bool,
           sentence: str, index: EntityIndex, others_role: str | None) -> None:
    role, leads = title.role, title.leads
    if title.deputy and leads == "yes":
        # "deputy foreign minister", "shadow foreign secretary": not the head of the ministry
        role, leads = f"Deputy {role}", "no"
    if leads == "counterpart":
        if not others_role:
            leads = "no"
        else:
            role, leads = others_role, "yes"
    if info.role is None or leads == "yes":
        info.role = role
    country = countries[-1] if countries else None
    org_table = index.orgs
    org = orgs[-1] if orgs else None
    if country and (info.country is None or not info.leads):
        info.country = country
    elif org and info.country is None and org_table[org].country and not org_table[org].attribute:
        # "FBI Director Christopher Wray": a national body's head belongs to that country
        info.country = org_table[org].country
    if org and org_table[org].attribute and info.country is None:
        info.country = org_table[org].country
    if role not in NON_OFFICIAL and (country or org):
        info.official = True
    elif leads == "yes" and not info.country and not former:
        info.needs_country = True
    if former:
        info.former = True
        return
    if leads != "yes":
        return
    target = ("org", org) if org and (not country or orgs and title.role in _ORG_HEAD_ROLES) \
        else (("country", country) if country else None)
    if target and not any(x[:2] == target for x in info.leads):
        info.leads.append((target[0], target[1], sentence))


def _clause_role(index: EntityIndex, m: Mention, info: PersonInfo, sentence: str) -> None:
    """'X was named the new leader of Y' / 'X has led Y since 2017' / 'Y, led by chairman X' /
    'X is now in command of Y'."""
    doc = index.doc
    head_tok = doc[m.end - 1]
    for rel in head_tok.children:  # "X, who heads Iran's security council": X leads it now
        if rel.dep_ == "relcl" and rel.lemma_ in _LEAD_VERBS and rel.tag_ in ("VBZ", "VBP") and any(
                c.dep_ == "nsubj" and c.lower_ == "who" for c in rel.children):
            for c in rel.children:
                if c.dep_ == "dobj":
                    _lead_object(index, info, c, sentence, "Leader")
    verb = head_tok.head
    if head_tok.dep_ in ("nsubj", "nsubjpass") and verb.pos_ in ("VERB", "AUX"):
        past = verb.tag_ == "VBD" or any(c.dep_ == "aux" and c.tag_ == "VBD" for c in verb.children)
        if verb.lemma_ in _LEAD_VERBS and not past:
            for c in verb.children:
                if c.dep_ == "dobj":
                    _lead_object(index, info, c, sentence, "Leader")
        if verb.lemma_ in _NAMING_VERBS:
            for c in verb.children:
                if c.dep_ in ("attr", "oprd", "xcomp") and title_at(c.text):
                    title = title_at(c.text)[0][2]
                    span = doc[c.left_edge.i:c.right_edge.i + 1]
                    countries, orgs = _entities_in(index, span)
                    former = bool(_FORMER.search(span.text.lower())) or past and verb.lemma_ == "be"
                    _apply(info, title, countries, orgs, former, sentence, index, None)
    subj = head_tok.head if head_tok.dep_ == "appos" else head_tok  # "His deputy, X, is ..."
    be = subj.head
    if subj.dep_ == "nsubj" and be.lemma_ == "be" and be.tag_ != "VBD" and not any(
            c.dep_ == "aux" and c.tag_ in ("VBD", "MD") for c in be.children):
        for body in _in_charge_of(be):
            _lead_object(index, info, body, sentence, "Leader")  # a named state or body only
    if head_tok.dep_ == "pobj" and head_tok.head.dep_ == "agent":
        verb = head_tok.head.head
        if verb.lemma_ in _LEAD_VERBS and verb.dep_ == "acl":
            named = doc[verb.i - 2] if verb.i >= 2 and doc[verb.i - 1].text == "," else None
            mm = index.by_token.get(named.i) if named is not None else None
            if named is not None and mm is not None and mm.kind == "org" and verb.head.i not in index.by_token:
                # "lawmakers on the X Committee, led by chairman Y": the parser hangs "led" on the
                # clause's noun; the body named just before the comma is what Y leads
                _lead_object(index, info, named, sentence, "Leader")
            else:
                _lead_object(index, info, verb.head, sentence, "Leader")


#: "X is in command of Y", "in charge of", "at the helm of": X leads Y now.
_IN_CHARGE = gz.word_set("in_charge")


def _in_charge_of(verb: Token) -> list[Token]:
    """The ``of`` objects of "is in command / in charge / at the helm of ..." under ``verb``."""
    out = []
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
            for noun in prep.children:
                if noun.dep_ == "pobj" and noun.lemma_.lower() in _IN_CHARGE:
                    out += [p for of in noun.children if of.dep_ == "prep" and of.lower_ == "of"
                            for p in of.children if p.dep_ == "pobj"]
    return out


def _lead_object(index: EntityIndex, info: PersonInfo, tok: Token, sentence: str, role: str) -> None:
    mm = index.by_token.get(tok.i)
    if mm is None:
        for c in tok.children:
            if c.dep_ in ("compound", "poss", "amod") and c.i in index.by_token:
                mm = index.by_token[c.i]
    if mm is None or mm.kind == "person":
        return
    target = ("org", mm.key) if mm.kind == "org" else ("country", mm.key)
    if info.role is None:
        info.role = role
    if mm.kind == "country" and info.country is None:
        info.country = mm.key
    info.official = True
    if not any(x[:2] == target for x in info.leads):
        info.leads.append((target[0], target[1], sentence))


def _past_sentence(sent: Span, published: str | None) -> bool:
    """The sentence dates what it says to an earlier year ("In March 2012 soldiers ousted ...")."""
    if not published:
        return False
    year = int(published[:4])
    for e in sent.ents:
        if e.label_ == "DATE":
            m = re.search(r"\b(1[89]\d\d|20\d\d)\b", e.text)
            if m and int(m.group(1)) < year - 1 and "since" not in sent[max(0, e.start - sent.start - 1):].text[:20].lower():
                return True
    return False


def assign_roles(index: EntityIndex, published: str | None) -> None:
    """Fill role, country, official and LEADS on every person of ``index`` from the text."""
    sent_roles: dict[int, str] = {}
    gazetteer_leads = {k: list(p.leads) for k, p in index.persons.items()}
    modifier_only = {k: True for k in index.persons}
    for m in index.mentions:
        if m.kind != "person":
            continue
        info = index.persons[m.key]
        sent = index.doc[m.start].sent
        sentence = sent.text.strip()
        if index.doc[m.end - 1].dep_ != "compound":
            modifier_only[m.key] = False
        past = _past_sentence(sent, published)
        n_leads = len(info.leads)
        before = _window_before(index, m)
        text = before.text_with_ws.lower() if len(before) else ""
        found = title_at(text) if not _as_clause(before) else []
        if found:
            start, end, title = max(found, key=lambda f: (f[1], f[1] - f[0]))
            countries, orgs = _entities_in(index, before, skip_destinations=True)
            if not countries and not orgs:
                countries = _of_country_after(index, m)  # "King Abdullah II of Jordan"
            former = bool(_FORMER.search(text))
            _apply(info, title, countries, orgs, former, sentence, index, sent_roles.get(sent.start))
            if not re.search(r"\bthe\s+(?:[a-z-]+\s+){0,2}" + re.escape(text[start:end]) + r"\s*,?\s*$", text):
                info.needs_country = False  # "Chancellor Gordon Brown": whose chancellor is not said
            if title.leads == "yes":
                sent_roles.setdefault(sent.start, title.role)
        after = _window_after(index, m)
        if after is not None:
            atext = after.text_with_ws.lower()
            first_prep = next((t.idx - after[0].idx for t in after if t.dep_ == "prep" or t.pos_ == "ADP"), len(atext))
            afound = [f for f in title_at(atext) if f[0] <= 40 and f[0] < first_prep]
            if any(t.dep_ in ("nsubj", "nsubjpass") for t in after):
                afound = []  # "Echoing X, the prime minister said": the title is the next clause's subject
            if afound:
                start, end, title = afound[0]
                countries, orgs = _entities_in(index, after, skip_destinations=True)
                sub = re.match(r"\s+of\s+(?:the\s+)?([a-z]+)", atext[end:])
                if sub and title.leads == "yes" and not _entities_in(index, _span_of(after, end, 24))[0] \
                        and not _entities_in(index, _span_of(after, end, 24))[1]:
                    # "director of business development at X": a department's head, not X's
                    title = _Found(title.title, title.role, "no", title.deputy)
                former = bool(_FORMER.search(atext)) or "since" not in atext and bool(re.search(r"\bwas\b", atext))
                _apply(info, title, countries, orgs, former, sentence, index, sent_roles.get(sent.start))
                if sub and not info.country and not former:
                    info.needs_country = True
            elif info.country is None:
                info.country = _described_country(index, after)
        if info.country is None and found:
            info.country = _possessor_country(index, before)
        if info.country is None:
            info.country = _owner_or_group_country(index, m, before) or _us_party_state(index, m)
        _clause_role(index, m, info, sentence)
        if info.needs_country and info.country is None and not any(x[0] == "org" for x in info.leads):
            _fallback_country(index, m, info, sentence)
            info.official = info.country is not None
        elif info.country is None and info.role in STATE_ROLES and not _party_office(before):
            info.country = _sentence_official_country(index, m, info) or _main_country(index)
            if info.country and info.role in _cabinet_roles() and not info.former and not past \
                    and not any(x[:2] == ("country", info.country) for x in info.leads):
                info.leads.append(("country", info.country, sentence))  # "said Foreign Minister X"
        if past and len(info.leads) > n_leads:
            del info.leads[n_leads:]
    for key, info in index.persons.items():
        if modifier_only[key] and info.leads == gazetteer_leads[key]:
            info.leads = []  # "the Putin critic": a name used as a modifier states no office
    for info in index.persons.values():
        if info.former:
            info.leads = [x for x in info.leads if _still_leads(x, info, published)]


#: Nouns by which news names the country it is discussing: "the country's president".
_COUNTRY_NOUNS = frozenset({"country", "nation", "kingdom", "republic"})


def _the_country(index: EntityIndex, at: int) -> str | None:
    """The country "the country" stands for: the one named last before it, else the article's main one."""
    before = [m for m in index.mentions if m.kind == "country" and m.end <= at and m.counts]
    return before[-1].key if before else _main_country(index)


def _possessor_country(index: EntityIndex, before: Span) -> str | None:
    """"Zelensky's chief of staff X": the office is held for the possessor's country."""
    doc = index.doc
    if not len(before):
        return None
    i = before.start if before[0].lower_ in ("'s", "’s") else before.start - 1
    if i >= 1 and doc[i].lower_ in ("'s", "’s"):
        mm = index.by_token.get(i - 1)
        if mm is not None and mm.kind == "person":
            return index.persons[mm.key].country
    return None


#: Words that make an office a party's, not a state's: "Lib Dem foreign affairs spokesman".
PARTY_WORDS = gz.word_set("party_words")


def _party_office(before: Span) -> bool:
    """The title belongs to a party or the opposition ("Liberal Democrat environment spokesman",
    "Conservative shadow foreign secretary"): the article's main country is not whose it is."""
    return any(t.lower_ in PARTY_WORDS for t in before)


def _of_country_after(index: EntityIndex, m: Mention) -> list[str]:
    doc = index.doc
    if m.end + 1 < len(doc) and doc[m.end].lower_ == "of":
        mm = index.by_token.get(m.end + 1)
        if mm is not None and mm.kind == "country" and mm.start == m.end + 1:
            return [mm.key]
    return []


def _as_clause(before: Span) -> bool:
    """"As US President, Tony Blair has said": a title in an "as" phrase set off by a comma is not
    the next name's (unless "such as": "leaders such as President Xi")."""
    if not len(before) or before[-1].text != ",":
        return False  # "as Indian Prime Minister Nehru put it": the title is Nehru's
    doc = before.doc
    for t in doc[max(before.start - 1, before[0].sent.start):before.end]:
        if t.lower_ == "as" and not (t.i > 0 and doc[t.i - 1].lower_ == "such"):
            return True
    return False


def _described_country(index: EntityIndex, after: Span) -> str | None:
    """"Nadia Karimi, an Afghan teenager", "X, a Swedish national": a demonym at the head of the
    apposition (after an article, numbers and adjectives) gives the person's country."""
    for t in after[:6]:
        mm = index.by_token.get(t.i)
        if mm is not None:
            return mm.key if mm.kind == "country" and mm.form == "demonym" and mm.start == t.i else None
        if t.pos_ not in ("DET", "ADJ", "NUM", "PUNCT", "ADV") and t.dep_ not in ("det", "amod", "nummod", "npadvmod"):
            return None
    return None


def _owner_or_group_country(index: EntityIndex, m: Mention, before: Span) -> str | None:
    """"Ghana's Kofi Mensah" (the country's possessive right before the name), "Rwandan lawyers
    Didier Kalisa and Amani Uwase" (a demonym and a plural noun before a list of names: each name)."""
    doc = index.doc
    i = m.start - 1
    if i >= 1 and doc[i].lower_ in ("'s", "’s", "'", "’"):
        mm = index.by_token.get(i - 1)
        if mm is not None and mm.kind == "country":
            return mm.key
    head = doc[m.end - 1]
    first = head
    while first.dep_ == "conj" and first.head.i < first.i and first.head.i in index.by_token \
            and index.by_token[first.head.i].kind == "person":
        first = first.head
    start = index.by_token[first.i].start if first is not head else m.start
    j = start - 1
    nouns = 0
    while j >= 0 and doc[j].pos_ == "NOUN" and doc[j].text.islower() and nouns < 2:
        j -= 1
        nouns += 1
    if nouns and (first is not head or doc[start - 1].tag_ == "NNS") and j >= 0:
        mm = index.by_token.get(j)
        if mm is not None and mm.kind == "country" and mm.form == "demonym":
            return mm.key
    return None


_PARTY_STATE = re.compile(r"^\s*[,(]\s*[RDI]-[A-Z][A-Za-z.]{1,12}")


def _us_party_state(index: EntityIndex, m: Mention) -> str | None:
    """"John Hale, R-Texas" / "(D-Calif.)": the US convention for a member of Congress."""
    doc = index.doc
    rest = doc[m.end:min(len(doc), m.end + 6)].text
    return "USA" if _PARTY_STATE.match(rest) else None


def _sentence_official_country(index: EntityIndex, m: Mention, info: PersonInfo) -> str | None:
    sent = index.doc[m.start].sent
    for other in reversed([x for x in index.mentions if x.kind == "person" and sent.start <= x.start < m.start]):
        o = index.persons[other.key]
        if o.country and o is not info and o.official:
            return o.country
    return None


def _main_country(index: EntityIndex) -> str | None:
    """The country the article mentions most (ties: the one named first)."""
    if not index.countries:
        return None
    return max(index.countries, key=lambda c: index.countries[c])


@functools.cache
def _cabinet_roles() -> frozenset[str]:
    """The state offices (``state_roles``) whose holder leads: the ministers, not spokespeople or envoys."""
    return frozenset(t.role for t in gz.titles().values() if t.leads == "yes") & STATE_ROLES


def _fallback_country(index: EntityIndex, m: Mention, info: PersonInfo, sentence: str) -> None:
    """An office with no country named: the country of an official named earlier in the sentence
    ("... Mr Lukashenko's regime, including ... Igor Sergeenko, the head of the presidential
    administration"), else, for a head of state or government or a minister ("said Foreign
    Minister X", "X, the defence minister"), the country the article mentions most. A head of a
    body (director, chairman, head of a programme) gets no country by default: the body is named
    or it is not the state's. LEADS follows for the heads and ministers."""
    doc = index.doc
    sent = doc[m.start].sent
    for other in reversed([x for x in index.mentions if x.kind == "person" and sent.start <= x.start < m.start]):
        o = index.persons[other.key]
        if o.country and o is not info:
            info.country = o.country
            break
    else:
        if index.countries and info.role not in _BODY_HEAD_ROLES:
            info.country = max(index.countries, key=lambda c: index.countries[c])
    if info.country and info.role not in _BODY_HEAD_ROLES:
        if not info.former and not any(x[:2] == ("country", info.country) for x in info.leads):
            info.leads.append(("country", info.country, sentence))


def _still_leads(lead: tuple[str, str, str], info: PersonInfo, published: str | None) -> bool:
    """A 'former' title in the text drops LEADS unless the gazetteer says the term covers the article date."""
    for ld in gz.leaders():
        if ld.name == info.name and ld.holds_office_on(published):
            office = ("org", ld.office_of[4:]) if ld.office_of.startswith("org:") else ("country", ld.office_of)
            if office == lead[:2]:
                return True
    return False
