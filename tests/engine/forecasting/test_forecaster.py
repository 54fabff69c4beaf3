from __future__ import annotations

import dataclasses
import datetime as dt
import re

import numpy as np
import pytest

from aspa.engine.forecasting import (
    DailyTotalsTimesProfile,
    Forecaster,
    NotFittedError,
    OpeningHours,
    SeasonalNaiveWeek,
    SpecialDay,
    TunedDailyProfile,
    WeekdayProfileMean,
    wape,
)
from aspa.engine.forecasting.data import DayData
from aspa.engine.forecasting.errors import NOT_FITTED
from tests.engine.forecasting.conftest import HELSINKI, simulate, true_mean

FAST = {"daily_x_profile": DailyTotalsTimesProfile, "dow_tod_mean_all": lambda: WeekdayProfileMean(None)}


def fast_forecaster(**kwargs) -> Forecaster:
    return Forecaster(interval_minutes=60, candidates=FAST, backtest_origins=2, **kwargs)


@pytest.fixture(scope="module")
def plain():
    stamps, counts, _, dates = simulate(dt.date(2024, 1, 8), 16 * 7, seed=1)
    return Forecaster(interval_minutes=60).fit(stamps, counts), dates


def test_auto_choice_recovers_daily_and_weekly_seasonality(plain):
    forecaster, dates = plain
    result = forecaster.predict(days=14)
    future = [dates[-1] + dt.timedelta(days=i + 1) for i in range(14)]
    truth = true_mean(future, 60, 800.0).ravel()
    assert result.point.shape == truth.shape
    assert wape(truth, result.point) < 0.06
    names = {c.model for c in result.candidates}
    assert {"snaive_week", "dow_tod_mean_all", "daily_x_profile"} <= names
    assert result.model == result.backtest.model
    assert result.backtest.wape == min(c.wape for c in result.candidates)
    assert 0 < result.backtest.wape < 0.5 and result.backtest.mase < 1.0


def test_result_is_frozen_and_intervals_bracket_the_point(plain):
    result = plain[0].predict(days=7)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.model = "other"  # type: ignore[misc]
    assert np.all(result.lower <= result.point) and np.all(result.point <= result.upper)
    assert result.level == 0.8


def test_interval_coverage_is_roughly_nominal(plain):
    forecaster, dates = plain
    result = forecaster.predict(days=28)
    future = [dates[-1] + dt.timedelta(days=i + 1) for i in range(28)]
    rng = np.random.default_rng(99)
    actual = rng.poisson(true_mean(future, 60, 800.0)).ravel()
    busy = result.point > 1
    inside = (actual >= result.lower) & (actual <= result.upper)
    assert 0.72 <= inside[busy].mean() <= 0.95


def test_predict_before_fit_raises():
    with pytest.raises(NotFittedError, match="Forecaster"):
        Forecaster().predict()
    for model in (SeasonalNaiveWeek(), WeekdayProfileMean(), DailyTotalsTimesProfile(), TunedDailyProfile()):
        future = DayData(
            np.array(["2024-01-01"], dtype="datetime64[D]"),
            np.zeros((1, 24)),
            np.ones((1, 24), bool),
            ("",),
            60,
        )
        with pytest.raises(NotFittedError, match=re.escape(NOT_FITTED.format(name=type(model).__name__))):
            model.predict(future)


def test_dst_days_in_helsinki_get_23_and_25_hours_at_the_same_local_times():
    # Aware UTC timestamps across the autumn change: the 09:00 local peak must stay at 09:00.
    start = dt.date(2024, 8, 12)
    stamps, counts, _, _ = simulate(start, 10 * 7, seed=2)
    aware = []
    keep = []
    for i, s in enumerate(stamps.astype(object)):
        local = s.replace(tzinfo=HELSINKI)
        if local.astimezone(dt.UTC).astimezone(HELSINKI).replace(tzinfo=None) != s:
            continue  # a wall-clock time that does not exist (none in autumn, kept generic)
        aware.append(local.astimezone(dt.UTC))
        keep.append(i)
    forecaster = fast_forecaster().fit(aware, counts[keep])
    result = forecaster.predict(days=3, start=dt.date(2024, 10, 26))
    per_day = np.unique(result.start_local.astype("datetime64[D]"), return_counts=True)[1]
    assert per_day.tolist() == [24, 25, 24]
    assert np.unique(result.start_utc).size == result.start_utc.size
    local_hours = (result.start_local - result.start_local.astype("datetime64[D]")).astype(int) // 60
    sunday = result.start_local.astype("datetime64[D]") == np.datetime64("2024-10-27")
    assert local_hours[sunday].tolist().count(3) == 2
    weekday_peak = local_hours[~sunday][np.argmax(result.point[~sunday])]
    assert weekday_peak in (9, 10)
    march = forecaster.predict(days=1, start=dt.date(2025, 3, 30))
    assert march.point.size == 23


def test_finnish_holidays_come_out_low_when_history_shows_them_low():
    start = dt.date(2023, 5, 1)
    days = (dt.date(2024, 12, 1) - start).days
    low = {
        dt.date(2023, 12, 6): 0.15,
        dt.date(2023, 6, 23): 0.2,
        dt.date(2024, 6, 21): 0.2,
        dt.date(2024, 5, 1): 0.2,
    }
    for d in (dt.date(2023, 12, 25), dt.date(2023, 12, 26), dt.date(2024, 1, 1), dt.date(2024, 4, 1)):
        low[d] = 0.2
    stamps, counts, _, _ = simulate(start, days, seed=3, multipliers=low)
    forecaster = fast_forecaster().fit(stamps, counts)
    result = forecaster.predict(days=14)
    by_day = {}
    for ts, value in zip(
        result.start_local.astype("datetime64[D]").astype(object), result.point, strict=True
    ):
        by_day[ts] = by_day.get(ts, 0.0) + value
    independence_day = by_day[dt.date(2024, 12, 6)]  # a Friday
    ordinary_friday = by_day[dt.date(2024, 12, 13)]
    assert independence_day < 0.4 * ordinary_friday


def test_special_days_learn_their_multiplier():
    start = dt.date(2024, 1, 1)
    runs = [start + dt.timedelta(days=7 * k + 2) for k in range(0, 16, 2)]  # every other Wednesday
    stamps, counts, _, _ = simulate(start, 16 * 7, seed=4, multipliers=dict.fromkeys(runs, 1.5))
    future_run = start + dt.timedelta(days=16 * 7 + 2)
    special = [SpecialDay(d, "laskutusajo") for d in [*runs, future_run]]
    forecaster = fast_forecaster(special_days=special).fit(stamps, counts)
    result = forecaster.predict(days=14)
    day = result.start_local.astype("datetime64[D]")
    run_total = result.point[day == np.datetime64(future_run)].sum()
    plain_wednesday = result.point[day == np.datetime64(future_run + dt.timedelta(days=7))].sum()
    assert 1.3 < run_total / plain_wednesday < 1.7


def test_opening_hours_give_zeros_when_closed():
    hours = OpeningHours.from_times({d: [(dt.time(8), dt.time(16))] for d in range(5)})
    stamps, counts, _, _ = simulate(dt.date(2024, 1, 1), 8 * 7, seed=5)
    forecaster = fast_forecaster(opening_hours=hours).fit(stamps, counts)
    result = forecaster.predict(days=7)
    hour = (result.start_local - result.start_local.astype("datetime64[D]")).astype(int) // 60
    weekday = (result.start_local.astype("datetime64[D]").astype(int) + 3) % 7
    open_now = (weekday < 5) & (hour >= 8) & (hour < 16)
    assert np.all(result.point[~open_now] == 0)
    assert np.all(result.upper[~open_now] == 0)
    assert np.all(result.point[open_now] > 0)


def test_gaps_are_missing_data_not_zeros():
    stamps, counts, _, dates = simulate(dt.date(2024, 5, 6), 12 * 7, seed=6)
    rng = np.random.default_rng(7)
    keep = rng.random(counts.size) > 0.15  # scattered missing intervals
    day = (stamps - stamps[0]).astype("timedelta64[D]").astype(int)
    keep &= ~np.isin(day, [70, 71, 72, 80])  # and whole missing days near the end
    counts = counts.copy()
    counts[rng.random(counts.size) < 0.02] = np.nan  # NaN counts are gaps too
    forecaster = fast_forecaster().fit(stamps[keep], counts[keep])
    result = forecaster.predict(days=14)
    future = [dates[-1] + dt.timedelta(days=i + 1) for i in range(14)]
    truth = true_mean(future, 60, 800.0).ravel()
    assert abs(result.point.sum() / truth.sum() - 1) < 0.05
    assert wape(truth, result.point) < 0.08
