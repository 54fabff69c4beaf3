"""Pretrained Finnish word vectors (floret) for the sentiment model: knowledge from outside XED.

The vectors are the floret table of the spaCy pipeline ``spacy-fi-experimental-web-md`` 0.15.0
(PyPI; Antti Ajanki, MIT licence; trained on Finnish web text): 50,000 hash buckets of 300
dimensions. A word's vector is the mean of the rows that its padded form ``<word>`` and its
character 4- and 5-grams hash to (MurmurHash3 x64-128, seed 2166136261, the two low 32-bit
words of the hash, each modulo the table size), so every word, also one never seen in training,
gets a vector, and inflected forms and compounds share rows. ``data/floret_fi.npz`` ships the
table cut down by PCA to :data:`DIMENSIONS` dimensions, as float16: see
:mod:`aspa.engine.text.build_vectors` for the command that rebuilds it, and ``data/FLORET-NOTICE``
for the source and its licence.

A text's feature is the mean of its tokens' vectors, each scaled to unit length (zeros for a text
without tokens). The sentiment member over it is linear, so the model folds its weights into
per-token scores once per distinct token (see :class:`VectorMember`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import mmh3
import numpy as np
import numpy.typing as npt

from aspa.engine.text.tokenize import tokenize

FloatArray = npt.NDArray[np.float64]
VECTORS_FILE = "floret_fi.npz"
# floret settings of the source table (its vocab/vectors.cfg): n-gram lengths, hashes per n-gram, seed.
MIN_N, MAX_N = 4, 5
HASH_COUNT = 2
HASH_SEED = 2166136261
# Dimensions kept by the PCA, chosen by cross-validation (see aspa.engine.text.train).
DIMENSIONS = 150


def floret_rows(word: str, n_rows: int) -> list[int]:
    """Table rows of ``word``: 2 hashes of ``<word>`` and of each of its character 4- and 5-grams."""
    padded = f"<{word}>"
    grams = [padded] + [
        padded[i : i + n] for n in range(MIN_N, MAX_N + 1) for i in range(len(padded) - n + 1)
    ]
    rows: list[int] = []
    for gram in grams:
        # The low 64 bits are floret's first two 32-bit hashes (the hash's bytes read little-endian).
        h = mmh3.hash128(gram, seed=HASH_SEED, x64arch=True, signed=False)
        rows.extend(((h >> (32 * j)) & 0xFFFFFFFF) % n_rows for j in range(HASH_COUNT))
    return rows


class WordVectors:
    """A floret table: unit-length vectors of words and mean vectors of texts."""

    def __init__(self, table: npt.NDArray[np.floating]) -> None:
        self.table = np.asarray(table, dtype=np.float32)
        self._cache: dict[str, npt.NDArray[np.float32]] = {}

    @property
    def dimensions(self) -> int:
        return int(self.table.shape[1])

    def word(self, word: str) -> npt.NDArray[np.float32]:
        """Unit-length vector of ``word`` (cached)."""
        found = self._cache.get(word)
        if found is None:
            v = self.table[floret_rows(word, len(self.table))].mean(axis=0)
            norm = float(np.linalg.norm(v))
            found = self._cache[word] = v / norm if norm > 0 else v
        return found

    def texts(self, texts: Sequence[str]) -> FloatArray:
        """Mean unit word vector of each text's tokens, shape (texts, dimensions); zeros without tokens."""
        out = np.zeros((len(texts), self.dimensions))
        for i, text in enumerate(texts):
            tokens = tokenize(text)
            if tokens:
                out[i] = np.mean([self.word(t) for t in tokens], axis=0)
        return out

    @classmethod
    def load(cls, path: Path | None = None) -> WordVectors:
        """A table written by ``build_vectors``; by default the one shipped with the package."""
        if path is None:
            ref = resources.files("aspa.engine.text").joinpath("data/" + VECTORS_FILE)
            with resources.as_file(ref) as real, np.load(real, allow_pickle=False) as arrays:
                return cls(arrays["table"])
        with np.load(path, allow_pickle=False) as arrays:
            return cls(arrays["table"])


@functools.lru_cache(maxsize=1)
def default_vectors() -> WordVectors:
    """The shipped table, loaded once per process."""
    return WordVectors.load()


class VectorMember:
    """Linear classifier over a text's mean word vector, scored token by token.

    Its raw scores are ``mean_vector @ coef + intercept``; because that is linear in the mean,
    each distinct token's contribution ``word(token) @ coef`` is computed once and cached, and a
    text's score is the mean of its tokens' contributions.
    """

    def __init__(self, vectors: WordVectors, coef: FloatArray, intercept: FloatArray) -> None:
        self.vectors = vectors
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = np.asarray(intercept, dtype=np.float64).ravel()
        self._token_scores: dict[str, FloatArray] = {}

    def decision_function(self, texts: Sequence[str]) -> FloatArray:
        """Raw scores, shape (texts, classes)."""
        out = np.tile(self.intercept_, (len(texts), 1))
        cache = self._token_scores
        for i, text in enumerate(texts):
            tokens = tokenize(text)
            if not tokens:
                continue
            total = np.zeros(len(self.intercept_))
            for token in tokens:
                found = cache.get(token)
                if found is None:
                    found = cache[token] = self.vectors.word(token).astype(np.float64) @ self.coef_
                total += found
            out[i] += total / len(tokens)
        return out
