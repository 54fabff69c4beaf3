"""Learned calendar effects of the top-down model: day after a holiday, phase of the month."""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np

from aspa.engine.forecasting import DailyTotalsTimesProfile
from aspa.engine.forecasting.calendar import day_labels
from aspa.engine.forecasting.data import DayData
from aspa.engine.forecasting.models import after_holiday, month_position
from tests.engine.forecasting.conftest import simulate

WEEKDAYS = frozenset(range(5))


def _days(*iso: str) -> np.ndarray:
    return np.array(iso, dtype="datetime64[D]")


def test_after_holiday_skips_the_weekend_and_ignores_weekend_holidays():
    holiday_dates = frozenset(_days("2024-12-06", "2024-12-07"))  # a Friday and a Saturday
    dates = _days("2024-12-06", "2024-12-07", "2024-12-08", "2024-12-09", "2024-12-10")
    assert after_holiday(dates, WEEKDAYS, holiday_dates).tolist() == [False, False, False, True, False]
    saturday_only = frozenset(_days("2024-12-07"))
    assert not after_holiday(dates, WEEKDAYS, saturday_only).any()


def test_month_position_puts_turn_days_first_and_phases_elsewhere():
    dates = _days("2024-05-02", "2024-05-13", "2024-05-20", "2024-05-31")
    pos = month_position(dates, WEEKDAYS, frozenset(), turn=True, phase=True)
    assert pos[0] == 1  # Thu 2 May: the second business day (no holidays given)
    assert pos[1] == 7 + 1 and pos[2] == 7 + 2  # 9–16 and 17–23 phases
    assert pos[3] == 4  # the last business day of the month
    assert (month_position(dates, WEEKDAYS, frozenset(), turn=False, phase=False) == -1).all()


def _day_data(stamps: np.ndarray, counts: np.ndarray, country: str | None) -> DayData:
    days = stamps.astype("datetime64[D]")
    dates = np.unique(days)
    values = counts.reshape(dates.size, -1)
    return DayData(dates, values, np.ones_like(values, dtype=bool), day_labels(dates, country, []), 60)


def test_the_day_after_a_holiday_learns_its_catch_up():
    start, end = dt.date(2023, 5, 1), dt.date(2024, 12, 1)
    table = holidays.country_holidays("FI", years=[2023, 2024])
    multipliers: dict[dt.date, float] = {}
    day = start
    while day < end:
        if day in table and day.weekday() < 5:
            multipliers[day] = 0.1
            nxt = day + dt.timedelta(days=1)
            while nxt.weekday() >= 5 or nxt in table:
                nxt += dt.timedelta(days=1)
            multipliers.setdefault(nxt, 1.4)
        day += dt.timedelta(days=1)
    stamps, counts, _, _ = simulate(start, (end - start).days, seed=11, multipliers=multipliers)
    history = _day_data(stamps, counts, "FI")
    future_dates = _days(*(str(end + dt.timedelta(days=i)) for i in range(21)))
    future = DayData(
        future_dates,
        np.full((21, 24), np.nan),
        np.ones((21, 24), dtype=bool),
        day_labels(future_dates, "FI", []),
        60,
    )
    with_effect = DailyTotalsTimesProfile(level_halflife_weeks=float("inf")).fit(history).daily_totals(future)
    without = (
        DailyTotalsTimesProfile(level_halflife_weeks=float("inf"), after_holiday=False)
        .fit(history)
        .daily_totals(future)
    )
    monday_after = 8  # Mon 9 Dec 2024 follows Independence Day (Fri 6 Dec)
    plain_monday = 15
    assert 1.25 < with_effect[monday_after] / with_effect[plain_monday] < 1.5
    assert abs(without[monday_after] / without[plain_monday] - 1) < 0.05


def test_the_month_phase_learns_a_mid_month_peak():
    start = dt.date(2024, 1, 1)
    mid_month = {
        start + dt.timedelta(days=i): 1.25
        for i in range(26 * 7)
        if 9 <= (start + dt.timedelta(days=i)).day <= 16
    }
    stamps, counts, _, _ = simulate(start, 26 * 7, seed=12, multipliers=mid_month)
    history = _day_data(stamps, counts, None)
    future_dates = _days(*(str(dt.date(2024, 7, 1) + dt.timedelta(days=i)) for i in range(28)))
    future = DayData(future_dates, np.full((28, 24), np.nan), np.ones((28, 24), dtype=bool), ("",) * 28, 60)
    totals = DailyTotalsTimesProfile(month_phase=True).fit(history).daily_totals(future)
    wednesday_mid, wednesday_late = 9, 16  # Wed 10 July vs Wed 17 July 2024
    assert 1.15 < totals[wednesday_mid] / totals[wednesday_late] < 1.35
