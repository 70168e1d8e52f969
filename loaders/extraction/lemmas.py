"""The model's lemmatizer, asked once per kind of token.

Why: spaCy's rule lemmatizer already caches its answer per (word, POS, morphology), but it still
walks the document token by token in Python, building a morphology object for each, which was
about 5% of the pipeline's time on a 700-word article. :class:`FastLemmas` reads those three
values of all tokens as one array, asks the model's own lemmatizer only for combinations it has not
seen, and writes the lemmas back as one array. The lemmas are the lemmatizer's own
(``tests/unit/test_extract_speed.py`` compares every token of real articles with the model as shipped).
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.tokens import Doc

from geokg.loaders.extraction.attributes import MAX_MEMO  # one bound for both tables of remembered answers

__all__ = ["FastLemmas"]


class FastLemmas:
    """spaCy component doing what the model's ``lemmatizer`` does, remembering each answer."""

    def __init__(self, lemmatizer: Any):
        self.lemmatizer = lemmatizer
        self._memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        strings = doc.vocab.strings
        overwrite = self.lemmatizer.overwrite
        lemmas = rows[:, 3].copy()
        memo = self._memo
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue  # set by an attribute rule, as the lemmatizer leaves it
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                if len(memo) >= MAX_MEMO:
                    memo.clear()
                found = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                memo[key] = found
            lemmas[i] = found
        # spaCy's stubs say to_array gives floats and from_array wants Ints2d; the array is uint64
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))  # type: ignore[arg-type]
        return doc
