"""The extraction's speed-ups change nothing a user sees: same tokens, same fragments, on real articles."""

from __future__ import annotations

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


def test_lookup_attribute_rules_give_every_token_the_pos_morph_and_lemma_of_the_shipped_ruler(texts, shipped, ours):
    assert "geokg_attributes" in ours.pipe_names and "attribute_ruler" not in ours.pipe_names
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
