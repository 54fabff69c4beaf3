from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from aspa.engine.forecasting import ForecastInputError, OpeningHours, SpecialDay
from aspa.engine.forecasting.calendar import (
    build_grid,
    check_interval,
    day_labels,
    local_day_slots,
    to_wallclock,
    weekday_of,
)
from aspa.engine.forecasting.errors import BAD_INTERVAL
from tests.engine.forecasting.conftest import HELSINKI


@pytest.mark.parametrize(
    ("day", "hours"),
    [(dt.date(2024, 3, 31), 23), (dt.date(2024, 10, 27), 25), (dt.date(2024, 6, 1), 24)],
)
def test_a_local_day_in_helsinki_has_23_24_or_25_hours(day, hours):
    starts, slots = local_day_slots(day, 15, "Europe/Helsinki")
    assert len(starts) == hours * 4
    assert len({s.astimezone(dt.UTC) for s in starts}) == hours * 4  # every instant is unique
    if hours == 23:
        assert 3 * 4 not in slots  # 03:00 does not exist on the spring-forward day
    if hours == 25:
        assert slots.count(3 * 4) == 2  # 03:00 happens twice in autumn


def test_aware_timestamps_are_keyed_by_local_time_of_day():
    utc = dt.datetime(2024, 1, 15, 7, 0, tzinfo=dt.UTC)  # 09:00 in Helsinki in winter
    summer = dt.datetime(2024, 7, 15, 6, 0, tzinfo=dt.UTC)  # 09:00 in Helsinki in summer
    local = to_wallclock([utc, summer], "Europe/Helsinki")
    assert [str(x) for x in local] == ["2024-01-15T09:00", "2024-07-15T09:00"]


def test_repeated_autumn_hour_is_averaged_into_one_cell():
    first = dt.datetime(2024, 10, 27, 3, 0, tzinfo=HELSINKI, fold=0)
    second = dt.datetime(2024, 10, 27, 3, 0, tzinfo=HELSINKI, fold=1)
    local = to_wallclock([first, second], "Europe/Helsinki")
    grid = build_grid(local, np.array([4.0, 8.0]), 60)
    assert grid.values[0, 3] == 6.0
    assert np.isnan(grid.values[0, 2])


def test_misaligned_timestamps_and_bad_intervals_are_rejected():
    with pytest.raises(ForecastInputError):
        build_grid(np.array(["2024-01-01T09:07"], dtype="datetime64[m]"), np.array([1.0]), 15)
    with pytest.raises(ForecastInputError, match=BAD_INTERVAL.format(value=7)):
        check_interval(7)


def test_opening_hours_mask_and_closed_dates():
    hours = OpeningHours.from_times(
        {d: [(dt.time(8), dt.time(16))] for d in range(5)}, closed_dates=[dt.date(2024, 12, 6)]
    )
    dates = np.array(["2024-12-02", "2024-12-06", "2024-12-07"], dtype="datetime64[D]")
    mask = hours.mask(dates, 60)
    assert mask[0].tolist() == [8 <= h < 16 for h in range(24)]
    assert not mask[1].any()  # independence day closed
    assert not mask[2].any()  # Saturday closed


def test_labels_name_finnish_holidays_and_user_special_days():
    dates = np.array(["2024-12-05", "2024-12-06", "2024-06-21", "2024-03-15"], dtype="datetime64[D]")
    labels = day_labels(dates, "FI", [SpecialDay(dt.date(2024, 3, 15), "laskutusajo")])
    assert labels[0] == ""
    assert labels[1].startswith("holiday:")
    assert labels[2].startswith("holiday:")  # juhannusaatto
    assert labels[3] == "laskutusajo"


def test_weekday_of_is_monday_zero():
    assert weekday_of(np.array(["2024-12-02", "2024-12-08"], dtype="datetime64[D]")).tolist() == [0, 6]
