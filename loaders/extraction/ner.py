"""The model's named-entity recogniser with its greedy decoding done in NumPy: same entities, a
fraction of the time.

Why: NER was half of the extraction's CPU time (~70 of ~140 ms per 700-word article), and most of
that was not the network but spaCy 3.8's compiled decoding loop: for every token it asks each of
the 74 moves whether it is valid, and each question reads the parser state through C++ ``vector.at``
calls that Cython wraps in a GIL acquire and release (a mutex), hundreds of thousands of times per
article (``perf``: 37% of NER's time in ``pthread_mutex_lock``/``unlock`` below ``set_valid``).

:class:`FastEntities` runs the very same network (the NER's own tok2vec, its precomputed hidden
layer and output layer, spaCy's weights and BLAS calls) and replays the BILUO transition system
(``spacy/pipeline/_parser_internals/ner.pyx``) for a whole batch of documents at once, one NumPy
step per token position: features (next token, first token of the open entity, the token before),
sum, maxout, scores, the moves valid in each state, the best valid move. The rules kept are the
ones that apply to a freshly tokenised text: no entity is preset, so the preset-entity branches of
``ner.pyx`` never fire (a document arriving with preset entities is left to spaCy's own
component). ``tests/unit/test_extract_speed.py`` compares every entity of real articles with the model's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START
from spacy.tokens import Doc, Span
from spacy.util import minibatch

__all__ = ["FastEntities", "can_replace"]

_BEGIN, _IN, _LAST, _UNIT, _OUT = range(5)
_KINDS = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT, "O": _OUT}


def can_replace(ner: Any) -> bool:
    """Whether :class:`FastEntities` does exactly what ``ner`` does: greedy decoding (no beam), an
    output layer, the three-token NER context and every class seen in training (what the English
    models ship); anything else stays with spaCy's component."""
    model: Any = getattr(ner, "model", None)
    try:
        return (ner.cfg.get("beam_width", 1) == 1 and model.attrs.get("has_upper") is True
                and not model.attrs.get("unseen_classes") and model.layers[1].get_dim("nF") == 3
                and type(ner).__name__ == "EntityRecognizer")
    except (AttributeError, IndexError, KeyError, ValueError):
        return False


class FastEntities:
    """spaCy component doing what the model's ``ner`` does, decoding a batch at a time in NumPy."""

    def __init__(self, ner: Any):
        self.ner = ner
        moves = ner.moves
        names = [moves.get_class_name(i) for i in range(moves.n_moves)]
        labels = sorted({n.split("-", 1)[1] for n in names if "-" in n} - {""})
        self._label_names = [""] + labels  # label 0: none ("O", "U-")
        kinds, label_ids = [], []
        for n in names:
            kind, _, label = n.partition("-")
            kinds.append(_KINDS[kind])
            label_ids.append(self._label_names.index(label))
        self._kind = np.array(kinds)
        self._label = np.array(label_ids)
        k, lab = self._kind, self._label
        # one column mask per move kind; label 0 can neither begin nor be a unit (no preset entities)
        self._begin = (k == _BEGIN) & (lab != 0)
        self._in = k == _IN
        self._last = (k == _LAST) & (lab != 0)
        self._unit = (k == _UNIT) & (lab != 0)
        self._out = k == _OUT
        model = ner.model
        self._tok2vec, self._lower, self._upper = model.layers[0], model.layers[1], model.layers[-1]
        self._ops = model.ops

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: list[Doc]) -> None:
        if any(d.to_array(ENT_IOB).any() for d in docs if len(d)):
            self.ner.set_annotations(docs, self.ner.predict(docs))  # preset entities: spaCy's own rules
            return
        todo = sorted((d for d in docs if len(d)), key=len, reverse=True)
        found = self._decode(todo) if todo else []
        for doc, ents in zip(todo, found, strict=True):
            doc.set_ents([Span(doc, s, e, label=self._label_names[lab]) for s, e, lab in ents], default="outside")
        for doc in docs:
            if not len(doc):
                doc.set_ents([], default="outside")

    def _decode(self, docs: list[Doc]) -> list[list[tuple[int, int, int]]]:
        """Greedy BILUO decoding of ``docs`` (longest first, so the documents still going at any
        step are a prefix of the batch), as ``Parser.greedy_parse`` and ``ner.pyx`` do it."""
        lengths = np.array([len(d) for d in docs])
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        cached = self._lower.predict(self._tok2vec.predict(docs))  # (1 + tokens, nF, nH, nP); row 0: padding
        pad, table = cached[0].reshape(cached.shape[1], -1), cached[1:].reshape(cached.shape[0] - 1, cached.shape[1], -1)
        bias = self._lower.get_param("b").reshape(-1)
        n_hidden, n_pieces = cached.shape[2], cached.shape[3]
        weights, out_bias = self._upper.get_param("W"), self._upper.get_param("b")
        space = np.concatenate([d.to_array(IS_SPACE) for d in docs]).astype(bool)
        # the next token starts a sentence (within the same document)
        next_starts = np.concatenate([np.append(d.to_array(SENT_START)[1:] == 1, False) for d in docs])
        n = len(docs)
        open_start = np.full(n, -1)  # global index of the open entity's first token, or -1
        open_label = np.zeros(n, dtype=int)
        ends: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []  # (doc, start, end, label)
        active = n
        for t in range(int(lengths[0])):
            while lengths[active - 1] <= t:
                active -= 1
            b0 = starts[:active] + t
            opened = open_start[:active] >= 0
            pick = np.where(opened, open_start[:active], 0)
            # the three features of ner.pyx's context: B(0), E(0) when an entity is open, B(0)-1 then
            summed = table[b0, 0] + np.where(opened[:, None], table[pick, 1], pad[1])
            summed = summed + np.where(opened[:, None], table[np.maximum(b0 - 1, 0), 2], pad[2])
            summed = summed + bias
            hidden = summed.reshape(active, n_hidden, n_pieces).max(axis=2)
            scores = self._ops.gemm(np.ascontiguousarray(hidden), weights, trans2=True)
            scores += out_bias
            valid = self._valid(opened, open_label[:active], lengths[:active] - t, space[b0], next_starts[b0])
            guess = np.where(valid, scores, -np.inf).argmax(axis=1)
            kind, label = self._kind[guess], self._label[guess]
            rows = np.arange(active)
            last, unit, begin = rows[kind == _LAST], rows[kind == _UNIT], rows[kind == _BEGIN]
            if last.size:
                ends.append((last, open_start[last] - starts[last], np.full(last.size, t + 1), open_label[last]))
                open_start[last] = -1
            if unit.size:
                ends.append((unit, np.full(unit.size, t), np.full(unit.size, t + 1), label[unit]))
            if begin.size:
                open_start[begin] = b0[begin]
                open_label[begin] = label[begin]
        out: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        for rows, s, e, lab in ends:
            for i, start, end, la in zip(rows.tolist(), s.tolist(), e.tolist(), lab.tolist(), strict=True):
                out[i].append((start, end, la))
        return [sorted(x) for x in out]

    def _valid(self, opened: np.ndarray, label: np.ndarray, remaining: np.ndarray, space: np.ndarray,
               next_starts: np.ndarray) -> np.ndarray:
        """Which moves ``ner.pyx`` allows in each state (rows) when no entity is preset."""
        closed = ~opened[:, None]
        same = self._label[None, :] == label[:, None]
        room = (remaining >= 2)[:, None]
        word = ~space[:, None]
        free = ~next_starts[:, None]
        return ((self._begin & closed & room & free & word)
                | (self._in & opened[:, None] & room & same & free)
                | (self._last & opened[:, None] & same)
                | (self._unit & closed & word)
                | (self._out & closed))
