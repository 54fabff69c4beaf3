"""Learned calendar effects of the top-down model: day after a holiday, holiday eve, phase of the month."""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pytest

from aspa.engine.forecasting import DailyTotalsTimesProfile
from aspa.engine.forecasting.calendar import day_labels
from aspa.engine.forecasting.data import DayData
from aspa.engine.forecasting.errors import ForecastInputError
from aspa.engine.forecasting.models import (
    after_holiday,
    holiday_eve,
    holiday_label_map,
    level_blocks,
    month_position,
    with_holiday_eves,
)
from tests.engine.forecasting.conftest import simulate, true_mean

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


def test_holiday_eve_is_the_calendar_day_before_a_holiday_that_is_not_one_itself():
    holiday_dates = frozenset(_days("1999-09-11", "1999-09-12"))  # two days of Rosh Hashanah
    dates = _days("1999-09-09", "1999-09-10", "1999-09-11", "1999-09-12", "1999-09-13")
    assert holiday_eve(dates, holiday_dates).tolist() == [False, True, False, False, False]


def test_with_holiday_eves_names_the_eve_after_its_holiday_and_keeps_other_labels():
    dates = _days("1999-09-19", "1999-09-20", "1999-09-24", "1999-09-25")
    labels = ("", "holiday:Yom Kippur", "campaign", "holiday:Sukkot")
    known = holiday_label_map((dates, labels))
    assert known == {dates[1]: "holiday:Yom Kippur", dates[3]: "holiday:Sukkot"}
    assert with_holiday_eves(labels, dates, known) == (
        "eve:Yom Kippur",
        "holiday:Yom Kippur",
        "campaign",  # a user's label wins over the eve
        "holiday:Sukkot",
    )


def test_a_holiday_eve_learns_its_short_day():
    start, end = dt.date(1998, 1, 1), dt.date(1999, 12, 1)
    table = holidays.country_holidays("IL", years=[1998, 1999, 2000])
    multipliers: dict[dt.date, float] = {}
    for day in table:
        multipliers[day] = 0.1
        eve = day - dt.timedelta(days=1)
        if eve not in table:
            multipliers[eve] = 0.4
    stamps, counts, _, _ = simulate(start, (end - start).days, seed=13, multipliers=multipliers)
    history = _day_data(stamps, counts, "IL")
    # Rosh Hashanah 2000 is Sat 30 Sep: the eve is Fri 29 Sep, compared with the Friday before.
    future_dates = _days(*(str(dt.date(2000, 9, 1) + dt.timedelta(days=i)) for i in range(30)))
    future = DayData(
        future_dates,
        np.full((30, 24), np.nan),
        np.ones((30, 24), dtype=bool),
        day_labels(future_dates, "IL", []),
        60,
    )
    eve, plain_friday = 28, 21
    with_effect = DailyTotalsTimesProfile(level_halflife_weeks=float("inf")).fit(history)
    totals = with_effect.daily_totals(future)
    assert 0.25 < totals[eve] / totals[plain_friday] < 0.6
    without = DailyTotalsTimesProfile(level_halflife_weeks=float("inf"), holiday_eve=False).fit(history)
    plain = without.daily_totals(future)
    assert abs(plain[eve] / plain[plain_friday] - 1) < 0.05


def test_level_blocks_count_monday_weeks_in_runs_from_the_first_day():
    # Wed 3 Jan 2024 starts in the week of Mon 1 Jan; Mon 15 Jan opens the second two-week block.
    dates = _days("2024-01-03", "2024-01-07", "2024-01-08", "2024-01-14", "2024-01-15", "2024-01-29")
    first = np.datetime64("2024-01-03")
    assert level_blocks(dates, first, 1).tolist() == [0, 0, 1, 1, 2, 4]
    assert level_blocks(dates, first, 2).tolist() == [0, 0, 0, 0, 1, 2]


def test_two_week_level_blocks_leave_more_of_a_month_effect_to_the_month_phase():
    # Noise-free counts with +25 % on the 9th–16th: weekly levels soak up part of the effect (the
    # month terms are shrunk a little towards zero), two-week levels much less.
    start = dt.date(2024, 1, 1)
    dates = [start + dt.timedelta(days=i) for i in range(26 * 7)]
    mean = true_mean(dates, 60, 800.0)
    for i, day in enumerate(dates):
        if 9 <= day.day <= 16:
            mean[i] *= 1.25
    history = DayData(_days(*map(str, dates)), mean, np.ones_like(mean, dtype=bool), ("",) * len(dates), 60)
    future_dates = _days(*(str(dt.date(2024, 7, 1) + dt.timedelta(days=i)) for i in range(28)))
    future = DayData(future_dates, np.full((28, 24), np.nan), np.ones((28, 24), dtype=bool), ("",) * 28, 60)
    ratios = {}
    for block in (1, 2):
        model = DailyTotalsTimesProfile(
            month_phase=True, level_block_weeks=block, level_halflife_weeks=float("inf")
        )
        totals = model.fit(history).daily_totals(future)
        ratios[block] = totals[9] / totals[16]  # Wed 10 July (mid-month) vs Wed 17 July
    assert 1.2 < ratios[1] < ratios[2] < 1.25


def test_level_blocks_must_be_at_least_one_week():
    stamps, counts, _, _ = simulate(dt.date(2024, 1, 1), 28, seed=14)
    with pytest.raises(ForecastInputError, match="level_block_weeks"):
        DailyTotalsTimesProfile(level_block_weeks=0).fit(_day_data(stamps, counts, None))
