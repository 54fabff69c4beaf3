"""How well predicted labels agree with people's labels: confusion matrix, accuracy and macro-F1.

Used by the benchmark (XED test labels) and by the product, where leads correct the model's sentiment
on their own feedback: those corrections are the organisation's own test set, in its own domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def macro_f1(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    """Mean F1 over ``labels`` (a label with no true and no predicted case scores 0)."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted differ in length")
    scores = []
    for label in labels:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


@dataclass(frozen=True)
class Agreement:
    """Predicted labels against people's labels over ``labels``.

    ``confusion[i][j]`` counts texts that people labelled ``labels[i]`` and the model ``labels[j]``.
    ``macro_f1`` averages over the labels that occur on either side, so a handful of corrections that
    never mention a class are not punished for it; ``accuracy`` and ``macro_f1`` are None without data.
    """

    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]
    n: int
    accuracy: float | None
    macro_f1: float | None


def agreement(people: Sequence[str], model: Sequence[str], labels: Sequence[str]) -> Agreement:
    """Compare ``model`` labels with ``people``'s; pairs with a label outside ``labels`` are skipped."""
    if len(people) != len(model):
        raise ValueError("people and model differ in length")
    index = {label: i for i, label in enumerate(labels)}
    pairs = [(p, m) for p, m in zip(people, model, strict=True) if p in index and m in index]
    matrix = [[0] * len(labels) for _ in labels]
    for p, m in pairs:
        matrix[index[p]][index[m]] += 1
    if not pairs:
        return Agreement(tuple(labels), tuple(tuple(row) for row in matrix), 0, None, None)
    truth, predicted = [p for p, _ in pairs], [m for _, m in pairs]
    present = [label for label in labels if label in truth or label in predicted]
    return Agreement(
        labels=tuple(labels),
        confusion=tuple(tuple(row) for row in matrix),
        n=len(pairs),
        accuracy=sum(1 for p, m in pairs if p == m) / len(pairs),
        macro_f1=macro_f1(truth, predicted, present),
    )
