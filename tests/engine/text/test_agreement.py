import pytest

from aspa.engine.text.agreement import agreement, macro_f1

LABELS = ("negative", "neutral", "positive")


def test_macro_f1_by_hand():
    truth = ["negative", "negative", "positive", "neutral"]
    predicted = ["negative", "positive", "positive", "neutral"]
    # negative: tp 1 fn 1 -> 2/3; neutral: 1; positive: tp 1 fp 1 -> 2/3
    assert macro_f1(truth, predicted, LABELS) == pytest.approx((2 / 3 + 1 + 2 / 3) / 3)
    with pytest.raises(ValueError):
        macro_f1(truth, predicted[:2], LABELS)


def test_agreement_counts_and_scores():
    people = ["negative", "negative", "neutral", "positive", "positive"]
    model = ["negative", "neutral", "neutral", "negative", "positive"]
    result = agreement(people, model, LABELS)
    assert result.n == 5 and result.accuracy == pytest.approx(3 / 5)
    assert result.confusion == ((1, 1, 0), (0, 1, 0), (1, 0, 1))
    assert result.macro_f1 == pytest.approx(macro_f1(people, model, LABELS))


def test_agreement_only_over_labels_that_occur():
    result = agreement(["positive", "positive"], ["positive", "positive"], LABELS)
    assert result.macro_f1 == 1.0  # the absent classes do not pull it down
    empty = agreement([], [], LABELS)
    assert empty.n == 0 and empty.accuracy is None and empty.macro_f1 is None
    skipped = agreement(["positive", ""], ["positive", "negative"], LABELS)
    assert skipped.n == 1
