"""The extraction's speed-ups change nothing a user sees: same tokens, same fragments, on real articles."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import spacy

from loaders.attributes import FastAttributes, compile_rules
from loaders.extract import MODEL_NAMES, Extractor, load_nlp
from loaders.text import read_text_file


def _articles(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "eval" / "dev").glob("[0-9]*.txt")) + sorted(
        (shared_dir / "data" / "text").rglob("[0-9]*.txt"))


@pytest.fixture(scope="module")
def shipped():
    """The English model exactly as installed, without GeoKG's components."""
    import importlib.util

    name = next(n for n in MODEL_NAMES if importlib.util.find_spec(n) is not None)
    return spacy.load(name)


@pytest.fixture(scope="module")
def ours():
    return load_nlp()


@pytest.fixture(scope="module")
def texts(shared_dir: Path) -> list[str]:
    return [read_text_file(p).text for p in _articles(shared_dir)]


def _token_view(doc) -> list[tuple[str, str, str, str, str]]:
    return [(t.text, t.pos_, str(t.morph), t.lemma_, t.tag_) for t in doc]


def test_every_token_of_real_articles_gets_the_pos_morph_and_lemma_of_the_shipped_model(texts, shipped, ours):
    """Attribute rules by lookup and remembered lemmas: the tokens are those of the model as shipped."""
    assert {"geokg_attributes", "geokg_lemmas"} <= set(ours.pipe_names)
    assert not {"attribute_ruler", "lemmatizer"} & set(ours.pipe_names)
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
    assert (got.pos_, got.lemma_, str(got.morph)) == (want.pos_, want.lemma_, str(want.morph))
    assert (got.pos_, got.lemma_) == expected


def test_a_ruler_with_patterns_the_lookup_cannot_express_is_left_in_charge():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"})
    assert compile_rules(ruler) is None
    assert "attribute_ruler" in Extractor(nlp).nlp.pipe_names


def test_lookup_attribute_rules_remember_each_token_kind_once(texts, ours):
    fast = ours.get_pipe("geokg_attributes")
    assert isinstance(fast, FastAttributes)
    with ours.select_pipes(disable=["geokg_extract"]):
        list(ours.pipe(texts[:3]))
        known = len(fast._memo)
        list(ours.pipe(texts[:3]))
    assert known > 0 and len(fast._memo) == known


@pytest.fixture(scope="module")
def documents(shared_dir: Path):
    return [read_text_file(p) for p in _articles(shared_dir)]


def test_two_worker_processes_give_the_same_fragments_as_one_on_real_articles(documents):
    """The workers tokenise the text, read the article's date from the context and send back only the
    summary (an empty Doc carries it): the fragments, dates and LEADS included, are those of one process."""
    ex = Extractor()
    one = [f.to_json() for f in ex.extract_many(documents, batch_size=4, n_process=1)]
    two = [f.to_json() for f in ex.extract_many(documents, batch_size=4, n_process=2)]
    assert any(r["type"] == "LEADS" for f in one for r in f["relations"])
    assert two == one


def test_the_article_date_decides_leads_in_a_worker_process_as_in_the_main_one(documents):
    """A leader's term is checked against the article's date, which travels with the text: every
    dated article and its copy dated 1980 give the same LEADS in a worker as in the main process."""
    ex = Extractor()
    dated = [d for d in documents if d.article.published]
    moved = [replace(d, article=replace(d.article, id=f"moved-{i}", published="1980-01-01"))
             for i, d in enumerate(dated)]

    def leads(n_process: int) -> list[list[tuple[str, str]]]:
        frags = ex.extract_many(dated + moved, batch_size=4, n_process=n_process)
        return [sorted((r.source, r.target) for r in f.relations if r.type == "LEADS") for f in frags]

    here, there = leads(1), leads(2)
    assert there == here
    assert any(now != then for now, then in zip(here[:len(dated)], here[len(dated):], strict=True))
