"""Train the shipped sentiment model: ``uv run python -m aspa.engine.text.train [--cv]``.

Reads the XED Finnish polarity data from the shared benchmarks folder (``ASPA_BENCHMARKS_DIR``
overrides it) and uses ONLY rows whose ``split`` is ``train``, plus the projected XED lines (the
README removed every text of the test split from them). Settings were chosen by ``--cv``: 5-fold
cross-validation inside the train split with folds fixed by a hash of the text. Needs
scikit-learn (a dev dependency); the app itself only loads the result with numpy.
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

from aspa.engine.text.features import text_keys
from aspa.engine.text.sentiment import LABELS, FeatureSpace, SentimentModel, idf_from_document_frequency

SEED = 20260611
MIN_DF = 2
C = 1.0
OUTPUT = Path(__file__).with_name("data") / "sentiment_fi.npz"


@dataclass(frozen=True)
class Example:
    text: str
    label: str


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


def load_projections(root: Path) -> list[Example]:
    """Projected XED lines (negative / positive only; the README removed test-split texts)."""
    path = root / "finnish-sentiment" / "xed-fi-projections" / "xed_fi_projections_polarity.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Example(row["text"], row["label"]) for row in csv.DictReader(handle) if row["label"] in LABELS
        ]


def fold_of(text: str, folds: int = 5) -> int:
    """Cross-validation fold fixed by the text (bytes 8-16 of its SHA-1: independent of the test split)."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[8:16], 16) % folds  # noqa: S324


def fit(examples: Sequence[Example], c: float = C, min_df: int = MIN_DF) -> SentimentModel:
    """Vocabulary, IDF and logistic-regression weights from ``examples``."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    texts = [e.text for e in examples]
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(text_keys(text)))
    vocab = sorted(k for k, n in df.items() if n >= min_df)
    idf = idf_from_document_frequency(np.array([df[k] for k in vocab]), len(texts))
    space = FeatureSpace(vocab, idf)
    rows, cols, values = space.transform(texts)
    x = csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocab)))
    y = np.array([LABELS.index(e.label) for e in examples])
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=SEED)
    clf.fit(x, y)
    return SentimentModel(space, clf.coef_.T, clf.intercept_)


def macro_f1(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    """Mean F1 over ``labels``."""
    scores = []
    for label in labels:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def evaluate(model: SentimentModel, examples: Sequence[Example]) -> tuple[float, float]:
    """3-class macro-F1, and binary macro-F1 (negative vs positive rows; larger of the two scores)."""
    scores = model.score([e.text for e in examples])
    truth = [e.label for e in examples]
    f1_3 = macro_f1(truth, scores.labels, LABELS)
    binary = [i for i, e in enumerate(examples) if e.label != "neutral"]
    p = scores.probabilities
    bin_pred = ["positive" if p[i, 2] > p[i, 0] else "negative" for i in binary]
    f1_2 = macro_f1([truth[i] for i in binary], bin_pred, ("negative", "positive"))
    return f1_3, f1_2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cv", action="store_true", help="cross-validate inside the train split")
    parser.add_argument("--folds", type=int, default=5, help="folds to run with --cv (of 5)")
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--no-projections", action="store_true")
    args = parser.parse_args()
    root = benchmarks_dir()
    train = load_xed(root, "train")
    extra = [] if args.no_projections else load_projections(root)
    if args.cv:
        results = []
        for k in range(args.folds):
            fold_train = [e for e in train if fold_of(e.text) != k]
            fold_train += [e for e in extra if fold_of(e.text) != k]
            held = [e for e in train if fold_of(e.text) == k]
            results.append(evaluate(fit(fold_train, c=args.c), held))
            print(f"fold {k}: 3-class {results[-1][0]:.4f} binary {results[-1][1]:.4f}", flush=True)
        mean = np.mean(results, axis=0)
        print(f"cv mean: 3-class {mean[0]:.4f} binary {mean[1]:.4f} (C={args.c})")
        return
    model = fit(train + extra, c=args.c)
    model.save(OUTPUT)
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1e6:.2f} MB, {model.space.n_features} features)")


if __name__ == "__main__":
    main()
