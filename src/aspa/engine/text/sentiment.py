"""Finnish sentiment (negative / neutral / positive) from linear models shipped with the package.

The model is a small ensemble of linear classifiers over the backend-independent features of
:mod:`aspa.engine.text.features` (multinomial logistic regression and an NB-weighted one-vs-rest
logistic regression, see :mod:`aspa.engine.text.train`), trained by
``uv run python -m aspa.engine.text.train`` on the XED Finnish train split and stored in
``data/sentiment_fi.npz`` (vocabulary, block of each feature, IDF, weights of every member, class
bias). Scoring is plain numpy: texts become (document, feature, value) triples, weighted and
normalised per block, then one ``bincount`` per member and class. A third member, logistic
regression over pretrained Finnish word vectors (:mod:`aspa.engine.text.vectors`, the mean unit
vector of a text's tokens), brings knowledge from outside the training data. The members'
probabilities are combined by a stacker (a logistic regression over their log-probabilities and a
few text-level features, see :class:`Stacker`), or, in a file without one, averaged with the
weights stored in the file; then re-weighted by the class bias chosen by cross-validation.
Per-chunk and per-token feature ids and per-token vector scores are cached, so repeated words (most
of them, in real feedback) cost one dictionary lookup.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from aspa.engine.text.errors import MODEL_FILE_INVALID, ModelFileError
from aspa.engine.text.features import (
    BLOCKS,
    META_FEATURES,
    bigram_key,
    char_keys,
    meta_features,
    stem_bigram_key,
    token_keys,
    token_stream,
)
from aspa.engine.text.tokenize import tokenize
from aspa.engine.text.vectors import VectorMember, default_vectors

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
LABELS = ("negative", "neutral", "positive")
MODEL_FILE = "sentiment_fi.npz"
# Hash buckets per feature block for keys outside the vocabulary (they only count in the norms).
UNSEEN_BUCKETS = 1 << 22


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

    Keys outside the vocabulary (words and n-grams seen once in training or never) carry no weight
    but still count in their block's L2 norm, with the IDF of a term seen once (``unseen_idf``), as
    if the vectoriser had kept every term: a text made mostly of unknown words then gets smaller
    values on the few features it shares with the training data, and a less confident score. In
    cross-validation this is worth about one point of 3-class macro-F1 over dropping them. Each
    unknown key gets a deterministic hashed id past the vocabulary (CRC-32 in ``UNSEEN_BUCKETS``
    buckets per block); such ids never reach the weights.
    """

    def __init__(self, vocabulary: Sequence[str], idf: FloatArray, unseen_idf: float | None = None) -> None:
        self.vocabulary = {key: i for i, key in enumerate(vocabulary)}
        self._block_index = {b: i for i, b in enumerate(BLOCKS)}
        self.blocks = np.array([self._block_index[k.split("|", 1)[0]] for k in vocabulary], dtype=np.int64)
        self.idf = np.asarray(idf, dtype=np.float64)
        default_unseen = float(self.idf.max()) if len(self.idf) else 1.0
        self.unseen_idf = default_unseen if unseen_idf is None else float(unseen_idf)
        self._chunk_cache: dict[str, list[int]] = {}
        self._token_cache: dict[tuple[str, bool], list[int]] = {}

    @property
    def n_features(self) -> int:
        return len(self.vocabulary)

    def _id(self, key: str) -> int:
        """Vocabulary id of ``key``, or its hashed id past the vocabulary."""
        found = self.vocabulary.get(key)
        if found is not None:
            return found
        block = self._block_index[key.split("|", 1)[0]]
        return self.n_features + block * UNSEEN_BUCKETS + zlib.crc32(key.encode("utf-8")) % UNSEEN_BUCKETS

    def text_ids(self, text: str) -> list[int]:
        """Feature ids of one text, with repeats (same keys as ``features.text_keys``).

        Ids from ``n_features`` on stand for keys outside the vocabulary (see the class docstring).
        """
        lowered = text.lower()
        ids: list[int] = []
        chunk_cache = self._chunk_cache
        for chunk in lowered.split():
            found = chunk_cache.get(chunk)
            if found is None:
                found = chunk_cache[chunk] = [self._id(k) for k in char_keys(chunk)]
            ids.extend(found)
        token_cache = self._token_cache
        for token, negated, previous in token_stream(tokenize(lowered)):
            found = token_cache.get((token, negated))
            if found is None:
                found = token_cache[(token, negated)] = [self._id(k) for k in token_keys(token, negated)]
            ids.extend(found)
            if previous is not None:
                ids.append(self._id(bigram_key(previous, token)))
                ids.append(self._id(stem_bigram_key(previous, token)))
        return ids

    def transform(self, texts: Sequence[str]) -> tuple[IntArray, IntArray, FloatArray]:
        """Rows, columns and values of the TF-IDF matrix of ``texts`` (sublinear TF, L2 per block).

        Only vocabulary columns are returned; unknown keys have already counted in the norms.
        """
        lengths = np.empty(len(texts), dtype=np.int64)
        flat: list[int] = []
        for i, text in enumerate(texts):
            ids = self.text_ids(text)
            lengths[i] = len(ids)
            flat.extend(ids)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        cols = np.asarray(flat, dtype=np.int64)
        n_known = self.n_features
        width = n_known + len(BLOCKS) * UNSEEN_BUCKETS
        cells, counts = np.unique(rows * width + cols, return_counts=True)
        rows, cols = cells // width, cells % width
        known = cols < n_known
        idf = np.where(known, self.idf[np.where(known, cols, 0)] if n_known else 0.0, self.unseen_idf)
        blocks = np.where(
            known, self.blocks[np.where(known, cols, 0)] if n_known else 0, (cols - n_known) // UNSEEN_BUCKETS
        )
        values = (1.0 + np.log(counts)) * idf
        group = rows * len(BLOCKS) + blocks
        norms = np.sqrt(np.bincount(group, weights=values * values, minlength=len(texts) * len(BLOCKS)))
        values = values / norms[group]
        return rows[known], cols[known], values[known]


class Stacker:
    """Second-level logistic regression that combines the members (stacking) with text-level features.

    Its inputs are the log of every member's three probabilities (member by member, in the order of
    :data:`LABELS`; floored at ``PROBABILITY_FLOOR``) followed by ``features.meta_features`` (length,
    final punctuation, AFINN-fi hits, upper-case share). The training standardisation is folded into
    ``coef`` and ``intercept``, so scoring is one product and a softmax.

    Args:
        coef: shape (3 x members + meta features, 3).
        intercept: shape (3,).
    """

    PROBABILITY_FLOOR = 1e-9

    def __init__(self, coef: FloatArray, intercept: FloatArray) -> None:
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = np.asarray(intercept, dtype=np.float64).ravel()

    @staticmethod
    def inputs(member_probabilities: FloatArray, texts: Sequence[str]) -> FloatArray:
        """Stacker inputs from member probabilities of shape (texts, members, 3) and the texts."""
        logs = np.log(np.maximum(member_probabilities, Stacker.PROBABILITY_FLOOR)).reshape(len(texts), -1)
        meta = np.array([meta_features(t) for t in texts], dtype=np.float64).reshape(
            len(texts), len(META_FEATURES)
        )
        return np.hstack([logs, meta])

    def predict_proba(self, member_probabilities: FloatArray, texts: Sequence[str]) -> FloatArray:
        """Class probabilities, shape (texts, 3)."""
        z = self.inputs(member_probabilities, texts) @ self.coef_ + self.intercept_
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return np.asarray(p / p.sum(axis=1, keepdims=True), dtype=np.float64)


class SentimentModel:
    """Ensemble of linear classifiers over one :class:`FeatureSpace`, and optionally over word vectors.

    Args:
        space: the features.
        coef: weights, shape (features, 3 x members): member ``m`` owns columns ``3m .. 3m + 2``.
        intercept: shape (3 x members,).
        class_bias: log-prior added to the log of the averaged probabilities, shape (3,); zeros
            leave them as they are.
        vector_member: a classifier over the text's mean word vector, the last member.
        member_weights: weight of each member's probabilities (sparse members first, then the
            vector member), shape (members,); equal weights when left out.
        stacker: combines the members instead of the weighted average when given.
    """

    def __init__(
        self,
        space: FeatureSpace,
        coef: FloatArray,
        intercept: FloatArray,
        class_bias: FloatArray | None = None,
        vector_member: VectorMember | None = None,
        member_weights: FloatArray | None = None,
        stacker: Stacker | None = None,
    ) -> None:
        self.space = space
        self.stacker = stacker
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = np.asarray(intercept, dtype=np.float64).ravel()
        bias = np.zeros(len(LABELS)) if class_bias is None else class_bias
        self.class_bias_ = np.asarray(bias, dtype=np.float64).ravel()
        self.vector_member = vector_member
        n = int(self.coef_.shape[1]) // len(LABELS) + (vector_member is not None)
        weights = np.ones(n) if member_weights is None else member_weights
        self.member_weights_ = np.asarray(weights, dtype=np.float64).ravel()

    @property
    def n_members(self) -> int:
        return int(self.coef_.shape[1]) // len(LABELS) + (self.vector_member is not None)

    def decision_function(self, texts: Sequence[str]) -> FloatArray:
        """Raw scores of every member, shape (texts, 3 x members): ``coef_``'s columns, then the vector member's."""
        rows, cols, values = self.space.transform(texts)
        out = np.empty((len(texts), self.coef_.shape[1]))
        for k in range(self.coef_.shape[1]):
            out[:, k] = np.bincount(rows, weights=values * self.coef_[cols, k], minlength=len(texts))
        out += self.intercept_
        if self.vector_member is not None:
            out = np.hstack([out, self.vector_member.decision_function(texts)])
        return out

    def member_probabilities(self, texts: Sequence[str]) -> FloatArray:
        """Each member's class probabilities, shape (texts, members, 3)."""
        z = self.decision_function(texts).reshape(len(texts), self.n_members, len(LABELS))
        z -= z.max(axis=2, keepdims=True)
        p = np.exp(z)
        return np.asarray(p / p.sum(axis=2, keepdims=True), dtype=np.float64)

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        """Class probabilities, shape (texts, 3), in the order of :data:`LABELS`; rows sum to 1."""
        members = self.member_probabilities(texts)
        if self.stacker is not None:
            p = self.stacker.predict_proba(members, texts)
        else:
            p = np.einsum("tmc,m->tc", members, self.member_weights_ / self.member_weights_.sum())
        p *= np.exp(self.class_bias_ - self.class_bias_.max())
        p /= p.sum(axis=1, keepdims=True)
        return p

    def score(self, texts: Sequence[str]) -> SentimentScores:
        """Labels, probabilities and polarity of ``texts``."""
        p = self.predict_proba(texts)
        p.setflags(write=False)
        polarity = p[:, 2] - p[:, 0]
        polarity.setflags(write=False)
        labels = tuple(LABELS[i] for i in p.argmax(axis=1))
        return SentimentScores(labels=labels, probabilities=p, polarity=polarity)

    def save(self, path: Path) -> None:
        """Write the model as a compressed ``.npz`` (vocabulary as one newline-joined UTF-8 blob).

        Weights are stored as float16 (their relative error, about 1e-3, moves no score visibly)
        to keep the package small. A vector member stores only its weights: the word vectors are
        the shipped table (``data/floret_fi.npz``), which :meth:`load` uses.
        """
        vocab = sorted(self.space.vocabulary, key=self.space.vocabulary.__getitem__)
        blob = np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8)
        arrays: dict[str, Any] = {  # all numpy arrays; Any because savez also takes allow_pickle
            "vocabulary": blob,
            "idf": self.space.idf.astype(np.float32),
            "unseen_idf": np.array(self.space.unseen_idf),
            "coef": self.coef_.astype(np.float16),
            "intercept": self.intercept_,
            "class_bias": self.class_bias_,
            "member_weights": self.member_weights_,
            "labels": np.array(LABELS),
        }
        if self.vector_member is not None:
            arrays["vector_coef"] = self.vector_member.coef_
            arrays["vector_intercept"] = self.vector_member.intercept_
        if self.stacker is not None:
            arrays["stack_coef"] = self.stacker.coef_
            arrays["stack_intercept"] = self.stacker.intercept_
        np.savez_compressed(path, **arrays)

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
            unseen = arrays.get("unseen_idf")
            space = FeatureSpace(
                vocab, arrays["idf"].astype(np.float64), None if unseen is None else float(unseen)
            )
            member = None
            if "vector_coef" in arrays:
                member = VectorMember(default_vectors(), arrays["vector_coef"], arrays["vector_intercept"])
            stacker = None
            if "stack_coef" in arrays:
                stacker = Stacker(arrays["stack_coef"], arrays["stack_intercept"])
            model = cls(
                space,
                arrays["coef"],
                arrays["intercept"],
                arrays.get("class_bias"),
                member,
                arrays.get("member_weights"),
                stacker,
            )
        except (OSError, KeyError, ValueError) as exc:
            raise ModelFileError(MODEL_FILE_INVALID.format(path=path or MODEL_FILE, detail=exc)) from exc
        members, rest = divmod(model.coef_.shape[1], len(LABELS)) if model.coef_.ndim == 2 else (0, 1)
        vector = model.vector_member
        stack = model.stacker
        stack_inputs = model.n_members * len(LABELS) + len(META_FEATURES)
        if (
            members < 1
            or rest
            or model.coef_.shape[0] != len(vocab)
            or model.intercept_.shape != (model.coef_.shape[1],)
            or model.class_bias_.shape != (len(LABELS),)
            or model.member_weights_.shape != (model.n_members,)
            or np.any(model.member_weights_ < 0)
            or (vector is not None and vector.coef_.shape != (vector.vectors.dimensions, len(LABELS)))
            or (vector is not None and vector.intercept_.shape != (len(LABELS),))
            or (stack is not None and stack.coef_.shape != (stack_inputs, len(LABELS)))
            or (stack is not None and stack.intercept_.shape != (len(LABELS),))
        ):
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
