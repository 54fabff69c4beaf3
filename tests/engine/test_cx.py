from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aspa.engine.cx import (
    CONFIDENCE_INVALID,
    SMALL_SAMPLE_WARNING,
    CxInputError,
    Metric,
    ces,
    csat,
    effect,
    estimate,
    nps,
    trend,
    wilson_interval,
)

# ---------------------------------------------------------------- hand-checkable cases


def test_nps_counts_groups_and_scores_in_points():
    result = nps([10, 9, 8, 7, 6, 0])
    assert (result.promoters, result.passives, result.detractors) == (2, 2, 2)
    assert result.estimate.value == 0.0
    assert nps([10, 10, 10, 6]).estimate.value == pytest.approx(50.0)


def test_nps_interval_uses_multinomial_variance_with_pseudo_answers():
    # 60 answers: 30 promoters, 30 detractors. With one pseudo-answer per group (63 in all):
    # pP = pD = 31/63, var = (62/63 - 0) / 63.
    result = nps([10] * 30 + [0] * 30)
    se = math.sqrt((62 / 63) / 63)
    assert result.estimate.std_error == pytest.approx(100 * se)
    assert result.estimate.interval.high == pytest.approx(100 * 1.959964 * se, rel=1e-5)


def test_all_promoters_still_have_an_interval():
    result = nps([10] * 10).estimate
    assert result.value == 100.0
    assert result.interval.high == 100.0 and result.interval.low < 100.0


def test_csat_share_and_mean():
    result = csat([5, 4, 3, 2, 1])
    assert result.satisfied == 2
    assert result.share.value == pytest.approx(0.4)
    assert result.mean.value == pytest.approx(3.0)
    assert 0.1176 < result.share.interval.low < 0.1177  # Wilson, z = 1.96: 0.11762


def test_ces_mean_and_easy_share():
    result = ces([7, 7, 6, 5, 4, 3])
    assert result.easy == 4
    assert result.mean.value == pytest.approx(32 / 6)
    assert result.easy_share.value == pytest.approx(4 / 6)


def test_wilson_interval_known_value():
    interval = wilson_interval(8, 10)
    assert interval.low == pytest.approx(0.4902, abs=1e-4)
    assert interval.high == pytest.approx(0.9433, abs=1e-4)


def test_small_sample_is_flagged_with_message():
    result = nps([10, 9, 0]).estimate
    assert result.small_sample
    assert result.warning == SMALL_SAMPLE_WARNING.format(n=3, threshold=30)
    assert not nps([9] * 30).estimate.small_sample
    assert nps([9] * 5, min_n=5).estimate.warning is None


@pytest.mark.parametrize(
    ("call", "scores"),
    [(nps, [11]), (nps, [-1]), (nps, []), (csat, [0]), (csat, [6]), (ces, [8]), (nps, [9.5]), (nps, ["9"])],
)
def test_out_of_scale_answers_are_refused(call, scores):
    with pytest.raises(CxInputError):
        call(scores)


def test_bad_confidence_is_refused():
    with pytest.raises(CxInputError) as info:
        nps([9], confidence=1.0)
    assert str(info.value) == CONFIDENCE_INVALID.format(confidence=1.0)


def test_nps_effect_is_difference_of_nps_with_summed_variance():
    before, after = [0] * 30 + [10] * 30, [10] * 45 + [0] * 15
    result = effect(Metric.NPS, before, after)
    assert result.difference == pytest.approx(50.0)
    assert result.std_error == pytest.approx(
        math.hypot(nps(before).estimate.std_error, nps(after).estimate.std_error)
    )
    assert result.interval.low > 0 and result.p_value < 0.01 and result.probability_of_improvement > 0.99


def test_no_change_gives_large_p_value_and_even_odds():
    answers = [5, 4, 3, 4, 5, 2] * 10
    for metric in (Metric.CSAT, Metric.CSAT_MEAN):
        result = effect(metric, answers, answers)
        assert result.difference == 0.0
        assert result.p_value == pytest.approx(1.0)
        assert result.probability_of_improvement == pytest.approx(0.5)


def test_welch_matches_textbook_value():
    # Two groups of CES answers; Welch t = 2.0 exactly would be hard to build, so check against
    # the t distribution's 97.5 % point for the interval of a difference of means.
    a, b = [3, 4, 5, 4, 3, 4, 5, 4] * 5, [5, 6, 5, 6, 7, 6, 5, 6] * 5
    result = effect(Metric.CES, a, b)
    assert result.difference == pytest.approx(np.mean(b) - np.mean(a))
    assert result.interval.low < result.difference < result.interval.high
    assert result.p_value < 1e-6


def test_trend_slope_of_rising_nps():
    periods = [("2026-01", [10, 9, 0] * 20), ("2026-02", [10, 10, 0] * 20), ("2026-03", [10, 10, 10, 0] * 20)]
    result = trend(Metric.NPS, periods)
    assert [p.period for p in result.points] == ["2026-01", "2026-02", "2026-03"]
    assert result.slope is not None and result.slope > 0
    assert result.slope_interval is not None and result.slope in result.slope_interval


def test_trend_skips_empty_periods_and_needs_two_for_a_slope():
    result = trend(Metric.CSAT, [("vk1", [5, 4]), ("vk2", [])])
    assert len(result.points) == 1 and result.slope is None


# ---------------------------------------------------------------- properties

nps_answers = st.lists(st.integers(0, 10), min_size=1, max_size=200)


@settings(max_examples=60, deadline=None)
@given(nps_answers)
def test_nps_in_range_and_interval_contains_point(answers):
    result = nps(answers).estimate
    assert -100.0 <= result.interval.low <= result.value <= result.interval.high <= 100.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=1, max_size=100), st.sampled_from([Metric.CSAT, Metric.CSAT_MEAN])
)
def test_csat_interval_contains_point(answers, metric):
    result = estimate(metric, answers)
    assert result.interval.low <= result.value <= result.interval.high


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=2, max_size=50), st.integers(2, 10))
def test_intervals_shrink_with_more_answers(answers, factor):
    # The same mix of answers, `factor` times as many: every interval must be narrower.
    for metric in (Metric.NPS,):
        small, large = estimate(metric, answers, min_n=1), estimate(metric, answers * factor, min_n=1)
        assert large.interval.width <= small.interval.width + 1e-9
    csat_answers = [1 + a % 5 for a in answers]
    for metric in (Metric.CSAT, Metric.CSAT_MEAN):
        small, large = (
            estimate(metric, csat_answers, min_n=1),
            estimate(metric, csat_answers * factor, min_n=1),
        )
        assert large.interval.width <= small.interval.width + 1e-9


@settings(max_examples=40, deadline=None)
@given(nps_answers, nps_answers)
def test_effect_interval_contains_difference_and_probability_is_valid(a, b):
    result = effect(Metric.NPS, a, b)
    assert result.interval.low <= result.difference <= result.interval.high
    assert 0.0 <= result.p_value <= 1.0 and 0.0 <= result.probability_of_improvement <= 1.0
