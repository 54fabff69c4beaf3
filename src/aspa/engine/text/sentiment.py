"""Finnish sentiment (negative / neutral / positive) from a linear model shipped with the package.

The model is multinomial logistic regression over the backend-independent features of
:mod:`aspa.engine.text.features`, trained by ``python -m aspa.engine.text.train`` on the XED
Finnish train split and stored in ``data/sentiment_fi.npz`` (vocabulary, block of each feature,
IDF, weights). Scoring is plain numpy: texts become (document, feature, value) triples, weighted
and normalised per block, then one ``bincount`` per class. Per-chunk and per-token feature ids are
cached, so repeated words (most of them, in real feedback) cost one dictionary lookup.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from aspa.engine.text.errors import MODEL_FILE_INVALID, ModelFileError
from aspa.engine.text.features import BLOCKS, bigram_key, char_keys, token_keys, token_stream
from aspa.engine.text.tokenize import tokenize

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
LABELS = ("negative", "neutral", "positive")
MODEL_FILE = "sentiment_fi.npz"


@dataclass(frozen=True)
class SentimentScores:
    """Sentiment of a batch of texts.

    Attributes:
        labels: the most probable label of each text (``negative``, ``neutral`` or ``positive``).
        probabilities: shape (texts, 3), columns in the order of :data:`LABELS`; rows sum to 1.
        polarity: P(positive) - P(negative) per text, in [-1, 1]: a signed score for averaging.
    """

    labels: tuple[str, ...]
    probabilities: FloatArray
    polarity: FloatArray


class FeatureSpace:
    """Vocabulary, block of each feature and IDF: turns texts into sparse TF-IDF rows.

    ``transform`` returns COO triples (row, column, value) of the L2-per-block-normalised matrix;
    training builds a scipy matrix from them, scoring multiplies them with the weights directly.
    """

    def __init__(self, vocabulary: Sequence[str], idf: FloatArray) -> None:
        self.vocabulary = {key: i for i, key in enumerate(vocabulary)}
        block_index = {b: i for i, b in enumerate(BLOCKS)}
        self.blocks = np.array([block_index[k.split("|", 1)[0]] for k in vocabulary], dtype=np.int64)
        self.idf = np.asarray(idf, dtype=np.float64)
        self._chunk_cache: dict[str, list[int]] = {}
        self._token_cache: dict[tuple[str, bool], list[int]] = {}

    @property
    def n_features(self) -> int:
        return len(self.vocabulary)

    def _ids(self, keys: list[str]) -> list[int]:
        vocab = self.vocabulary
        return [i for i in (vocab.get(k) for k in keys) if i is not None]

    def text_ids(self, text: str) -> list[int]:
        """Feature ids of one text, with repeats (same keys as ``features.text_keys``)."""
        lowered = text.lower()
        ids: list[int] = []
        chunk_cache = self._chunk_cache
        for chunk in lowered.split():
            found = chunk_cache.get(chunk)
            if found is None:
                found = chunk_cache[chunk] = self._ids(char_keys(chunk))
            ids.extend(found)
        token_cache = self._token_cache
        vocab = self.vocabulary
        for token, negated, previous in token_stream(tokenize(lowered)):
            found = token_cache.get((token, negated))
            if found is None:
                found = token_cache[(token, negated)] = self._ids(token_keys(token, negated))
            ids.extend(found)
            if previous is not None:
                bigram = vocab.get(bigram_key(previous, token))
                if bigram is not None:
                    ids.append(bigram)
        return ids

    def transform(self, texts: Sequence[str]) -> tuple[IntArray, IntArray, FloatArray]:
        """Rows, columns and values of the TF-IDF matrix of ``texts`` (sublinear TF, L2 per block)."""
        lengths = np.empty(len(texts), dtype=np.int64)
        flat: list[int] = []
        for i, text in enumerate(texts):
            ids = self.text_ids(text)
            lengths[i] = len(ids)
            flat.extend(ids)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        cols = np.asarray(flat, dtype=np.int64)
        n_features = max(self.n_features, 1)
        cells, counts = np.unique(rows * n_features + cols, return_counts=True)
        rows, cols = cells // n_features, cells % n_features
        values = (1.0 + np.log(counts)) * self.idf[cols]
        group = rows * len(BLOCKS) + self.blocks[cols]
        norms = np.sqrt(np.bincount(group, weights=values * values, minlength=len(texts) * len(BLOCKS)))
        values = values / norms[group]
        return rows, cols, values


class SentimentModel:
    """Linear sentiment classifier over a :class:`FeatureSpace` (weights shape: features x classes)."""

    def __init__(self, space: FeatureSpace, coef: FloatArray, intercept: FloatArray) -> None:
        self.space = space
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = np.asarray(intercept, dtype=np.float64)

    def decision_function(self, texts: Sequence[str]) -> FloatArray:
        """Class scores, shape (texts, 3), in the order of :data:`LABELS`."""
        rows, cols, values = self.space.transform(texts)
        out = np.empty((len(texts), len(LABELS)))
        for k in range(len(LABELS)):
            out[:, k] = np.bincount(rows, weights=values * self.coef_[cols, k], minlength=len(texts))
        return out + self.intercept_

    def score(self, texts: Sequence[str]) -> SentimentScores:
        """Labels, probabilities and polarity of ``texts``."""
        z = self.decision_function(texts)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        p.setflags(write=False)
        polarity = p[:, 2] - p[:, 0]
        polarity.setflags(write=False)
        labels = tuple(LABELS[i] for i in p.argmax(axis=1))
        return SentimentScores(labels=labels, probabilities=p, polarity=polarity)

    def save(self, path: Path) -> None:
        """Write the model as a compressed ``.npz`` (vocabulary as one newline-joined UTF-8 blob)."""
        vocab = sorted(self.space.vocabulary, key=self.space.vocabulary.__getitem__)
        blob = np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8)
        np.savez_compressed(
            path,
            vocabulary=blob,
            idf=self.space.idf.astype(np.float32),
            coef=self.coef_.astype(np.float32),
            intercept=self.intercept_,
            labels=np.array(LABELS),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> SentimentModel:
        """Read a model written by :meth:`save`; by default the one shipped with the package.

        Raises:
            ModelFileError: the file is missing or lacks an expected array.
        """
        try:
            if path is None:
                ref = resources.files("aspa.engine.text").joinpath("data/" + MODEL_FILE)
                with resources.as_file(ref) as real:
                    arrays = dict(np.load(real, allow_pickle=False))
            else:
                arrays = dict(np.load(path, allow_pickle=False))
            vocab = bytes(arrays["vocabulary"]).decode("utf-8").split("\n")
            space = FeatureSpace(vocab, arrays["idf"].astype(np.float64))
            model = cls(space, arrays["coef"], arrays["intercept"])
        except (OSError, KeyError, ValueError) as exc:
            raise ModelFileError(MODEL_FILE_INVALID.format(path=path or MODEL_FILE, detail=exc)) from exc
        if model.coef_.shape != (len(vocab), len(LABELS)):
            raise ModelFileError(MODEL_FILE_INVALID.format(path=path or MODEL_FILE, detail="shape mismatch"))
        return model


@functools.lru_cache(maxsize=1)
def default_model() -> SentimentModel:
    """The shipped model, loaded once per process."""
    return SentimentModel.load()


def sentiment(texts: Sequence[str]) -> SentimentScores:
    """Sentiment of ``texts`` with the shipped model."""
    return default_model().score(texts)


def idf_from_document_frequency(df: IntArray, n_documents: int) -> FloatArray:
    """Smoothed IDF as scikit-learn computes it: ln((1 + n) / (1 + df)) + 1."""
    return np.log((1.0 + n_documents) / (1.0 + np.asarray(df, dtype=np.float64))) + 1.0
