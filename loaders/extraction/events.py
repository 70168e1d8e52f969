"""Events and structural relations from trigger words and the dependency parse.

Which types a rule treats alike (their traits) is data: ``data/event_types.tsv``.

A trigger (``data/triggers.tsv``) marks what happened; the parse says who did it to whom:
subjects and objects of a verb, prepositional objects, possessives ("Russia's invasion of
Ukraine"), passive agents, recipients ("faces sanctions from the EU": the subject is the
target), coordination ("Xi and Lukashenko called for ..." gives two actors) and nominal events.
Negated triggers are dropped or change type (``data/negations.tsv``), events under a denial are
dropped, and modals or conditionals lower the confidence. Officials acting for a state are
attributed to that state's ISO3 code, as the gold convention wants.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from geokg.graph.model import EVENT_TYPES, UNDIRECTED_TYPES
from geokg.loaders import gazetteer as gz
from geokg.loaders.extraction.confidence import calibrate
from geokg.loaders.extraction.dates import resolve_date
from geokg.loaders.extraction.entities import EntityIndex

__all__ = ["Finding", "find_events"]

#: Verbs whose subject receives the nominal event in their object ("faces sanctions from the EU").
RECIPIENT_VERBS = gz.word_set("recipient_verbs")
#: Passive verbs whose subject receives the nominal event ("was hit with sanctions by the EU").
PASSIVE_RECIPIENT_VERBS = gz.word_set("passive_recipient_verbs")
#: Verbs whose subject is the one held in custody by a nominal COERCE event ("served 20 years in
#: Iranian jails", "spent a decade in Russian prisons"): the subject is the target, the jailer the actor.
CUSTODY_VERBS = gz.word_set("custody_verbs")
#: Types whose object's owner is the target when the object is no entity ("nationalised its assets",
#: "seized the company's tankers", "froze the bank's accounts").
OWNER_TARGET_TYPES = gz.event_trait("owner_target")
#: Nouns standing for a state's organs or people: "China's commerce ministry", "US officials".
ORGAN_NOUNS = gz.word_set("organ_nouns")
GROUP_NOUNS = gz.word_set("group_nouns")
#: Prepositions whose object is an event's target.
TARGET_PREPS = frozenset({"on", "against", "of", "with", "to", "toward", "towards", "over", "at", "upon",
                          "between", "for", "including", "about"})
#: Types for which "into X" names the target ("troops into Ukraine", "an investigation into X").
INTO_TARGET_TYPES = gz.event_trait("into_target")
#: Types for which "in X" names the target (troops in Belarus), not just the place.
IN_TARGET_TYPES = gz.event_trait("in_target")
#: Types whose target may be searched deeper in the trigger's clause.
DEEP_TYPES = gz.event_trait("deep_target")
#: Verb triggers that need an object (or a passive subject) to mean what the lexicon says.
TRANSITIVE_TYPES = gz.event_trait("transitive")
#: Violent event types: their nouns often name background events, so no far-fetched actors.
VIOLENT_TYPES = gz.event_trait("violent")
_WAR_NOUNS = gz.word_set("war_nouns")
#: Nominal types whose governing verb's subject is the addressee ("X rejected Y's demands").
ADDRESSEE_TYPES = gz.event_trait("addressee")
#: Types where a person stays the target ("sanctions on Lukashenko"), not their country.
PERSONAL_TYPES = gz.event_trait("personal")
#: Types that judge another event: their target is that event's doer when no one else is named.
JUDGING_TYPES = gz.event_trait("judging")
#: Types whose target is the doer of the step they act on ("welcomed the move by X").
STEP_TARGET_TYPES = gz.event_trait("step_target")
#: Types recognised (their triggers are no other type's) but not emitted as relations.
STATEMENT_ONLY_TYPES = gz.event_trait("statement_only")
_MODALS = frozenset({"may", "might", "could", "would", "should"})
_SPECULATIVE = gz.word_set("speculative")
_DENIAL = gz.word_set("denial")
#: Verbs reporting speech: a first- or third-person pronoun subject of what they report is the speaker.
SPEECH_VERBS = gz.word_set("speech_verbs")
#: Nouns for a step someone took ("the decision by X"): a judge of the step acts on its doer.
ACT_NOUNS = gz.word_set("act_nouns")
#: Verbs of wrongdoing: said of someone in reported speech, they make the speech an accusation.
WRONG_VERBS = gz.word_set("wrong_verbs")
#: Verbs of asking someone to act: the act asked for is no event ("urged X to pardon Y").
REQUEST_VERBS = gz.word_set("request_verbs")
#: Nouns for people who act by speaking: their "attack" is criticism ("the president attacked X").
SPEAKER_NOUNS = gz.word_set("speaker_nouns")
_PRON_SPEAKER = frozenset({"i", "we", "he", "she"})
#: "the government", said by an official: the official's own state.
_OWN_ORGANS = frozenset({"government", "administration", "country", "ministry", "authorities", "authority"})
#: Nouns for people who speak for a body ("a spokeswoman for the Commission").
SPOKES_NOUNS = gz.word_set("spokes_nouns")
_PRON_NONPERSON = frozenset({"it", "its", "they", "them", "their", "itself"})
_PRON_PERSON = frozenset({"he", "him", "his", "she", "her", "himself", "herself"})
#: MEMBER_OF is structural too, but read by membership.py alone (no trigger rows here).
STRUCTURAL = frozenset({"BORDERS", "DEPENDS_ON", "ALLIED_WITH", "MEMBER_OF"})


@dataclass(frozen=True)
class Finding:
    """One event or structural relation before it becomes a model object."""

    type: str
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    sentence: str
    date: str | None
    precision: str
    confidence: float
    negated: bool = False


@functools.cache
def _trigger_index() -> dict[str, tuple[gz.Trigger, ...]]:
    idx: dict[str, list[gz.Trigger]] = {}
    for t in gz.triggers():
        idx.setdefault(t.lemmas[0], []).append(t)
    return {k: tuple(v) for k, v in idx.items()}


def _pos_ok(tok: Token, pos: str) -> bool:
    if pos == "verb":
        return tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")
    if pos == "noun":
        return tok.pos_ in ("NOUN", "PROPN")
    return tok.pos_ in ("VERB", "NOUN", "ADJ", "PROPN", "AUX")


def _has_dependent(tok: Token, lemma: str, depth: int = 2) -> bool:
    frontier = [tok]
    for _ in range(depth):
        nxt = []
        for t in frontier:
            for c in t.children:
                if c.lemma_.lower() == lemma or c.lower_ == lemma:
                    return True
                nxt.append(c)
        frontier = nxt
    return False


def match_trigger(tok: Token) -> str | None:
    """The event type a token triggers, or None."""
    cands = _trigger_index().get(tok.lemma_.lower()) or _trigger_index().get(tok.lower_)
    if not cands:
        return None
    for trig in cands:
        if not _pos_ok(tok, trig.pos):
            continue
        if all(_has_dependent(tok, lem) or _neighbour_has(tok, lem) for lem in trig.lemmas[1:]):
            return trig.type
    return None


def _neighbour_has(tok: Token, lemma: str) -> bool:
    """Compound nouns: 'joint military exercises', 'travel ban', 'phone call' (a word just before)."""
    doc = tok.doc
    for j in (tok.i - 1, tok.i - 2, tok.i + 1):
        if 0 <= j < len(doc) and (doc[j].lemma_.lower() == lemma or doc[j].lower_ == lemma):
            return True
    # "closed neighbouring borders": the small model takes the verb for an adjective of its object
    return tok.dep_ == "amod" and tok.tag_ in ("VBD", "VBN") and tok.head.lemma_.lower() == lemma


def _object_as_head(tok: Token) -> bool:
    """A phrase trigger whose object the parser made its head ("closed neighbouring borders":
    "closed" an adjective of "borders"); the phrase's other word is that head."""
    return tok.dep_ == "amod" and tok.tag_ in ("VBD", "VBN") and any(
        tok.head.lemma_.lower() in trig.lemmas[1:] for trig in _trigger_index().get(tok.lemma_.lower(), ()))


def _conj(tok: Token) -> Iterator[Token]:
    """``tok`` and the words coordinated with it. A list of names "A, B and C" that the parser
    took for an apposition (B hangs on A as ``appos`` and has C as its own conjunct) counts as
    coordination; a true apposition ("Canada, a member of NATO"; "the African Union (AU)") has
    no conjunct of its own or is no name."""
    yield tok
    for c in tok.children:
        if c.dep_ == "conj" or (c.dep_ == "appos" and c.i > tok.i and tok.pos_ == "PROPN" and c.pos_ == "PROPN"
                                and any(g.dep_ == "cc" for g in c.children)
                                and any(g.dep_ == "conj" for g in c.children)):
            yield from _conj(c)


#: Head nouns by which news calls a body named before ("the bureau", "the committee").
BODY_NOUNS = gz.word_set("body_nouns")


#: Head nouns that stand for a body of a gazetteer kind even when its name lacks them.
BODY_KINDS = {"alliance": frozenset({"alliance"}), "bloc": frozenset({"igo", "alliance"}),
              "party": frozenset({"party"}), "group": frozenset({"military"})}


@functools.cache
def _org_words(name: str, key: str) -> frozenset[str]:
    """Lower-case words of an organisation's name and, for a gazetteer one, of all its aliases."""
    forms = [name]
    org = gz.organizations().get(key)
    if org is not None:
        forms += [org.name, *org.aliases]
    return frozenset(w for f in forms for w in re.findall(r"[a-z]+", f.lower()))


class _Resolver:
    """Maps tokens to entity refs, with pronouns and 'the two leaders' resolved in context."""

    def __init__(self, index: EntityIndex):
        self.index = index
        self.persons_seen: list[tuple[int, str]] = []  # (token, person ref)
        self.actor_seen: list[tuple[int, str]] = []  # (token, country/org ref, incl. persons' countries)
        for m in index.mentions:
            ref = index.ref_of(m)
            if m.kind == "person":
                self.persons_seen.append((m.start, ref))
                info = index.persons[m.key]
                if info.country and info.official:
                    self.actor_seen.append((m.start, f"country:{info.country}"))
            elif m.kind == "country" or m.kind == "org":
                self.actor_seen.append((m.start, ref))
        self.subject_nonperson: list[tuple[int, str]] = []

    def note_subjects(self, sent: Span) -> None:
        for t in sent:
            if t.dep_ in ("nsubj", "nsubjpass") and (t.head.dep_ == "ROOT" or t.head == t.head.head):
                for r in self.entity_of(t, depth=1):
                    if not r.startswith("person:"):
                        self.subject_nonperson.append((t.i, r))
                    else:
                        info = self.index.persons[r[7:]]
                        if info.country and info.official:
                            self.subject_nonperson.append((t.i, f"country:{info.country}"))

    def _speaker(self, t: Token) -> list[str]:
        """The speaker a pronoun subject stands for inside reported speech: '"We call on X to ...,"
        the Egyptian foreign minister said', 'Spain's prime minister said he condemned ...'. Why:
        news reports most appeals, criticism and refusals as quotes, and the quoted "we" or the
        reported "he" is the one whose words they are, often an official named only by office
        (no person to resolve a pronoun to). The pronoun must be the subject of the reported
        clause itself (a ``ccomp`` of a speech verb), and the speaker must resolve to an entity."""
        bare_organ = t.lemma_.lower() in _OWN_ORGANS and [c.lower_ for c in t.children] == ["the"]
        if (t.lower_ not in _PRON_SPEAKER and not bare_organ) or t.dep_ not in ("nsubj", "nsubjpass"):
            return []
        clause = t.head
        for _ in range(2):
            if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in SPEECH_VERBS:
                speakers = [r for c in clause.head.children if c.dep_ == "nsubj" and c is not t
                            and c.lower_ not in _PRON_SPEAKER for r in self.refs(c)]
                # "the government" is the speaker's state, not the speaker
                return [self.as_actor(r) for r in speakers] if bare_organ else speakers
            if clause.dep_ not in ("conj", "xcomp"):
                return []
            clause = clause.head
        return []

    def _pronoun(self, t: Token) -> list[str]:
        low = t.lower_
        speaker = self._speaker(t)
        if speaker:
            return speaker
        if low in _PRON_PERSON:
            prev = [r for i, r in self.persons_seen if i < t.i]
            return prev[-1:] if prev else []
        if low in _PRON_NONPERSON:
            antecedent = self._relative_antecedent(t)
            if antecedent:
                return antecedent
            sent = t.sent
            # the subject of this sentence, when it comes before the pronoun
            for s in sent:
                if s.i >= t.i:
                    break
                if s.dep_ in ("nsubj", "nsubjpass") and s.i in self.index.by_token:
                    m = self.index.by_token[s.i]
                    if m.kind != "person":
                        return [self.index.ref_of(m)]
            prev = [r for i, r in self.subject_nonperson if i < t.i]
            if prev:
                return prev[-1:]
            prev = [r for i, r in self.actor_seen if i < t.i]
            return prev[-1:]
        return []

    def _relative_antecedent(self, t: Token) -> list[str]:
        """'Exxon, which left after X nationalised its assets': inside a relative clause on a
        non-person entity, 'it/its' is that entity (the clause is about it)."""
        cur = t
        for _ in range(6):
            if cur.dep_ == "relcl":
                m = self.index.by_token.get(cur.head.i)
                return [self.index.ref_of(m)] if m is not None and m.kind != "person" else []
            if cur.dep_ == "ROOT":
                return []
            cur = cur.head
        return []

    def _group(self, t: Token) -> list[str]:
        """'the two leaders', 'both countries': the last two distinct actors named before."""
        persons_only = t.lemma_ in ("leader", "president")
        seen: list[str] = []
        source = self.persons_seen if persons_only else self.actor_seen
        for i, r in reversed(source):
            if i >= t.sent.start and i >= t.i:
                continue
            r2 = self.as_actor(r)
            if r2 not in seen and (persons_only or r2.startswith("country:")):
                seen.append(r2)
            if len(seen) == 2:
                break
        return seen if len(seen) == 2 else []

    def _speaks_for(self, t: Token) -> list[str]:
        """The organisation a named person speaks for, as the apposition beside the name says:
        "Maria Lopez, a spokeswoman for the European Commission", "Amnesty International's
        director, Agnes Callamard". Why: the gold convention attributes words said in office to
        the body; the person acts personally only when no body is named."""
        idx = self.index
        nouns = [c for c in t.children if c.dep_ == "appos"] + ([t.head] if t.dep_ == "appos" else [])
        for n in nouns:
            if n.lemma_.lower() not in SPOKES_NOUNS:
                continue
            for c in n.children:
                owners = [c] if c.dep_ == "poss" else [p for p in c.children if p.dep_ == "pobj"] if (
                    c.dep_ == "prep" and c.lower_ in ("for", "of", "at")) else []
                for o in owners:
                    m = idx.by_token.get(o.i)
                    if m is not None and m.kind == "org":
                        return [idx.ref_of(m)]
        return []

    def entity_of(self, t: Token, depth: int = 2) -> list[str]:
        idx = self.index
        m = idx.by_token.get(t.i)
        if m is not None:
            if m.kind == "person" and t.dep_ in ("nsubj", "appos", "nsubjpass"):
                body = self._speaks_for(t)
                if body:
                    return body
            return [idx.ref_of(m)]
        if t.pos_ == "PRON" or t.tag_ in ("WP", "WDT"):
            if t.lower_ in ("who", "which", "that", "whom") and t.head.dep_ in ("relcl", "acl") and depth > 0:
                ante = t.head.head
                if ante.dep_ == "appos" and ante.head.i in idx.by_token and ante.i not in idx.by_token:
                    ante = ante.head  # "Hezbollah, a Lebanese militia that backs X": Hezbollah backs X
                return self.refs(ante) if ante is not t.head else []  # "Zelenskyy, who welcomed"
            if t.lower_ in ("whom", "which") and t.dep_ == "pobj" and t.head.head.dep_ == "relcl" and depth > 0:
                ante = t.head.head.head  # "the leaders on whom Putin depends": the leaders
                if ante.lower_ in ("two", "both"):  # "two of the leaders on whom ..."
                    ante = next((p for c in ante.children if c.dep_ == "prep" and c.lower_ == "of"
                                 for p in c.children if p.dep_ == "pobj"), ante)
                return self.refs(ante)
            return self._pronoun(t)
        speaker = self._speaker(t)  # "X's minister said the government would ...": X
        if speaker:
            return speaker
        lemma = t.lemma_.lower()
        if lemma in GROUP_NOUNS and t.tag_ in ("NNS", "NNPS"):
            partitive = t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lower_ in ("two", "both")
            if any(c.lower_ in ("two", "both") for c in t.children) or t.lower_ == "both" or partitive:
                g = self._group(t)
                if g:
                    return g
        if depth <= 0:
            return []
        for c in t.children:
            if c.dep_ == "appos" or (c.dep_ == "acl" and c.lemma_ in ("call", "name", "know", "dub")):
                for x in ([c] if c.dep_ == "appos" else [g for g in c.children if g.dep_ in ("oprd", "dobj", "attr")]):
                    # "the European powers (Britain, France and Germany)": every member of the list
                    r = _uniq(y for z in _conj(x) for y in self.entity_of(z, depth - 1))
                    if r:
                        return r
        described = self._described(t)
        if described:
            return described
        for c in t.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod", "nn"):
                if c.i in idx.by_token:
                    return [idx.ref_of(idx.by_token[c.i])]
                if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN"):
                    inner = [g for g in c.children if g.dep_ in ("amod", "compound", "poss") and g.i in idx.by_token]
                    if inner:
                        return [idx.ref_of(idx.by_token[inner[0].i])]
                if c.dep_ == "poss" and c.pos_ == "NOUN":
                    body = self._described_org(c)  # "the bureau's efforts": the body's own
                    if body:
                        return body
                if c.dep_ == "poss" and c.pos_ == "PRON" and lemma in ORGAN_NOUNS | GROUP_NOUNS:
                    r = self._pronoun(c)
                    if r:
                        return [self._country_of(r[0])]
        if lemma in ORGAN_NOUNS:
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "in", "from", "for"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            # "the ministers of France, Italy and Spain": every state listed
                            r = [x for y in _conj(p) for x in self.entity_of(y, depth - 1)]
                            if r:
                                return r
        return []

    def _described(self, t: Token) -> list[str]:
        """'the Foreign Secretary' -> the person of that office named in the article; 'the country'
        -> the country named last before it."""
        idx = self.index
        if not any(c.lower_ == "the" for c in t.children):
            return []
        if t.lemma_ in ("country", "nation") and t.tag_ == "NN" and not any(
                c.dep_ in ("amod", "compound", "poss", "prep") for c in t.children):
            # the country under discussion: named in an earlier sentence (not the actor beside it)
            here = {m.key for m in idx.mentions if m.kind == "country" and t.sent.start <= m.start < t.i}
            prev = [m for m in idx.mentions if m.kind == "country" and m.start < t.sent.start and m.counts
                    and m.key not in here]
            return [idx.ref_of(prev[-1])] if prev else []
        body = self._described_org(t)
        if body:
            return body
        from geokg.loaders.extraction.roles import title_at
        words = [c for c in t.children if c.dep_ == "compound" and c.i < t.i] + [t]
        if any(c.dep_ in ("amod", "poss") and c.i in idx.by_token for c in t.children):
            return []
        found = title_at(" ".join(w.text for w in words))
        if not found:
            return []
        role = found[-1][2].role
        holders = [p for p in idx.persons.values() if p.role == role and p.first < t.i]
        if len({p.key for p in holders}) == 1:
            return [f"person:{holders[0].key}"]
        return []

    def _described_org(self, t: Token) -> list[str]:
        """'the bureau', 'the committee', 'the alliance': the one organisation named earlier in the
        article whose name (or a gazetteer alias: "Federal Bureau of Investigation") holds that
        noun. Why: news names a body once, then calls it by its head noun; without this its
        demands and actions in later sentences have no actor. A modified noun ("a Senate
        committee", "the new bureau") or two candidate bodies give nothing."""
        lemma = t.lemma_.lower()
        if lemma not in BODY_NOUNS or t.tag_ != "NN" or any(
                c.dep_ in ("amod", "compound", "nmod", "nummod") for c in t.children):
            return []
        idx = self.index
        keys = {m.key for m in idx.mentions if m.kind == "org" and m.start < t.i}
        found = [k for k in keys if lemma in _org_words(idx.orgs[k].name, k)]
        if not found and lemma in BODY_KINDS:  # "the alliance" after "NATO"
            found = [k for k in keys if idx.orgs[k].kind in BODY_KINDS[lemma]]
        return [f"org:{found[0]}"] if len(found) == 1 else []

    def theatre(self) -> str | None:
        """The country the article's war is in: most often X in 'the conflict in X', 'the war in X'."""
        if not hasattr(self, "_theatre"):
            counts: dict[str, int] = {}
            for t in self.index.doc:
                if t.lemma_.lower() in _WAR_NOUNS:
                    for c in t.children:
                        if c.dep_ == "prep" and c.lower_ in ("in", "on", "against", "of"):
                            for p in c.children:
                                m = self.index.by_token.get(p.i)
                                if p.dep_ == "pobj" and m is not None and m.kind == "country":
                                    counts[m.key] = counts.get(m.key, 0) + 1
            best = max(counts, key=lambda k: counts[k]) if counts else None
            self._theatre = f"country:{best}" if best and counts[best] >= 2 else None
        return self._theatre

    def _country_of(self, ref: str) -> str:
        if ref.startswith("person:"):
            info = self.index.persons[ref[7:]]
            if info.country:
                return f"country:{info.country}"
        return ref

    def refs(self, t: Token) -> list[str]:
        out: list[str] = []
        for x in _conj(t):
            for r in self.entity_of(x):
                if r not in out:
                    out.append(r)
        return out

    def as_actor(self, ref: str) -> str:
        if ref.startswith("person:"):
            info = self.index.persons[ref[7:]]
            if info.country and info.official:
                return f"country:{info.country}"
            orgs = [k for kind, k, _ in info.leads if kind == "org"]
            if orgs and orgs[0] in self.index.orgs:
                return self.as_actor(f"org:{orgs[0]}")
        elif ref.startswith("org:"):
            o = self.index.orgs.get(ref[4:])
            if o is not None and o.attribute and o.country:
                return f"country:{o.country}"
        return ref

    def as_target(self, ref: str, etype: str) -> str:
        if ref.startswith("person:"):
            info = self.index.persons[ref[7:]]
            if etype in PERSONAL_TYPES or not (info.country and info.official):
                return ref  # acted on personally, or no state to stand for
        return self.as_actor(ref)


def _subject_refs(res: _Resolver, v: Token) -> tuple[list[str], list[str]]:
    """(actors, targets) from a verb's subject: passive subjects are targets, agents actors."""
    actors: list[str] = []
    targets: list[str] = []
    for c in v.children:
        if c.dep_ in ("nsubj", "csubj"):
            actors += res.refs(c)
        elif c.dep_ == "nsubjpass":
            targets += res.refs(c)
        elif c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    actors += res.refs(p)
    return actors, targets


def _climb_actor(res: _Resolver, tok: Token) -> list[str]:
    """The doer of a trigger that has no subject of its own: up the tree to the clause that has one."""
    cur = tok
    via_of_by = crossed_advcl = False
    for _ in range(6):
        if cur.dep_ == "ROOT" or cur.dep_ == "ccomp" and cur is not tok:
            return []
        dep, head = cur.dep_, cur.head
        if dep == "relcl":
            return res.refs(head)
        if dep == "prep" and cur.lower_ in ("of", "by") and not crossed_advcl:
            via_of_by = True
        if dep == "advcl":
            crossed_advcl = True
        if head.pos_ in ("VERB", "AUX") or head.pos_ == "ADJ":
            if dep == "xcomp" or via_of_by:
                objs = [c for c in head.children if c.dep_ in ("dobj",)]
                if objs and dep in ("xcomp", "prep", "pcomp"):
                    r = []
                    for o in objs:
                        r += res.refs(o)
                    if r:
                        return r
            acts, targs = _subject_refs(res, head)
            if acts:
                return acts
            if any(c.dep_ == "nsubjpass" for c in head.children) and dep == "xcomp":
                return targs
        cur = head
    return []


def _fronted_subject(res: _Resolver, verb: Token) -> list[str]:
    """The doers of a main verb the parser left without a subject because they follow an opening
    phrase ("Following its intervention, France, the AU and ECOWAS backed ..."): the small model
    hangs them on that phrase's object as an apposition. Only a comma-set apposition of a
    prepositional phrase before the verb counts, and only when it names entities."""
    found: list[str] = []
    for c in verb.children:
        if c.dep_ != "prep" or c.i > verb.i:
            continue
        for p in c.children:
            if p.dep_ != "pobj":
                continue
            for a in p.children:
                if (a.dep_ == "appos" and a.i > p.i and a.pos_ == "PROPN" and a.left_edge.i > 0
                        and a.doc[a.left_edge.i - 1].text == ","):
                    found += [r for r in res.refs(a) if r not in found]
    return found


def _prep_objects(res: _Resolver, tok: Token, etype: str, skip: frozenset[str] = frozenset()) -> list[str]:
    out: list[str] = []
    allowed = TARGET_PREPS | ({"in", "inside"} if etype in IN_TARGET_TYPES else set()) | (
        {"into"} if etype in INTO_TARGET_TYPES else set())
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in allowed and c.lower_ not in skip:
            for p in c.children:
                if p.dep_ == "pobj":
                    out += res.refs(p)
                    if not out:
                        out += _prep_objects(res, p, etype, skip)
                    if not out:
                        out += _including(res, p)
    return out


def _including(res: _Resolver, tok: Token) -> list[str]:
    """'sanctions on senior figures in the regime, including his son, Victor, and Igor Sergeenko'."""
    for t in tok.subtree:
        if t.lower_ == "including" and t.dep_ == "prep" and t.i - tok.i < 12:
            for p in t.children:
                if p.dep_ == "pobj":
                    return res.refs(p)
    return []


def _deep_target(res: _Resolver, tok: Token, exclude: set[int], skip: list[str], etype: str) -> list[str]:
    """First entity in the trigger's clause, nearest in the tree, not inside the subject and
    not one of the actors (``skip``). The search does not enter another kind of event named
    in the clause: in "condemning sanctions enacted against Russia" Russia is the sanctions'
    target, not the condemnation's."""
    frontier = [c for c in tok.children if c.i not in exclude
                and c.dep_ not in ("nsubj", "nsubjpass", "csubj", "conj", "cc", "appos")]
    for _ in range(8):
        nxt = []
        for t in frontier:
            if t.i in res.index.by_token:
                ref = res.index.ref_of(res.index.by_token[t.i])
                if res.as_actor(ref) not in skip and ref not in skip:
                    return [ref]
            if t.pos_ == "NOUN" and match_trigger(t) not in (None, etype):
                if etype in JUDGING_TYPES:
                    doer = _event_doer(res, t)  # "condemned the visit by the US speaker": the visitor
                    doer = [r for r in doer if res.as_actor(r) not in skip]
                    if doer:
                        return doer[:1]
                continue
            nxt += [c for c in t.children if c.i not in exclude and c.dep_ not in ("relcl", "ccomp", "advcl")]
        frontier = nxt
    return []




def _event_doer(res: _Resolver, noun: Token) -> list[str]:
    """Who did a nominal event, as the noun itself says: its owner or modifier ("Moscow's
    invasion", "Israeli strikes") or its "by" object ("the visit by the US speaker")."""
    out: list[str] = []
    for c in noun.children:
        if c.dep_ in ("poss", "compound", "amod") and c.i < noun.i and c.i in res.index.by_token:
            out += res.entity_of(c)
        elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
            out += [r for p in c.children if p.dep_ == "pobj" for r in res.refs(p)]
        elif c.dep_ == "acl" and c.tag_ == "VBN":
            # "the sanctions imposed by Canada", "the accusations made by Washington"
            out += [r for a in c.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"
                    for r in res.refs(p)]
    return out


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in ("no", "never") and c.dep_ in ("det", "neg", "advmod")
           for c in tok.children):
        return True
    if tok.dep_ in ("xcomp", "dobj", "pobj") and any(c.dep_ == "neg" for c in tok.head.children):
        return True
    return False


def _reported_accusation(res: _Resolver, tok: Token) -> tuple[tuple[str, ...], tuple[str, ...], float] | None:
    """"South Africa argued that Israel was breaching its obligations", "Kenya said Somalia had
    violated the deal": saying that someone did wrong is an accusation (CAMEO 112) of the
    reported clause's subject by the speaker. Only wrongdoing verbs (``wrong_verbs``) count, only
    in a clause the speech verb reports, and not when the speech is negated."""
    if tok.lemma_.lower() not in SPEECH_VERBS or tok.pos_ not in ("VERB", "AUX") or _negated(tok):
        return None
    for clause in tok.children:
        if clause.dep_ != "ccomp" or clause.lemma_.lower() not in WRONG_VERBS or _negated(clause):
            continue
        speakers, _ = _subject_refs(res, tok)
        accused = [r for c in clause.children if c.dep_ == "nsubj" for r in res.refs(c)]
        actors = tuple(_uniq(res.as_actor(r) for r in speakers))
        targets = tuple(t for t in _uniq(res.as_target(r, "DISAPPROVE") for r in accused) if t not in actors)
        if actors and targets:
            return actors, targets, 0.7
    return None


def _requested(tok: Token) -> bool:
    """A verb for what someone is asked to do: "urged Nigeria to pardon the boy", "asking him to
    release them". Why: the act has not happened; the appeal itself is the event (its own trigger)."""
    return (tok.dep_ == "xcomp" and tok.pos_ in ("VERB", "AUX") and tok.head.lemma_.lower() in REQUEST_VERBS
            and any(c.dep_ in ("dobj", "nsubj") for c in tok.head.children if c.i < tok.i))


def _under_trigger(tok: Token) -> bool:
    """A nominal trigger that is the object of another trigger verb ("urged talks", "called a meeting")."""
    cur = tok
    for _ in range(3):
        if cur.dep_ not in ("dobj", "pobj", "prep", "conj"):
            return False
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            t = match_trigger(cur)
            return t is not None and t not in STRUCTURAL
    return False


def _under_denial(tok: Token) -> bool:
    """Whether a denial verb governs the trigger's clause ("denied it would supply weapons").
    A clause modifying a noun ("Hamas, which is backed by Iran, rejected ...") is no part of
    what is denied: the climb stops there."""
    cur = tok
    for _ in range(4):
        if cur.dep_ in ("ROOT", "relcl", "acl", "appos"):
            return False
        cur = cur.head
        if cur.lemma_.lower() in _DENIAL:
            return True
    return False


def _confidence(tok: Token, base: float) -> float:
    conf = base
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in tok.children):
        conf *= 0.7
    cur = tok
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in cur.children):
            conf *= 0.6
            break
        if cur.lemma_.lower() in _SPECULATIVE and cur is not tok:
            conf *= 0.6
            break
        if cur.dep_ == "ROOT":
            break
        cur = cur.head
    return round(conf, 3)


def _sentence_date(sent: Span, tok: Token, published: str | None) -> tuple[str | None, str]:
    dates = [e for e in sent.ents if e.label_ in ("DATE", "TIME")]
    if not dates:
        return published, "day"
    best = min(dates, key=lambda e: abs(e.start - tok.i))
    return resolve_date(best.text, published)


def _event_args(res: _Resolver, tok: Token, etype: str) -> tuple[list[str], list[str], float]:
    """(actors, targets, confidence) of an event trigger."""
    conf = 0.8
    actors: list[str] = []
    targets: list[str] = []
    if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB") or tok.pos_ == "ADJ":
        actors, targets = _subject_refs(res, tok)
        for c in tok.children:
            if c.dep_ in ("dobj", "dative", "oprd"):
                r = res.refs(c)
                if not r:
                    r = _prep_objects(res, c, etype)
                if not r and etype in STEP_TARGET_TYPES and (
                        c.lemma_.lower() in ACT_NOUNS or match_trigger(c) is not None):
                    r = _event_doer(res, c)  # "vetoed the resolution drafted by X", "welcomed the move by X"
                if not r and etype in OWNER_TARGET_TYPES:
                    r = [x for o in c.children if o.dep_ == "poss"
                         for x in (res.refs(o) if o.pos_ != "PRON" else res.entity_of(o))]
                targets += r
        targets += _prep_objects(res, tok, etype, skip=frozenset({"by", "from"}))
        if _object_as_head(tok) and not targets:
            targets += _prep_objects(res, tok.head, etype)  # "closed borders with X": X, the object's
        agentless_passive = _agentless_passive(tok)
        own_subject = any(c.dep_ in ("nsubj", "csubj") for c in tok.children)
        if not actors and not agentless_passive and not own_subject and tok.dep_ == "ROOT":
            actors = _fronted_subject(res, tok)
        if not actors and not agentless_passive and not own_subject:
            # no subject of its own ("... and urged X", "keen to strengthen ties"): the clause's doer;
            # a subject we cannot resolve ("the island's president visited") is someone else
            actors = _climb_actor(res, tok)
            conf -= 0.1
    else:
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < tok.i:
                actors += res.entity_of(c)
            elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        actors += res.refs(p)
        targets += _prep_objects(res, tok, etype)
        # the verb that governs the nominal event
        gov = tok
        hops = 0
        while gov.dep_ in ("pobj", "prep", "dobj", "conj", "compound", "appos", "attr", "nmod") and gov.head != gov:
            gov = gov.head
            hops += 1
            if gov.pos_ in ("VERB", "AUX"):
                break
        far = hops > 3 or etype in VIOLENT_TYPES and hops > 2  # "a training ground for the invasion of X"
        if gov.pos_ in ("VERB", "AUX") and gov is not tok:
            if gov.lemma_.lower() in PASSIVE_RECIPIENT_VERBS and _passive(gov):
                # "Iran was hit with new sanctions by the EU": the passive subject receives them
                subj, passive_subj = _subject_refs(res, gov)
                targets = passive_subj + targets
                actors = actors or subj
            elif gov.lemma_.lower() in RECIPIENT_VERBS or etype == "COERCE" and gov.lemma_.lower() in CUSTODY_VERBS:
                subj, _ = _subject_refs(res, gov)
                targets = subj + targets
            elif actors and not targets and etype in ADDRESSEE_TYPES:
                # "Trump agrees to Beijing's demands": whoever answers the demand is its target
                targets, _ = _subject_refs(res, gov)
            elif not actors and not far:
                subj, _ = _subject_refs(res, gov)
                actors = subj or ([] if etype in VIOLENT_TYPES or hops > 2 else _climb_actor(res, gov))
                conf -= 0.1
            if not targets:
                targets += _prep_objects(res, gov, etype, skip=frozenset({"by", "from", "of", "for", "about"}))
        if actors and not targets and etype in VIOLENT_TYPES:
            # "Moscow's invasion": the war the article is about ("the conflict in Ukraine")
            theatre = res.theatre()
            if theatre and theatre not in [res.as_actor(a) for a in actors]:
                targets = [theatre]
                conf -= 0.15
    if not targets and actors and etype == "MILITARY_POSTURE" and tok.pos_ == "VERB" and tok.dep_ in ("xcomp", "conj"):
        targets = _place_in_sentence(res, tok, actors)
    if not targets and etype in DEEP_TYPES and not (etype in UNDIRECTED_TYPES and len(actors) >= 2):
        exclude: set[int] = set()
        for c in tok.children:
            if c.dep_ in ("nsubj", "nsubjpass", "poss"):
                exclude.update(x.i for x in c.subtree)
        targets = _deep_target(res, tok, exclude, [res.as_actor(a) for a in actors], etype)
        conf -= 0.15
    return actors, targets, conf


def _passive(verb: Token) -> bool:
    return any(c.dep_ == "nsubjpass" for c in verb.children)


def _agentless_passive(tok: Token) -> bool:
    """A passive with no "by" agent ("were charged"): whoever acted is said elsewhere, if at all."""
    return _passive(tok) and not any(c.dep_ == "agent" for c in tok.children)


def _shared_target(res: _Resolver, tok: Token, actors: list[str], depth: int = 3) -> list[str]:
    """The target of the verb this one is coordinated with, when they share the doer: "X condemned
    Y and threatened sanctions" -> X threatens Y. Why: news lists one actor's steps against one
    target in a row of verbs and names the target once."""
    head = tok.head
    if tok.dep_ != "conj" or tok.pos_ not in ("VERB", "AUX") or head.pos_ not in ("VERB", "AUX") or any(
            c.dep_ in ("nsubj", "nsubjpass", "ccomp") for c in tok.children):
        return []  # its own subject, or a clause it is about ("and denied it would ..."): not shared
    etype = match_trigger(head)
    if etype is None or etype in STRUCTURAL or _negated(head):
        return []
    h_actors, h_targets, _ = _event_args(res, head, etype)
    if {res.as_actor(a) for a in h_actors} != {res.as_actor(a) for a in actors}:
        return []
    if not h_targets and depth > 1:  # "condemned X, recalled its envoy and threatened sanctions"
        return _shared_target(res, head, actors, depth - 1)
    return h_targets


def _place_in_sentence(res: _Resolver, tok: Token, actors: list[str]) -> list[str]:
    """Where troops go when no destination is said ("..., prompting France to send in troops"):
    the last country named or described ("the country") earlier in the same sentence that is not
    the sender. Why: news names the place first and then the deployment it prompted. Only for a
    sending verb that continues the sentence (an ``xcomp``/``conj``): "... which hosts US troops"
    or a sentence that opens with the deployment name no place before it."""
    own = {res.as_actor(a) for a in actors}
    for t in reversed(tok.sent[:tok.i - tok.sent.start]):
        m = res.index.by_token.get(t.i)
        if m is not None:
            refs = [res.index.ref_of(m)] if m.kind == "country" and m.counts else []
        elif t.lemma_ in ("country", "nation") and t.dep_ == "pobj":
            refs = res.entity_of(t, depth=0) or res._described(t)
        else:
            continue
        refs = [r for r in refs if r.startswith("country:") and r not in own]
        if refs:
            return refs[:1]
    return []


def _structural(res: _Resolver, tok: Token, etype: str) -> tuple[list[str], list[str]]:
    """(sources, targets) of BORDERS / DEPENDS_ON / ALLIED_WITH stated around ``tok``."""
    idx = res.index
    lemma = tok.lemma_.lower()
    if etype == "BORDERS":
        if lemma.startswith("neighbo") and tok.dep_ in ("amod", "acl", "compound"):
            head = tok.head
            if head.i in idx.by_token and idx.by_token[head.i].kind == "country":
                me = idx.by_token[head.i].key
                prev = [m.key for m in idx.mentions if m.kind == "country" and m.start < tok.i
                        and m.start >= tok.sent.start and m.key != me]
                return ([f"country:{prev[-1]}"], [f"country:{me}"]) if prev else ([], [])
            return [], []
        if lemma.startswith("neighbo"):
            owners = [r for c in tok.children if c.dep_ == "poss" for r in res.refs(c)]
            others = res.refs(tok.head) if tok.dep_ == "appos" else [
                r for c in tok.children if c.dep_ == "appos" for r in res.refs(c)]
            return owners, others
        # "shares a border with X", "borders X"
        verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
        subj, _ = _subject_refs(res, verb)
        if not subj:
            subj = _climb_actor(res, verb)
        objs = [r for c in verb.children if c.dep_ == "dobj" and c.i in idx.by_token for r in res.refs(c)]
        objs += _prep_objects(res, tok, etype) + (_prep_objects(res, verb, etype) if verb is not tok else [])
        for c in verb.children:
            if c.dep_ == "dobj" and c.lemma_ == "border":
                objs += _prep_objects(res, c, etype)
        return subj, objs
    if etype == "DEPENDS_ON":
        subj, _ = _subject_refs(res, tok) if tok.pos_ in ("VERB", "AUX") else ([], [])
        if not subj:
            subj = _climb_actor(res, tok)
        objs = []
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "upon"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        objs += res.refs(p)
        return subj, objs
    if etype == "ALLIED_WITH":
        owners = [r for c in tok.children if c.dep_ == "poss" for r in res.refs(c)]
        others = res.refs(tok.head) if tok.dep_ == "appos" else [
            r for c in tok.children if c.dep_ == "appos" for r in res.refs(c)]
        owners += _prep_objects(res, tok, etype)
        if not others:
            others = res.refs(tok) if tok.tag_ == "NNS" else []
            if not others and lemma in ("friendship", "alliance", "allied"):
                others = _climb_actor(res, tok) if tok.dep_ not in ("appos",) else []
                if not owners and lemma in ("friendship", "alliance", "allied"):
                    gov = tok.head if tok.head.pos_ in ("VERB", "AUX") else tok
                    owners = _prep_objects(res, gov, etype)
        if tok.tag_ == "NNS" and tok.dep_ == "conj" and tok.head.i not in idx.by_token and not any(
                c.dep_ == "poss" for c in tok.children):
            g = res.refs(tok.head)
            if len(g) == 2:
                return g[:1], g[1:]
        return others, owners
    return [], []


@dataclass(frozen=True)
class Args:
    """An event's type, doers, targets and confidence while the argument rules refine them."""

    type: str
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    confidence: float


@dataclass(frozen=True)
class ArgRule:
    """One argument rule: ``run`` returns the refined readings, or None when it does not apply.
    ``penalty`` is subtracted from the confidence of what it returns, for ``reason``."""

    name: str
    run: Callable[[_Resolver, Token, Args], list[Args] | None]
    penalty: float
    reason: str


def _participle_of_noun(res: _Resolver, tok: Token, a: Args) -> list[Args] | None:
    """"The rebels, backed by Egypt and Russia, advanced": a passive participle that modifies a
    noun acts on that noun's entity (its doer is the ``by`` agent, found already)."""
    if a.targets or not a.actors or tok.dep_ != "acl" or tok.tag_ != "VBN":
        return None
    targets = tuple(res.refs(tok.head))
    return [Args(a.type, a.actors, targets, a.confidence)] if targets else None


def _hyphen_doer(res: _Resolver, tok: Token, a: Args) -> list[Args] | None:
    """"Hezbollah, an Iranian-backed militia", "the UN-backed government of Libya": the entity
    before the hyphen did it to the noun the compound modifies (or what that noun stands beside)."""
    if tok.tag_ != "VBN" or tok.dep_ not in ("amod", "compound") or tok.i < 2:
        return None
    doc = tok.doc
    if doc[tok.i - 1].text not in ("-", "\u2010", "\u2011") or (tok.i - 2) not in res.index.by_token:
        return None
    actor = res.index.ref_of(res.index.by_token[tok.i - 2])
    noun = tok.head
    # "Hezbollah, an Iranian-backed militia": the named entity the noun describes, not the noun's modifier
    appos_head = noun.dep_ == "appos" and noun.head.i in res.index.by_token
    targets = res.refs(noun.head) if appos_head else res.refs(noun)
    targets = [t for t in targets if t != actor]
    return [Args(a.type, (actor,), tuple(targets), a.confidence)] if targets else None


def _each_other(res: _Resolver, tok: Token, a: Args) -> list[Args] | None:
    """"Japan and South Korea accused each other of provocations": each doer acts on the others."""
    if len(a.actors) < 2 or a.targets or a.type in UNDIRECTED_TYPES:
        return None
    if not any(c.lower_ in ("other", "another") and any(g.lower_ in ("each", "one") for g in c.children)
               or c.lower_ == "each" and any(g.lower_ == "other" for g in c.head.children)
               for c in tok.subtree if c.head == tok or c.head.head == tok):
        return None
    return [Args(a.type, (x,), tuple(y for y in a.actors if y != x), a.confidence) for x in a.actors]


#: Verbs that name something as what it is ("recognised as", "labelled", "designated").
_NAMING = frozenset({"recognize", "recognise", "label", "brand", "designate", "list", "classify", "call"})


def _terror_designation(res: _Resolver, tok: Token, a: Args) -> list[Args] | None:
    """"The group is recognised as a terrorist organisation by the EU and Canada", "Japan labelled
    the movement a terrorist group": naming someone a terrorist is a denunciation (CAMEO 11), not
    recognition or an appeal."""
    if tok.lemma_.lower() not in _NAMING or not a.targets:
        return None
    frontier, named = list(tok.children), False
    actors = list(a.actors)
    for _ in range(3):
        named = named or any(t.lemma_.lower() in ("terrorist", "terror") for t in frontier)
        if not actors and _passive(tok):  # the parser often hangs "by ..." on the name, not the verb
            actors = [r for t in frontier if t.dep_ == "prep" and t.lower_ == "by"
                      for p in t.children if p.dep_ == "pobj" for r in res.refs(p)]
        frontier = [c for t in frontier for c in t.children]
    if not named or not actors:
        return None
    return [Args("DISAPPROVE", tuple(actors), a.targets, a.confidence)]


#: Adjectives that make an "attack" verbal: "a scathing attack on X".
_VERBAL = frozenset({"verbal", "scathing", "vehement", "blistering", "stinging", "withering", "personal",
                     "furious", "angry", "sharp", "fierce", "rhetorical"})


def _verbal_attack(res: _Resolver, tok: Token, a: Args) -> list[Args] | None:
    """"President Trump attacked China for its trade practices", "a scathing attack on Poland": an
    attack by a named official (not by forces) or a verbal one is criticism (CAMEO 11), not an assault."""
    if a.type != "ASSAULT" or tok.lemma_.lower() != "attack" or not a.actors:
        return None
    verbal = any(c.dep_ == "amod" and c.lower_ in _VERBAL for c in tok.children)
    doers = [c for c in tok.children if c.dep_ == "nsubj"] or [c for c in tok.children if c.dep_ == "poss"]
    speaking = bool(doers) and all(
        (d.i in res.index.by_token and res.index.by_token[d.i].kind == "person") or d.lemma_.lower() in SPEAKER_NOUNS
        or d.lower_ in _PRON_PERSON for d in doers)
    if verbal or speaking:
        return [Args("DISAPPROVE", a.actors, a.targets, a.confidence)]
    return None


#: The argument rules, in the order they are tried; each sees what the rules before it left.
ARG_RULES: tuple[ArgRule, ...] = (
    ArgRule("participle_of_noun", _participle_of_noun, 0.05,
            "the modified noun may be a part of the entity, not the entity itself"),
    ArgRule("hyphen_doer", _hyphen_doer, 0.05, "the compound may name a past backer"),
    ArgRule("each_other", _each_other, 0.0, "the sentence says both directions"),
    ArgRule("terror_designation", _terror_designation, 0.0, "the naming itself is the stated fact"),
    ArgRule("verbal_attack", _verbal_attack, 0.1, "an official's attack is mostly, not always, verbal"),
)


def _apply_rules(res: _Resolver, tok: Token, first: Args) -> list[Args]:
    """Run :data:`ARG_RULES` in order over the readings of one trigger."""
    readings = [first]
    for rule in ARG_RULES:
        nxt: list[Args] = []
        for a in readings:
            out = rule.run(res, tok, a)
            if out is None:
                nxt.append(a)
            else:
                nxt += [Args(o.type, o.actors, o.targets, round(o.confidence - rule.penalty, 3)) for o in out]
        readings = nxt
    return readings


def find_events(index: EntityIndex, published: str | None) -> list[Finding]:
    """Every event and structural relation the article states, with evidence, date and confidence."""
    doc = index.doc
    res = _Resolver(index)
    out: list[Finding] = []
    negmap = gz.negations()
    #: event type -> (actors, sentence number) of its last mention with a doer, even one with no
    #: target: "X announced the arrests of two men. A and B were charged ..." -> X charged A and B
    recent: dict[str, tuple[tuple[str, ...], int]] = {}
    for sent_no, sent in enumerate(doc.sents):
        sentence = sent.text.strip()
        for tok in sent:
            if tok.i in index.by_token or tok.is_punct:
                continue
            accusation = _reported_accusation(res, tok)
            if accusation is not None:
                actors, targets, conf = accusation
                date, precision = _sentence_date(sent, tok, published)
                out.append(Finding("DISAPPROVE", actors, targets, sentence, date, precision,
                                   calibrate("DISAPPROVE", _confidence(tok, conf)), False))
            etype = match_trigger(tok)
            if etype is None:
                if tok.lemma_.lower() in negmap and _negated(tok):
                    etype = "_NEGATED"  # "will not accept": only meaningful under negation
                else:
                    continue
            if etype in STATEMENT_ONLY_TYPES or _requested(tok):
                continue
            negated = False
            if tok.dep_ == "acl" and any(c.dep_ == "oprd" for c in tok.children):
                continue  # "a UN mission, called MINUSMA": naming, not an appeal
            if tok.dep_ == "compound" and tok.pos_ in ("NOUN", "PROPN") and etype not in STRUCTURAL:
                continue  # "investment bank", "trade war": a modifier, not an event
            own_actor = tok.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ in ("poss", "compound", "amod") and c.i in index.by_token for c in tok.children)
            if etype not in STRUCTURAL and tok.pos_ in ("NOUN", "PROPN") and not own_actor and _under_trigger(tok):
                continue  # "called an emergency meeting": the verb's event is the one stated
            if etype in TRANSITIVE_TYPES and tok.pos_ in ("VERB", "AUX") and not any(
                    c.dep_ in ("dobj", "nsubjpass") or c.dep_ == "prep" and etype == "DIPLOMATIC_COOPERATION"
                    and c.lower_ not in ("into", "away", "off", "down", "on")
                    for c in tok.children) and not _object_as_head(tok) and not (
                    tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod", "compound")):
                continue  # "back into Venezuela", "seize on reports": not done to someone
            if etype in STRUCTURAL:
                srcs, tgts = _structural(res, tok, etype)
                conf = 0.8
            else:
                if etype == "_NEGATED" or _negated(tok):
                    new = negmap.get(tok.lemma_.lower())
                    if new is None:
                        continue
                    etype, negated = new, True
                elif etype != "REJECT" and not own_actor and _under_denial(tok):
                    continue
                srcs, tgts, conf = _event_args(res, tok, etype)
                if srcs and not tgts:
                    tgts = _shared_target(res, tok, srcs)
                if tgts and not srcs and tok.pos_ in ("VERB", "AUX") and _agentless_passive(tok):
                    last_actors, last_sent = recent.get(etype, ((), -1))
                    srcs = list(last_actors) if last_sent >= sent_no - 1 else []
                if srcs:
                    recent[etype] = (tuple(srcs), sent_no)
                conf = _confidence(tok, conf)
            readings = [Args(etype, tuple(srcs), tuple(tgts), conf)]
            if etype not in STRUCTURAL:
                readings = _apply_rules(res, tok, readings[0])
            for a in readings:
                doers = _uniq(res.as_actor(r) for r in a.actors)
                objects = _uniq(res.as_target(r, a.type) if a.type not in STRUCTURAL else res.as_actor(r)
                                for r in a.targets)
                objects = [t for t in objects if t not in doers]
                mutual = a.type in UNDIRECTED_TYPES or any(
                    _has_dependent(tok, w) for w in ("tie", "relation", "relationship", "cooperation", "together")
                ) or tok.lemma_ == "exchange"
                if mutual and not objects and len(doers) >= 2:
                    doers, objects = doers[:1], doers[1:]
                if not doers or not objects:
                    continue
                date, precision = _sentence_date(sent, tok, published)
                out.append(Finding(a.type, tuple(doers), tuple(objects), sentence, date, precision,
                                   calibrate(a.type, max(0.05, min(a.confidence, 1.0))), negated))
        res.note_subjects(sent)
    return _merge(out)


def _uniq(refs: Iterator[str] | list[str]) -> list[str]:
    out: list[str] = []
    for r in refs:
        if r not in out:
            out.append(r)
    return out


def _merge(findings: list[Finding]) -> list[Finding]:
    """One finding per (type, actors, targets, sentence), keeping the most confident."""
    best: dict[tuple[str, tuple[str, ...], tuple[str, ...], str], Finding] = {}
    for f in findings:
        k = (f.type, f.actors, f.targets, f.sentence)
        if k not in best or f.confidence > best[k].confidence:
            best[k] = f
    return list(best.values())


assert STRUCTURAL.isdisjoint(EVENT_TYPES)
