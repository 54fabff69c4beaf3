"""Customer-experience metrics with their uncertainty: NPS, CSAT and CES, trends and experiment effects.

Conventions (what a survey page must ask for these numbers to mean what they say):

- **NPS** (suositteluaste): "How likely are you to recommend us?" on 0-10. Promoters answer 9-10,
  detractors 0-6, passives 7-8. NPS = 100 x (share of promoters - share of detractors), in
  [-100, 100].
- **CSAT**: satisfaction on 1-5 (5 = very satisfied). The headline is the share of satisfied
  answers (4-5); the mean on 1-5 is given too.
- **CES** (CES 2.0): agreement with "The company made it easy to handle my issue" on 1-7
  (7 = strongly agree, so *higher is better*, unlike the old 1-5 effort scale). The headline is the
  mean; the share of "easy" answers (5-7) is given too.

Intervals: Wilson score intervals for shares; Student t for means; for NPS the normal interval
from the multinomial variance of (promoter - detractor) with one pseudo-answer added to each of the
three groups, so that 10 promoters out of 10 still get a width (the point itself is never moved).
Differences of two groups (before/after, or control/test): Newcombe's hybrid score interval for
shares, Welch's t for means, and for NPS the difference with the summed multinomial variances.
Each comes with a two-sided p-value and a probability of improvement (the posterior probability
that the difference is > 0 under a flat prior and the normal approximation).

Every result flags a small sample (``small_sample`` and :data:`SMALL_SAMPLE_WARNING`) when fewer
than ``min_n`` answers (default :data:`SMALL_SAMPLE_N`) stand behind it.

**Service level** (palvelutaso) is a proportion of *contacts*, not of survey answers: contacts answered
within the queue's target time / contacts offered, abandoned contacts counting as not answered in
time. Contacts of one day share that day's staffing and traffic, so they are not independent draws:
:func:`service_level` and :func:`service_level_effect` take per-day counts (answered within target,
offered) and use the ratio estimator with a day-clustered (linearised) variance and Student t on
days - 1 degrees of freedom, never narrower than the binomial interval of the same contacts. They
warn when fewer than ``min_days`` days (default :data:`SMALL_SAMPLE_DAYS`) stand behind a figure.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

SMALL_SAMPLE_N = 30
SMALL_SAMPLE_WARNING = (
    "Only {n} answers (fewer than {threshold}): the figure can swing a lot; read the interval."
)

SMALL_SAMPLE_DAYS = 7
SMALL_DAYS_WARNING = "Only {days} days (fewer than {threshold}): day-to-day swings can hide or fake an effect; read the interval."
SMALL_CONTACTS_WARNING = (
    "Only {n} contacts (fewer than {threshold}): the figure can swing a lot; read the interval."
)

SCORES_EMPTY = "{metric} needs at least one answer"
DAYS_EMPTY = "a service level needs at least one day with offered contacts"
DAY_COUNTS_INVALID = "each day needs whole numbers with 0 <= answered within target <= offered; got {value!r}"
USE_SERVICE_LEVEL = "service level is computed from day counts: use service_level() / service_level_effect()"
SCORE_OUT_OF_RANGE = "{metric} answers must be whole numbers from {low} to {high}; got {value!r}"
CONFIDENCE_INVALID = "confidence must be strictly between 0 and 1, got {confidence!r}"
MIN_N_INVALID = "min_n must be a whole number of at least 1, got {min_n!r}"
TREND_TOO_SHORT = "a trend needs at least one period"


class CxError(Exception):
    """Base class of every error this module raises on purpose."""


class CxInputError(CxError, ValueError):
    """Answers or parameters are out of their domain (an 11 on a 0-10 scale, confidence of 1, ...)."""


class Metric(enum.Enum):
    """A headline figure and its scale (low, high)."""

    NPS = "nps"
    CSAT = "csat"  # share of 4-5 on 1-5
    CSAT_MEAN = "csat_mean"
    CES = "ces"  # mean on 1-7
    CES_EASY = "ces_easy"  # share of 5-7 on 1-7
    SERVICE_LEVEL = "service_level"  # share of offered contacts answered within target (day counts)

    @property
    def scale(self) -> tuple[int, int]:
        return {
            "nps": (0, 10),
            "csat": (1, 5),
            "csat_mean": (1, 5),
            "ces": (1, 7),
            "ces_easy": (1, 7),
            "service_level": (0, 1),
        }[self.value]


@dataclass(frozen=True)
class Interval:
    """A confidence interval ``[low, high]`` at level ``confidence``."""

    low: float
    high: float
    confidence: float

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int | float) and self.low <= value <= self.high

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Estimate:
    """One figure of one group of answers.

    Attributes:
        metric: which figure.
        n: answers behind it.
        value: NPS in points (-100..100), shares as fractions (0..1), means on the answer scale.
        std_error: standard error of ``value`` (same units).
        interval: confidence interval of ``value``.
        small_sample: fewer than ``min_n`` answers.
        warning: :data:`SMALL_SAMPLE_WARNING` filled in, or None.
    """

    metric: Metric
    n: int
    value: float
    std_error: float
    interval: Interval
    small_sample: bool
    warning: str | None


@dataclass(frozen=True)
class NpsResult:
    """NPS with its groups: ``estimate.value`` is the NPS in points."""

    promoters: int
    passives: int
    detractors: int
    estimate: Estimate


@dataclass(frozen=True)
class CsatResult:
    """CSAT: share of satisfied (4-5) answers and the mean on 1-5."""

    satisfied: int
    share: Estimate
    mean: Estimate


@dataclass(frozen=True)
class CesResult:
    """CES: mean on 1-7 (higher = easier) and the share of easy (5-7) answers."""

    easy: int
    mean: Estimate
    easy_share: Estimate


@dataclass(frozen=True)
class TrendPoint:
    """One period of a trend."""

    period: str
    estimate: Estimate


@dataclass(frozen=True)
class Trend:
    """A figure period by period and its straight-line slope per period.

    ``slope`` is the inverse-variance-weighted least-squares slope over the period index (0, 1, ...),
    so thin periods count less; ``slope_interval`` is None with fewer than two usable periods.
    """

    metric: Metric
    points: tuple[TrendPoint, ...]
    slope: float | None
    slope_interval: Interval | None


@dataclass(frozen=True)
class Effect:
    """Difference of a figure between a baseline (before / control) and a variant (after / test).

    Attributes:
        difference: variant - baseline, in the figure's units (NPS points, share fraction, mean).
        std_error: standard error of the difference.
        interval: confidence interval of the difference.
        p_value: two-sided p-value of "no difference".
        probability_of_improvement: P(true difference > 0), flat prior, normal approximation.
        small_sample: either group has fewer than ``min_n`` answers.
        warning: :data:`SMALL_SAMPLE_WARNING` for the smaller group, or None.
    """

    metric: Metric
    baseline: Estimate
    variant: Estimate
    difference: float
    std_error: float
    interval: Interval
    p_value: float
    probability_of_improvement: float
    small_sample: bool
    warning: str | None


# ---------------------------------------------------------------- validation and small helpers


def _check_confidence(confidence: float) -> None:
    if not (isinstance(confidence, int | float) and 0.0 < confidence < 1.0):
        raise CxInputError(CONFIDENCE_INVALID.format(confidence=confidence))


def _check_min_n(min_n: int) -> None:
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise CxInputError(MIN_N_INVALID.format(min_n=min_n))


def _answers(scores: Sequence[int] | np.ndarray, metric: Metric) -> np.ndarray:
    """Validated integer answers of ``metric``'s scale."""
    low, high = metric.scale
    array = np.asarray(scores)
    if array.size == 0:
        raise CxInputError(SCORES_EMPTY.format(metric=metric.name))
    if array.dtype.kind == "f":
        bad = ~np.isfinite(array) | (array != np.round(array))
        if bad.any():
            raise CxInputError(
                SCORE_OUT_OF_RANGE.format(metric=metric.name, low=low, high=high, value=array[bad][0])
            )
    elif array.dtype.kind not in "iu":
        raise CxInputError(
            SCORE_OUT_OF_RANGE.format(metric=metric.name, low=low, high=high, value=array.flat[0])
        )
    array = array.astype(np.int64).ravel()
    out = (array < low) | (array > high)
    if out.any():
        raise CxInputError(
            SCORE_OUT_OF_RANGE.format(metric=metric.name, low=low, high=high, value=int(array[out][0]))
        )
    return array


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def _warning(n: int, min_n: int) -> tuple[bool, str | None]:
    if n < min_n:
        return True, SMALL_SAMPLE_WARNING.format(n=n, threshold=min_n)
    return False, None


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> Interval:
    """Wilson score interval of a proportion (good at small n and near 0 or 1)."""
    _check_confidence(confidence)
    if n <= 0:
        raise CxInputError(SCORES_EMPTY.format(metric="a proportion"))
    z = _z(confidence)
    p = successes / n
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # Rounding can put the point a hair outside [centre - half, centre + half] at p = 0 or 1.
    return Interval(min(max(0.0, centre - half), p), max(min(1.0, centre + half), p), confidence)


def _student_t_cdf(t: float, df: float) -> float:
    """CDF of Student's t via the regularised incomplete beta function (no scipy at run time)."""
    if math.isinf(df):
        return NormalDist().cdf(t)
    x = df / (df + t * t)
    tail = 0.5 * _betainc(df / 2.0, 0.5, x)
    return 1.0 - tail if t > 0 else tail


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b) by Lentz's continued fraction."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - _betainc(b, a, 1.0 - x)
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-12:
            break
    return math.exp(log_front) * h / a


def _t_quantile(confidence: float, df: float) -> float:
    """Two-sided critical value of Student's t (bisection on the CDF)."""
    target = 0.5 + confidence / 2.0
    low, high = 0.0, 1e3
    for _ in range(100):
        mid = (low + high) / 2.0
        if _student_t_cdf(mid, df) < target:
            low = mid
        else:
            high = mid
    return (low + high) / 2.0


# ---------------------------------------------------------------- one group


def _nps_parts(answers: np.ndarray) -> tuple[int, int, int, float, float]:
    """Counts and (NPS as a fraction, its multinomial standard error with pseudo-answers)."""
    n = answers.size
    promoters = int((answers >= 9).sum())
    detractors = int((answers <= 6).sum())
    passives = n - promoters - detractors
    value = (promoters - detractors) / n
    # Multinomial variance of p_P - p_D is (p_P + p_D - (p_P - p_D)^2) / n. One pseudo-answer per
    # group keeps it positive when every answer falls in one group.
    pp, pd = (promoters + 1) / (n + 3), (detractors + 1) / (n + 3)
    se = math.sqrt((pp + pd - (pp - pd) ** 2) / (n + 3))
    return promoters, passives, detractors, value, se


def _mean_estimate(metric: Metric, answers: np.ndarray, confidence: float, min_n: int) -> Estimate:
    n = answers.size
    mean = float(answers.mean())
    low, high = metric.scale
    # With one answer (or all equal) the sample spread is 0; a quarter of the scale's range as a
    # floor on the spread keeps small groups from looking exact.
    sd = float(answers.std(ddof=1)) if n > 1 else 0.0
    sd = max(sd, (high - low) / 4.0 / math.sqrt(n)) if n < min_n else sd
    se = sd / math.sqrt(n)
    half = _t_quantile(confidence, max(n - 1, 1)) * se
    small, warning = _warning(n, min_n)
    interval = Interval(max(float(low), mean - half), min(float(high), mean + half), confidence)
    return Estimate(metric, n, mean, se, interval, small, warning)


def _share_estimate(metric: Metric, hits: int, n: int, confidence: float, min_n: int) -> Estimate:
    p = hits / n
    small, warning = _warning(n, min_n)
    return Estimate(
        metric, n, p, math.sqrt(p * (1 - p) / n), wilson_interval(hits, n, confidence), small, warning
    )


def nps(
    scores: Sequence[int] | np.ndarray, *, confidence: float = 0.95, min_n: int = SMALL_SAMPLE_N
) -> NpsResult:
    """NPS of 0-10 answers with a confidence interval (points, clipped to [-100, 100]).

    >>> nps([10, 9, 8, 7, 6, 0]).estimate.value   # 2 promoters - 2 detractors of 6
    0.0

    Raises:
        CxInputError: no answers, an answer outside 0-10, or a bad ``confidence`` / ``min_n``.
    """
    _check_confidence(confidence)
    _check_min_n(min_n)
    answers = _answers(scores, Metric.NPS)
    promoters, passives, detractors, value, se = _nps_parts(answers)
    half = _z(confidence) * se
    interval = Interval(max(-100.0, 100 * (value - half)), min(100.0, 100 * (value + half)), confidence)
    small, warning = _warning(answers.size, min_n)
    estimate = Estimate(Metric.NPS, answers.size, 100 * value, 100 * se, interval, small, warning)
    return NpsResult(promoters, passives, detractors, estimate)


def csat(
    scores: Sequence[int] | np.ndarray, *, confidence: float = 0.95, min_n: int = SMALL_SAMPLE_N
) -> CsatResult:
    """CSAT of 1-5 answers: share of 4-5 (Wilson interval) and mean (t interval).

    Raises:
        CxInputError: no answers, an answer outside 1-5, or a bad ``confidence`` / ``min_n``.
    """
    _check_confidence(confidence)
    _check_min_n(min_n)
    answers = _answers(scores, Metric.CSAT)
    satisfied = int((answers >= 4).sum())
    return CsatResult(
        satisfied,
        _share_estimate(Metric.CSAT, satisfied, answers.size, confidence, min_n),
        _mean_estimate(Metric.CSAT_MEAN, answers, confidence, min_n),
    )


def ces(
    scores: Sequence[int] | np.ndarray, *, confidence: float = 0.95, min_n: int = SMALL_SAMPLE_N
) -> CesResult:
    """CES of 1-7 answers (7 = very easy): mean (t interval) and share of 5-7 (Wilson interval).

    Raises:
        CxInputError: no answers, an answer outside 1-7, or a bad ``confidence`` / ``min_n``.
    """
    _check_confidence(confidence)
    _check_min_n(min_n)
    answers = _answers(scores, Metric.CES)
    easy = int((answers >= 5).sum())
    return CesResult(
        easy,
        _mean_estimate(Metric.CES, answers, confidence, min_n),
        _share_estimate(Metric.CES_EASY, easy, answers.size, confidence, min_n),
    )


def estimate(
    metric: Metric,
    scores: Sequence[int] | np.ndarray,
    *,
    confidence: float = 0.95,
    min_n: int = SMALL_SAMPLE_N,
) -> Estimate:
    """The headline :class:`Estimate` of ``metric`` for one group of answers.

    Raises:
        CxInputError: bad answers or parameters, or ``Metric.SERVICE_LEVEL`` (see :func:`service_level`).
    """
    if metric is Metric.SERVICE_LEVEL:
        raise CxInputError(USE_SERVICE_LEVEL)
    if metric is Metric.NPS:
        return nps(scores, confidence=confidence, min_n=min_n).estimate
    if metric in (Metric.CSAT, Metric.CSAT_MEAN):
        result = csat(scores, confidence=confidence, min_n=min_n)
        return result.share if metric is Metric.CSAT else result.mean
    ces_result = ces(scores, confidence=confidence, min_n=min_n)
    return ces_result.mean if metric is Metric.CES else ces_result.easy_share


# ---------------------------------------------------------------- trends


def trend(
    metric: Metric,
    periods: Sequence[tuple[str, Sequence[int] | np.ndarray]],
    *,
    confidence: float = 0.95,
    min_n: int = SMALL_SAMPLE_N,
) -> Trend:
    """``metric`` per period (in the order given) and its weighted straight-line slope per period.

    Periods without answers are skipped (they have no estimate).

    Raises:
        CxInputError: no periods, or bad answers / parameters.
    """
    if not periods:
        raise CxInputError(TREND_TOO_SHORT)
    points: list[TrendPoint] = []
    index: list[float] = []
    for i, (label, scores) in enumerate(periods):
        if len(scores) == 0:
            continue
        points.append(TrendPoint(label, estimate(metric, scores, confidence=confidence, min_n=min_n)))
        index.append(float(i))
    if len(points) < 2:
        return Trend(metric, tuple(points), None, None)
    x = np.array(index)
    y = np.array([p.estimate.value for p in points])
    # A period whose answers all agree has a standard error of 0: floor the weights' errors at a
    # small share of the figure's range so one such period cannot take all the weight.
    span = 200.0 if metric is Metric.NPS else (1.0 if metric in (Metric.CSAT, Metric.CES_EASY) else 6.0)
    se = np.maximum(np.array([p.estimate.std_error for p in points]), span * 1e-3)
    w = 1.0 / se**2
    x_bar = float((w * x).sum() / w.sum())
    y_bar = float((w * y).sum() / w.sum())
    sxx = float((w * (x - x_bar) ** 2).sum())
    slope = float((w * (x - x_bar) * (y - y_bar)).sum() / sxx)
    slope_se = math.sqrt(1.0 / sxx)
    half = _z(confidence) * slope_se
    return Trend(metric, tuple(points), slope, Interval(slope - half, slope + half, confidence))


# ---------------------------------------------------------------- effects


def effect(
    metric: Metric,
    baseline: Sequence[int] | np.ndarray,
    variant: Sequence[int] | np.ndarray,
    *,
    confidence: float = 0.95,
    min_n: int = SMALL_SAMPLE_N,
) -> Effect:
    """Effect of a change on ``metric``: variant (after / test) minus baseline (before / control).

    Positive is better for every metric here (CES 2.0 counts 7 as easiest).

    Raises:
        CxInputError: either group empty, answers out of the scale, or bad parameters.
    """
    base = estimate(metric, baseline, confidence=confidence, min_n=min_n)
    var = estimate(metric, variant, confidence=confidence, min_n=min_n)
    difference = var.value - base.value
    z = _z(confidence)
    if metric is Metric.NPS:
        se = math.hypot(base.std_error, var.std_error)
        interval = Interval(max(-200.0, difference - z * se), min(200.0, difference + z * se), confidence)
        p_value = 2.0 * (1.0 - NormalDist().cdf(abs(difference) / se))
    elif metric in (Metric.CSAT, Metric.CES_EASY):
        se, interval, p_value = _proportion_difference(base, var, confidence)
    else:
        se, interval, p_value = _welch(metric, baseline, variant, confidence, difference)
    improvement = NormalDist().cdf(difference / se) if se > 0 else (1.0 if difference > 0 else 0.0)
    small = base.small_sample or var.small_sample
    smaller = min(base.n, var.n)
    warning = SMALL_SAMPLE_WARNING.format(n=smaller, threshold=min_n) if small else None
    return Effect(metric, base, var, difference, se, interval, p_value, improvement, small, warning)


def _proportion_difference(base: Estimate, var: Estimate, confidence: float) -> tuple[float, Interval, float]:
    """Newcombe's hybrid score interval and the pooled z-test for a difference of two shares."""
    p1, p2 = base.value, var.value
    l1, u1 = base.interval.low, base.interval.high
    l2, u2 = var.interval.low, var.interval.high
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    se = math.sqrt(p1 * (1 - p1) / base.n + p2 * (1 - p2) / var.n)
    pooled = (p1 * base.n + p2 * var.n) / (base.n + var.n)
    pooled_se = math.sqrt(pooled * (1 - pooled) * (1 / base.n + 1 / var.n))
    p_value = 1.0 if pooled_se == 0 else 2.0 * (1.0 - NormalDist().cdf(abs(d) / pooled_se))
    # The posterior probability needs a positive spread even when both shares are 0 or 1.
    se = se if se > 0 else pooled_se
    return se, Interval(max(-1.0, low), min(1.0, high), confidence), p_value


def _welch(
    metric: Metric,
    baseline: Sequence[int] | np.ndarray,
    variant: Sequence[int] | np.ndarray,
    confidence: float,
    difference: float,
) -> tuple[float, Interval, float]:
    """Welch's t interval and p-value for a difference of two means."""
    a = _answers(baseline, metric).astype(float)
    b = _answers(variant, metric).astype(float)
    va = a.var(ddof=1) / a.size if a.size > 1 else 0.0
    vb = b.var(ddof=1) / b.size if b.size > 1 else 0.0
    se = math.sqrt(va + vb)
    if se == 0:
        return 0.0, Interval(difference, difference, confidence), 1.0 if difference == 0 else 0.0
    denominator = (va**2 / (a.size - 1) if a.size > 1 else 0.0) + (
        vb**2 / (b.size - 1) if b.size > 1 else 0.0
    )
    df = (va + vb) ** 2 / denominator if denominator > 0 else math.inf
    half = _t_quantile(confidence, df) * se
    p_value = 2.0 * (1.0 - _student_t_cdf(abs(difference) / se, df))
    return se, Interval(difference - half, difference + half, confidence), min(1.0, max(0.0, p_value))


# ---------------------------------------------------------------- service level from day counts


def _day_counts(days: Sequence[tuple[int, int]] | np.ndarray) -> np.ndarray:
    """Validated (answered within target, offered) per day as a (k, 2) int array; days with nothing
    offered carry no information and are dropped."""
    array = np.asarray(days, dtype=float).reshape(-1, 2) if len(days) else np.zeros((0, 2))
    bad = ~np.isfinite(array).all(axis=1)
    bad |= (array != np.round(array)).any(axis=1) | (array[:, 0] < 0) | (array[:, 0] > array[:, 1])
    if bad.any():
        raise CxInputError(DAY_COUNTS_INVALID.format(value=tuple(array[bad][0].tolist())))
    counts = array.astype(np.int64)
    counts = counts[counts[:, 1] > 0]
    if counts.shape[0] == 0:
        raise CxInputError(DAYS_EMPTY)
    return counts


def _ratio_parts(counts: np.ndarray) -> tuple[float, float, int, int]:
    """(ratio, its day-clustered standard error, days, contacts).

    The linearised variance of R = sum(a) / sum(n) over k clusters is
    k / (k - 1) * sum((a_i - R n_i)^2) / sum(n)^2. It is floored at the binomial standard error of the
    same contacts (with one pseudo-success and one pseudo-failure, so 100 % still has a width): days
    that happen to agree must not make the figure look more precise than independent contacts."""
    hits, offered = counts[:, 0].astype(float), counts[:, 1].astype(float)
    total = float(offered.sum())
    ratio = float(hits.sum()) / total
    k = counts.shape[0]
    smoothed = (float(hits.sum()) + 1.0) / (total + 2.0)
    floor = math.sqrt(smoothed * (1.0 - smoothed) / total)
    if k < 2:
        return ratio, floor, k, int(total)
    clustered = math.sqrt(k / (k - 1) * float(((hits - ratio * offered) ** 2).sum())) / total
    return ratio, max(clustered, floor), k, int(total)


def _day_warning(days: int, contacts: int, min_days: int, min_n: int) -> tuple[bool, str | None]:
    if days < min_days:
        return True, SMALL_DAYS_WARNING.format(days=days, threshold=min_days)
    if contacts < min_n:
        return True, SMALL_CONTACTS_WARNING.format(n=contacts, threshold=min_n)
    return False, None


def service_level(
    days: Sequence[tuple[int, int]] | np.ndarray,
    *,
    confidence: float = 0.95,
    min_n: int = SMALL_SAMPLE_N,
    min_days: int = SMALL_SAMPLE_DAYS,
) -> Estimate:
    """Service level of one group from per-day (answered within target, offered) counts.

    ``value`` is the share (0..1) of all offered contacts answered within target; ``n`` is contacts.
    The interval is R +- t(days - 1) x SE with the day-clustered SE (see :func:`_ratio_parts`),
    clipped to [0, 1]; a single day gets the Wilson interval of its contacts.

    >>> service_level([(8, 10), (12, 20)]).value   # 20 of 30
    0.6666666666666666

    Raises:
        CxInputError: no day with contacts, counts that are not whole, negative or above offered, or
            a bad ``confidence`` / ``min_n`` / ``min_days``.
    """
    _check_confidence(confidence)
    _check_min_n(min_n)
    _check_min_n(min_days)
    counts = _day_counts(days)
    ratio, se, k, total = _ratio_parts(counts)
    if k < 2:
        interval = wilson_interval(int(counts[:, 0].sum()), total, confidence)
    else:
        half = _t_quantile(confidence, k - 1) * se
        interval = Interval(max(0.0, ratio - half), min(1.0, ratio + half), confidence)
    small, warning = _day_warning(k, total, min_days, min_n)
    return Estimate(Metric.SERVICE_LEVEL, total, ratio, se, interval, small, warning)


def service_level_effect(
    baseline: Sequence[tuple[int, int]] | np.ndarray,
    variant: Sequence[tuple[int, int]] | np.ndarray,
    *,
    confidence: float = 0.95,
    min_n: int = SMALL_SAMPLE_N,
    min_days: int = SMALL_SAMPLE_DAYS,
) -> Effect:
    """Change in service level: variant (during / test) minus baseline (before / control), as a share.

    Each side is a list of per-day (answered within target, offered) counts. The standard error of
    the difference adds the two day-clustered variances; the interval and p-value use Student t with
    Welch-Satterthwaite degrees of freedom from the two groups' days - 1 (the normal distribution when
    a group has a single day). Higher is better.

    Raises:
        CxInputError: either group without a day with contacts, bad counts or bad parameters.
    """
    base = service_level(baseline, confidence=confidence, min_n=min_n, min_days=min_days)
    var = service_level(variant, confidence=confidence, min_n=min_n, min_days=min_days)
    k_base = _day_counts(baseline).shape[0]
    k_var = _day_counts(variant).shape[0]
    difference = var.value - base.value
    vb, vv = base.std_error**2, var.std_error**2
    se = math.sqrt(vb + vv)
    if k_base < 2 or k_var < 2:
        df = math.inf
    else:
        df = (vb + vv) ** 2 / (vb**2 / (k_base - 1) + vv**2 / (k_var - 1))
    half = _t_quantile(confidence, df) * se
    interval = Interval(max(-1.0, difference - half), min(1.0, difference + half), confidence)
    p_value = min(1.0, max(0.0, 2.0 * (1.0 - _student_t_cdf(abs(difference) / se, df))))
    improvement = NormalDist().cdf(difference / se)
    small = base.small_sample or var.small_sample
    _, warning = _day_warning(min(k_base, k_var), min(base.n, var.n), min_days, min_n)
    return Effect(
        Metric.SERVICE_LEVEL, base, var, difference, se, interval, p_value, improvement, small, warning
    )
