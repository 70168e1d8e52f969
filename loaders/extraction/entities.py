"""Entity mentions in a parsed article: countries, organisations and persons, linked to canonical ids.

One :class:`spacy.matcher.PhraseMatcher` (built once per vocabulary) finds every gazetteer
surface form; spaCy's NER adds the persons and organisations no gazetteer knows. Overlaps are
settled longest-first. Persons are clustered within the article (``Xi`` and ``Mr Xi`` join
``Xi Jinping``), and titles next to a name give the person's role and country
("Chinese President Xi Jinping", "Igor Sergeenko, the head of the presidential administration").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.attrs import LOWER
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string  # type: ignore[attr-defined]  # spaCy's strings.pyi omits it
from spacy.tokens import Doc, Span

from geokg.graph.model import slug
from geokg.loaders import gazetteer as gz
from geokg.loaders.extraction.places import is_city

__all__ = ["Mention", "PersonInfo", "EntityIndex", "find_entities", "matcher_for"]

#: Words that make a spaCy ORG a state organ: its country counts, the organ itself is not listed.
_ORGAN_WORDS = gz.word_set("organ_words")
_ORG_HEADS = gz.word_set("org_heads")
#: Head nouns of a body whose full name goes on with "on/for/of ..." ("Select Committee on the
#: Strategic Competition Between ..."): the NER often stops at the head noun.
_TOPIC_HEADS = gz.word_set("topic_heads")
#: Small words a title-case name may contain between its capitalised words.
_NAME_GLUE = frozenset({"of", "for", "the", "and", "on", "in", "between", "to", "&"})
#: Nouns that introduce an organisation's name: "the human rights group Amnesty International".
_ORG_DESCRIPTORS = gz.word_set("org_descriptors")
_NAME_PREFIXES = gz.word_set("name_prefixes")
_LANGUAGE_NOUNS = gz.word_set("language_nouns")
_HONORIFICS = gz.word_set("honorifics")
_NAME_PARTICLES = gz.word_set("name_particles")
#: Prepositions after which a capitalised name is a place, not a person: "clashes in Khan Younis".
_PLACE_PREPS = gz.word_set("place_preps")
#: Head nouns of geographic names: "Katyn Forest", "Line of Actual Control" are places, no bodies.
_PLACE_HEADS = gz.word_set("place_heads")
_NOT_ORG_NAMES = gz.word_set("not_org_names")
#: Nouns for a kind of place ("the town of X", "villages such as X and Y") and compass words ("south of X").
_PLACE_NOUNS = gz.word_set("place_nouns")
_COMPASS = gz.word_set("compass_words")


@dataclass
class Mention:
    start: int
    end: int
    kind: str  # "country", "org", "person"
    key: str   # ISO3, org key, person cluster key
    form: str = "name"  # name, demonym, metonym, ner
    counts: bool = True  # for countries: does it count as a mention of the country?


@dataclass
class PersonInfo:
    key: str
    name: str
    aliases: set[str] = field(default_factory=set)
    country: str | None = None
    role: str | None = None
    #: ("country", ISO3) or ("org", key) for LEADS, with the evidence sentence.
    leads: list[tuple[str, str, str]] = field(default_factory=list)
    official: bool = False  # acts for a state (has an official title)
    needs_country: bool = False  # an office is named but not whose ("the president, X")
    former: bool = False
    first: int = 10**9


@dataclass
class OrgInfo:
    key: str
    name: str
    kind: str = "other"
    country: str | None = None
    attribute: bool = False


@dataclass
class EntityIndex:
    """All mentions of one article, by token, and the entities they stand for."""

    doc: Doc
    mentions: list[Mention]
    by_token: dict[int, Mention]
    persons: dict[str, PersonInfo]
    orgs: dict[str, OrgInfo]
    countries: dict[str, int]  # ISO3 -> counted mentions
    country_seen: dict[str, int]  # ISO3 -> any mentions (incl. ones that do not count)

    def ref_of(self, m: Mention) -> str:
        if m.kind == "country":
            return f"country:{m.key}"
        if m.kind == "org":
            return f"org:{m.key}"
        return f"person:{m.key}"


_MATCHERS: dict[int, tuple[PhraseMatcher, dict[int, tuple[str, str, bool]]]] = {}


def matcher_for(nlp: Any) -> tuple[PhraseMatcher, dict[int, tuple[str, str, bool]]]:
    """The one gazetteer PhraseMatcher for this pipeline's vocabulary (built once, then cached)."""
    cached = _MATCHERS.get(id(nlp.vocab))
    if cached:
        return cached
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    labels: dict[int, tuple[str, str, bool]] = {}
    by_label: dict[str, list[Doc]] = {}
    for i, (label, form, case) in enumerate(gz.surface_forms()):
        key = f"{label}#{i}"
        by_label.setdefault(key, []).append(nlp.make_doc(form))
        labels[nlp.vocab.strings.add(key)] = (label, form, case)
    for key, docs in by_label.items():
        matcher.add(key, docs)
    _MATCHERS[id(nlp.vocab)] = (matcher, labels)
    return matcher, labels


def _capitalised(span: Span) -> bool:
    first = next((c for c in span.text if c.isalpha()), "")
    return first.isupper()


def _is_title_word(tok: Any) -> bool:
    from geokg.loaders.extraction.roles import title_at

    return tok.lower_ in _HONORIFICS or any(f[0] == 0 and f[1] == len(tok.text) for f in title_at(tok.text))


def _clean_person_tokens(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _NAME_PREFIXES or doc[start].is_punct or _is_title_word(doc[start])):
        start += 1
    if end - start > 2:  # a title of several words inside the NER's span: "Crown Prince Salim bin Nasser"
        start = _after_leading_title(doc, start, end)
    while end > start and (doc[end - 1].lower_ in {"'s", "’s", "'", "’"} or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    s = doc[start:end]
    if any(ch.isdigit() for ch in s.text) or not _capitalised(s) or s.text.isupper() and len(s.text) > 3:
        return None
    if any(not (t.is_title or t.is_punct or t.lower_ in _NAME_PARTICLES or t.text[:1].isupper()) for t in s):
        return None
    return s


def _after_leading_title(doc: Doc, start: int, end: int) -> int:
    """The first token after a title that opens ``doc[start:end]`` (ending on a token boundary), else ``start``."""
    from geokg.loaders.extraction.roles import title_at

    span = doc[start:end]
    base = span[0].idx
    found = [f for f in title_at(span.text) if f[0] == 0]
    if not found:
        return start
    stop = max(f[1] for f in found)
    for t in span[1:-1]:
        if t.idx - base >= stop:
            return t.i if doc[t.i - 1].idx + len(doc[t.i - 1].text) - base == stop else start
    return start


def _is_org_name(span: Span) -> bool:
    """A title-case proper name ending in an organisation head noun (``National University of Singapore``)."""
    words = [t for t in span if not t.is_punct and t.lower_ not in {"'s", "’s"}]
    if not words:
        return False
    small = {"of", "for", "the", "and", "on", "in", "de", "between"}
    if not all(t.text[:1].isupper() or t.lower_ in small for t in words):
        return False
    return any(t.lower_ in _ORG_HEADS for t in words)


def _extend_topic(doc: Doc, s: Span) -> Span:
    """``s`` grown over the "on/for/of ..." rest of a body's name when the NER stopped at its head
    noun: "House Select Committee" + "on the Strategic Competition Between the United States and
    the Chinese Communist Party" is one committee. Why: a truncated name is a second, wrong
    organisation, and the full name is what an analyst searches. The rest must be title-case words
    (with small glue words) up to the end of the clause; a lower-case word ends it."""
    if not len(s) or s[-1].lower_ not in _TOPIC_HEADS or s.end + 1 >= len(doc):
        return s
    if doc[s.end].lower_ not in {"on", "for", "of"}:
        return s
    end, i = s.end, s.end + 1
    while i < len(doc) and i < s.end + 25:
        tok = doc[i]
        if tok.text[:1].isupper() and tok.is_alpha and not tok.is_sent_start:
            end = i + 1
        elif tok.lower_ not in _NAME_GLUE:
            break
        i += 1
    return doc[s.start:end] if end > s.end + 1 else s


def _topic_start(span: Span) -> int:
    """Token index where the "on/for/of ..." topic of a body's name begins, else the span's end."""
    for t in span[:-1]:
        if t.lower_ in _TOPIC_HEADS and t.nbor().lower_ in {"on", "for", "of"}:
            return t.i + 1
    return span.end


@functools.cache
def _descriptor_hashes() -> np.ndarray:
    return np.array([hash_string(w) for w in _ORG_DESCRIPTORS], dtype=np.uint64)


def _described_orgs(doc: Doc) -> list[tuple[int, int]]:
    """Title-case names right after an organisation descriptor that the NER left unlabelled:
    "the human rights organization Safeguard Defenders", "the watchdog Civic Lantern". Why: the
    descriptor says what the name is; the model often does not know the name or takes it for a
    person's."""
    out: list[tuple[int, int]] = []
    if not len(doc):
        return out
    hits = np.flatnonzero(np.isin(doc.to_array(LOWER), _descriptor_hashes()))  # a lookup, no token loop
    for at in hits.tolist():
        tok = doc[at]
        if tok.pos_ != "NOUN":
            continue
        i = tok.i + 1
        while i < len(doc) and i < tok.i + 5 and doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper() \
                and doc[i].ent_type_ in ("", "ORG", "PERSON"):
            i += 1
        if i > tok.i + 1 and not (i < len(doc) and doc[i].pos_ == "PROPN"):
            out.append((tok.i + 1, i))
    return out


def _gazetteer_spans(doc: Doc, nlp: Any) -> list[tuple[int, int, str]]:
    matcher, labels = matcher_for(nlp)
    out = []
    for match_id, start, end in matcher(doc):
        label, form, case = labels[match_id]
        span = doc[start:end]
        if case and span.text != form:
            continue
        if not case and not _capitalised(span) and span.text != form:  # "al-Qaeda" as listed
            continue
        out.append((start, end, label))
    return out


def _country_counts(doc: Doc, m: Mention) -> bool:
    """Convention checks: no 'X-based', no dateline, no language use of a demonym."""
    nxt = doc[m.end] if m.end < len(doc) else None
    nxt2 = doc[m.end + 1] if m.end + 1 < len(doc) else None
    if nxt is not None and nxt.text in {"-", "–"} and nxt2 is not None and nxt2.lower_ in {"based", "headquartered"}:
        return False
    if nxt is not None and nxt.lower_ in {"-based"}:
        return False
    span = doc[m.start:m.end]
    if span.text.isupper() and len(span.text) > 3 and m.form != "demonym":
        # "HANOI, Vietnam (AP) —": an upper-case dateline at the start of the text
        window = doc[m.start:min(len(doc), m.end + 8)].text
        if m.start < 3 and re.search(r"[—–-]", window):
            return False
    if m.form == "demonym" and nxt is not None and nxt.lower_ in _LANGUAGE_NOUNS:
        return False
    if m.form == "demonym" and doc[m.start - 1].lower_ in {"in", "speak", "speaks", "spoke"} if m.start else False:
        return m.key not in {"GBR"} or span.text.lower() != "english"
    return True


def _dateline_end(doc: Doc) -> int:
    """Token index just after a leading dateline such as ``HANOI, Vietnam (AP) —``, else 0."""
    for i, tok in enumerate(doc[:12]):
        if tok.text in {"—", "–", "--"} or (tok.text == "-" and i > 0 and doc[i - 1].text == ")"):
            head = doc[:i]
            if len(head) and head[0].text.isupper() and len(head[0].text) > 2:
                return i + 1
            return 0
        if tok.is_sent_start and i > 0:
            return 0
    return 0


def _after_title(s: Span) -> bool:
    """A name right after a title is a person's, whatever the NER says: "UN envoy Staffan de
    Mistura", "Senator Nikki Haley". The title must end at the name and begin a word."""
    from geokg.loaders.extraction.roles import title_at

    doc = s.doc
    lo = max(doc[s.start].sent.start, s.start - 3)
    if lo >= s.start or not 1 < len(s) <= 4 or not all(t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES
                                                       for t in s):
        return False
    text = doc[lo:s.start].text
    return any(f[1] == len(text) and f[2].role not in {"Head", "Chief"} for f in title_at(text))


def _not_an_org(s: Span) -> bool:
    """Names the NER takes for organisations that are none: a magazine's drop-capital opening word
    ("TRADITIONALLY, ..."), a plural title ("MPs", "Generals"), a place with a geographic head noun
    ("Katyn Forest", "Line of Actual Control", "Xinjiang-Tibet Highway") and the words of
    ``not_org_names`` ("COVID-19", "Sharia", "Soviet Union")."""
    from geokg.loaders.extraction.roles import title_at

    text = s.text
    if text in _NOT_ORG_NAMES or text.lower() in _NOT_ORG_NAMES:
        return True
    if len(s) == 1 and text.isupper() and len(text) > 5 and text.isalpha() and s[0].is_sent_start:
        return True
    if len(s) == 1 and _is_title_word(s[0]):
        return True  # "Cardinal" of "Cardinal Cormac Murphy-O'Connor"
    if text.upper()[-3:] in {"GMT", "UTC", "BST"} and text[:-3].strip().isdigit():
        return True  # "2230GMT"
    if len(s) == 1 and text.endswith("s") and len(text) > 2 and any(
            f[0] == 0 and f[1] == len(text) - 1 for f in title_at(text[:-1])):
        return True
    words = [t.lower_ for t in s if t.is_alpha]
    if not words or _is_org_name(s):
        return False
    return words[-1] in _PLACE_HEADS or len(words) > 2 and words[0] in _PLACE_HEADS and words[1] == "of"


def _thing_not_person(s: Span, long_name_words: set[str]) -> bool:
    """One capitalised word the NER calls a person that names a thing: before a plural noun
    ("Patriot missiles", "Leopard tanks") or itself a plural proper noun ("the Bradleys"), unless
    the word is part of a longer person name in the article ("Trump" of "Donald Trump")."""
    if len(s) != 1 or s[0].lower_ in long_name_words:
        return False
    doc = s.doc
    nxt = doc[s.end] if s.end < len(doc) else None
    if nxt is not None and nxt.tag_ == "NNS" and nxt.text.islower():
        return True
    return s[0].tag_ == "NNPS" or (s.start > 0 and doc[s.start - 1].lower_ == "the" and s.text.endswith("s"))


def _placed_by_context(s: Span) -> bool:
    """The words before a name make it a place: "the town of Bucha", "south of Kastellorizo",
    "neighbourhoods such as Abu Dis and Shuafat" (through the rest of the list)."""
    doc = s.doc
    i = s.start - 1
    if i >= 1 and doc[i].lower_ == "of" and (doc[i - 1].lower_ in _PLACE_NOUNS or doc[i - 1].lower_ in _COMPASS):
        return True
    while i >= 0 and s.start - i < 10 and (doc[i].text in {",", "and", "or"} or doc[i].pos_ == "PROPN"):
        i -= 1  # back over the earlier names of a list
    if i >= 1 and doc[i].lower_ == "as" and doc[i - 1].lower_ == "such":
        i -= 2
    elif i >= 0 and doc[i].lower_ in ("including", "like"):
        i -= 1
    else:
        return False
    if i >= 1 and doc[i].text == ",":
        i -= 1  # "neighbourhoods, such as ..."
    return i >= 0 and doc[i].lower_ in _PLACE_NOUNS


def _before_place_noun(s: Span) -> bool:
    """A name followed by a lower-case place noun is that place's: "the Ladakh region",
    "the Tabuk province" (not "Smith's village": a possessive names the owner)."""
    doc = s.doc
    return s.end < len(doc) and doc[s.end].lower_ in _PLACE_NOUNS and doc[s.end].text.islower()


def _city_not_person(s: Span, ent: Span, long_name_words: set[str]) -> bool:
    """A PERSON of the NER that is a city's name ("fighting in Khan Yunis"): a place, unless a
    title or honorific stood before it ("Mayor Jackson") or the word is part of a longer person name
    in the article ("Marco Rubio" ... "Rubio", Rubio being also a Venezuelan town)."""
    if s.start != ent.start or not is_city(s.text):
        return False
    before = s.doc[s.start - 1] if s.start else None
    if before is not None and (before.lower_.rstrip(".") in _NAME_PREFIXES or _is_title_word(before)):
        return False
    return len(s) > 1 or s[0].lower_ not in long_name_words


def _starts_title(s: Span) -> bool:
    """The NER's organisation is the first word(s) of a title running on after it: "Supreme" of
    "Supreme Leader Ali Khamenei", "House" of "House Speaker Mike Johnson"."""
    from geokg.loaders.extraction.roles import title_at

    doc = s.doc
    text = doc[s.start:min(len(doc), s.end + 3)].text
    return any(f[0] == 0 and f[1] > len(s.text) for f in title_at(text))


def _person_ok(s: Span) -> bool:
    if len(s) == 1 and s[0].pos_ != "PROPN":
        return False
    if s.start > 0 and s.doc[s.start - 1].lower_ == "the" and len(s) == 1:
        return False
    return True


def find_entities(doc: Doc, nlp: Any, published: str | None) -> EntityIndex:
    """Every entity mention of the parsed article, linked, with person clusters (roles come next:
    :func:`geokg.loaders.extraction.roles.assign_roles`, called by the extractor)."""
    from geokg.loaders.extraction.roles import title_at

    dateline = _dateline_end(doc)
    cands: list[tuple[int, int, int, str]] = []  # (start, end, priority, label)
    for start, end, label in _gazetteer_spans(doc, nlp):
        if start < dateline:
            continue
        cands.append((start, end, 3 if label.startswith("P") else 2, label))
    person_words: set[str] = set()
    long_name_words: set[str] = set()  # words of the multi-word person names
    seen_as_person: dict[str, int] = {}
    after_place_prep: dict[str, int] = {}
    placed_once: set[str] = set()  # one-word names the context makes a place at least once
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "GPE", "LOC", "ORG", "FAC") and (_placed_by_context(ent) or _before_place_noun(ent)):
            placed_once.add(ent.text[4:] if ent.text.startswith("the ") else ent.text)
        if ent.label_ == "PERSON":
            s = _clean_person_tokens(ent)
            if s is not None and _person_ok(s):
                person_words.update(t.lower_ for t in s if len(t.text) > 2)
                if len(s) > 1 and not is_city(s.text):
                    long_name_words.update(t.lower_ for t in s)
                seen_as_person[s.text] = seen_as_person.get(s.text, 0) + 1
                if s.start == ent.start and s.start > 0 and doc[s.start - 1].lower_ in _PLACE_PREPS \
                        and not (s.end < len(doc) and doc[s.end].lower_ in {"'s", "’s"}):
                    after_place_prep[s.text] = after_place_prep.get(s.text, 0) + 1
    # a name the NER calls a person only ever after "in", "near" ...: a place ("fighting in Khan Younis")
    place_like = {t for t, n in after_place_prep.items() if n == seen_as_person[t]} - long_name_words
    # ... or named as a place once ("the Ladakh region", "south of Kastellorizo"): a place throughout
    place_like |= {t for t in placed_once if not set(t.lower().split()) & long_name_words}
    for ent in doc.ents:
        if ent.start < dateline:
            continue
        if ent.label_ == "PERSON":
            s = _clean_person_tokens(ent)
            if s is not None and _person_ok(s) and not _city_not_person(s, ent, long_name_words) \
                    and s.text not in place_like and not _thing_not_person(s, long_name_words) \
                    and not _placed_by_context(s):
                cands.append((s.start, s.end, 1, "NER_PERSON"))
        elif ent.label_ == "ORG" or (ent.label_ in ("FAC", "GPE", "LOC", "NORP", "WORK_OF_ART")
                                     and _is_org_name(ent)):
            s = ent
            if s[0].lower_ == "the":
                s = doc[s.start + 1:s.end]
            while len(s) and (s[-1].lower_ in {"'s", "’s", "'", "’"} or s[-1].is_punct
                              or len(s) > 1 and s[-1].text.islower()):
                s = doc[s.start:s.end - 1]  # "Bradley Fighting Vehicles to", "Blue and White party"
            s = _extend_topic(doc, s)
            if not len(s) or not _capitalised(s) or _not_an_org(s) or any(
                    f[0] == 0 and f[1] == len(s.text) for f in title_at(s.text)):
                continue  # "Rear Admiral": a title, not an organisation
            if _starts_title(s) or ((is_city(s.text) or _placed_by_context(s) or s.text in place_like)
                                    and not _is_org_name(s)):
                continue  # "Supreme" of "Supreme Leader", "Idlib": no organisation
            words = [t.lower_ for t in s if not t.is_punct]
            if all(w in _ORGAN_WORDS or w in {"foreign", "state", "defense", "defence", "justice", "public",
                                              "security", "air", "special", "armed", "interior", "of",
                                              "the", "delta"} for w in words):
                continue  # a bare state organ ("Navy", "State Department"): not an organisation
            nxt = doc[s.end + 1:s.end + 5].text if s.end < len(doc) and doc[s.end].text == "," else ""
            personish = (not _is_org_name(s) and all(t.pos_ == "PROPN" for t in s) and (
                s[-1].lower_ in person_words or (nxt and title_at(nxt) and title_at(nxt)[0][0] < 12)
                or _after_title(s)))
            cands.append((s.start, s.end, 0, "NER_PERSON" if personish else "NER_ORG"))
    for start, end in _described_orgs(doc):
        if start >= dateline:
            cands.append((start, end, 2, "NER_ORG"))  # the descriptor outranks the NER's "PERSON"
    # longest first, then priority; an ORG that is a title-case org name shadows the country in it,
    # a sloppy ORG ("Belarusian state news agency Belta") does not
    cands.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[0]))
    taken: dict[int, tuple[int, int, int, str]] = {}
    chosen: list[tuple[int, int, int, str]] = []
    for c in cands:
        start, end, prio, label = c
        if any(i in taken for i in range(start, end)):
            continue
        if label == "NER_ORG":
            span = doc[start:end]
            named_end = _topic_start(span)  # the topic of "Committee on the Threat of Russia" is no inner match
            inner = [g for g in cands if g[0] >= start and g[1] <= named_end and g is not c and g[3][0] in "COP"]
            organ = any(t.lower_ in _ORGAN_WORDS for t in span)
            if inner and (organ or not _is_org_name(span)):
                continue  # let the gazetteer matches inside win; the rest of the ORG is dropped
            if organ and not _is_org_name(span):
                continue
        if label == "NER_PERSON":
            if any(g[0] >= start and g[1] <= end and g is not c and g[3][0] in "CO" for g in cands):
                continue  # "Outside Mali": a country or organisation inside is no person's name
        for i in range(start, end):
            taken[i] = c
        chosen.append(c)
    chosen.sort()

    mentions: list[Mention] = []
    persons: dict[str, PersonInfo] = {}
    orgs: dict[str, OrgInfo] = {}
    org_table = gz.organizations()
    leaders = gz.leaders()
    surname_to_key: dict[str, str] = {}
    for start, end, _prio, label in chosen:
        span = doc[start:end]
        if label == "X":
            continue
        if label.startswith("C|"):
            _, iso3, form = label.split("|")
            mentions.append(Mention(start, end, "country", iso3, form))
        elif label.startswith("O|"):
            key = label[2:]
            o = org_table[key]
            orgs.setdefault(key, OrgInfo(key, _org_spelling(o, span.text), o.kind, o.country, o.attribute))
            mentions.append(Mention(start, end, "org", key))
        elif label == "NER_ORG":
            name = span.text.strip()
            if len(name) < 2 or name.lower() in {"state", "government"}:
                continue
            key = slug(name)
            if not key:
                continue
            orgs.setdefault(key, OrgInfo(key, name))
            mentions.append(Mention(start, end, "org", key, "ner"))
        else:
            if label.startswith("P|"):
                ld = leaders[int(label[2:])]
                name = ld.name
            else:
                ld = None
                name = " ".join(t.text for t in span)
            tokens = name.split()
            key = slug(name)
            if not key:
                continue
            if len(tokens) == 1:
                # surname-only: join the person already named in this article with that name part
                key = surname_to_key.get(tokens[0].lower(), key)
            elif key not in persons:
                # "El Saife" after "Mohamed El Saife": the end of a longer name already seen
                longer = [k for k, p in persons.items() if len(p.name.split()) > len(tokens)
                          and [t.lower() for t in p.name.split()[-len(tokens):]] == [t.lower() for t in tokens]]
                if longer:
                    key = longer[-1]
            info = persons.get(key)
            if info is None:
                # a full name whose surname was seen alone before: take over that cluster
                old = next((surname_to_key[t.lower()] for t in tokens if t.lower() in surname_to_key
                            and len(persons[surname_to_key[t.lower()]].name.split()) == 1), None)
                if old and len(tokens) > 1:
                    info = persons.pop(old)
                    info.key, info.name = key, name
                    for m in mentions:
                        if m.kind == "person" and m.key == old:
                            m.key = key
                else:
                    info = PersonInfo(key, name, first=start)
                persons[key] = info
            elif len(tokens) > len(info.name.split()):
                info.name = name
            info.aliases.add(span.text)
            for t in tokens:
                if len(t) > 1 and t[0].isupper():
                    surname_to_key.setdefault(t.lower(), key)
                    if len(tokens) > 1:
                        surname_to_key[t.lower()] = key
            if ld is not None:
                _apply_leader(info, _best_term(ld, published), published, doc[start].sent.text.strip())
            mentions.append(Mention(start, end, "person", key, "name"))
    _merge_part_names(mentions, orgs)
    _merge_defined_acronyms(doc, mentions, orgs)
    by_token = {i: m for m in mentions for i in range(m.start, m.end)}
    # a surname the NER missed ("Israel has characterized Sinwar as ...") still names the person
    surnames = {p.name.split()[-1]: k for k, p in persons.items() if len(p.name.split()) > 1}
    for tok in doc:
        if tok.i >= dateline and tok.i not in by_token and tok.pos_ == "PROPN" and tok.text in surnames:
            m = Mention(tok.i, tok.i + 1, "person", surnames[tok.text], "name")
            mentions.append(m)
            by_token[tok.i] = m
    mentions.sort(key=lambda m: m.start)
    countries: dict[str, int] = {}
    seen: dict[str, int] = {}
    for m in mentions:
        if m.kind == "country":
            m.counts = _country_counts(doc, m)
            seen[m.key] = seen.get(m.key, 0) + 1
            if m.counts:
                countries[m.key] = countries.get(m.key, 0) + 1
    return EntityIndex(doc, mentions, by_token, persons, orgs, countries, seen)


def _acronym(name: str) -> bool:
    return not any(ch.islower() for ch in name)


def _org_spelling(org: gz.Organization, text: str) -> str:
    """The name an article's organisation goes by: the article's own spelling when it writes a
    known variant of a full name ("Hizbullah" for Hezbollah), the gazetteer's name otherwise. Why:
    news outlets keep their house spelling and an analyst reading the article (and its gold) looks
    for that; the key stays the gazetteer's, so every spelling is one node. Acronyms and the common
    short names (EU, UN, NATO: a name in capitals) keep the gazetteer's form, as do shortened ones
    ("Pew" for the Pew Research Center): only a variant with the name's number of words counts."""
    text = text.strip()
    if _acronym(org.name) or _acronym(text) or text == org.name or text not in org.aliases:
        return org.name
    return text if len(text.split()) == len(org.name.split()) else org.name


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", name.lower()) if w]


def _merge_defined_acronyms(doc: Doc, mentions: list[Mention], orgs: dict[str, OrgInfo]) -> None:
    """An acronym the article defines in brackets after a name ("the Government of National Accord
    (GNA)") is that organisation wherever it appears, not a second one. Why: news introduces the
    short form once and then uses it alone; two nodes would split the body's relations. The
    acronym's letters must be the initials of the name's capitalised words (in order, allowing
    skipped words), and an acronym the gazetteer knows as another body keeps that body."""
    orgs_at = sorted((m for m in mentions if m.kind == "org"), key=lambda m: m.start)
    defined: dict[str, str] = {}
    for m in orgs_at:
        if m.end + 2 < len(doc) and doc[m.end].text == "(" and doc[m.end + 2].text == ")":
            short = doc[m.end + 1].text
            if short.isupper() and 2 <= len(short) <= 6 and _initials_fit(short, orgs[m.key].name):
                defined[short] = m.key
    if not defined:
        return
    for m in mentions:
        if m.kind == "org" and m.form == "ner" and doc[m.start:m.end].text in defined:
            new = defined[doc[m.start:m.end].text]
            if new != m.key:
                orgs.pop(m.key, None)
                m.key = new


def _initials_fit(short: str, name: str) -> bool:
    """Whether ``short`` spells initials of ``name``'s capitalised words, in order ("GNA" of
    "Government of National Accord", "OIR" of "Operation Inherent Resolve")."""
    caps = [w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper()]
    it = iter(caps)
    return bool(caps) and short[0] == caps[0] and all(ch in it for ch in short)


def _merge_part_names(mentions: list[Mention], orgs: dict[str, OrgInfo]) -> None:
    """A name the NER found that is part of a longer organisation name in the same article is that
    organisation: "Communist Party" beside "Chinese Communist Party", "House" beside "House Select
    Committee ...". Why: news shortens a name after its first full mention; a second node for the
    short form splits the organisation's relations. The short form must be whole words of the long
    one in order; of several longer names the shortest wins ("Communist Party" is the "Chinese
    Communist Party", not the committee named after it), then the one named last before it.
    Gazetteer organisations are never merged away (they keep their canonical id)."""
    ner_keys = {m.key for m in mentions if m.kind == "org" and m.form == "ner"}
    if not ner_keys:
        return
    names = {k: _words(o.name) for k, o in orgs.items()}
    targets: dict[str, list[str]] = {}
    for short in ner_keys:
        sw = names[short]
        n = len(sw)
        longer = [k for k, lw in names.items() if k != short and len(lw) > n
                  and any(lw[i:i + n] == sw for i in range(len(lw) - n + 1))]
        if longer:
            targets[short] = longer
    if not targets:
        return
    firsts: dict[str, list[int]] = {}
    for m in mentions:
        if m.kind == "org":
            firsts.setdefault(m.key, []).append(m.start)
    for m in mentions:
        candidates = targets.get(m.key) if m.kind == "org" else None
        if not candidates:
            continue
        fewest = min(len(names[k]) for k in candidates)
        closest = [k for k in candidates if len(names[k]) == fewest]
        before = [(max(i for i in firsts[k] if i < m.start), k) for k in closest if any(i < m.start for i in firsts[k])]
        m.key = max(before)[1] if before else min(closest, key=lambda k: firsts[k][0])
    for short in targets:
        orgs.pop(short, None)


def _best_term(ld: gz.Leader, published: str | None) -> gz.Leader:
    """Of a person's rows in the leaders gazetteer, the office held on the date, else the latest."""
    rows = [r for r in gz.leaders() if r.name == ld.name]
    current = [r for r in rows if r.holds_office_on(published)]
    return current[0] if current else max(rows, key=lambda r: r.start)


def _apply_leader(info: PersonInfo, ld: gz.Leader, published: str | None, sentence: str) -> None:
    """Country and role from the leaders gazetteer; LEADS only while the term covers the article date."""
    target = ("org", ld.office_of[4:]) if ld.office_of.startswith("org:") else ("country", ld.office_of)
    current = ld.holds_office_on(published)
    if current or info.role is None:
        info.role = ld.role
        if target[0] == "country":
            info.country = target[1]
    if current:
        info.official = True
        if (target[0], target[1], sentence) not in info.leads and not any(x[:2] == target for x in info.leads):
            info.leads.append((target[0], target[1], sentence))
    elif target[0] == "country" and info.country is None:
        info.country = target[1]

