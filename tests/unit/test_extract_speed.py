"""The extraction's speed-ups change nothing a user sees: same tokens, same entities, same fragments,
on real articles."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import spacy

from conftest import ROOT, dev_articles
from geokg.loaders.extraction.attributes import FastAttributes, compile_rules
from geokg.loaders.extraction.extractor import MODEL_NAMES, Extractor, load_nlp
from geokg.loaders.extraction.ner import FastEntities
from geokg.loaders.formats.text import read_text_file

sys.path.insert(0, str(ROOT / "benchmarks"))
import extract as extract_benchmark  # noqa: E402


def _articles(shared_dir: Path) -> list[Path]:
    """Dev articles 000-008 and the real texts of shared/data/text."""
    return dev_articles(shared_dir) + sorted(
        (shared_dir / "data" / "text").rglob("[0-9]*.txt"))


def _model_name() -> str:
    return next(n for n in MODEL_NAMES if importlib.util.find_spec(n) is not None)


@pytest.fixture(scope="module")
def shipped():
    """The English model exactly as installed, without GeoKG's components."""
    return spacy.load(_model_name())


@pytest.fixture(scope="module")
def ours():
    return load_nlp()


@pytest.fixture(scope="module")
def texts(shared_dir: Path) -> list[str]:
    return [read_text_file(p).text for p in _articles(shared_dir)]


def _token_view(doc) -> list[tuple[str, str, str, str, str, str, str]]:
    return [(t.text, t.pos_, str(t.morph), t.lemma_, t.tag_, t.ent_iob_, t.ent_type_) for t in doc]


def test_every_token_of_real_articles_gets_the_pos_morph_lemma_and_entity_of_the_shipped_model(
        texts, shipped, ours):
    """Attribute rules by lookup, remembered lemmas and the NER decoded in NumPy: the tokens and
    entities are those of the model as shipped."""
    assert {"geokg_attributes", "geokg_lemmas", "geokg_entities"} <= set(ours.pipe_names)
    assert not {"attribute_ruler", "lemmatizer", "ner"} & set(ours.pipe_names)
    with ours.select_pipes(disable=["geokg_paragraphs", "geokg_extract"]):
        for want, got in zip(shipped.pipe(texts), ours.pipe(texts), strict=True):
            assert _token_view(got) == _token_view(want)


RULE_CASES = [
    # (sentence, token, expected (pos, lemma)): rules on one token, on two tokens, and by dependency
    ("She is gon na win.", "gon", ("VERB", "go")),
    ("She is gon na win.", "na", ("PART", "to")),
    ("There is no doubt.", "is", ("VERB", "be")),
    ("They did not go.", "not", ("PART", "not")),
    ("Those are hers.", "Those", ("PRON", "those")),
]


@pytest.mark.parametrize("sentence,word,expected", RULE_CASES)
def test_lookup_attribute_rules_match_the_shipped_ruler_on_multi_token_and_dependency_rules(
        sentence, word, expected, shipped, ours):
    want = next(t for t in shipped(sentence) if t.text == word)
    with ours.select_pipes(disable=["geokg_extract"]):
        got = next(t for t in ours(sentence) if t.text == word)
    assert got.pos_ == want.pos_
    assert got.lemma_ == want.lemma_
    assert str(got.morph) == str(want.morph)
    assert (got.pos_, got.lemma_) == expected


def test_a_ruler_with_patterns_the_lookup_cannot_express_is_left_in_charge():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"})
    assert compile_rules(ruler) is None
    assert "attribute_ruler" in Extractor(nlp).nlp.pipe_names


def test_a_ner_decoding_with_a_beam_is_left_in_charge():
    """The NumPy decoder replays greedy decoding only: a recogniser set to beam search stays."""
    nlp = spacy.load(_model_name())
    nlp.get_pipe("ner").cfg["beam_width"] = 4
    names = Extractor(nlp).nlp.pipe_names
    assert "ner" in names
    assert "geokg_entities" not in names


def test_lookup_attribute_rules_remember_each_token_kind_once(texts, ours):
    fast = ours.get_pipe("geokg_attributes")
    assert isinstance(fast, FastAttributes)
    with ours.select_pipes(disable=["geokg_extract"]):
        list(ours.pipe(texts[:3]))
        known = len(fast._memo)
        list(ours.pipe(texts[:3]))
    assert known > 0
    assert len(fast._memo) == known


@pytest.fixture(scope="module")
def documents(shared_dir: Path):
    return [read_text_file(p) for p in _articles(shared_dir)]


def test_two_worker_processes_give_the_same_fragments_as_one_on_real_articles(documents, extractor):
    """The workers tokenise the text, read the article's date from the context and send back only the
    summary (an empty Doc carries it): the fragments, dates and LEADS included, are those of one process."""
    ex = extractor
    one = [f.to_json() for f in ex.extract_many(documents, batch_size=4, n_process=1)]
    two = [f.to_json() for f in ex.extract_many(documents, batch_size=4, n_process=2)]
    assert any(r["type"] == "LEADS" for f in one for r in f["relations"])
    assert two == one


def test_the_article_date_decides_leads_in_a_worker_process_as_in_the_main_one(documents, extractor):
    """A leader's term is checked against the article's date, which travels with the text: every
    dated article and its copy dated 1980 give the same LEADS in a worker as in the main process."""
    ex = extractor
    dated = [d for d in documents if d.article.published]
    moved = [replace(d, article=replace(d.article, id=f"moved-{i}", published="1980-01-01"))
             for i, d in enumerate(dated)]

    def leads(n_process: int) -> list[list[tuple[str, str]]]:
        frags = ex.extract_many(dated + moved, batch_size=4, n_process=n_process)
        return [sorted((r.source, r.target) for r in f.relations if r.type == "LEADS") for f in frags]

    here, there = leads(1), leads(2)
    assert there == here
    assert any(now != then for now, then in zip(here[:len(dated)], here[len(dated):], strict=True))


@pytest.fixture(scope="module")
def benchmark_documents(shared_dir: Path):
    """The first 40 of the 130 documents of ``benchmarks/extract.py`` (whole paragraphs of the real
    articles joined to ~700 words): other neighbours for paragraphs, other batch mixes. Forty, not
    all 130: the comparison runs the pipeline twice, and 40 already decode 28,000 words (a minute
    of CI for the rest)."""
    return extract_benchmark._documents(shared_dir, 40, 700)


def test_the_numpy_entity_decoder_gives_the_fragments_of_the_models_own_ner(documents, benchmark_documents, extractor):
    """Every fragment of the real articles and of the benchmark's documents, with the model's own
    ``ner`` in charge and with :class:`FastEntities`, batch by batch as an ingest runs."""
    fast = extractor
    own = Extractor(load_nlp())
    own.nlp.enable_pipe("ner")
    own.nlp.disable_pipe("geokg_entities")
    assert "ner" in own.nlp.pipe_names
    assert "geokg_entities" in fast.nlp.pipe_names
    docs = documents + benchmark_documents
    want = [f.to_json() for f in own.extract_many(docs, batch_size=16)]
    got = [f.to_json() for f in fast.extract_many(docs, batch_size=16)]
    assert sum(len(f["entities"]) for f in want) > 1000
    assert got == want


def test_the_numpy_entity_decoder_matches_the_model_on_every_batch_size(texts, ours):
    """Decoding a whole batch at once (longest document first) or one document at a time gives
    the same entities: the network's answer for a token does not depend on its batch."""
    fast = ours.get_pipe("geokg_entities")
    with ours.select_pipes(disable=["geokg_entities", "geokg_extract"]):
        parsed = list(ours.pipe(texts[:12]))
    together = [[(e.start, e.end, e.label_) for e in d.ents] for d in fast.pipe(parsed, batch_size=12)]
    alone = [[(e.start, e.end, e.label_) for e in fast(d).ents] for d in parsed]
    assert together == alone
    assert all(together)


def test_a_document_with_preset_entities_is_left_to_the_models_own_ner(ours, shipped):
    """Preset entities bring rules the NumPy decoder does not replay: spaCy's component decides,
    so a preset entity stays and the rest is recognised around it."""
    text = "Chinese President Xi Jinping met Alexander Lukashenko in Beijing on Wednesday."
    fast = ours.get_pipe("geokg_entities")
    assert isinstance(fast, FastEntities)

    def preset(nlp):
        with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n in ("ner", "geokg_entities", "geokg_extract")]):
            doc = nlp(text)
        doc.set_ents([spacy.tokens.Span(doc, 4, 5, label="ORG")], default="unmodified")
        return doc

    got = [(e.start, e.end, e.label_) for e in fast(preset(ours)).ents]
    want = [(e.start, e.end, e.label_) for e in shipped.get_pipe("ner")(preset(shipped)).ents]
    assert got == want
    assert (4, 5, "ORG") in got
    assert len(got) > 1


def test_the_numpy_entity_decoder_keeps_entities_inside_sentences_as_the_model_does(texts, ours, shipped):
    """A sentence start inside what would be a multi-word name stops the entity there, as in the
    model's own rules: every inner token of the real articles' multi-word entities is made a
    sentence start, and both recognisers are asked again."""
    fast = ours.get_pipe("geokg_entities")
    model_ner = shipped.get_pipe("ner")
    with shipped.select_pipes(disable=["ner", "parser"]):  # sentence starts of our choosing
        parsed = list(shipped.pipe(texts[:6]))
    cut = 0
    for doc in parsed:
        inner = [t.i for t in model_ner(doc.copy()) if t.ent_iob_ == "I"]
        for i in inner:
            doc[i].is_sent_start = True
        cut += len(inner)
    want = [[(e.start, e.end, e.label_) for e in model_ner(d.copy()).ents] for d in parsed]
    got = [[(e.start, e.end, e.label_) for e in d.ents] for d in fast.pipe([d.copy() for d in parsed])]
    assert cut > 20
    assert got == want


def _both_entities(ours, shipped, texts: list[str]) -> tuple[list, list]:
    """The entities of ``texts`` (start, end, label) by the NumPy decoder and by the model's ner,
    both on the same parse without entities."""
    fast = ours.get_pipe("geokg_entities")
    model_ner = shipped.get_pipe("ner")
    with shipped.select_pipes(disable=["ner"]):
        parsed = list(shipped.pipe(texts))
    want = [[(e.start, e.end, e.label_) for e in model_ner(d.copy()).ents] for d in parsed]
    got = [[(e.start, e.end, e.label_) for e in d.ents] for d in fast.pipe([d.copy() for d in parsed])]
    return got, want


WHITESPACE = ["  ", "\n", "\n\n", " \n ", "\t"]
NAMES = ["Xi Jinping", "Vladimir Putin", "the European Union", "the United States", "$5 million"]


def test_the_numpy_entity_decoder_starts_no_entity_on_whitespace_as_the_model_does(ours, shipped):
    """Pasted text leaves runs of spaces and line breaks between and inside names; spaCy makes
    them tokens, on which the model never starts an entity (one may run through them)."""
    texts = [f"He met{ws}{n} and{ws}{n.replace(' ', ws)} in Minsk.{ws}{n} said on{ws}Monday{ws}it would go."
             for n in NAMES for ws in WHITESPACE]
    got, want = _both_entities(ours, shipped, texts)
    assert got == want


CUT_SHORT = ["a statement from the United Nations Security Council",
             "Chinese President Xi Jinping met Alexander Lukashenko in Beijing on Wednesday, March 1, 2023"]


def test_the_numpy_entity_decoder_closes_a_name_the_text_cuts_off_as_the_model_does(ours, shipped):
    """A text that stops inside a name ("a statement from the United"): the last token can only
    end or be an entity, as in the model's rules; every cut of two sentences is compared."""
    texts = [" ".join(s.split()[:k]) for s in CUT_SHORT for k in range(1, len(s.split()) + 1)]
    got, want = _both_entities(ours, shipped, texts)
    assert got == want
