from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aspa.engine.cx import (
    CONFIDENCE_INVALID,
    SMALL_DAYS_WARNING,
    SMALL_SAMPLE_WARNING,
    CxInputError,
    Metric,
    ces,
    csat,
    effect,
    estimate,
    nps,
    service_level,
    service_level_effect,
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


# ---------------------------------------------------------------- service level from day counts


def test_service_level_is_the_ratio_of_sums_with_a_day_clustered_error():
    # Days (8/10, 12/20): R = 20/30. Residuals a - R n: 8 - 6.667 = 1.333, 12 - 13.333 = -1.333.
    # Clustered var = 2/1 * (1.333^2 * 2) / 30^2 = 7.111 / 900; SE = 0.0889 (> binomial 0.0845).
    result = service_level([(8, 10), (12, 20)], min_days=1, min_n=1)
    assert result.value == pytest.approx(2 / 3)
    assert result.n == 30
    assert result.std_error == pytest.approx(math.sqrt(2 * 2 * (4 / 3) ** 2) / 30)
    # t with 1 degree of freedom: 12.706.
    assert result.interval.high == pytest.approx(min(1.0, 2 / 3 + 12.7062 * result.std_error), rel=1e-4)
    assert result.interval.low == pytest.approx(max(0.0, 2 / 3 - 12.7062 * result.std_error), rel=1e-4)
    assert not result.small_sample


def test_service_level_never_narrower_than_binomial_and_drops_empty_days():
    # Three identical days: the clustered spread is 0, so the binomial floor (pseudo-counts) holds.
    result = service_level([(40, 50), (40, 50), (40, 50), (0, 0)], min_days=1)
    smoothed = 121 / 152
    assert result.value == pytest.approx(0.8)
    assert result.std_error == pytest.approx(math.sqrt(smoothed * (1 - smoothed) / 150))
    assert result.n == 150


def test_service_level_rejects_impossible_counts_and_warns_on_few_days():
    with pytest.raises(CxInputError):
        service_level([(11, 10)])
    with pytest.raises(CxInputError):
        service_level([(-1, 10)])
    with pytest.raises(CxInputError):
        service_level([(0, 0)])
    with pytest.raises(CxInputError):
        estimate(Metric.SERVICE_LEVEL, [1, 0])
    result = service_level([(80, 100)] * 3)
    assert result.small_sample
    assert result.warning == SMALL_DAYS_WARNING.format(days=3, threshold=7)


def test_service_level_effect_by_hand():
    before = [(70, 100), (72, 100), (68, 100), (70, 100), (71, 100), (69, 100), (70, 100)]
    during = [(80, 100), (82, 100), (78, 100), (80, 100), (81, 100), (79, 100), (80, 100)]
    result = service_level_effect(before, during)
    assert result.difference == pytest.approx(0.10)
    assert result.baseline.value == pytest.approx(0.70)
    assert result.variant.value == pytest.approx(0.80)
    # Both sides: the binomial floor exceeds the small day spread, so SE = hypot of the two floors.
    p1, p2 = 491 / 702, 561 / 702
    se = math.hypot(math.sqrt(p1 * (1 - p1) / 700), math.sqrt(p2 * (1 - p2) / 700))
    assert result.std_error == pytest.approx(se)
    assert result.interval.low > 0
    assert result.p_value < 0.001
    assert result.probability_of_improvement > 0.99
    assert not result.small_sample
    worse = service_level_effect(during, before)
    assert worse.difference == pytest.approx(-0.10)
    assert worse.interval.high < 0


def test_service_level_effect_covers_the_truth_when_days_vary():
    """Days whose service level swings (staffing, peaks) widen the interval: with 3000 contacts a side
    a binomial interval would claim +-2 points and miss often; the clustered one keeps ~95 %."""
    rng = np.random.default_rng(7)
    covered = 0
    naive_covered = 0
    runs = 300
    for _ in range(runs):
        groups = []
        for _side in range(2):
            rates = rng.beta(16, 4, size=15)  # mean 0.8, days from ~0.6 to ~0.95
            offered = rng.integers(150, 250, size=15)
            groups.append(np.column_stack([rng.binomial(offered, rates), offered]))
        result = service_level_effect(groups[0], groups[1])
        covered += 0.0 in result.interval
        p = [g[:, 0].sum() / g[:, 1].sum() for g in groups]
        n = [g[:, 1].sum() for g in groups]
        naive_se = math.sqrt(sum(pi * (1 - pi) / ni for pi, ni in zip(p, n, strict=True)))
        naive_covered += abs(p[1] - p[0]) <= 1.96 * naive_se
    assert covered / runs >= 0.92
    assert naive_covered / runs < 0.8


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), min_size=1, max_size=20),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), min_size=1, max_size=20),
)
def test_service_level_effect_properties(raw_a, raw_b):
    a = [(min(x, y), y) for x, y in raw_a if y > 0]
    b = [(min(x, y), y) for x, y in raw_b if y > 0]
    if not a or not b:
        with pytest.raises(CxInputError):
            service_level_effect(a or [(0, 0)], b or [(0, 0)])
        return
    forward = service_level_effect(a, b)
    backward = service_level_effect(b, a)
    assert -1.0 <= forward.interval.low <= forward.difference <= forward.interval.high <= 1.0
    assert 0.0 <= forward.baseline.value <= 1.0
    assert forward.baseline.interval.low <= forward.baseline.value <= forward.baseline.interval.high
    assert forward.difference == pytest.approx(-backward.difference)
    assert forward.std_error == pytest.approx(backward.std_error)
    assert forward.std_error > 0
    assert forward.probability_of_improvement == pytest.approx(1 - backward.probability_of_improvement)
    assert 0.0 <= forward.p_value <= 1.0
