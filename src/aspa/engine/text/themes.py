"""Theme discovery: TF-IDF over content lemmas, factorised by NMF, labelled by its top words.

``ThemeModel(n_themes).fit(texts)`` finds themes in a corpus; ``predict`` / ``transform`` assign new
texts to them. Terms are the lemmas of the lemmatiser backend (Voikko base forms, or Snowball stems
where Voikko is missing) minus stop words, plus the parts of compounds, so "jonotusaika" and
"odotusaika" share "aika". Labels show, for each of a theme's top terms, the word form that was
most common in the corpus, so Snowball stems ("ystävällis") never reach the screen.

NMF (Lee & Seung multiplicative updates, Frobenius loss) runs on the sparse matrix of at most
``fit_sample`` texts (drawn with a fixed seed) x ``max_terms`` terms, so fitting stays quick on a
large corpus; assignment of any number of texts is sparse too and linear in their length.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aspa.engine.text.errors import EMPTY_CORPUS, NOT_FITTED, THEMES_INVALID, NotFittedError, TextInputError
from aspa.engine.text.lemmatize import Lemmatiser, make_lemmatiser
from aspa.engine.text.stopwords import stopwords_fi
from aspa.engine.text.tokenize import tokenize

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
NO_THEME = -1
_EPS = 1e-10


@dataclass(frozen=True)
class Theme:
    """One discovered theme.

    Attributes:
        index: position in ``ThemeModel.themes_`` (the value ``predict`` returns).
        label: its top words joined with " · ", e.g. "jonotus · aika · odottaa".
        top_terms: the terms behind the label, strongest first (lemmas or stems).
        size: texts of the fitting sample whose strongest theme this is.
    """

    index: int
    label: str
    top_terms: tuple[str, ...]
    size: int


class ThemeModel:
    """Finds ``n_themes`` themes in Finnish texts and assigns texts to them.

    Args:
        n_themes: how many themes to look for.
        backend: lemmatiser backend, ``"auto"``, ``"voikko"`` or ``"snowball"``.
        max_terms: vocabulary size (the most frequent content terms).
        min_df: a term must occur in at least this many texts.
        max_df: ... and in at most this share of them (drops corpus-wide filler).
        fit_sample: at most this many texts (drawn with ``seed``) are used to fit.
        n_iter: NMF iterations.
        label_terms: words per label.
        seed: random seed of the sample and the NMF start.
    """

    def __init__(
        self,
        n_themes: int = 8,
        *,
        backend: str = "auto",
        max_terms: int = 1500,
        min_df: int = 2,
        max_df: float = 0.5,
        fit_sample: int = 10000,
        n_iter: int = 200,
        label_terms: int = 3,
        seed: int = 0,
    ) -> None:
        self.n_themes = n_themes
        self.backend = backend
        self.max_terms = max_terms
        self.min_df = min_df
        self.max_df = max_df
        self.fit_sample = fit_sample
        self.n_iter = n_iter
        self.label_terms = label_terms
        self.seed = seed

    # ------------------------------------------------------------ terms

    def _lemmatiser(self) -> Lemmatiser:
        found: Lemmatiser | None = getattr(self, "lemmatiser_", None)
        return found if found is not None else make_lemmatiser(self.backend)

    def terms(self, text: str, lemmatiser: Lemmatiser | None = None) -> list[tuple[str, str]]:
        """(term, surface word) pairs of the content words of ``text``, compound parts included."""
        lem = lemmatiser or self._lemmatiser()
        stop = stopwords_fi()
        out: list[tuple[str, str]] = []
        for token in tokenize(text):
            if token in stop or len(token) < 3 or token[0].isdigit():
                continue
            lemma = lem.lemma(token)
            if lemma in stop:
                continue
            out.append((lemma, token))
            parts = lem.compound_parts(token)
            if len(parts) > 1:
                out.extend((part, part) for part in parts if len(part) >= 3 and part not in stop)
        return out

    def _rows(self, texts: Sequence[str]) -> tuple[IntArray, IntArray, FloatArray]:
        """Sparse L2-normalised TF-IDF rows (row, column, value) of ``texts`` over the vocabulary."""
        lem = self.lemmatiser_
        vocab = self.vocabulary_
        cache: dict[str, list[int]] = {}
        lengths = np.zeros(len(texts), dtype=np.int64)
        flat: list[int] = []
        for i, text in enumerate(texts):
            for token in tokenize(text):
                ids = cache.get(token)
                if ids is None:
                    ids = cache[token] = [vocab[t] for t, _ in self.terms(token, lem) if t in vocab]
                flat.extend(ids)
                lengths[i] += len(ids)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        cols = np.asarray(flat, dtype=np.int64)
        size = max(len(vocab), 1)
        cells, counts = np.unique(rows * size + cols, return_counts=True)
        rows, cols = cells // size, cells % size
        values = (1.0 + np.log(counts)) * self.idf_[cols]
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(texts)))
        return rows, cols, values / norms[rows]

    # ------------------------------------------------------------ fit / transform

    def fit(self, texts: Sequence[str]) -> ThemeModel:
        """Discover themes in ``texts``; returns ``self``.

        Raises:
            TextInputError: ``n_themes`` < 1, or fewer texts with content words than themes.
        """
        if isinstance(self.n_themes, bool) or not isinstance(self.n_themes, int) or self.n_themes < 1:
            raise TextInputError(THEMES_INVALID.format(n_themes=self.n_themes))
        rng = np.random.default_rng(self.seed)
        if len(texts) > self.fit_sample:
            picked = np.sort(rng.choice(len(texts), self.fit_sample, replace=False))
            texts = [texts[i] for i in picked]
        self.lemmatiser_ = make_lemmatiser(self.backend)
        doc_terms = [self.terms(t, self.lemmatiser_) for t in texts]
        df: Counter[str] = Counter()
        surfaces: dict[str, Counter[str]] = {}
        for pairs in doc_terms:
            df.update({t for t, _ in pairs})
            for term, surface in pairs:
                surfaces.setdefault(term, Counter())[surface] += 1
        n_docs = len(texts)
        ceiling = max(self.min_df, self.max_df * n_docs)
        kept = [t for t, n in df.items() if self.min_df <= n <= ceiling]
        # Most frequent first, ties alphabetical: the vocabulary does not depend on dict order.
        kept.sort(key=lambda t: (-df[t], t))
        vocab_terms = kept[: self.max_terms]
        self.vocabulary_ = {t: i for i, t in enumerate(vocab_terms)}
        self.idf_ = np.log((1.0 + n_docs) / (1.0 + np.array([df[t] for t in vocab_terms], dtype=float))) + 1.0
        rows, cols, values = self._rows(texts)
        with_content = np.unique(rows)
        if with_content.size < max(self.n_themes, 2) or not vocab_terms:
            raise TextInputError(
                EMPTY_CORPUS.format(needed=max(self.n_themes, 2), got=int(with_content.size))
            )
        # Renumber rows so that only texts with content words take part in the factorisation.
        rows = np.searchsorted(with_content, rows)
        w, h = _nmf(
            rows, cols, values, (with_content.size, len(vocab_terms)), self.n_themes, self.n_iter, rng
        )
        # Order themes by how much of the corpus they explain, largest first.
        order = np.argsort(-(w.sum(axis=0) * h.sum(axis=1)), kind="stable")
        w, h = w[:, order], h[order]
        self.components_ = h
        strongest = w.argmax(axis=1)
        inverse = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
        themes = []
        for k in range(self.n_themes):
            top = [inverse[j] for j in np.argsort(-h[k], kind="stable")[: self.label_terms] if h[k, j] > 0]
            words = [_display(t, surfaces[t], self.lemmatiser_.backend) for t in top]
            themes.append(Theme(k, " · ".join(words), tuple(top), int((strongest == k).sum())))
        self.themes_ = tuple(themes)
        return self

    def transform(self, texts: Sequence[str]) -> FloatArray:
        """Theme weights of ``texts``, shape (texts, n_themes), each row summing to 1 (or all 0).

        Raises:
            NotFittedError: called before ``fit``.
        """
        if not hasattr(self, "components_"):
            raise NotFittedError(NOT_FITTED.format(name="ThemeModel"))
        rows, cols, values = self._rows(texts)
        h = self.components_
        k = h.shape[0]
        # Batch NMF with H fixed: w <- w * (x H^T) / (w H H^T), all texts at once.
        xht = np.zeros((len(texts), k))
        for j in range(k):
            xht[:, j] = np.bincount(rows, weights=values * h[j, cols], minlength=len(texts))
        hht = h @ h.T
        w = np.where(xht.sum(axis=1, keepdims=True) > 0, 1.0 / k, 0.0) * np.ones((len(texts), k))
        for _ in range(50):
            w *= xht / (w @ hht + _EPS)
        totals = w.sum(axis=1, keepdims=True)
        return np.divide(w, totals, out=np.zeros_like(w), where=totals > 0)

    def predict(self, texts: Sequence[str]) -> IntArray:
        """Index of the strongest theme of each text, :data:`NO_THEME` (-1) for texts with no known term."""
        weights = self.transform(texts)
        out = weights.argmax(axis=1).astype(np.int64)
        out[weights.sum(axis=1) == 0] = NO_THEME
        return out


def _display(term: str, surfaces: Counter[str], backend: str) -> str:
    """A readable word for ``term``: Voikko base forms are words; a stem shows its commonest form."""
    if backend == "voikko" or term in surfaces:
        return term
    return min(surfaces.items(), key=lambda item: (-item[1], item[0]))[0]


def _nmf(
    rows: IntArray,
    cols: IntArray,
    values: FloatArray,
    shape: tuple[int, int],
    k: int,
    n_iter: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """Non-negative X ~ W H by multiplicative updates from a seeded random start; X given sparse (COO)."""
    n_docs, n_terms = shape
    scale = np.sqrt(values.sum() / (n_docs * n_terms) / k)
    w = rng.random((n_docs, k)) * scale + _EPS
    h = rng.random((k, n_terms)) * scale + _EPS
    for _ in range(n_iter):
        # W^T X and X H^T touch only the non-zero cells: one bincount per theme.
        wtx = np.stack([np.bincount(cols, weights=values * w[rows, j], minlength=n_terms) for j in range(k)])
        h *= wtx / ((w.T @ w) @ h + _EPS)
        xht = np.stack(
            [np.bincount(rows, weights=values * h[j, cols], minlength=n_docs) for j in range(k)], axis=1
        )
        w *= xht / (w @ (h @ h.T) + _EPS)
    return w, h
