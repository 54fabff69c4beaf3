"""Finnish sentiment on XED-fi, and text throughput: ``uv run python bench/sentiment.py`` (no arguments).

Quality: the shipped model (``src/aspa/engine/text/data/sentiment_fi.npz``, trained by
``uv run python -m aspa.engine.text.train`` on the README's TRAIN split plus the projected lines,
settings chosen by its ``--cv`` inside TRAIN) scored on the README's TEST split
(``split == "test"``; ``mixed`` and ``surprise_only`` dropped): 3-class macro-F1 and accuracy,
and binary (negative vs positive rows, the larger of the model's two probabilities) macro-F1 and
accuracy. Baselines in the README: 0.636 and 0.768. The sentiment
features use Snowball stems, never the lemmatiser backend, so the scores are the same with and
without Voikko; the first line says which lemmatiser backends this machine has and which one the
JSON line's throughput used.

Throughput: 100,000 texts (every XED and projected line, repeated in order up to 100,000) are
lemmatised, assigned to themes (10 themes discovered on a seeded sample of 5,000) and scored for
sentiment, from a cold start (fresh lemmatiser, theme model and sentiment model) for each
lemmatiser backend available. The machine may be shared, so wall time is what it is; both backends
are printed. The JSON line reports the default ("auto") backend.

Data: ``../shared/benchmarks`` beside the project, or ``ASPA_BENCHMARKS_DIR``. The last line is JSON.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

from aspa.engine.text.lemmatize import voikko_available
from aspa.engine.text.sentiment import LABELS, SentimentModel
from aspa.engine.text.themes import ThemeModel
from aspa.engine.text.train import Example, load_projections, load_xed, macro_f1

CORPUS_SIZE = 100_000
N_THEMES = 10


def benchmarks_dir() -> Path:
    env = os.environ.get("ASPA_BENCHMARKS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"


def accuracy(truth: list[str], predicted: list[str]) -> float:
    return sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth)


def quality(model: SentimentModel, test: list[Example]) -> tuple[float, float]:
    scores = model.score([e.text for e in test])
    truth = [e.label for e in test]
    f1_3 = macro_f1(truth, scores.labels, LABELS)
    print(
        f"3-class  test n={len(test)}  macro-F1 {f1_3:.4f}  accuracy {accuracy(truth, list(scores.labels)):.4f}"
    )
    for label in LABELS:
        print(f"         F1 {label:<8} {macro_f1(truth, scores.labels, (label,)):.4f}")
    rows = [i for i, e in enumerate(test) if e.label != "neutral"]
    p = scores.probabilities
    bin_truth = [truth[i] for i in rows]
    bin_pred = ["positive" if p[i, 2] > p[i, 0] else "negative" for i in rows]
    f1_2 = macro_f1(bin_truth, bin_pred, ("negative", "positive"))
    print(f"binary   test n={len(rows)}  macro-F1 {f1_2:.4f}  accuracy {accuracy(bin_truth, bin_pred):.4f}")
    return f1_3, f1_2


def throughput(texts: list[str], backend: str) -> float:
    """Seconds to lemmatise, theme and score ``texts`` from a cold start with ``backend``."""
    start = time.perf_counter()
    themes = ThemeModel(N_THEMES, backend=backend, seed=7).fit(texts)
    fitted = time.perf_counter()
    assigned = themes.predict(texts)
    themed = time.perf_counter()
    scores = SentimentModel.load().score(texts)
    end = time.perf_counter()
    print(
        f"{backend:<8} {len(texts):,} texts in {end - start:.1f} s ({len(texts) / (end - start):,.0f} texts/s): "
        f"theme fit {fitted - start:.1f} s, lemmatise+assign {themed - fitted:.1f} s, sentiment {end - themed:.1f} s"
    )
    for theme in themes.themes_:
        print(f"         theme {theme.index}: {theme.label} ({int((assigned == theme.index).sum()):,} texts)")
    print(f"         labels: {dict((lab, scores.labels.count(lab)) for lab in LABELS)}")
    return end - start


def main() -> None:
    root = benchmarks_dir()
    print(f"data: {root / 'finnish-sentiment'}  python {platform.python_version()}  cpus {os.cpu_count()}")
    backends = (["voikko"] if voikko_available() else []) + ["snowball"]
    print(
        f"lemmatiser: {backends[0]} (default 'auto'; backends here: {', '.join(backends)}); "
        "sentiment features: Snowball stems whatever the backend"
    )
    test = load_xed(root, "test")
    f1_3, f1_2 = quality(SentimentModel.load(), test)
    pool = [e.text for e in load_xed(root, "train") + test + load_projections(root)]
    corpus = [pool[i % len(pool)] for i in range(CORPUS_SIZE)]
    seconds = {backend: throughput(corpus, backend) for backend in backends}
    default = seconds[backends[0]]
    print(f"JSON texts_per_second: {backends[0]} backend")
    print(f"targets: 3-class >= 0.68, binary >= 0.80, {CORPUS_SIZE:,} texts < 60 s")
    print("reproduce: uv run python bench/sentiment.py")
    result = {
        "macro_f1_3class": round(f1_3, 4),
        "macro_f1_binary": round(f1_2, 4),
        "texts_per_second": round(CORPUS_SIZE / default, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
